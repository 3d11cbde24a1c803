from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.api import tokens
from portal.models import ApiToken
from portal.validators import validate_printable


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=tokens.NAME_MAX_LENGTH,
        validators=[validate_printable],
        help_text=_("What the token is for, e.g. “ERP link”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, widget=forms.RadioSelect
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = tokens.validity_choices()
        self.fields["days"].choices = [
            (days, ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days}) for days in choices
        ]
        self.fields["days"].initial = 90 if 90 in choices else choices[0]
