"""Conflicts of interest: an expert declares the companies (by SIREN) they may not be assigned to; a
proposal to such a company is refused with its own message, and the refusal is audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from experts import audit
from experts.exceptions import ConflictOfInterestDeclared, InvalidInput, NotAllowed
from experts.models import ConflictOfInterest, Expert
from experts.rules import can_propose_assignment
from portal import audit as trail

NOTE_MAX_LENGTH = ConflictOfInterest._meta.get_field("note").max_length


def _clean_siren(siren):
    compact = "".join((siren or "").split())
    if len(compact) == 14 and compact.isdigit():  # a SIRET: its first nine digits are the SIREN
        compact = compact[:9]
    if len(compact) != 9 or not compact.isdigit():
        raise InvalidInput(_("A SIREN has exactly 9 digits (the first nine of a SIRET)."))
    return compact


@transaction.atomic
def declare_conflict(*, expert, siren, note, by):
    """The expert declares a conflict of interest with the company of `siren` (9 digits, or a SIRET).
    Who may (the expert themselves) is the view's rule, `rules.can_edit_profile`."""
    siren = _clean_siren(siren)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say in a few words what the conflict is (for the officers)."))
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The note is at most %(max)s characters.") % {"max": NOTE_MAX_LENGTH})
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if ConflictOfInterest.objects.filter(expert=expert, siren=siren).exists():
        raise InvalidInput(_("You already declared a conflict with SIREN %(siren)s.") % {"siren": siren})
    conflict = ConflictOfInterest.objects.create(expert=expert, siren=siren, note=note)
    trail.record(action=audit.CONFLICT_DECLARED, subject=expert, by=by, after={"siren": siren, "note": note})
    return conflict


@transaction.atomic
def withdraw_conflict(*, conflict, by):
    """The expert withdraws a conflict they declared (the view finds it among their own)."""
    expert = Expert.objects.select_for_update().get(pk=conflict.expert_id)
    trail.record(
        action=audit.CONFLICT_WITHDRAWN, subject=expert, by=by, before={"siren": conflict.siren, "note": conflict.note}
    )
    conflict.delete()
    return expert


def refuse_declared_conflict(*, expert, company, by):
    """Refuse (`ConflictOfInterestDeclared`) to assign `expert` to `company` when the expert declared a
    conflict with its SIREN, after recording the refusal on the audit trail.

    Call it before opening the proposal's transaction: the refusal's entry is committed on its own,
    the proposal then writes nothing. Someone who may not propose an expert learns nothing (403)."""
    if not can_propose_assignment.test(by, company):
        raise NotAllowed(_("Only Alliance staff and the officers of the company's region may propose an expert."))
    conflict = ConflictOfInterest.objects.filter(expert_id=expert.pk, siren=company.siren).first()
    if conflict is None:
        return
    with transaction.atomic():
        trail.record(
            action=audit.CONFLICT_REFUSED,
            subject=expert,
            by=by,
            after={"siren": company.siren, "company": company.pk},
            region=company.region_id,
        )
    raise ConflictOfInterestDeclared(
        _(
            "%(expert)s declared a conflict of interest with %(company)s (SIREN %(siren)s): they may not be "
            "assigned to it. Choose another expert."
        )
        % {"expert": expert.name, "company": company.name, "siren": company.siren}
    )
