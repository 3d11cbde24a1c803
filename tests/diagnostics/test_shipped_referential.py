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


PREVIOUS = SHIPPED.with_name("industrie-du-futur-2026.1.yaml")


def test_shipped_file_is_version_2026_2_of_industrie_du_futur(shipped):
    assert (shipped["code"], shipped["version"]) == ("industrie-du-futur", "2026.2")


def test_the_previous_version_stays_loadable_with_the_same_questions(shipped):
    previous = read_referential_file(PREVIOUS, theme_codes=selectors.theme_codes())
    assert previous["version"] == "2026.1" and "modules" not in previous
    assert [q["code"] for q in questions_of(previous)] == [q["code"] for q in questions_of(shipped)]


def test_the_core_is_one_or_two_questions_per_axis_and_about_ten_minutes(shipped):
    core = {axis["code"]: [q for q in axis["questions"] if "module" not in q] for axis in shipped["axes"]}
    assert all(1 <= len(questions) <= 2 for questions in core.values())
    total = sum(len(questions) for questions in core.values())
    minutes = sum(q.get("minutes", 1) for questions in core.values() for q in questions)
    assert total <= 12 and 8 <= minutes <= 12


def test_every_module_opens_on_a_low_core_answer_and_lists_its_minutes(shipped):
    core_codes = {q["code"] for q in questions_of(shipped) if "module" not in q}
    for module in shipped["modules"]:
        rules = [rule["core_answer"]["question"] for rule in module["opens_when"] if "core_answer" in rule]
        assert rules and set(rules) <= core_codes, module["code"]
        assert module["minutes"] >= 1


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
