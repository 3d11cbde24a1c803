from django import template

from portal.money import format_eur

register = template.Library()


@register.filter
def eur(amount):
    """An amount of euros in the active language's number format: "12 000 EUR" / "12,000 EUR"."""
    if amount is None or amount == "":
        return ""
    return format_eur(amount)


@register.filter
def percent_of(part, whole):
    """`part` as a whole percentage of `whole` (0 when `whole` is zero), for progress bars."""
    try:
        return max(0, min(100, round(100 * float(part) / float(whole)))) if whole else 0
    except (TypeError, ValueError):
        return 0
