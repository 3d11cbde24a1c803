"""The referential shipped with the portal (diagnostics/referentials/industrie-du-futur.yaml) is complete."""

import io
import re
from collections import Counter
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
MAINTENANCE = "OPS-6"
DATA_AND_AI = "DIGIT-6"


def test_shipped_file_is_version_2026_2_of_industrie_du_futur(shipped):
    assert (shipped["code"], shipped["version"]) == ("industrie-du-futur", "2026.2")


def test_the_previous_version_stays_loadable_and_2026_2_only_adds_maintenance_and_data_and_ai(shipped):
    previous = read_referential_file(PREVIOUS, theme_codes=selectors.theme_codes())
    assert previous["version"] == "2026.1" and "modules" not in previous
    old_codes = [q["code"] for q in questions_of(previous)]
    new_codes = [q["code"] for q in questions_of(shipped)]
    assert [code for code in new_codes if code in old_codes] == old_codes
    assert set(new_codes) - set(old_codes) == {MAINTENANCE, DATA_AND_AI}


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


# --- The content rules of version 2026.2 (issue 16): one voice, discriminating impacts, costs, dependencies.

# The verb every French recommendation starts with: an infinitive (ending in -er, -ir or -re, pronominal
# ones read past "Se" or "S'"), never an imperative ("Mettez…") nor a preposition ("Pour…").
FRENCH_INFINITIVE = re.compile(r"^[A-Za-zÀ-ÿ-]*(?:er|ir|re)$")


def first_french_verb(text):
    words = text.split()
    word = words[1] if words[0] == "Se" else words[0]
    return word.removeprefix("S'").rstrip(",")


# English recommendations start with the bare infinitive; these verbs of the file, and no "For", "Your"…
ENGLISH_INFINITIVES = {
    "accept",
    "acquire",
    "add",
    "adopt",
    "align",
    "analyse",
    "anticipate",
    "apply",
    "appoint",
    "assess",
    "automate",
    "build",
    "build,",
    "calculate",
    "carry",
    "centralise",
    "choose",
    "co-design",
    "commission",
    "commit",
    "connect",
    "create",
    "define",
    "deploy",
    "design",
    "develop",
    "display",
    "draw",
    "entrust",
    "equip",
    "establish",
    "estimate",
    "extend",
    "extract",
    "find",
    "fit",
    "formalise",
    "gather",
    "give",
    "have",
    "hire",
    "hold",
    "identify",
    "illustrate",
    "implement",
    "include",
    "industrialise",
    "install",
    "introduce",
    "inventory",
    "involve",
    "issue",
    "join",
    "keep",
    "launch",
    "link",
    "list",
    "make",
    "manage",
    "map",
    "measure",
    "meter",
    "move",
    "obtain",
    "offer",
    "open",
    "organise",
    "pick",
    "pilot",
    "plan",
    "post",
    "present",
    "put",
    "qualify,",
    "rank",
    "record",
    "restructure",
    "review",
    "ring-fence",
    "roll",
    "run",
    "secure",
    "separate",
    "set",
    "share",
    "spend",
    "start",
    "structure",
    "study",
    "sustain",
    "take",
    "track",
    "train",
    "trial",
    "turn",
    "update",
    "visit",
    "write",
    "write,",
}


def recommendations_of(document):
    return [
        (f"{question['code']}/{recommendation['target_level']}", recommendation)
        for question in questions_of(document)
        for recommendation in question["recommendations"]
    ]


def test_every_french_recommendation_starts_with_an_infinitive(shipped):
    wrong = [
        (code, first_french_verb(r["action"]["fr"]))
        for code, r in recommendations_of(shipped)
        if not FRENCH_INFINITIVE.match(first_french_verb(r["action"]["fr"]))
    ]
    assert wrong == []


def test_an_imperative_or_a_preposition_is_not_taken_for_an_infinitive():
    wrong = ("Mettez en place", "Faites réaliser", "Rédigez", "Pour tout projet", "Engagez-vous")
    right = (
        "Mettre en place",
        "Choisir",
        "Faire réaliser",
        "S'engager",
        "Se doter",
        "Qualifier, tester",
        "Co-construire",
    )
    assert not any(FRENCH_INFINITIVE.match(first_french_verb(text)) for text in wrong)
    assert all(FRENCH_INFINITIVE.match(first_french_verb(text)) for text in right)


def test_every_english_recommendation_starts_with_a_bare_infinitive_and_speaks_of_the_company(shipped):
    wrong = [
        (code, r["action"]["en"].split()[0])
        for code, r in recommendations_of(shipped)
        if r["action"]["en"].split()[0].lower() not in ENGLISH_INFINITIVES
    ]
    assert wrong == []
    assert not [code for code, r in recommendations_of(shipped) if re.search(r"\byour\b", r["action"]["en"], re.I)]
    assert not [
        code for code, r in recommendations_of(shipped) if re.search(r"(?<![-\w])(vous|votre|vos)\b", r["action"]["fr"])
    ]


def test_every_axis_gives_the_reason_for_its_weight_in_both_languages(shipped):
    assert all(filled_in_both_languages(axis.get("weight_rationale", {"fr": "", "en": ""})) for axis in shipped["axes"])
    assert len({axis["weight"] for axis in shipped["axes"]}) >= 2  # the weights say something: not all equal


def test_impacts_discriminate_between_recommendations(shipped):
    impacts = Counter(r["impact"] for _code, r in recommendations_of(shipped))
    assert set(impacts) == {"low", "medium", "high"}
    assert max(impacts.values()) <= 0.5 * sum(impacts.values())  # no value for more than half of them


def test_every_recommendation_has_a_cost_range(shipped):
    missing = [code for code, r in recommendations_of(shipped) if "cost" not in r]
    assert missing == []
    assert all(r["cost"]["min"] <= r["cost"]["max"] for _code, r in recommendations_of(shipped))


def test_dependencies_name_recommendations_of_the_file_and_form_no_cycle(shipped):
    graph = {code: list(r.get("depends_on", [])) for code, r in recommendations_of(shipped)}
    assert sum(1 for dependencies in graph.values() if dependencies) >= 10
    assert all(dependency in graph for dependencies in graph.values() for dependency in dependencies)
    done, visiting = set(), set()

    def visit(code):
        assert code not in visiting, f"cycle through {code}"
        if code in done:
            return
        visiting.add(code)
        for dependency in graph[code]:
            visit(dependency)
        visiting.discard(code)
        done.add(code)

    for code in graph:
        visit(code)


def test_a_core_question_on_maintenance_and_a_module_question_on_data_and_ai(shipped):
    questions = {question["code"]: question for question in questions_of(shipped)}
    maintenance, data_and_ai = questions[MAINTENANCE], questions[DATA_AND_AI]
    assert "module" not in maintenance and "maintenance" in maintenance["text"]["fr"].lower()
    assert data_and_ai["module"] == "M-DIGIT" and "intelligence artificielle" in data_and_ai["text"]["fr"]
    assert "artificial intelligence" in data_and_ai["text"]["en"]
