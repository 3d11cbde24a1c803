from django import template
from django.utils.translation import gettext

from portal.money import format_eur
from portal.number_fields import localized_number
from regions.cofunding import plain_rate

register = template.Library()


@register.filter
def eur(amount):
    """An amount of euros in the active language's number format: "12 000 EUR" / "12,000 EUR"."""
    if amount is None or amount == "":
        return ""
    return format_eur(amount)


@register.filter
def percent(rate):
    """A rate in percent in the active language's format, without useless decimals: "50 %" / "50%"."""
    if rate is None or rate == "":
        return ""
    return gettext("%(rate)s%%") % {"rate": localized_number(plain_rate(rate))}
