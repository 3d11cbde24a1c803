"""Money columns: Decimal euros, two places, never a float."""

from django.db import models

MONEY_DIGITS = 14
MONEY_PLACES = 2


def money_field(verbose_name, **kwargs):
    kwargs.setdefault("max_digits", MONEY_DIGITS)
    kwargs.setdefault("decimal_places", MONEY_PLACES)
    return models.DecimalField(verbose_name, **kwargs)
