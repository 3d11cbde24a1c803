"""Forms of the experts app: they parse and validate; the services write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from experts.models import LANGUAGE_CHOICES, MAX_CAPACITY, MAX_VISIT_DAYS, Accreditation, SkillLevel
from experts.workflows import ACCREDITATION
from portal.models import Region
from portal.number_fields import LocalizedDecimalField
from portal.validators import validate_plausible_date, validate_printable, validate_text

NO_SKILL = [("", _("—"))]
LEVEL_CHOICES = [("", _("—"))] + [(str(level), str(level)) for level in range(6)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProfileForm(forms.Form):
    """The expert's own profile; one level field per referential axis and per technology theme."""

    organisation = forms.CharField(label=_("Organisation"), max_length=200, validators=[validate_printable])
    bio = forms.CharField(
        label=_("Short biography"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the public directory."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions served"),
        queryset=Region.objects.order_by("label_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    day_rate = LocalizedDecimalField(
        label=_("Day rate (EUR, excl. VAT)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Seen by officers, staff and companies only; never by anonymous visitors."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=MAX_CAPACITY,
        help_text=_("How many assignments you take on at the same time; 0 stops new proposals."),
    )

    def __init__(self, *args, axes=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        skill_choices = NO_SKILL + [(str(value), label) for value, label in SkillLevel.choices]
        self.axis_fields = []
        for code, title in axes:
            name = f"axis_{code}"
            self.fields[name] = forms.TypedChoiceField(
                label=title, choices=skill_choices, coerce=int, empty_value=None, required=False
            )
            self.axis_fields.append((code, name))
        self.theme_fields = []
        for theme in themes:
            name = f"theme_{theme.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=theme.name, choices=skill_choices, coerce=int, empty_value=None, required=False
            )
            self.theme_fields.append((theme, name))

    def profile_fields(self):
        return [self[name] for name in ("organisation", "bio", "regions", "languages", "day_rate", "capacity")]

    def axis_skill_fields(self):
        return [self[name] for _code, name in self.axis_fields]

    def theme_skill_fields(self):
        return [self[name] for _theme, name in self.theme_fields]

    def axis_skills(self):
        data = self.cleaned_data
        return {code: data[name] for code, name in self.axis_fields if data.get(name)}

    def theme_skills(self):
        data = self.cleaned_data
        return {theme.pk: data[name] for theme, name in self.theme_fields if data.get(name)}

    @staticmethod
    def initial_for(expert):
        initial = {
            "organisation": expert.organisation,
            "bio": expert.bio,
            "regions": list(expert.regions.all()),
            "languages": [language.code for language in expert.languages.all()],
            "day_rate": expert.day_rate,
            "capacity": expert.capacity,
        }
        for skill in expert.skills.all():
            key = f"axis_{skill.axis_code}" if skill.axis_code else f"theme_{skill.theme_id}"
            initial[key] = str(skill.level)
        return initial


class AccreditationForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Accreditation.Status.choices)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        validators=[validate_plausible_date],
        widget=DateInput(),
        help_text=_("Required to reference or renew; kept as it is when left empty otherwise."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ACCREDITATION.targets(current.status if current else Accreditation.NONE)
        self.fields["status"].choices = [
            (value, label) for value, label in Accreditation.Status.choices if value in allowed
        ]


class RegisterExpertForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, validators=[validate_printable])
    last_name = forms.CharField(label=_("Last name"), max_length=150, validators=[validate_printable])
    organisation = forms.CharField(label=_("Organisation"), max_length=200, validators=[validate_printable])


class ProposeForm(forms.Form):
    """Choose one of the matched experts for the company, with a due date and a brief."""

    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, widget=forms.RadioSelect)
    due_date = forms.DateField(
        label=_("Due date"), required=False, validators=[validate_plausible_date], widget=DateInput()
    )
    brief = forms.CharField(
        label=_("Brief for the expert"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the company expects from the assignment."),
    )

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [
            (proposal.expert.pk, f"{proposal.expert.name} ({proposal.expert.organisation}) – {proposal.reason}")
            for proposal in proposals
        ]

    def clean_due_date(self):
        due_date = self.cleaned_data.get("due_date")
        if due_date and due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, validators=[validate_text], widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, required=True, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if label:
            self.fields["reason"].label = label


class VisitForm(forms.Form):
    date = forms.DateField(label=_("Date of the visit"), validators=[validate_plausible_date], widget=DateInput())
    days = LocalizedDecimalField(
        label=_("Days spent"),
        min_value=0.25,
        max_value=MAX_VISIT_DAYS,
        max_digits=4,
        decimal_places=2,
        help_text=_("On site and preparing, e.g. 0.5 or 1."),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, validators=[validate_text], widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date of a visit cannot be in the future."))
        return date


class ReviewForm(forms.Form):
    """One validated level and one comment per axis, shown beside the company's self-assessment.

    A draft may leave anything blank. Submitting (`submitting=True`) closes the assignment: it needs a
    level on every axis and the confirmation box ticked, each error shown beside its field."""

    summary = forms.CharField(
        label=_("Overall opinion"),
        required=False,
        max_length=5000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm_close = forms.BooleanField(
        label=_("I confirm: submitting the review closes the assignment; it cannot be changed afterwards."),
        required=False,
    )

    def __init__(self, *args, axes=(), self_scores=None, validated_scores=None, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        self_scores = self_scores or {}
        # Axes scored by the validation per question: their level follows from it, none need be typed in.
        self.validated_scores = validated_scores or {}
        self.axis_rows = []
        for axis in axes:
            level_name, comment_name = f"level_{axis.code}", f"comment_{axis.code}"
            self.fields[level_name] = forms.TypedChoiceField(
                label=_("Validated level"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                validators=[validate_text],
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.axis_rows.append((axis, self_scores.get(axis.code), self[level_name], self[comment_name]))

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for axis, *_rest in self.axis_rows:
                name = f"level_{axis.code}"
                if axis.code in self.validated_scores:
                    continue  # its level follows from the validation per question
                if name not in self.errors and cleaned.get(name) is None:
                    self.add_error(name, _("Give the level you validate for this axis before submitting."))
            if not cleaned.get("confirm_close"):
                self.add_error("confirm_close", _("Tick this box to confirm that the assignment is closed."))
        return cleaned

    def field_title(self, name):
        """How the error summary names a field: the axis's title for a level or a comment."""
        for axis, _score, level_field, comment_field in self.axis_rows:
            if name == level_field.name:
                return f"{axis.title} – {level_field.label}"
            if name == comment_field.name:
                return f"{axis.title} – {comment_field.label}"
        return self.fields[name].label

    def levels(self):
        return {
            axis.code: self.cleaned_data.get(f"level_{axis.code}")
            for axis, *_rest in self.axis_rows
            if self.cleaned_data.get(f"level_{axis.code}") is not None
        }

    def comments(self):
        return {axis.code: self.cleaned_data.get(f"comment_{axis.code}", "") for axis, *_rest in self.axis_rows}

    @staticmethod
    def initial_for(review):
        initial = {"summary": review.summary}
        for row in review.axes.all():
            if row.validated_level is not None:
                initial[f"level_{row.axis_code}"] = str(row.validated_level)
            initial[f"comment_{row.axis_code}"] = row.comment
        return initial


class ActionForm(forms.Form):
    """One line of the expert's action plan: a draft may keep it incomplete; submitting needs all three fields."""

    recommendation = forms.CharField(
        label=_("Recommendation"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.CharField(
        label=_("Owner in the company"), required=False, max_length=200, validators=[validate_printable]
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, validators=[validate_plausible_date], widget=DateInput()
    )

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self):
        cleaned = super().clean()
        names = ("recommendation", "owner", "due_date")
        started = any(cleaned.get(name) for name in names) or any(name in self.errors for name in names)
        if self.submitting and started:
            for name in names:
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, _("Fill this in before submitting, or empty the whole line."))
        return cleaned


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=30, validate_max=True)


NOT_APPLICABLE = "na"


class ValidationForm(forms.Form):
    """One validated level and one reason per question of the reviewed diagnostic, the company's level
    chosen to start with (confirming is the default); the service requires a reason for each change."""

    def __init__(self, *args, blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for block in blocks:
            for row in block.rows:
                question = row.question
                level_name, reason_name = f"level_{question.code}", f"reason_{question.code}"
                choices = [(str(level), str(level)) for level in range(6)]
                if question.allows_not_applicable:
                    choices.append((NOT_APPLICABLE, _("Not applicable")))
                verdict = row.verdict
                if verdict is not None:
                    start = NOT_APPLICABLE if verdict.validated_level is None else str(verdict.validated_level)
                else:
                    start = NOT_APPLICABLE if row.self_level is None else str(row.self_level)
                self.fields[level_name] = forms.ChoiceField(
                    label=_("Validated level"), choices=choices, initial=start, widget=forms.RadioSelect
                )
                self.fields[reason_name] = forms.CharField(
                    label=_("Reason (required when you adjust the level)"),
                    required=False,
                    max_length=2000,
                    validators=[validate_text],
                    initial=verdict.reason if verdict is not None else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                row.level_field, row.reason_field = self[level_name], self[reason_name]
                row.level_options = self._options(level_name, choices)
                self.rows.append(row)

    def _options(self, name, choices):
        """The radios of one question as plain values ({id, value, label, checked}), the ids Django would
        give: the page writes them out itself, a widget template per radio costing most of its time."""
        current = str(self[name].value())
        return [
            {"id": f"id_{name}_{index}", "value": value, "label": label, "checked": value == current}
            for index, (value, label) in enumerate(choices)
        ]

    def verdicts(self):
        """{question code: (level or None, reason)} from the cleaned data."""
        result = {}
        for row in self.rows:
            code = row.question.code
            choice = self.cleaned_data[f"level_{code}"]
            result[code] = (None if choice == NOT_APPLICABLE else int(choice), self.cleaned_data[f"reason_{code}"])
        return result


def _summary_item(bound_field, title, error):
    return {
        "href": f"#{bound_field.id_for_label}",
        "text": _("%(field)s: %(error)s") % {"field": title, "error": error},
    }


def review_error_summary(form, formset):
    """The errors of the review page, for the summary at its top: [{"href": "#field-id" or "", "text": ...}],
    in the page's order (axes, opinion, actions, confirmation), each linking to its field, where the
    error is shown too."""
    items = [{"href": "", "text": error} for error in form.non_field_errors()]
    axis_names = [name for _axis, _score, *fields in form.axis_rows for name in (field.name for field in fields)]
    for name in [*axis_names, "summary"]:
        items += [_summary_item(form[name], form.field_title(name), error) for error in form.errors.get(name, [])]
    items += [{"href": "", "text": error} for error in formset.non_form_errors()]
    for number, action_form in enumerate(formset.forms, start=1):
        for name in action_form.fields:
            title = _("Action %(number)s – %(field)s") % {"number": number, "field": action_form.fields[name].label}
            items += [_summary_item(action_form[name], title, error) for error in action_form.errors.get(name, [])]
    confirm = form["confirm_close"]
    items += [_summary_item(confirm, _("Confirmation"), error) for error in form.errors.get("confirm_close", [])]
    return items
