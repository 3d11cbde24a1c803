from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import LabelledTabularInline
from portal.models import (
    AuditAnchor,
    AuditDigest,
    AuditEntry,
    Company,
    Invitation,
    Membership,
    NafCode,
    Region,
    RegionOfficer,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(LabelledTabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "naf_division", "headcount_band", "region"]
    list_filter = ["region", "headcount_band"]
    search_fields = ["name", "siret"]
    list_select_related = ["naf_division", "region"]
    inlines = [MembershipInline]


@admin.register(RegionOfficer)
class RegionOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "region"]
    list_select_related = ["user", "region"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by"]
    list_select_related = ["company"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NafCode)
class NafCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "label_fr", "label_en"]
    list_filter = ["level"]

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail is written by the services only and checked by `manage.py verify_audit`."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "by", "action", "subject_app", "subject_model", "subject_pk", "region"]
    list_filter = ["subject_app", "action"]
    list_select_related = ["by", "region"]
    search_fields = ["=subject_pk", "action"]
    readonly_fields = [field.name for field in AuditEntry._meta.fields]


@admin.register(AuditDigest)
class AuditDigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "count", "first_seq", "last_seq", "sealed_at"]
    readonly_fields = [field.name for field in AuditDigest._meta.fields]


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "seq", "key", "created_at"]
    list_filter = ["kind"]
    readonly_fields = [field.name for field in AuditAnchor._meta.fields]
