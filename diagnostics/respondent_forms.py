"""Forms of the several-respondents pages: invite a respondent; the consensus reuses `forms.AnswerForm`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.models import RespondentFunction


class RespondentInviteForm(forms.Form):
    """Invite a member of the company (`member`) or someone by e-mail (`email`), with a function and axes."""

    member = forms.TypedChoiceField(label=_("A member of the company"), required=False, coerce=int, empty_value=None)
    email = forms.EmailField(label=_("Or an e-mail address"), required=False)
    function = forms.ChoiceField(label=_("Function"), choices=RespondentFunction.choices)
    axes = forms.MultipleChoiceField(
        label=_("Axes to answer first (optional)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data=None, *, members, axes, may_invite_by_email, **kwargs):
        """`members`: the users who may still be invited; `axes`: the referential's axes."""
        super().__init__(data, **kwargs)
        self.members = {user.pk: user for user in members}
        self.fields["member"].choices = [("", "—")] + [(user.pk, f"{user} ({user.email})") for user in members]
        self.fields["axes"].choices = [(axis.code, axis.title) for axis in axes]
        if not may_invite_by_email:
            del self.fields["email"]

    def clean(self):
        data = super().clean()
        member, email = data.get("member"), data.get("email")
        if member is not None and email:
            raise forms.ValidationError(_("Choose a member or give an e-mail address, not both."), code="both")
        if member is None and not email and not self.has_error("email"):
            raise forms.ValidationError(_("Choose a member or give an e-mail address."), code="none")
        data["user"] = self.members.get(member) if member is not None else None
        return data
