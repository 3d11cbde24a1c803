"""The validator reports every problem of a referential file with its place, before anything is written."""

import json

import pytest
from jsonschema import Draft202012Validator

from diagnostics.exceptions import ReferentialInvalid
from diagnostics.validation import SCHEMA_PATH, check_referential_document, read_referential_file
from tests.diagnostics.factories import THEME_CODES, referential_document

pytestmark = pytest.mark.usefixtures("english")


def problems_of(path):
    with pytest.raises(ReferentialInvalid) as raised:
        read_referential_file(path, theme_codes=set(THEME_CODES))
    return raised.value.problems


def test_committed_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_schema_patterns_are_the_models_patterns():
    from diagnostics.models.referential import CONTENT_CODE_PATTERN, SLUG_PATTERN, VERSION_PATTERN

    definitions = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert definitions["$defs"]["slug"]["pattern"] == SLUG_PATTERN
    assert definitions["$defs"]["code"]["pattern"] == CONTENT_CODE_PATTERN
    assert definitions["properties"]["version"]["pattern"] == VERSION_PATTERN


def test_small_fixture_file_is_valid(small_referential_file):
    document = read_referential_file(small_referential_file, theme_codes=set(THEME_CODES))
    assert [axis["code"] for axis in document["axes"]] == ["STRAT", "PROD"]


def test_factory_document_is_valid():
    assert check_referential_document(referential_document(axes=3, questions=4), theme_codes=set(THEME_CODES)) == []


def test_every_problem_of_a_file_is_reported_at_once(tmp_path, small_referential_file):
    text = small_referential_file.read_text(encoding="utf-8")
    text = text.replace("    weight: 1.5\n", "    weight: 0\n").replace("themes: [monitoring-control]", "themes: [iot]")
    text = text.replace(
        '{fr: "Toutes les machines remontent leur état.", en: "All machines report their state."}', '{fr: "x"}'
    )
    broken = tmp_path / "three-mistakes.yaml"
    broken.write_text(text, encoding="utf-8")

    places = [problem.place for problem in problems_of(broken)]

    assert places == [
        "axes[1].weight",
        "axes[1].questions[0].themes[0]",
        "axes[1].questions[0].levels[4].description.en",
    ]


def test_problem_reads_place_then_message_then_line(small_referential_file, tmp_path):
    broken = tmp_path / "missing-en.yaml"
    broken.write_text(
        small_referential_file.read_text(encoding="utf-8").replace(
            '{fr: "Toutes les machines remontent leur état.", en: "All machines report their state."}', '{fr: "x"}'
        ),
        encoding="utf-8",
    )
    (problem,) = problems_of(broken)
    assert str(problem) == "axes[1].questions[0].levels[4].description.en: missing (line 143)"


def test_theme_codes_are_not_checked_when_none_are_given():
    document = referential_document(axes=1, questions=1)
    document["axes"][0]["questions"][0]["themes"] = ["not-a-theme"]
    assert check_referential_document(document, theme_codes=None) == []
