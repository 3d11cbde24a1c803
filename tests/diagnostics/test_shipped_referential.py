"""The referential shipped with the portal (diagnostics/referentials/industrie-du-futur.yaml) is complete."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from diagnostics import selectors
from diagnostics.validation import read_referential_file

SHIPPED = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials" / "industrie-du-futur.yaml"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english"),
    pytest.mark.skipif(not SHIPPED.exists(), reason="the referential content file is still being written"),
]


@pytest.fixture
def shipped():
    return read_referential_file(SHIPPED, theme_codes=selectors.theme_codes())


def questions_of(document):
    return [question for axis in document["axes"] for question in axis["questions"]]


def filled_in_both_languages(text):
    return bool(text["fr"].strip()) and bool(text["en"].strip())


def test_shipped_file_is_version_2026_1_of_industrie_du_futur(shipped):
    assert (shipped["code"], shipped["version"]) == ("industrie-du-futur", "2026.1")


def test_shipped_file_has_about_eight_axes_of_four_to_six_questions(shipped):
    assert 7 <= len(shipped["axes"]) <= 9
    assert all(4 <= len(axis["questions"]) <= 6 for axis in shipped["axes"])
    assert 30 <= len(questions_of(shipped)) <= 45


def test_every_shipped_question_has_six_levels_in_both_languages(shipped):
    for question in questions_of(shipped):
        assert [level["level"] for level in question["levels"]] == [0, 1, 2, 3, 4, 5], question["code"]
        assert all(filled_in_both_languages(level["description"]) for level in question["levels"]), question["code"]


def test_every_shipped_question_has_a_recommendation_for_levels_1_to_5_in_both_languages(shipped):
    for question in questions_of(shipped):
        recommendations = question["recommendations"]
        assert sorted(r["target_level"] for r in recommendations) == [1, 2, 3, 4, 5], question["code"]
        assert all(filled_in_both_languages(r["action"]) for r in recommendations), question["code"]


def test_shipped_file_loads_published_and_shows_on_the_public_page(client):
    call_command("load_referential", str(SHIPPED), "--publish", stdout=io.StringIO())
    referential = selectors.current_published_referential()
    first_question = referential.questions.order_by("axis__order", "order").first()

    french = client.get(reverse("diagnostics:referential")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse("diagnostics:referential")).content.decode()

    assert escape(referential.title_fr) in french and escape(first_question.text_fr.strip()) in french
    assert escape(referential.title_en) in english and escape(first_question.text_en.strip()) in english
