"""E-mails to the company at each decision on its application: one to each member, in the company's
language, sent by a Celery task after the decision committed; the transition is the outbox row
(`portal.notifications.notify_once`): a second run of the task sends nothing."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal.models import Membership
from portal.notifications import Recipient, notify_once, site_link
from regions.models import Enrolment, EnrolmentTransition

SUBJECTS = {
    Enrolment.Status.SENT_BACK: lambda: _("Your application to %(programme)s: changes requested"),
    Enrolment.Status.ACCEPTED: lambda: _("Your application to %(programme)s is accepted"),
    Enrolment.Status.REFUSED: lambda: _("Your application to %(programme)s is not accepted"),
    Enrolment.Status.IN_PROGRESS: lambda: _("Your support from %(programme)s has started"),
    Enrolment.Status.COMPLETED: lambda: _("Your support from %(programme)s is completed"),
}
# Transitions the company is told about by e-mail.
NOTIFIED = frozenset(SUBJECTS)


def _members(transition):
    company = transition.enrolment.company
    members = Membership.objects.filter(company=company, user__is_active=True).select_related("user")
    return [Recipient.of(membership.user, company.language) for membership in members.order_by("user__email")]


def _message(transition, recipient):
    enrolment = transition.enrolment
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
    return notify_once(transitions, transition_id, recipients=_members, message=_message)
