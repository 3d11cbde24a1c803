from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.validators import validate_text
from regions.forms import CENT, MAX_AMOUNT
from regions.models import Enrolment, Programme
from regions.models.fields import MONEY_DIGITS, MONEY_PLACES

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
    return serializers.CharField(max_length=TEXT_MAX_LENGTH, validators=[validate_text], **kwargs)


class CommentSerializer(serializers.Serializer):
    comment = _text(required=False, allow_blank=True, default="")


class AcceptSerializer(CommentSerializer):
    amount = serializers.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        min_value=CENT,
        max_value=MAX_AMOUNT,
        help_text=_("The amount committed (EUR): at most the programme's cap and what is left of its budget."),
    )


class RefuseSerializer(serializers.Serializer):
    reason = _text(help_text=_("The reason the company will read."))
