"""E-mails to the company at each decision. Sent by a Celery task after the decision committed;
`notified_at` on the transition makes a second run of the task send nothing."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Membership
from regions.models import Enrolment, EnrolmentTransition

SUBJECTS = {
    Enrolment.Status.ACCEPTED: lambda: _("Your application to %(programme)s is accepted"),
    Enrolment.Status.REFUSED: lambda: _("Your application to %(programme)s is not accepted"),
    Enrolment.Status.IN_PROGRESS: lambda: _("Your support from %(programme)s has started"),
    Enrolment.Status.COMPLETED: lambda: _("Your support from %(programme)s is completed"),
}


@transaction.atomic
def send_transition_email(*, transition_id):
    """Tell the company's members about one decision, in the company's language; at most once."""
    transition = (
        EnrolmentTransition.objects.select_for_update(of=("self",))
        .filter(pk=transition_id, notified_at=None)
        .select_related("enrolment__company", "enrolment__programme")
        .first()
    )
    if transition is None or transition.to_status not in SUBJECTS:
        return 0
    enrolment = transition.enrolment
    recipients = list(
        Membership.objects.filter(company=enrolment.company, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    sent = 0
    if recipients:
        link = settings.SITE_URL.rstrip("/") + reverse("regions:enrolment_detail", args=[enrolment.pk])
        with translation.override(enrolment.company.language):
            subject = SUBJECTS[transition.to_status]() % {"programme": enrolment.programme.name}
            body = render_to_string(
                "regions/email/transition.txt",
                {"enrolment": enrolment, "transition": transition, "link": link},
            )
        sent = send_mail(subject, body, None, recipients)
    EnrolmentTransition.objects.filter(pk=transition.pk).update(notified_at=timezone.now())
    return sent
