"""E-mails of the experts app: each step of an assignment and each accreditation change tells the people
concerned, in their own language. Called by the Celery tasks (`experts.tasks`) with a row id.

Idempotent: the history row is locked and marked `notified_at` in the same transaction as the
sending, so a task delivered twice sends the e-mails once (at-least-once if the commit fails).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from experts.models import Accreditation, AccreditationTransition, Assignment, AssignmentTransition
from portal.models import Membership

Status = Assignment.Status


def _link(url_name, *args):
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


def _company_owners(company_id):
    return [
        m.user
        for m in Membership.objects.filter(company_id=company_id, role=Membership.Role.OWNER).select_related("user")
    ]


def assignment_recipients(step):
    """Who hears of an assignment step, except whoever took it: the expert of a proposal or a
    cancellation; the proposer of every answer and step; the company's owners once the expert is on board."""
    assignment = step.assignment
    expert_user = assignment.expert.user
    people = []
    if step.to_status in (Status.PROPOSED, Status.CANCELLED):
        people.append(expert_user)
    if step.to_status != Status.PROPOSED:
        people.append(assignment.proposed_by)
    on_board = step.to_status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE) or (
        step.to_status == Status.CANCELLED and step.from_status in Assignment.ACTIVE
    )
    if on_board:
        people += _company_owners(assignment.company_id)
    unique = {}
    for person in people:
        if person is not None and person.pk != step.by_id and person.is_active and person.email:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def _assignment_headline(step):
    assignment = step.assignment
    names = {"expert": assignment.expert.name, "company": assignment.company.name}
    if step.to_status == Status.PROPOSED:
        names["proposer"] = str(assignment.proposed_by)
        return (
            _("%(proposer)s proposes you an assignment at %(company)s. Accept or decline it on your assignments page.")
            % names
        )
    return {
        Status.ACCEPTED: _("%(expert)s accepted the assignment at %(company)s."),
        Status.DECLINED: _("%(expert)s declined the assignment at %(company)s."),
        Status.IN_PROGRESS: _("%(expert)s started the assignment at %(company)s."),
        Status.DONE: _("%(expert)s submitted the review of %(company)s; the assignment is closed."),
        Status.CANCELLED: _("The assignment of %(expert)s at %(company)s was cancelled."),
    }[step.to_status] % names


def send_assignment_step_emails(transition_id):
    """Tell the people concerned of one assignment step; returns how many e-mails were sent."""
    with transaction.atomic():
        step = (
            AssignmentTransition.objects.select_for_update(of=("self",))
            .select_related("assignment__expert__user", "assignment__company", "assignment__proposed_by", "by")
            .filter(pk=transition_id, notified_at=None)
            .first()
        )
        if step is None:
            return 0  # already sent, or the row is gone
        recipients = assignment_recipients(step)
        link = _link("experts:assignment", step.assignment_id)
        for person in recipients:
            with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                subject = _("Assignment at %(company)s: %(status)s") % {
                    "company": step.assignment.company.name,
                    "status": Assignment.Status(step.to_status).label,
                }
                body = render_to_string(
                    "experts/email/assignment_step.txt",
                    {"step": step, "assignment": step.assignment, "headline": _assignment_headline(step), "link": link},
                )
            send_mail(subject, body, None, [person.email])
        step.notified_at = timezone.now()
        step.save(update_fields=["notified_at"])
        return len(recipients)


def send_accreditation_email(transition_id):
    """Tell the expert of a change of their accreditation; returns how many e-mails were sent (0 or 1)."""
    with transaction.atomic():
        change = (
            AccreditationTransition.objects.select_for_update(of=("self",))
            .select_related("expert__user")
            .filter(pk=transition_id, notified_at=None)
            .first()
        )
        if change is None:
            return 0
        person = change.expert.user
        sent = 0
        if person.is_active and person.email:
            with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                subject = _("Your expert accreditation: %(status)s") % {
                    "status": Accreditation.Status(change.to_status).label
                }
                body = render_to_string(
                    "experts/email/accreditation_change.txt",
                    {
                        "change": change,
                        "referenced": change.to_status == Accreditation.Status.REFERENCED,
                        "needs_password": not person.has_usable_password(),
                        "profile_link": _link("experts:edit_profile"),
                        "password_link": _link("password_reset"),
                    },
                )
            send_mail(subject, body, None, [person.email])
            sent = 1
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
        return sent
