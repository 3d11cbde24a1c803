"""Money, in the lowest layer so that every app shares it: Decimal euros to the cent, never a float;
their database columns; their text in the audit trail and the ledger's hashes; their display in the
active language's number format."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, override

CENT = Decimal("0.01")
ZERO = Decimal("0")
MONEY_DIGITS = 14
MONEY_PLACES = 2


def money_field(verbose_name, **kwargs):
    """A money column: Decimal euros, two places."""
    kwargs.setdefault("max_digits", MONEY_DIGITS)
    kwargs.setdefault("decimal_places", MONEY_PLACES)
    return models.DecimalField(verbose_name, **kwargs)


def to_money(value):
    """A Decimal of euros with two places, or None when `value` is not a finite number with at most two decimals."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not amount.is_finite() or amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        return None
    return amount.quantize(CENT)


def money_text(value):
    """An amount as the audit trail and the ledger's hashes write it: "1200.50"."""
    return str(Decimal(value).quantize(CENT))


def cents(value):
    """A sum read from the database, to the cent (SQLite sums decimals in floating point)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=16)
def _separators(language):
    """(decimal separator, thousands separator, grouping) of `language`, read once per language."""
    with override(language):
        return (
            get_format("DECIMAL_SEPARATOR", use_l10n=True),
            get_format("THOUSAND_SEPARATOR", use_l10n=True),
            get_format("NUMBER_GROUPING", use_l10n=True),
        )


def format_eur(amount):
    """ "12,000 EUR" in English, "12 000 EUR" in French; cents only when there are some.

    Called for every amount of the dashboards (hundreds per page): the language's separators are
    read once and the digits grouped by `str.format`, instead of `number_format` for each amount."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    decimal_separator, thousand_separator, grouping = _separators(get_language() or settings.LANGUAGE_CODE)
    if grouping != 3:  # a grouping other than by thousands: Django's general formatter
        places = 0 if amount == amount.to_integral_value() else 2
        return f"{number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)} EUR"
    units, hundredths = divmod(abs(int(amount * 100)), 100)
    text = f"{units:,}".replace(",", thousand_separator)
    if hundredths:
        text = f"{text}{decimal_separator}{hundredths:02d}"
    return f"{'-' if amount < 0 else ''}{text} EUR"
