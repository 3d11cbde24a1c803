from django import template

from portal.money import format_eur

register = template.Library()


@register.filter
def eur(amount):
    """An amount of euros in the active language's number format: "12 000 EUR" / "12,000 EUR"."""
    if amount is None or amount == "":
        return ""
    return format_eur(amount)
