"""Forms of payment claims: they parse and validate; `regions.services.claims` writes."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.money import format_eur
from portal.validators import validate_printable, validate_text
from regions.forms import date_form_field, money_form_field, reason_form

ACCEPTED_FILES = ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class InvoicesField(forms.FileField):
    """Several files in one input (Django's documented pattern): cleans to a list of uploads."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = [upload for upload in (data if isinstance(data, (list, tuple)) else [data]) if upload]
        if not uploads:
            single(None, initial)  # the "required" error
            return []
        return [single(upload, initial) for upload in uploads]


class ClaimForm(forms.Form):
    amount = money_form_field(_("Amount claimed (EUR)"))
    description = forms.CharField(
        label=_("Costs claimed"),
        max_length=500,
        validators=[validate_printable],
        help_text=_("What the invoices are for, e.g. “Installation of the robot cell”."),
    )
    invoices = InvoicesField(label=_("Invoices"))

    def __init__(self, *args, left=None, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.APPLICATION_DOCUMENTS_MAX_COUNT
        self.fields["invoices"].help_text = ngettext(
            "PDF, image or office document, at most %(size)s each; at most %(count)d file.",
            "PDF, image or office document, at most %(size)s each; at most %(count)d files.",
            limit,
        ) % {"size": filesizeformat(settings.APPLICATION_DOCUMENT_MAX_BYTES), "count": limit}
        if left is not None:
            self.fields["amount"].help_text = _("At most %(left)s left on the commitment.") % {"left": format_eur(left)}


class CertifyClaimForm(forms.Form):
    amount = money_form_field(_("Amount certified (EUR)"))
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, claim, left, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].validators.append(MaxValueValidator(claim.amount_claimed))
        self.fields["amount"].help_text = _(
            "At most the amount claimed (%(claimed)s); %(left)s left on the commitment."
        ) % {
            "claimed": format_eur(claim.amount_claimed),
            "left": format_eur(left),
        }


RejectClaimForm = reason_form(
    label=_("Reason for the rejection (sent to the company)"),
    missing=_("Give the reason for the rejection; the company will read it."),
)


class PaymentForm(forms.Form):
    paid_on = date_form_field(_("Payment date"))
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        validators=[validate_printable],
        help_text=_("The reference of the transfer, as the bank statement shows it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
