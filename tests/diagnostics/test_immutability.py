"""Published and retired versions never change: not through the models, the querysets nor the admin."""

import pytest
from django.db import IntegrityError, transaction

from diagnostics.exceptions import IllegalTransition, ReferentialLocked
from diagnostics.models import (
    Axis,
    LevelDescriptor,
    MaturityBand,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    TechnologyTheme,
)
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["published", "retired"])
def locked(request):
    return ReferentialFactory(axes=1, questions=1, status=request.param)


@pytest.fixture
def draft():
    return ReferentialFactory(axes=1, questions=1)


CONTENT = {
    "band": lambda referential: referential.bands.first(),
    "axis": lambda referential: referential.axes.first(),
    "question": lambda referential: referential.questions.first(),
    "level": lambda referential: LevelDescriptor.objects.filter(question__referential=referential).first(),
    "recommendation": lambda referential: Recommendation.objects.filter(question__referential=referential).first(),
    "question theme": lambda referential: QuestionTheme.objects.filter(question__referential=referential).first(),
}


def test_saving_a_locked_referential_raises(locked):
    locked.title_en = "Changed"
    with pytest.raises(ReferentialLocked):
        locked.save()
    assert Referential.objects.get(pk=locked.pk).title_en == "Test referential"


def test_deleting_a_locked_referential_raises(locked):
    with pytest.raises(ReferentialLocked):
        locked.delete()
    with pytest.raises(ReferentialLocked):
        Referential.objects.filter(pk=locked.pk).delete()
    assert Referential.objects.filter(pk=locked.pk).exists()


def test_queryset_update_of_a_locked_referential_raises(locked):
    with pytest.raises(ReferentialLocked):
        Referential.objects.filter(pk=locked.pk).update(title_en="Changed")


@pytest.mark.parametrize("part", CONTENT)
def test_saving_content_of_a_locked_version_raises(locked, part):
    row = CONTENT[part](locked)
    with pytest.raises(ReferentialLocked):
        row.save()


@pytest.mark.parametrize("part", CONTENT)
def test_deleting_content_of_a_locked_version_raises(locked, part):
    row = CONTENT[part](locked)
    with pytest.raises(ReferentialLocked):
        row.delete()
    with pytest.raises(ReferentialLocked):
        type(row).objects.filter(pk=row.pk).delete()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_queryset_update_of_locked_content_raises(locked):
    with pytest.raises(ReferentialLocked):
        LevelDescriptor.objects.filter(question__referential=locked).update(description_en="Changed")


def test_adding_rows_to_a_locked_version_raises(locked):
    question = locked.questions.get()
    with pytest.raises(ReferentialLocked):
        Axis.objects.create(
            referential=locked, code="NEW", title_fr="x", title_en="x", description_fr="x", description_en="x"
        )
    with pytest.raises(ReferentialLocked):
        Recommendation.objects.bulk_create(
            [Recommendation(question=question, target_level=1, effort="low", impact="low")]
        )


def test_changing_the_themes_of_a_locked_question_raises(locked):
    question = locked.questions.get()
    theme = TechnologyTheme.objects.get(code="energy-efficiency")
    with pytest.raises(ReferentialLocked), transaction.atomic():
        question.themes.add(theme)
    with pytest.raises(ReferentialLocked), transaction.atomic():
        question.themes.clear()
    assert question.themes.count() == 1


def test_draft_content_can_be_edited_and_deleted(draft):
    axis = draft.axes.get()
    axis.title_en = "Edited"
    axis.save()
    draft.title_en = "Edited draft"
    draft.save()
    draft.questions.get().themes.add(TechnologyTheme.objects.get(code="energy-efficiency"))
    MaturityBand.objects.filter(referential=draft).update(name_en="Renamed")

    draft.delete()

    assert not Referential.objects.filter(pk=draft.pk).exists()
    assert not Question.objects.filter(referential_id=draft.pk).exists()


def test_the_locking_rows_know_the_draft_status():
    from diagnostics.models.locking import DRAFT

    assert Referential.Status.DRAFT == DRAFT


def test_a_referential_is_created_as_a_draft():
    with pytest.raises(IllegalTransition):
        Referential.objects.create(
            code="x",
            version="1",
            title_fr="x",
            title_en="x",
            description_fr="x",
            description_en="x",
            status="published",
        )


def test_a_published_version_cannot_go_back_to_draft_through_save():
    published = PublishedReferentialFactory(axes=1, questions=1)
    published.status = Referential.Status.DRAFT
    with pytest.raises(IllegalTransition):
        published.save(update_fields=["status"])


def test_a_theme_used_by_a_question_cannot_be_deleted(draft):
    from django.db.models import ProtectedError

    theme = draft.questions.get().themes.first()
    with pytest.raises(ProtectedError):
        theme.delete()


@pytest.mark.parametrize(
    ("field", "value"),
    [("weight", 0), ("weight", -1)],
)
def test_database_refuses_an_axis_weight_not_greater_than_zero(draft, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Axis.objects.filter(referential=draft).update(**{field: value})


def test_database_refuses_a_level_above_five(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelDescriptor.objects.filter(question__referential=draft, level=5).update(level=6)


def test_database_refuses_a_recommendation_for_level_zero(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(question__referential=draft, target_level=1).update(target_level=0)


def test_database_refuses_two_questions_with_one_code_in_a_version():
    draft = ReferentialFactory(axes=2, questions=1)
    first, second = draft.axes.all()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(axis=second).update(code=first.questions.get().code)


def test_question_codes_may_repeat_across_versions():
    one = ReferentialFactory(axes=1, questions=1)
    other = ReferentialFactory(axes=1, questions=1)
    assert one.questions.get().code == other.questions.get().code


def test_question_takes_the_referential_of_its_axis(draft):
    question = Question.objects.create(axis=draft.axes.get(), code="NEW-1", text_fr="x", text_en="x")
    assert question.referential_id == draft.pk
