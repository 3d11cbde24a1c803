"""Alliance staff curate referential versions here: drafts are edited, published and retired versions are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diagnostics import services
from diagnostics.exceptions import IllegalTransition, ReferentialInvalid, ReferentialVersionExists
from diagnostics.models import (
    Axis,
    LevelDescriptor,
    MaturityBand,
    Module,
    ModuleRule,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    ReferentialTransition,
    TechnologyTheme,
)
from diagnostics.models.referential import validate_version
from portal.admin_inlines import LabelledTabularInline

MAX_PROBLEMS_SHOWN = 20


def referential_of(obj):
    if isinstance(obj, Referential):
        return obj
    if isinstance(obj, Axis | Question | Module):
        return obj.referential
    if isinstance(obj, ModuleRule):
        return obj.module.referential
    return obj.question.referential


def is_locked(obj):
    return obj is not None and referential_of(obj).is_locked


class ReadOnlyWhenLockedAdmin(admin.ModelAdmin):
    """The rows of a published or retired version open read-only and cannot be deleted."""

    def has_change_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_delete_permission(request, obj)


class ReadOnlyWhenLockedInline:
    """Inlines of a published or retired parent: nothing to add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(TechnologyTheme)
class TechnologyThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "order"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MaturityBandInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = MaturityBand
    extra = 0
    max_num = 6


class AxisInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = Axis
    fields = ["order", "code", "title_fr", "title_en", "weight"]
    extra = 0
    show_change_link = True


class ModuleInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = Module
    fields = ["order", "code", "title_fr", "title_en", "minutes"]
    extra = 0
    show_change_link = True


class TransitionInline(LabelledTabularInline):
    model = ReferentialTransition
    fields = ["at", "from_status", "to_status", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeriveDraftForm(forms.Form):
    new_version = forms.CharField(
        label=gettext_lazy("New version"), max_length=20, validators=[validate_version], help_text="2027.1"
    )


@admin.register(Referential)
class ReferentialAdmin(ReadOnlyWhenLockedAdmin):
    list_display = ["code", "version", "title_fr", "status", "published_at", "retired_at"]
    list_filter = ["status", "code"]
    search_fields = ["code", "version", "title_fr", "title_en"]
    readonly_fields = ["status", "created_at", "published_at", "retired_at"]
    fields = ["code", "version", "title_fr", "title_en", "description_fr", "description_en", *readonly_fields]
    inlines = [MaturityBandInline, AxisInline, ModuleInline, TransitionInline]
    actions = ["publish", "retire"]
    change_form_template = "diagnostics/admin/referential_change_form.html"

    def get_urls(self):
        derive = path(
            "<path:object_id>/derive/",
            self.admin_site.admin_view(self.derive_view),
            name="diagnostics_referential_derive",
        )
        return [derive, *super().get_urls()]

    @admin.action(description=gettext_lazy("Publish the selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        self._move_each(request, queryset, services.publish_referential, _("Published %(referential)s."))

    @admin.action(description=gettext_lazy("Retire the selected published versions"), permissions=["change"])
    def retire(self, request, queryset):
        self._move_each(request, queryset, services.retire_referential, _("Retired %(referential)s."))

    def _move_each(self, request, queryset, move, success):
        for referential in queryset:
            name = f"{referential.code} {referential.version}"
            try:
                move(referential=referential, by=request.user)
            except IllegalTransition as error:
                self.message_user(request, str(error), messages.ERROR)
            except ReferentialInvalid as error:
                self.message_user(request, self._problems_message(name, error.problems), messages.ERROR)
            else:
                self.message_user(request, success % {"referential": name}, messages.SUCCESS)

    @staticmethod
    def _problems_message(name, problems):
        shown = "; ".join(str(problem) for problem in problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        message = ngettext(
            "%(referential)s cannot be published, %(count)d problem: %(problems)s",
            "%(referential)s cannot be published, %(count)d problems: %(problems)s",
            len(problems),
        ) % {"referential": name, "count": len(problems), "problems": shown}
        if more > 0:
            message += " " + _("(and %(count)d more)") % {"count": more}
        return message

    def derive_view(self, request, object_id):
        source = get_object_or_404(Referential, pk=object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DeriveDraftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                draft = services.derive_draft(
                    referential=source, new_version=form.cleaned_data["new_version"], by=request.user
                )
            except (IllegalTransition, ReferentialVersionExists, ValidationError) as error:
                form.add_error("new_version", error.messages if isinstance(error, ValidationError) else str(error))
            else:
                self.message_user(
                    request,
                    _("Draft %(version)s derived from %(source)s.")
                    % {"version": draft.version, "source": source.version},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:diagnostics_referential_change", args=[draft.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Derive a new draft from %(referential)s") % {"referential": source},
            "opts": self.model._meta,
            "original": source,
            "form": form,
        }
        return TemplateResponse(request, "diagnostics/admin/derive_referential.html", context)


class QuestionInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = Question
    fields = ["order", "code", "text_fr", "text_en", "weight", "allows_not_applicable"]
    extra = 0
    show_change_link = True


@admin.register(Axis)
class AxisAdmin(ReadOnlyWhenLockedAdmin):
    list_display = ["code", "title_fr", "referential", "order", "weight"]
    list_filter = ["referential"]
    list_select_related = ["referential"]
    search_fields = ["code", "title_fr", "title_en"]
    ordering = ["referential", "order"]
    inlines = [QuestionInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "referential":
            kwargs["queryset"] = Referential.objects.drafts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionThemeInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = QuestionTheme
    fields = ["order", "theme"]
    extra = 0


class LevelDescriptorInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = LevelDescriptor
    extra = 0
    max_num = 6


class RecommendationInline(ReadOnlyWhenLockedInline, admin.StackedInline):
    model = Recommendation
    extra = 0
    max_num = 5


@admin.register(Question)
class QuestionAdmin(ReadOnlyWhenLockedAdmin):
    list_display = ["code", "text_fr", "axis", "referential", "order", "weight"]
    list_filter = ["referential", "themes"]
    list_select_related = ["axis", "referential"]
    search_fields = ["code", "text_fr", "text_en"]
    ordering = ["referential", "axis__order", "order"]
    fields = [
        "axis",
        "code",
        "order",
        "text_fr",
        "text_en",
        "help_fr",
        "help_en",
        "weight",
        "allows_not_applicable",
        "module",
        "minutes",
    ]
    inlines = [QuestionThemeInline, LevelDescriptorInline, RecommendationInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "module":
            kwargs["queryset"] = Module.objects.filter(referential__status=Referential.Status.DRAFT)
        if db_field.name == "axis":
            kwargs["queryset"] = Axis.objects.filter(referential__status=Referential.Status.DRAFT).select_related(
                "referential"
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda axis: f"{axis.referential.code} {axis.referential.version} · {axis}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ModuleRuleInline(ReadOnlyWhenLockedInline, LabelledTabularInline):
    model = ModuleRule
    fields = ["order", "kind", "question", "level", "values"]
    extra = 0


@admin.register(Module)
class ModuleAdmin(ReadOnlyWhenLockedAdmin):
    """A deep-dive module and its opening rules (checked like a file when its draft is published)."""

    list_display = ["code", "title_fr", "referential", "order", "minutes"]
    list_filter = ["referential"]
    list_select_related = ["referential"]
    search_fields = ["code", "title_fr", "title_en"]
    ordering = ["referential", "order"]
    inlines = [ModuleRuleInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "referential":
            kwargs["queryset"] = Referential.objects.drafts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
