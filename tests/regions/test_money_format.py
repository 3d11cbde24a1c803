"""Amounts in euros are written in the active language's number format (portal.money.format_eur)."""

from decimal import Decimal

import pytest
from django.utils.formats import number_format
from django.utils.translation import override

from portal.money import format_eur

AMOUNTS = ["0", "0.5", "1", "7.05", "999.99", "1000", "12000", "12000.5", "1234567.89", "-1500", "-0.4", 12.1, 3]


def reference(amount):
    """What Django's general formatter writes for the amount rounded to the cent."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)} EUR"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_format_eur_writes_what_the_languages_number_format_writes(language):
    with override(language):
        assert [format_eur(amount) for amount in AMOUNTS] == [reference(amount) for amount in AMOUNTS]


def test_format_eur_groups_thousands_and_shows_cents_only_when_there_are_some():
    with override("en"):
        assert (format_eur("12000"), format_eur("12000.5")) == ("12,000 EUR", "12,000.50 EUR")
    with override("fr"):
        assert format_eur(Decimal("1234567.89")) == "1\xa0234\xa0567,89 EUR"
