from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import TextField
from portal.money import CENT, MONEY_DIGITS, MONEY_PLACES
from regions.forms import MAX_AMOUNT
from regions.models import Enrolment, Programme

TEXT_MAX_LENGTH = 2000


class ProgrammeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text=_("The region's INSEE code."))
    remaining = serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, help_text=_("Budget not yet committed (EUR).")
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "region",
            "status",
            "start_date",
            "end_date",
            "budget",
            "cap_per_company",
            "target_companies",
            "committed_total",
            "spent_total",
            "remaining",
            "eligible_headcount_bands",
            "requires_submitted_diagnostic",
            "max_overall_level",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name")
    company_name = serializers.CharField(source="company.name")
    company_siret = serializers.CharField(source="company.siret")

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "programme",
            "programme_name",
            "company",
            "company_name",
            "company_siret",
            "diagnostic",
            "status",
            "requested_amount",
            "cap_amount",
            "committed_amount",
            "spent_total",
            "motivation",
            "refusal_reason",
            "applied_at",
            "decided_at",
        ]


def _text(**kwargs):
    return TextField(max_length=TEXT_MAX_LENGTH, **kwargs)


# A positive amount of euros with at most two decimals, as a string (never a binary float).
AMOUNT_PATTERN = r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,11}(\.[0-9]{1,2})?)$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": AMOUNT_PATTERN, "example": "8000.00"})
class AmountField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, min_value=CENT, max_value=MAX_AMOUNT, **kwargs
        )


class CommentSerializer(serializers.Serializer):
    comment = _text(required=False, allow_blank=True, default="")


class AcceptSerializer(CommentSerializer):
    amount = AmountField(
        help_text=_("The amount committed (EUR): at most the programme's cap and what is left of its budget.")
    )


class RefuseSerializer(serializers.Serializer):
    reason = _text(help_text=_("The reason the company will read."))


class DmaTimePointSerializer(serializers.Serializer):
    time_point = serializers.ChoiceField(choices=["T0", "T1", "T2"])
    diagnostic = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    crosswalk = serializers.CharField()
    dimensions = serializers.ListField(
        child=serializers.DecimalField(max_digits=4, decimal_places=1), min_length=6, max_length=6
    )
    overall = serializers.IntegerField(min_value=0, max_value=100)
    band = serializers.ChoiceField(choices=["basic", "average", "moderately_advanced", "advanced"])


class EnrolmentDetailSerializer(EnrolmentSerializer):
    dma_time_points = DmaTimePointSerializer(
        many=True,
        source="dma_scores",
        help_text=_(
            "The EU Digital Maturity Assessment at T0 (the diagnostic attached), T1 (the first after the support) "
            "and T2 (a year after T1): the six dimensions 0-100, the overall score and its band."
        ),
    )

    class Meta(EnrolmentSerializer.Meta):
        fields = [*EnrolmentSerializer.Meta.fields, "dma_time_points"]
