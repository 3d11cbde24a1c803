"""E-mails about an application: its receipt and each decision to the company (one to each member, in
the company's language), and to the region's officers an alert of each new application (in their own
language). Sent by a Celery task after the move committed; the transition is the outbox row
(`portal.notifications.notify_once`): a second run of the task sends nothing."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.models import Membership, RegionOfficer
from portal.notifications import Recipient, notify_once, site_link
from regions.models import Enrolment, EnrolmentTransition

SUBJECTS = {
    Enrolment.Status.APPLIED: lambda: _("Your application to %(programme)s is received"),
    Enrolment.Status.SENT_BACK: lambda: _("Your application to %(programme)s: changes requested"),
    Enrolment.Status.ACCEPTED: lambda: _("Your application to %(programme)s is accepted"),
    Enrolment.Status.REFUSED: lambda: _("Your application to %(programme)s is not accepted"),
    Enrolment.Status.IN_PROGRESS: lambda: _("Your support from %(programme)s has started"),
    Enrolment.Status.COMPLETED: lambda: _("Your support from %(programme)s is completed"),
}
# Transitions the company is told about by e-mail.
NOTIFIED = frozenset(SUBJECTS)


class OfficerRecipient(Recipient):
    """An officer of the programme's region: told of a new application, not sent the company's receipt."""


def _recipients(transition):
    """The company's members; for a new application, the officers of the programme's region too."""
    company = transition.enrolment.company
    members = Membership.objects.filter(company=company, user__is_active=True).select_related("user")
    recipients = [Recipient.of(membership.user, company.language) for membership in members.order_by("user__email")]
    if transition.to_status == Enrolment.Status.APPLIED:
        officers = RegionOfficer.objects.filter(
            region_id=transition.enrolment.programme.region_id, user__is_active=True
        ).select_related("user")
        recipients += [OfficerRecipient.of(post.user) for post in officers.order_by("user__email")]
    return recipients


def _message(transition, recipient):
    enrolment = transition.enrolment
    if isinstance(recipient, OfficerRecipient):
        return _officer_alert(transition, recipient)
    subject = SUBJECTS[transition.to_status]() % {"programme": enrolment.programme.name}
    link = site_link("regions:enrolment_detail", enrolment.pk)
    body = render_to_string(
        "regions/email/transition.txt", {"enrolment": enrolment, "transition": transition, "link": link}
    )
    return subject, body


def send_transition_email(*, transition_id):
    """Tell the company's members about one decision, in the company's language; at most once."""
    transitions = EnrolmentTransition.objects.filter(to_status__in=NOTIFIED).select_related(
        "enrolment__company", "enrolment__programme"
    )
    return notify_once(transitions, transition_id, recipients=_recipients, message=_message)


def _officer_alert(transition, recipient):
    enrolment = transition.enrolment
    names = {"company": enrolment.company.name, "programme": enrolment.programme.name}
    if transition.from_status == Enrolment.Status.SENT_BACK:
        subject = _("Application from %(company)s to %(programme)s sent again after changes") % names
    else:
        subject = _("New application from %(company)s to %(programme)s") % names
    link = site_link("regions:enrolment_detail", enrolment.pk)
    body = render_to_string(
        "regions/email/new_application.txt", {"enrolment": enrolment, "transition": transition, "link": link}
    )
    return subject, body
