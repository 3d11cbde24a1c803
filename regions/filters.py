"""The dashboard's filters (programme, region, status, sector, size, period): the page and its CSV and
XLSX exports go through this one FilterSet, so they show the same rows. Their dropdowns are written by
`PlainSelect` (no template per option), and the page caches the rendered form with the board."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.models import HeadcountBand, NafCode
from portal.widgets import PlainSelect
from regions.models import Enrolment


class EnrolmentFilter(django_filters.FilterSet):
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=None, empty_label=_("All programmes"), widget=PlainSelect
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="programme__region",
        queryset=None,
        empty_label=_("All regions"),
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Enrolment.Status.choices, empty_label=_("All statuses"), widget=PlainSelect
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector (NAF section)"),
        field_name="company__naf_division__section",
        queryset=NafCode.objects.filter(level=NafCode.Level.SECTION, divisions__isnull=False)
        .distinct()
        .order_by("code"),
        empty_label=_("All sectors"),
        widget=PlainSelect,
    )
    size = django_filters.ChoiceFilter(
        label=_("Size"),
        field_name="company__headcount_band",
        choices=HeadcountBand.choices,
        empty_label=_("All sizes"),
        widget=PlainSelect,
    )
    applied_from = django_filters.DateFilter(
        label=_("Applied from"),
        field_name="applied_at",
        lookup_expr="date__gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    applied_to = django_filters.DateFilter(
        label=_("Applied until"),
        field_name="applied_at",
        lookup_expr="date__lte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Enrolment
        fields = ["programme", "region", "status", "sector", "size", "applied_from", "applied_to"]

    def __init__(self, data=None, *, programmes, regions, **kwargs):
        super().__init__(data, **kwargs)
        self.filters["programme"].queryset = programmes
        if regions is None:
            del self.filters["region"]
        else:
            self.filters["region"].queryset = regions
        for name, form_field in self.form.fields.items():
            css = "form-control form-control-sm" if name.startswith("applied") else "form-select form-select-sm"
            form_field.widget.attrs.setdefault("class", css)

    @property
    def programme_filters(self):
        """The filters that apply to programmes themselves (budget figures): programme and region."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        data = self.form.cleaned_data
        filters = {}
        if data.get("programme"):
            filters["pk"] = data["programme"].pk
        if data.get("region"):
            filters["region"] = data["region"]
        return filters
