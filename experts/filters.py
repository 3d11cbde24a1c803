"""The public directory's filters (django-filter). Each filter is an EXISTS subquery: no duplicate rows,
no extra query per expert."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from diagnostics.models import TechnologyTheme
from experts.models import LANGUAGE_CHOICES, Expert, ExpertLanguage, ExpertSkill
from experts.selectors import axis_choices
from portal.models import Region
from portal.widgets import PlainSelect


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, organisation or keyword"), method="filter_text")
    region = django_filters.ModelChoiceFilter(
        label=_("Region served"),
        queryset=Region.objects.order_by("label_fr"),
        method="filter_region",
        empty_label=_("All regions"),
        widget=PlainSelect,
    )
    axis = django_filters.ChoiceFilter(
        label=_("Skill on a referential axis"),
        method="filter_axis",
        choices=[],
        empty_label=_("All axes"),
        widget=PlainSelect,
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Technology theme"),
        queryset=TechnologyTheme.objects.order_by("order", "code"),
        method="filter_theme",
        empty_label=_("All themes"),
        widget=PlainSelect,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        method="filter_language",
        empty_label=_("All languages"),
        widget=PlainSelect,
    )
    available = django_filters.BooleanFilter(
        label=_("With a free place only"), method="filter_available", widget=forms.CheckboxInput
    )

    class Meta:
        model = Expert
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["axis"].extra["choices"] = axis_choices()

    def filter_text(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(organisation__icontains=word)
                | Q(bio__icontains=word)
            )
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(Exists(Expert.regions.through.objects.filter(expert=OuterRef("pk"), region=value)))

    def filter_axis(self, queryset, name, value):
        return queryset.filter(Exists(ExpertSkill.objects.filter(expert=OuterRef("pk"), axis_code=value)))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(Exists(ExpertSkill.objects.filter(expert=OuterRef("pk"), theme=value)))

    def filter_language(self, queryset, name, value):
        return queryset.filter(Exists(ExpertLanguage.objects.filter(expert=OuterRef("pk"), code=value)))

    def filter_available(self, queryset, name, value):
        return queryset.filter(free_places__gt=0) if value else queryset
