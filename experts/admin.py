"""Admin of the experts app: a back-office view. Accreditations and assignments change through their
pages (and services), so their history rows here are read-only."""

from django.contrib import admin

from experts.models import (
    Accreditation,
    AccreditationTransition,
    Assignment,
    AssignmentTransition,
    Expert,
    ExpertLanguage,
    ExpertReview,
    ExpertSkill,
    ReviewAction,
    ReviewAxis,
    ReviewQuestion,
    Visit,
)
from portal.admin_inlines import LabelledTabularInline


class ReadOnlyInline(LabelledTabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SkillInline(LabelledTabularInline):
    model = ExpertSkill
    extra = 0


class LanguageInline(LabelledTabularInline):
    model = ExpertLanguage
    extra = 0


class AccreditationHistoryInline(ReadOnlyInline):
    model = AccreditationTransition
    fields = ["at", "from_status", "to_status", "valid_until", "by", "comment"]
    readonly_fields = fields


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "capacity", "day_rate", "created_at"]
    search_fields = ["user__email", "user__last_name", "organisation"]
    list_filter = ["regions", "accreditation__status"]
    raw_id_fields = ["user"]
    filter_horizontal = ["regions"]
    inlines = [SkillInline, LanguageInline, AccreditationHistoryInline]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["expert", "status", "valid_until", "changed_by", "changed_at"]
    list_filter = ["status"]
    search_fields = ["expert__user__email", "expert__user__last_name"]
    readonly_fields = ["expert", "status", "valid_until", "changed_by", "changed_at", "comment"]

    def has_add_permission(self, request):
        return False  # through the accreditation page, which records the history


class AssignmentTransitionInline(ReadOnlyInline):
    model = AssignmentTransition
    fields = ["at", "from_status", "to_status", "by", "comment", "notified_at"]
    readonly_fields = fields


class VisitInline(ReadOnlyInline):
    model = Visit
    fields = ["date", "days", "day_rate", "cost", "summary", "logged_by"]
    readonly_fields = fields


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["expert", "company", "status", "due_date", "proposed_by", "proposed_at"]
    list_filter = ["status"]
    search_fields = ["expert__user__email", "expert__user__last_name", "company__name", "company__siret"]
    raw_id_fields = ["expert", "company", "diagnostic", "proposed_by"]
    readonly_fields = ["status", "decline_reason", "proposed_at"]
    inlines = [AssignmentTransitionInline, VisitInline]


class ReviewAxisInline(ReadOnlyInline):
    model = ReviewAxis
    fields = ["axis_code", "validated_level", "validated_score", "comment"]
    readonly_fields = fields


class ReviewQuestionInline(ReadOnlyInline):
    model = ReviewQuestion
    fields = ["question_code", "axis_code", "self_level", "validated_level", "reason"]
    readonly_fields = fields


class ReviewActionInline(ReadOnlyInline):
    model = ReviewAction
    fields = ["order", "recommendation", "owner", "due_date"]
    readonly_fields = fields


@admin.register(ExpertReview)
class ExpertReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "status", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["assignment", "diagnostic", "status", "summary", "submitted_at", "submitted_by"]
    inlines = [ReviewAxisInline, ReviewQuestionInline, ReviewActionInline]
