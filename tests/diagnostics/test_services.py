"""Lifecycle services: publish, retire, derive a draft; the transition table refuses every other move."""

import pytest
from django.core.exceptions import ValidationError

from diagnostics import selectors, services
from diagnostics.documents import referential_to_document
from diagnostics.exceptions import IllegalTransition, ReferentialInvalid, ReferentialVersionExists
from diagnostics.models import LevelDescriptor, Referential
from diagnostics.models.referential import LIFECYCLE
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def document_of(referential):
    return referential_to_document(selectors.referential_with_content(referential.code, referential.version))


def test_publishing_a_complete_draft_publishes_it_and_records_who(staff):
    draft = ReferentialFactory()
    published = services.publish_referential(referential=draft, by=staff)
    assert published.status == Referential.Status.PUBLISHED
    assert published.published_at is not None
    transition = published.transitions.last()
    assert (transition.from_status, transition.to_status, transition.by) == ("draft", "published", staff)


def test_publishing_an_incomplete_draft_is_refused_with_every_problem():
    draft = ReferentialFactory(axes=1, questions=1)
    LevelDescriptor.objects.filter(question__referential=draft, level=4).delete()
    with pytest.raises(ReferentialInvalid) as raised:
        services.publish_referential(referential=draft)
    assert any("level 4 is missing" in str(problem) for problem in raised.value.problems)
    assert Referential.objects.get(pk=draft.pk).status == Referential.Status.DRAFT


def test_retiring_a_published_version_keeps_it_readable():
    published = PublishedReferentialFactory()
    retired = services.retire_referential(referential=published)
    assert retired.status == Referential.Status.RETIRED
    assert retired.retired_at is not None
    assert selectors.public_referential(version=retired.version) == retired


@pytest.mark.parametrize(
    ("status", "move"),
    [
        ("draft", services.retire_referential),
        ("published", services.publish_referential),
        ("retired", services.publish_referential),
        ("retired", services.retire_referential),
    ],
)
def test_illegal_moves_raise_illegal_transition(status, move):
    referential = ReferentialFactory(axes=1, questions=1, status=status)
    with pytest.raises(IllegalTransition):
        move(referential=referential)
    assert Referential.objects.get(pk=referential.pk).status == status


def test_transition_table_is_draft_then_published_then_retired():
    expected = {"draft": {"published"}, "published": {"retired"}, "retired": set()}
    assert expected == {status: LIFECYCLE.targets(status) for status in Referential.Status.values}


def test_derived_draft_is_a_deep_copy_under_a_new_version(staff):
    published = PublishedReferentialFactory(axes=2, questions=3)
    draft = services.derive_draft(referential=published, new_version="2027.1", by=staff)
    assert draft.status == Referential.Status.DRAFT
    assert draft.pk != published.pk
    assert {**document_of(draft), "version": published.version} == document_of(published)
    assert "Derived from version" in draft.transitions.get().comment


def test_editing_a_derived_draft_leaves_the_published_version_unchanged():
    published = PublishedReferentialFactory(axes=1, questions=1)
    before = document_of(published)
    draft = services.derive_draft(referential=published, new_version="2027.1")
    LevelDescriptor.objects.filter(question__referential=draft).update(description_en="Rewritten")
    assert document_of(published) == before


def test_deriving_an_existing_version_is_refused():
    published = PublishedReferentialFactory(axes=1, questions=1)
    ReferentialFactory(code=published.code, version="2027.1", axes=1, questions=1)
    with pytest.raises(ReferentialVersionExists):
        services.derive_draft(referential=published, new_version="2027.1")


def test_deriving_from_a_draft_is_refused():
    with pytest.raises(IllegalTransition):
        services.derive_draft(referential=ReferentialFactory(axes=1, questions=1), new_version="2027.1")


def test_deriving_with_a_malformed_version_is_refused():
    with pytest.raises(ValidationError):
        services.derive_draft(referential=PublishedReferentialFactory(axes=1, questions=1), new_version="2027 1")


def test_current_published_referential_is_the_latest_published_version():
    older = PublishedReferentialFactory(axes=1, questions=1)
    newer = PublishedReferentialFactory(axes=1, questions=1)
    ReferentialFactory(axes=1, questions=1)  # a draft is never current
    assert selectors.current_published_referential() == newer
    services.retire_referential(referential=newer)
    assert selectors.current_published_referential() == older


def test_current_published_referential_is_none_without_a_published_version():
    ReferentialFactory(axes=1, questions=1)
    assert selectors.current_published_referential() is None
