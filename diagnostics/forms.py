"""Forms of the questionnaire: one small form per question, prefixed by the question's id.

The same form reads an autosave (one question) and the whole axis page posted without JavaScript;
it validates against the fixed scale (levels 0..5, "na" where allowed) so the autosave needs no
query for the descriptors.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.models import LEVELS, Answer
from portal.validators import validate_text

NOT_APPLICABLE = "na"
COMMENT_MAX_LENGTH = Answer._meta.get_field("comment").max_length


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    id: str
    checked: bool
    level: int | None
    evidence_expected: bool = False


class AnswerForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Level"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the levels shown (0 to 5).")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, question, answer=None, **kwargs):
        self.question = question
        self.answer = answer
        initial = {}
        if answer is not None:
            initial = {"choice": self.value_of(answer), "comment": answer.comment}
        super().__init__(data, prefix=f"q{question.pk}", initial=initial, **kwargs)
        choices = [(str(level), str(level)) for level in LEVELS]
        if question.allows_not_applicable:
            choices.append((NOT_APPLICABLE, _("Not applicable")))
        self.fields["choice"].choices = choices
        self.fields["comment"].widget.attrs["maxlength"] = COMMENT_MAX_LENGTH

    @staticmethod
    def value_of(answer):
        if answer.not_applicable:
            return NOT_APPLICABLE
        return "" if answer.level is None else str(answer.level)

    def clean(self):
        data = super().clean()
        choice = data.get("choice") or ""
        data["not_applicable"] = choice == NOT_APPLICABLE
        data["level"] = int(choice) if choice and choice != NOT_APPLICABLE else None
        data["comment"] = (data.get("comment") or "").strip()
        return data

    def has_answer_data(self):
        """Whether the posted data says anything (a choice or a comment)."""
        return bool(
            self.cleaned_data["level"] is not None
            or self.cleaned_data["not_applicable"]
            or self.cleaned_data["comment"]
        )

    def differs_from_stored(self):
        """Whether saving would change the stored answer (so a page post only rewrites what changed)."""
        data = self.cleaned_data
        if self.answer is None:
            return self.has_answer_data()
        return (data["level"], data["not_applicable"], data["comment"]) != (
            self.answer.level,
            self.answer.not_applicable,
            self.answer.comment,
        )

    def current_choice(self):
        if self.is_bound:
            return self.data.get(self.add_prefix("choice"), "")
        return self.initial.get("choice", "")

    def options(self):
        """The radio buttons: the question's six level descriptors (full text), then "not applicable" where allowed.

        Needs `question.levels` prefetched.
        """
        current = self.current_choice()
        name = self.add_prefix("choice")
        options = [
            Option(
                value=str(descriptor.level),
                label=descriptor.description,
                id=f"id_{name}_{descriptor.level}",
                checked=current == str(descriptor.level),
                level=descriptor.level,
                evidence_expected=descriptor.evidence_expected,
            )
            for descriptor in self.question.levels.all()
        ]
        if self.question.allows_not_applicable:
            options.append(
                Option(
                    value=NOT_APPLICABLE,
                    label=str(_("Not applicable in our company")),
                    id=f"id_{name}_{NOT_APPLICABLE}",
                    checked=current == NOT_APPLICABLE,
                    level=None,
                )
            )
        return options


class EvidenceFileForm(forms.Form):
    """A file backing an answer; its type, size and the answer's count are checked by the service."""

    file = forms.FileField(
        label=_("File"), help_text=_("PDF, PNG or JPEG image, Word, Excel, PowerPoint or OpenDocument.")
    )


class EvidenceLinkForm(forms.Form):
    """A web link backing an answer (checked by the service: http or https only)."""

    url = forms.CharField(label=_("Address of the link"), max_length=2000, widget=forms.URLInput())
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False, validators=[validate_text])


class ReferentialUploadForm(forms.Form):
    """A referential version as a YAML file (the staff's referential pages); its content is checked by the service."""

    file = forms.FileField(
        label=_("Referential file (YAML)"),
        help_text=_("The format of docs/referential-format.md; every problem is listed and nothing is loaded."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Choose a YAML file (its name ends in .yaml or .yml)."))
        return upload
