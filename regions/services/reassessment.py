"""The re-assessment cycle around a programme's support: T0 is the diagnostic the company applied with,
T1 is due when the support is completed, T2 `REASSESSMENT_T2_MONTHS` later. On each due date a beat task
invites the company's members by e-mail (once), unless the company has re-assessed already.

- `schedule_reassessments(enrolment, completed_on)`: the T1 and T2 rows, at completion (idempotent);
- `send_due_invitations(today)`: the invitations due, each sent once under its row lock;
- `measurement_points(...)`: which of a company's diagnostics are its T0, T1 and T2 (a pure function).
"""

import calendar
from datetime import date
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import Diagnostic
from diagnostics.selectors.trend import forget_company_trend
from portal.models import Membership
from portal.notifications import Recipient, send_each, site_link
from regions.models import Enrolment, Reassessment

INVITATION_BATCH = 500


def add_months(day, months):
    """`day` moved `months` later, the day clamped to the month's length (31 January + 1 = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_reassessments(*, enrolment, completed_on):
    """Create the T1 (due at completion) and T2 rows of a completed enrolment; a second call adds nothing."""
    due = {
        Reassessment.Point.T1: completed_on,
        Reassessment.Point.T2: add_months(completed_on, settings.REASSESSMENT_T2_MONTHS),
    }
    Reassessment.objects.bulk_create(
        [Reassessment(enrolment=enrolment, point=point, due_on=due_on) for point, due_on in due.items()],
        ignore_conflicts=True,
    )
    transaction.on_commit(partial(forget_company_trend, enrolment.company_id))
    return enrolment


def send_due_invitations(*, today=None):
    """Invite the companies whose re-assessment is due (at most a batch per run); return how many were invited."""
    today = today or timezone.localdate()
    due = Reassessment.objects.filter(due_on__lte=today, invited_at=None).order_by("due_on", "pk")
    return sum(
        _invite(reassessment_id=pk, today=today) for pk in list(due.values_list("pk", flat=True)[:INVITATION_BATCH])
    )


@transaction.atomic
def _invite(*, reassessment_id, today):
    reassessment = (
        Reassessment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("enrolment__company", "enrolment__programme")
        .filter(pk=reassessment_id, invited_at=None)
        .first()
    )
    if reassessment is None:
        return 0  # another run holds it, or sent it
    reassessment.invited_at = timezone.now()
    reassessment.save(update_fields=["invited_at"])
    company = reassessment.enrolment.company
    measured = Diagnostic.objects.filter(
        company=company, status=Diagnostic.Status.SUBMITTED, submitted_at__date__gte=reassessment.due_on
    ).exclude(pk=reassessment.enrolment.diagnostic_id)  # the diagnostic applied with is T0, not a re-assessment
    if measured.exists():
        return 0  # measured already: nothing to ask
    members = Membership.objects.filter(company=company, user__is_active=True).select_related("user")
    recipients = [Recipient.of(membership.user, company.language) for membership in members.order_by("user__email")]
    send_each(recipients, lambda recipient: _invitation(reassessment))
    return 1


def _invitation(reassessment):
    enrolment = reassessment.enrolment
    subject = _("Measure your progress since %(programme)s: re-assess your company") % {
        "programme": enrolment.programme.name
    }
    body = render_to_string(
        "regions/email/reassessment.txt",
        {
            "enrolment": enrolment,
            "reassessment": reassessment,
            "link": site_link("diagnostics:company_diagnostics", enrolment.company_id),
        },
    )
    return subject, body


def measurement_points(*, applied_with, due, submitted):
    """{diagnostic id: "T0" | "T1" | "T2"} for one enrolment.

    `applied_with`: the id of the diagnostic the company applied with (T0), or None; `due`: {"T1": date,
    "T2": date} of its re-assessments; `submitted`: (id, submission date) of the company's submitted
    diagnostics. T1 is the first other than T0 submitted on or after T1's due date and before T2's; T2 the
    first other than those on or after T2's due date.
    """
    points = {applied_with: "T0"} if applied_with else {}
    in_order = sorted(submitted, key=lambda item: (item[1], item[0]))
    t1_due, t2_due = due.get("T1"), due.get("T2")
    if t1_due is not None:
        t1 = next(
            (pk for pk, on in in_order if pk not in points and on >= t1_due and (t2_due is None or on < t2_due)), None
        )
        if t1 is not None:
            points[t1] = "T1"
    if t2_due is not None:
        t2 = next((pk for pk, on in in_order if on >= t2_due and pk not in points), None)
        if t2 is not None:
            points[t2] = "T2"
    return points


def company_measurement_points(company_id, submitted):
    """The T0/T1/T2 labels of a company's diagnostics (`submitted`: their ids and submission dates) over
    all its enrolments, earliest application first (one query)."""
    cycles = {}
    rows = (
        Enrolment.objects.filter(company_id=company_id, diagnostic__isnull=False)
        .order_by("applied_at", "pk")
        .values_list("pk", "diagnostic_id", "reassessments__point", "reassessments__due_on")
    )
    for enrolment_id, diagnostic_id, point, due_on in rows:
        applied_with, due = cycles.setdefault(enrolment_id, (diagnostic_id, {}))
        if point is not None:
            due[point] = due_on
    labels = {}
    for applied_with, due in cycles.values():
        for pk, label in measurement_points(applied_with=applied_with, due=due, submitted=submitted).items():
            labels.setdefault(pk, label)
    return labels
