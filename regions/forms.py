"""Forms of the regions app: they parse and validate; the services write."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.models import HeadcountBand, NafCode
from portal.money import CENT, MONEY_DIGITS, MONEY_PLACES, format_eur
from portal.number_fields import LocalizedDecimalField, localized_number
from portal.validators import validate_plausible_date, validate_printable, validate_text
from regions.cofunding import plain_rate
from regions.models import EnrolmentDocument, Expense

MAX_AMOUNT = Decimal("999999999999.99")


def money_form_field(label, *, min_value=CENT, **kwargs):
    return LocalizedDecimalField(
        label=label,
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        min_value=min_value,
        max_value=MAX_AMOUNT,
        **kwargs,
    )


def date_form_field(label, **kwargs):
    return forms.DateField(label=label, validators=[validate_plausible_date], widget=DateInput(), **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NafChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        prefix = _("Section") if obj.level == NafCode.Level.SECTION else _("Division")
        return f"{prefix} {obj.code} – {obj.label}"


class TranchesField(forms.CharField):
    """The yearly split of a budget, one line per year ("2026 : 80 000"), read as {year: amount}."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        amount_field = LocalizedDecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
        plan = {}
        for line in filter(None, (line.strip() for line in text.splitlines())):
            year, separator, amount = line.partition(":")
            if not separator or not year.strip().isdigit() or len(year.strip()) != 4:
                raise forms.ValidationError(
                    _("Write one line per year, the year then a colon then the amount: %(example)s")
                    % {"example": "2026 : 80 000"}
                )
            year = int(year.strip())
            if year in plan:
                raise forms.ValidationError(_("The year %(year)s has two tranches.") % {"year": year})
            plan[year] = amount_field.clean(amount.strip())
        return plan


def tranches_text(plan):
    """A split as the tranches field shows it, in the user's number format."""
    return "\n".join(f"{year} : {localized_number(amount, 2)}" for year, amount in sorted(plan.items()))


class ProgrammeForm(forms.Form):
    """Create or edit a programme. On edit, the budget may not go below what is committed."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_printable])
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        validators=[validate_text],
    )
    start_date = date_form_field(_("Start date"))
    end_date = date_form_field(_("End date"))
    budget = money_form_field(_("Total budget (EUR)"), min_value=Decimal("0"))
    tranches = TranchesField(
        label=_("Yearly tranches"),
        required=False,
        help_text=_(
            "One line per year of the programme, the year then the amount (e.g. 2026 : 80 000); they add up to "
            "the budget. Each acceptance draws on the tranche of its year. Empty: the whole budget on the start year."
        ),
    )
    cap_per_company = money_form_field(_("Maximum aid per company (EUR)"))
    funding_rate = LocalizedDecimalField(
        label=_("Funding rate (%)"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("100"),
        required=False,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Share of an application's eligible costs paid by the programme (above 0, at most 100; 100 when empty)."
        ),
    )
    target_companies = forms.IntegerField(label=_("Target number of companies"), min_value=0, max_value=1_000_000)
    eligible_headcount_bands = forms.MultipleChoiceField(
        label=_("Eligible headcount bands"),
        choices=HeadcountBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for any size."),
    )
    eligible_naf_codes = NafChoiceField(
        label=_("Eligible NAF sections or divisions"),
        queryset=NafCode.objects.order_by("level", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Leave empty for any sector."),
    )
    requires_submitted_diagnostic = forms.BooleanField(label=_("Requires a submitted self-diagnostic"), required=False)
    max_overall_level = LocalizedDecimalField(
        label=_("Maximum overall maturity level (0 to 5)"),
        required=False,
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_(
            "Companies whose latest overall score is above this level are not eligible. Leave empty for no limit."
        ),
    )

    def __init__(self, *args, regions, programme=None, **kwargs):
        self.programme = programme
        self.initial_tranches = {row.year: row.amount for row in programme.tranches.all()} if programme else {}
        if programme is not None:
            kwargs.setdefault(
                "initial",
                {
                    "region": programme.region_id,
                    "name": programme.name,
                    "description": programme.description,
                    "start_date": programme.start_date,
                    "end_date": programme.end_date,
                    "budget": programme.budget,
                    "tranches": tranches_text(self.initial_tranches),
                    "cap_per_company": programme.cap_per_company,
                    "funding_rate": programme.funding_rate,
                    "target_companies": programme.target_companies,
                    "eligible_headcount_bands": programme.eligible_headcount_bands,
                    "eligible_naf_codes": list(programme.eligible_naf_codes.all()),
                    "requires_submitted_diagnostic": programme.requires_submitted_diagnostic,
                    "max_overall_level": programme.max_overall_level,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if programme is not None:
            # A programme stays in its region.
            del self.fields["region"]
            self.fields["budget"].help_text = _("Already committed: %(amount)s. The budget cannot go below it.") % {
                "amount": format_eur(programme.committed_total)
            }

    def clean_tranches(self):
        """The split as given; none (keep the split, a budget change goes to this year's tranche) when
        the officer left the tranches as they were."""
        plan = self.cleaned_data["tranches"]
        if self.programme is not None and plan == self.initial_tranches:
            return {}
        return plan

    def clean_funding_rate(self):
        rate = self.cleaned_data["funding_rate"]
        return Decimal("100") if rate is None else rate

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The programme cannot end before it starts."))
        budget, cap = data.get("budget"), data.get("cap_per_company")
        if budget is not None and cap is not None and cap > budget:
            self.add_error("cap_per_company", _("The maximum aid per company cannot exceed the total budget."))
        plan = data.get("tranches")
        if plan and budget is not None and sum(plan.values(), Decimal("0")) != budget:
            self.add_error(
                "tranches",
                _("The yearly tranches add up to %(total)s; the budget is %(budget)s.")
                % {"total": format_eur(sum(plan.values(), Decimal("0"))), "budget": format_eur(budget)},
            )
        if plan and start and end and any(not (start.year <= year <= end.year) for year in plan):
            self.add_error(
                "tranches",
                _("Each year is within the programme's period (%(start)s to %(end)s).")
                % {"start": start.year, "end": end.year},
            )
        if self.programme is not None and budget is not None and budget < self.programme.committed_total:
            self.add_error(
                "budget",
                _("The budget cannot go below the amount already committed (%(amount)s).")
                % {"amount": format_eur(self.programme.committed_total)},
            )
        return data


def eligible_cost_field():
    return money_form_field(
        _("Eligible costs (EUR, optional)"),
        required=False,
        help_text=_("The costs of the project the programme's rate applies to (quotes excluding VAT)."),
    )


def outside_aid_field():
    return money_form_field(
        _("De minimis aid received elsewhere over the last three years (EUR)"),
        min_value=Decimal("0"),
        required=False,
        initial=Decimal("0"),
        help_text=_("Public aid received under the de minimis rules from other funders; attach their declaration."),
    )


class ApplicationTermsForm(forms.Form):
    """What a company asks for: at its application, and again when it was sent back for changes."""

    requested_amount = money_form_field(_("Amount requested (EUR)"))
    eligible_cost = eligible_cost_field()
    declared_outside_aid = outside_aid_field()
    motivation = forms.CharField(
        label=_("What would the support be used for?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        validators=[validate_text],
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_amount"].validators.append(MaxValueValidator(programme.cap_per_company))
        self.fields["requested_amount"].help_text = _(
            "At most %(cap)s; the programme pays %(rate)s %% of the eligible costs."
        ) % {
            "cap": format_eur(programme.cap_per_company),
            "rate": localized_number(plain_rate(programme.funding_rate)),
        }

    def clean_declared_outside_aid(self):
        return self.cleaned_data["declared_outside_aid"] or Decimal("0")


class ResubmitForm(ApplicationTermsForm):
    comment = forms.CharField(
        label=_("Message to the region (optional)"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, enrolment, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "requested_amount": enrolment.requested_amount,
                "eligible_cost": enrolment.eligible_cost,
                "declared_outside_aid": enrolment.declared_outside_aid,
                "motivation": enrolment.motivation,
            },
        )
        super().__init__(*args, programme=enrolment.programme, **kwargs)


class ApplicationForm(ApplicationTermsForm):
    diagnostic = forms.ModelChoiceField(
        label=_("Attached self-diagnostic"),
        queryset=None,
        required=False,
        empty_label=_("My latest submitted diagnostic"),
    )

    def __init__(self, *args, programme, diagnostics, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        self.fields["diagnostic"].queryset = diagnostics
        self.fields["diagnostic"].label_from_instance = lambda d: (
            _("Submitted on %(date)s – overall %(score)s / 5")
            % {
                "date": date_format(timezone.localdate(d.submitted_at), "SHORT_DATE_FORMAT") if d.submitted_at else "",
                "score": localized_number(d.overall_score, 2) if d.overall_score is not None else "–",
            }
        )


class AcceptForm(forms.Form):
    amount = money_form_field(_("Amount committed (EUR)"))
    eligible_cost = money_form_field(
        _("Eligible costs (EUR, optional)"),
        required=False,
        help_text=_("Set them to limit the aid to the programme's rate of these costs."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].validators.append(MaxValueValidator(programme.cap_per_company))
        self.fields["amount"].help_text = _("At most %(cap)s per company; %(left)s left in the budget.") % {
            "cap": format_eur(programme.cap_per_company),
            "left": format_eur(programme.remaining),
        }


def reason_form(*, label, missing):
    """A form asking for the one reason a decision is sent to the company with: plain text, trimmed,
    required (`missing` says so)."""

    class ReasonForm(forms.Form):
        reason = forms.CharField(
            label=label, max_length=2000, validators=[validate_text], widget=forms.Textarea(attrs={"rows": 3})
        )

        def clean_reason(self):
            reason = self.cleaned_data["reason"].strip()
            if not reason:
                raise forms.ValidationError(missing)
            return reason

    return ReasonForm


RefuseForm = reason_form(
    label=_("Reason for the refusal (sent to the company)"),
    missing=_("Give the reason for the refusal; the company will read it."),
)


class SendBackForm(forms.Form):
    message = forms.CharField(
        label=_("What should the company change? (sent to the company)"),
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Say what the company should change; it will read your message."))
        return message


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=EnrolmentDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image (PNG, JPEG, WebP) or office document (Word, Excel, OpenDocument)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, image (PNG, JPEG, WebP) or office document (Word, Excel, OpenDocument), at most %(size)s."
        ) % {"size": filesizeformat(settings.APPLICATION_DOCUMENT_MAX_BYTES)}


class BatchDecisionForm(forms.Form):
    """Decide several applications of a programme at once: each is accepted at the aid it asks for,
    or refused with the one reason given."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))])
    enrolments = forms.TypedMultipleChoiceField(label=_("Applications"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Reason for the refusal (sent to each company refused)"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, enrolment_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(pk, pk) for pk in enrolment_ids]
        self.fields["enrolments"].error_messages["required"] = _("Select at least one application.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the refusal; the companies will read it."))
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, validators=[validate_text]
    )


class ExpenseForm(forms.Form):
    amount = money_form_field(_("Amount (EUR)"))
    label = forms.CharField(label=_("Label"), max_length=200, validators=[validate_printable])
    incurred_on = date_form_field(_("Date"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Expense.Kind.OTHER, Expense.Kind.OTHER.label)],
        initial="other",
        widget=forms.HiddenInput,
    )


class CancelExpenseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500, validators=[validate_text])


class ProposeExpertForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, choices=())
    due_date = date_form_field(_("Due date (optional)"), required=False)
    brief = forms.CharField(
        label=_("Brief for the expert"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(expert.pk, str(expert)) for expert in experts]


class SettleForm(forms.Form):
    """The confirmation of closing a programme for good."""

    confirm = forms.BooleanField(
        label=_("I confirm: the unspent commitments go back, and the programme can never be reopened."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the closing.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_text],
    )
