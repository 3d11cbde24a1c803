"""Serializer fields of the API whose schema says exactly what they accept."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.validators import validate_text

# Free text: tabs and line breaks pass; other control characters and the bidirectional overrides
# (`portal.validators.validate_text`) do not. In the schema as a pattern every JSON Schema tool reads.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
text_pattern = RegexValidator(
    TEXT_PATTERN,
    _("Remove the invisible control characters from this field (they are often pasted by mistake)."),
    code="control_characters",
)


def validate_no_surrogates(value):
    """An unpaired surrogate (a "\\ud800" escape alone in JSON) is no character: no database column stores it."""
    if any("\ud800" <= char <= "\udfff" for char in value or ""):
        raise ValidationError(_("This text holds an invalid character (an unpaired surrogate)."), code="surrogates")


class TextField(serializers.CharField):
    """Free text of several lines, checked as on the portal's forms (the pattern is in the schema)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators += [validate_no_surrogates, text_pattern, validate_text]
