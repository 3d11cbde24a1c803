"""E-mails about a payment claim (and their copy in each recipient's inbox): to the company's
members a receipt when it is submitted and a message when it is certified, rejected or paid; to the
region's officers an alert of each new claim. Sent by a Celery task after the move committed; the
claim's transition is the outbox row (`portal.notifications.notify_once`): a second run sends nothing."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.models import Membership, RegionOfficer
from portal.notifications import Recipient, notify_once, site_link
from regions.models import ClaimTransition, PaymentClaim

Status = PaymentClaim.Status
SUBJECTS = {
    Status.SUBMITTED: lambda: _("Your payment claim to %(programme)s is received"),
    Status.CERTIFIED: lambda: _("Your payment claim to %(programme)s is certified"),
    Status.REJECTED: lambda: _("Your payment claim to %(programme)s is rejected"),
    Status.PAID: lambda: _("Your payment claim to %(programme)s is paid"),
}


class OfficerRecipient(Recipient):
    """An officer of the programme's region: alerted of a new claim, not sent the company's receipt."""


def _recipients(transition):
    """The company's members; for a new claim, the officers of the programme's region too."""
    enrolment = transition.claim.enrolment
    company = enrolment.company
    members = Membership.objects.filter(company=company, user__is_active=True).select_related("user")
    recipients = [Recipient.of(membership.user, company.language) for membership in members.order_by("user__email")]
    if transition.to_status == Status.SUBMITTED:
        officers = RegionOfficer.objects.filter(region_id=enrolment.programme.region_id, user__is_active=True)
        recipients += [
            OfficerRecipient.of(post.user) for post in officers.select_related("user").order_by("user__email")
        ]
    return recipients


def _message(transition, recipient):
    claim = transition.claim
    enrolment = claim.enrolment
    context = {
        "claim": claim,
        "enrolment": enrolment,
        "transition": transition,
        "link": site_link("regions:claim_detail", claim.pk),
    }
    names = {"company": enrolment.company.name, "programme": enrolment.programme.name}
    if isinstance(recipient, OfficerRecipient):
        subject = _("New payment claim from %(company)s to %(programme)s") % names
        return subject, render_to_string("regions/email/claim_alert.txt", context)
    subject = SUBJECTS[transition.to_status]() % names
    return subject, render_to_string("regions/email/claim.txt", context)


def send_claim_email(*, transition_id):
    """Tell the people concerned about one step of a claim, each in their language; at most once."""
    transitions = ClaimTransition.objects.select_related(
        "claim__enrolment__company", "claim__enrolment__programme", "claim__payment"
    )
    return notify_once(transitions, transition_id, recipients=_recipients, message=_message)
