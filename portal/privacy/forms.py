from django import forms
from django.utils.translation import gettext_lazy as _

from portal.privacy.closure import confirmation_matches


class CloseCompanyForm(forms.Form):
    """The owner confirms the closure by typing the company's name."""

    confirmation = forms.CharField(label=_("Company name"), max_length=200, strip=True)
    understood = forms.BooleanField(
        label=_("I understand that this cannot be undone: the members' accounts and personal data will be erased."),
        required=True,
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"]
        if not confirmation_matches(self.company, typed):
            raise forms.ValidationError(_("Type the company's name exactly as shown to confirm the closure."))
        return typed
