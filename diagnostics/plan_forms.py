"""Forms of the action plan page: the company's follow-up of an action, the expert's edits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.models import PlanAction
from portal.models import User


class PlanActionFollowForm(forms.Form):
    """Owner (a member of the company), due date and status of one action."""

    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Owner"), empty_label=_("nobody yet")
    )
    due_date = forms.DateField(
        required=False, label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(choices=PlanAction.Status.choices, label=_("Status"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].error_messages["invalid_choice"] = _("Choose a member of the company.")


HORIZON_CHOICES = PlanAction.Horizon.choices


class PlanActionEditForm(forms.Form):
    """The expert moves an action up or down its horizon, to another horizon, or removes it."""

    UP, DOWN, HORIZON, REMOVE = "up", "down", "horizon", "remove"
    operation = forms.ChoiceField(
        choices=[(UP, _("Up")), (DOWN, _("Down")), (HORIZON, _("Move to")), (REMOVE, _("Remove"))]
    )
    horizon = forms.TypedChoiceField(choices=HORIZON_CHOICES, coerce=int, required=False, label=_("Horizon"))

    def clean(self):
        data = super().clean()
        if data.get("operation") == self.HORIZON and data.get("horizon") in (None, ""):
            self.add_error("horizon", _("Choose the horizon to move the action to."))
        return data


class PlanAddForm(forms.Form):
    """The expert adds one of the diagnostic's next-level recommendations to a horizon."""

    recommendation = forms.ModelChoiceField(queryset=None, label=_("Action"))
    horizon = forms.TypedChoiceField(choices=HORIZON_CHOICES, coerce=int, label=_("Horizon"))

    def __init__(self, *args, addable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = addable
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.question.code} – {r.action}"
        self.fields["recommendation"].error_messages["invalid_choice"] = _(
            "Choose one of the next-level actions not yet in the plan."
        )
