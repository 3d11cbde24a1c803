"""Money helpers: Decimal euros, formatted in the active language's number format."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

CENT = Decimal("0.01")
ZERO = Decimal("0")


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


def cents(value):
    """A sum read from the database, to the cent (SQLite sums decimals in floating point)."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount):
    """ "12,000 EUR" in English, "12 000 EUR" in French; cents only when there are some."""
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)} EUR"
