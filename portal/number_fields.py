"""A decimal form field that speaks the user's number format both ways: it reads "15 000,00" as
well as "15000.00", shows a prefilled value as "15 000,00" in French ("15,000.00" in English), and
writes its limits in error messages the same way ("inférieure ou égale à 15 000,00"), where Django
would write the Decimal as Python prints it."""

from decimal import Decimal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format

SPACES = (" ", "\u00a0", "\u202f")


def localized_number(value, places=None):
    """A number in the active language's format, thousands grouped."""
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


class _LocalizedLimit:
    """Mixin for Django's Min/MaxValueValidator: the limit in the message is written in the user's format."""

    places = None

    def __call__(self, value):
        cleaned = self.clean(value)
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(cleaned, limit):
            shown = localized_number(limit, self.places)
            raise ValidationError(
                self.message, code=self.code, params={"limit_value": shown, "show_value": cleaned, "value": value}
            )


class LocalizedMaxValueValidator(_LocalizedLimit, validators.MaxValueValidator):
    pass


class LocalizedMinValueValidator(_LocalizedLimit, validators.MinValueValidator):
    pass


_LOCALIZED = {
    validators.MaxValueValidator: LocalizedMaxValueValidator,
    validators.MinValueValidator: LocalizedMinValueValidator,
}


def localize_limits(field):
    """Swap the field's Min/MaxValueValidators (its own and any added later) for ones that write the limit localised."""
    swapped = []
    for validator in field.validators:
        kind = _LOCALIZED.get(type(validator))
        if kind:
            validator = kind(validator.limit_value, message=validator.message)
            validator.places = getattr(field, "decimal_places", None)
        swapped.append(validator)
    field.validators = swapped


class LocalizedDecimalField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.localize = True
        self.widget.is_localized = True

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            thousands = get_format("THOUSAND_SEPARATOR")
            # "." is never read as a thousands separator: a French user may type a decimal point.
            grouping = [*SPACES, thousands] if thousands not in (".", get_format("DECIMAL_SEPARATOR")) else SPACES
            for separator in grouping:
                value = value.replace(separator, "")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return localized_number(value, self.decimal_places)
        return value

    def run_validators(self, value):
        localize_limits(self)
        super().run_validators(value)
