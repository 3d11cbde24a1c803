"""E-mails of the experts app: each step of an assignment and each accreditation change tells the people
concerned, in their own language. Called by the Celery tasks (`experts.tasks`) with a row id.

Each history row is an outbox row (`portal.notifications.notify_once`): locked and marked `notified_at`
in the same transaction as the sending, so a task delivered twice sends the e-mails once (at least
once if the commit fails); one e-mail per person, in the language they chose.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from experts.models import Accreditation, AccreditationTransition, Assignment, AssignmentTransition, ExpertReview
from experts.panels import REVIEW_ANCHOR
from portal.models import Membership
from portal.notifications import Recipient, notify_once, site_link

Status = Assignment.Status


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


def _reviewed_results_link(step, recipient):
    """For a member of the company, once the review is submitted: the link to the review on the results
    page (where it sits beside the self-assessment); None for everyone else and every other step."""
    if step.to_status != Status.DONE or recipient.user is None:
        return None
    assignment = step.assignment
    if not Membership.objects.filter(user=recipient.user, company_id=assignment.company_id).exists():
        return None
    diagnostic_id = (
        ExpertReview.objects.filter(assignment=assignment, status=ExpertReview.Status.SUBMITTED)
        .values_list("diagnostic_id", flat=True)
        .first()
    )
    if diagnostic_id is None:
        return None
    return f"{site_link('diagnostics:results', diagnostic_id)}#{REVIEW_ANCHOR}"


def _assignment_message(step, recipient):
    assignment = step.assignment
    results_link = _reviewed_results_link(step, recipient)
    subject = _("Assignment at %(company)s: %(status)s") % {
        "company": assignment.company.name,
        "status": Assignment.Status(step.to_status).label,
    }
    body = render_to_string(
        "experts/email/assignment_step.txt",
        {
            "step": step,
            "assignment": assignment,
            "headline": _assignment_headline(step),
            "link": results_link or site_link("experts:assignment", step.assignment_id),
            "link_label": _("Read the review on your results page:") if results_link else _("See the assignment:"),
        },
    )
    return subject, body


def send_assignment_step_emails(transition_id):
    """Tell the people concerned of one assignment step; returns how many e-mails were sent."""
    steps = AssignmentTransition.objects.select_related(
        "assignment__expert__user", "assignment__company", "assignment__proposed_by", "by"
    )
    return notify_once(
        steps,
        transition_id,
        recipients=lambda step: [Recipient.of(person) for person in assignment_recipients(step)],
        message=_assignment_message,
    )


def _accreditation_recipients(change):
    person = change.expert.user
    return [Recipient.of(person)] if person.is_active and person.email else []


def _accreditation_message(change, recipient):
    subject = _("Your expert accreditation: %(status)s") % {"status": Accreditation.Status(change.to_status).label}
    body = render_to_string(
        "experts/email/accreditation_change.txt",
        {
            "change": change,
            "referenced": change.to_status == Accreditation.Status.REFERENCED,
            "needs_password": not recipient.user.has_usable_password(),
            "profile_link": site_link("experts:edit_profile"),
            "password_link": site_link("password_reset"),
        },
    )
    return subject, body


def send_accreditation_email(transition_id):
    """Tell the expert of a change of their accreditation; returns how many e-mails were sent (0 or 1)."""
    changes = AccreditationTransition.objects.select_related("expert__user")
    return notify_once(changes, transition_id, recipients=_accreditation_recipients, message=_accreditation_message)
