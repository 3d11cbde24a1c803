"""Two members attaching evidence at once on PostgreSQL: the diagnostic row lock keeps the count per
answer, and a submit racing an attachment leaves no evidence on a submitted diagnostic.

SQLite has no row locks: its IMMEDIATE transactions serialise writers, so these races cannot happen there.
"""

import pytest
from django.db import connection

from diagnostics import services
from diagnostics.exceptions import DiagnosticNotDraft, InvalidEvidence
from diagnostics.models import Diagnostic, Evidence
from tests.diagnostics.evidence_support import draft_with_answers, first_question
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.experts.test_concurrency import race
from tests.portal.factories import MembershipFactory, OwnerFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (select_for_update); runs in CI's PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),
]


def link(diagnostic, by, number):
    return lambda: services.attach_evidence_link(
        diagnostic=diagnostic, question=first_question(diagnostic), url=f"https://example.fr/{number}", by=by
    )


def test_two_members_adding_the_last_allowed_piece_at_once_add_one(settings):
    settings.EVIDENCE_MAX_PER_ANSWER = 1
    owner = OwnerFactory()
    colleague = MembershipFactory(company=owner.company).user
    draft = draft_with_answers(owner.company, owner.user, PublishedReferentialFactory(axes=3, questions=2))

    outcomes = race(link(draft, owner.user, 1), link(draft, colleague, 2))

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Evidence", InvalidEvidence.__name__]
    assert Evidence.objects.count() == 1


def test_an_attachment_racing_the_submit_never_lands_on_a_submitted_diagnostic():
    owner = OwnerFactory()
    draft = draft_with_answers(owner.company, owner.user, PublishedReferentialFactory(axes=3, questions=2))

    outcomes = race(link(draft, owner.user, 1), lambda: services.submit_diagnostic(diagnostic=draft, by=owner.user))

    assert Diagnostic.objects.get(pk=draft.pk).status == Diagnostic.Status.SUBMITTED
    attached = [outcome for outcome in outcomes if isinstance(outcome, Evidence)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, DiagnosticNotDraft)]
    assert len(attached) + len(refused) == 1, outcomes  # attached before the submit, or refused after it
    assert Evidence.objects.count() == len(attached)
