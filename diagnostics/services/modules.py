"""Writes of the deep-dive modules of a diagnostic: the company opens a module, or puts it off.

A module is offered, never forced: the decision may change while the diagnostic is a draft (a module
put off can be opened later, an opened one closed: its answers stay stored but no longer count).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.exceptions import DiagnosticNotDraft, InvalidAnswer
from diagnostics.models import Diagnostic, ModuleDecision


@transaction.atomic
def decide_module(*, diagnostic, module, opened, by):
    """Record that the company opened (`opened` True) or put off the `module`; returns the `ModuleDecision`.

    Refuses a submitted diagnostic (`DiagnosticNotDraft`) and a module of another referential
    version (`InvalidAnswer`), changing nothing.
    """
    row = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if row.status != Diagnostic.Status.DRAFT:
        raise DiagnosticNotDraft(_("This diagnostic has been submitted: its modules can no longer change."))
    if module.referential_id != row.referential_id:
        raise InvalidAnswer(_("This module does not belong to this diagnostic's referential version."))
    decision, _created = ModuleDecision.objects.update_or_create(
        diagnostic=row,
        module=module,
        defaults={"opened": bool(opened), "decided_by": by, "decided_at": timezone.now()},
    )
    return decision
