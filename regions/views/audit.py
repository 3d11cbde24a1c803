"""The audit trail page: officers read their regions' entries, staff every entry (views/audit.py)."""

import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.audit import action_label, known_actions
from portal.http import allowed
from regions import selectors
from regions.rules import can_view_audit_trail

PAGE_SIZE = 50
SUBJECT = re.compile(r"^([a-z_]{1,40})\.([a-z_]{1,40}):([0-9A-Za-z_-]{1,40})$")

# What the keys of an entry's before/after are called on the page (unknown keys are shown as they are).
FIELD_LABELS = {
    "status": _("status"),
    "comment": _("comment"),
    "reason": _("reason"),
    "budget": _("budget"),
    "cap_per_company": _("cap per company"),
    "name": _("name"),
    "committed": _("committed"),
    "spent": _("spent"),
    "programme_committed": _("programme committed"),
    "programme_spent": _("programme spent"),
    "enrolment_committed": _("enrolment committed"),
    "enrolment_spent": _("enrolment spent"),
    "enrolment": _("enrolment"),
    "amount": _("amount"),
    "label": _("label"),
    "kind": _("kind"),
    "incurred_on": _("date"),
    "source": _("source"),
    "cancelled": _("cancelled"),
    "valid_until": _("valid until"),
    "visit": _("visit"),
    "date": _("date"),
    "days": _("days"),
    "day_rate": _("day rate"),
    "cost": _("cost"),
    "review": _("review"),
    "levels": _("validated levels"),
    "summary": _("summary"),
}


def _changes(entry):
    """[(label, before, after)] over the keys of the entry's before and after states."""
    before, after = entry.before_data or {}, entry.after_data or {}
    return [
        (FIELD_LABELS.get(key, key), before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key) or key not in before
    ]


def _filtered(entries, query):
    subject = (query.get("subject") or "").strip()
    if subject:
        match = SUBJECT.match(subject)
        if match is None:
            return entries.none(), subject
        app_label, model, pk = match.groups()
        entries = entries.filter(subject_app=app_label, subject_model=model, subject_pk=pk)
    action = query.get("action") or ""
    if action:
        entries = entries.filter(action=action)
    return entries, subject


@require_GET
def audit_trail(request):
    """Who changed what, when, from what to what: the entries of the user's scope, newest first,
    filtered by subject (e.g. `regions.enrolment:12`) or action, 50 a page."""
    allowed(can_view_audit_trail, request.user)
    entries, subject = _filtered(selectors.audit_entries_visible_to(request.user), request.GET)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": [(entry, action_label(entry.action), _changes(entry)) for entry in page],
        "subject": subject,
        "action": request.GET.get("action") or "",
        "actions": known_actions(),
        "query": query.urlencode(),
    }
    return render(request, "regions/audit_trail.html", context)
