"""Numbers in forms speak the user's format: read, prefilled and in the error messages."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from portal.number_fields import LocalizedDecimalField

NBSP = "\u00a0"


class AmountForm(forms.Form):
    amount = LocalizedDecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("15000")
    )


@pytest.mark.parametrize("typed", ["15 000,00", f"15{NBSP}000,00", "15\u202f000", "15000.00", "15000"])
def test_french_reads_amounts_with_grouped_thousands_and_a_comma_or_a_point(typed):
    with translation.override("fr"):
        form = AmountForm({"amount": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("15000")


def test_english_reads_amounts_with_comma_grouping():
    with translation.override("en"):
        form = AmountForm({"amount": "12,500.50"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("12500.50")


def test_the_limit_in_a_french_error_message_is_written_in_french():
    with translation.override("fr"):
        form = AmountForm({"amount": "20000"})
        assert not form.is_valid()
        assert form.errors["amount"] == [f"Assurez-vous que cette valeur est inférieure ou égale à 15{NBSP}000,00."]


def test_the_limit_in_an_english_error_message_is_grouped():
    with translation.override("en"):
        form = AmountForm({"amount": "0"})
        assert not form.is_valid()
        assert form.errors["amount"] == ["Ensure this value is greater than or equal to 0.01."]


def test_a_prefilled_amount_is_shown_in_french():
    with translation.override("fr"):
        rendered = str(AmountForm(initial={"amount": Decimal("12000")})["amount"])
    assert f'value="12{NBSP}000,00"' in rendered
    assert 'inputmode="decimal"' in rendered
