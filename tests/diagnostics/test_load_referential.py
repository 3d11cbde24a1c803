"""`manage.py load_referential` and `export_referential`: validate everything first, write all or nothing."""

import io

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from diagnostics.documents import with_defaults
from diagnostics.models import (
    Axis,
    LevelDescriptor,
    MaturityBand,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    ReferentialTransition,
)
from tests.diagnostics.conftest import MALFORMED
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory
from tests.hang_guard import fails_after

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONTENT_MODELS = [
    Referential,
    ReferentialTransition,
    MaturityBand,
    Axis,
    Question,
    QuestionTheme,
    LevelDescriptor,
    Recommendation,
]

# Each malformed file holds one real mistake: (file, the place reported, a fragment of its message).
MALFORMED_CASES = [
    ("duplicate-axis-code", "axes[1].code", "duplicate axis code “STRAT” (already used at axes[0])"),
    ("duplicate-question-code", "axes[0].questions[1].code", "duplicate question code “STRAT-1”"),
    ("missing-level", "axes[1].questions[0].levels", "level 3 is missing"),
    ("levels-out-of-order", "axes[0].questions[1].levels[2].level", "out of order: level 3 found where level 2"),
    ("seven-levels", "axes[0].questions[0].levels", "must list exactly 6 items"),
    ("duplicate-level", "axes[0].questions[0].levels[4].level", "level 3 appears twice"),
    ("missing-english-translation", "axes[1].questions[0].levels[4].description.en", "missing"),
    ("weight-rationale-without-english", "axes[1].weight_rationale.en", "missing"),
    ("empty-french-text", "axes[0].title.fr", "empty"),
    ("blank-english-text", "axes[0].questions[1].text.en", "empty"),
    ("weight-zero", "axes[1].weight", "must be greater than 0; got 0"),
    ("negative-weight", "axes[0].questions[0].weight", "must be greater than 0; got -1"),
    ("weight-as-string", "axes[1].questions[0].weight", "must be a number, not the text “1.25” (write the number"),
    ("weight-three-decimals", "axes[1].questions[0].weight", "at most two decimals; got 1.255"),
    ("unknown-theme", "axes[0].questions[0].themes[1]", "unknown technology theme “iot”"),
    (
        "dependency-unknown",
        "axes[1].questions[0].recommendations[2].depends_on[0]",
        "“ERP-1/2” names no recommendation of this file",
    ),
    (
        "dependency-cycle",
        "axes[1].questions[0].recommendations[2].depends_on",
        "the dependencies make a cycle: PROD-1/3 → STRAT-2/2 → PROD-1/3",
    ),
    (
        "dependency-malformed-code",
        "axes[1].questions[0].recommendations[2].depends_on[0]",
        "must name a recommendation by its question's code, a slash and its target level",
    ),
    (
        "cost-min-above-max",
        "axes[1].questions[0].recommendations[2].cost",
        "the minimum cost (20000) is above the maximum (5000)",
    ),
    (
        "unknown-recommendation-theme",
        "axes[1].questions[0].recommendations[2].theme",
        "unknown technology theme “robotics”",
    ),
    ("theme-listed-twice", "axes[1].questions[0].themes[1]", "is listed twice"),
    ("themes-as-text", "axes[1].questions[0].themes", "must be a list"),
    ("title-as-list", "title", "must be a mapping (key: value lines), not a list"),
    ("document-is-a-list", "(top level)", "must be a mapping"),
    ("yaml-syntax-error", "(file)", "YAML syntax error"),
    ("bad-indentation", "(file)", "YAML syntax error: mapping values are not allowed in this context"),
    ("missing-version", "version", "missing"),
    ("version-as-number", "version", "must be a text, not the number 2026.1 (put it in quotes"),
    (
        "bad-effort",
        "axes[0].questions[0].recommendations[4].effort",
        "must be one of low, medium, high; got the text “huge”",
    ),
    ("recommendation-target-0", "axes[0].questions[0].recommendations[0].target_level", "must be at least 1; got 0"),
    ("recommendation-target-6", "axes[1].questions[0].recommendations[4].target_level", "must be at most 5; got 6"),
    (
        "duplicate-recommendation-target",
        "axes[0].questions[1].recommendations[3].target_level",
        "a recommendation for target level 3 already exists",
    ),
    ("missing-recommendation", "axes[1].questions[0].recommendations", "no recommendation for target level 5"),
    (
        "expert-skill-not-an-axis",
        "axes[1].questions[0].recommendations[0].expert_skill",
        "“QUALITY” is not the code of an axis of this file",
    ),
    ("bands-missing-one", "bands", "level 5 is missing"),
    ("unknown-top-level-key", "author", "unknown key; expected one of: code, version"),
    ("misspelt-question-key", "axes[0].questions[1].allow_not_applicable", "unknown key"),
    ("code-with-bad-characters", "code", "must use only lower-case letters, digits and hyphens"),
    ("lower-case-question-code", "axes[1].questions[0].code", "must start with an upper-case letter"),
    ("duplicate-yaml-key", "axes[0].questions[0].weight", "the key “weight” appears twice"),
    ("boolean-text", "bands[0].name.en", "must be a text, not the boolean false"),
    ("axis-without-questions", "axes[1].questions", "missing"),
    ("level-not-a-number", "axes[0].questions[0].levels[2].level", "must be a whole number, not the text “two”"),
    ("empty-file", "(file)", "the file is empty"),
    ("not-applicable-not-boolean", "axes[0].questions[1].allows_not_applicable", "must be true or false"),
    # Deep-dive modules: every reference is checked.
    (
        "module-rule-unknown-question",
        "modules[0].opens_when[0].core_answer.question",
        "unknown question code “STRAT-9”",
    ),
    (
        "module-rule-reads-a-module-question",
        "modules[0].opens_when[0].core_answer.question",
        "the question “STRAT-2” is in the module “M-PILOT”, not in the core",
    ),
    ("question-in-unknown-module", "axes[0].questions[1].module", "unknown module “M-NONE”"),
    ("module-without-questions", "modules[0]", "the module “M-PILOT” has no question"),
    ("module-rule-with-two-keys", "modules[0].opens_when[0]", "must have exactly one key, one of: core_answer"),
    ("module-rule-bad-naf-division", "modules[0].opens_when[0].naf_divisions[0]", "must be a NAF division"),
    ("module-rule-unknown-headcount-band", "modules[0].opens_when[0].headcount_bands[0]", "must be one of 0, 1-9"),
    ("axis-without-core-question", "axes[1].questions", "at least one must stay in the core"),
    # Hostile files: refused before any walk of their content, at their line.
    ("alias-bomb", "(file)", "anchors and aliases (&name, *name) are not accepted"),
    ("anchor-and-alias", "(file)", "anchors and aliases (&name, *name) are not accepted"),
    ("nul-byte", "(file)", "the file contains a NUL character (byte 0)"),
    ("control-character", "(file)", "the file contains the control character U+0007"),
    ("invalid-utf8", "(file)", "not UTF-8 text: the byte 0xE9"),
    ("deep-nesting", "(file)", "nested more than 20 levels deep"),
    ("huge-number", "(file)", "this number is too long to be read (5000 characters)"),
    ("impossible-date", "(file)", "“2026-13-45” is not a real date"),
    ("python-tag", "(file)", "the tag tag:yaml.org,2002:python/object/apply:os.system is not accepted"),
    ("text-in-a-third-language", "title.de", "unknown key; expected one of: fr, en"),
]
# The line each hostile file is refused at (the file's own comment names it).
HOSTILE_LINES = {
    "alias-bomb": 2,
    "anchor-and-alias": 5,
    "nul-byte": 4,
    "control-character": 9,
    "invalid-utf8": 8,
    "deep-nesting": 25,
    "huge-number": 29,
    "impossible-date": 3,
    "python-tag": 2,
}
# Every malformed file is refused well within this bound; a file still being read after it has
# found a hang (no timing is measured: see tests/hang_guard.py).
TIME_BOUND = 5


def row_counts():
    return {model.__name__: model.objects.count() for model in CONTENT_MODELS}


def run_manage(*argv):
    """Run a command; return (exit status manage.py would give, stdout, stderr).

    `manage.py` exits with `CommandError.returncode`; `ManagementUtility` itself would close the test's
    database connection, so the command is called directly.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*map(str, argv), stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def load(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_referential", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export(code, version):
    out = io.StringIO()
    call_command("export_referential", code, version, stdout=out)
    return out.getvalue()


def test_there_are_at_least_25_malformed_files_and_each_has_a_case():
    files = {path.stem for path in MALFORMED.glob("*.yaml")}
    assert len(files) >= 25
    assert files == {name for name, _place, _fragment in MALFORMED_CASES}


@pytest.mark.parametrize(("name", "place", "fragment"), MALFORMED_CASES, ids=[case[0] for case in MALFORMED_CASES])
def test_malformed_file_is_refused_with_its_place_and_message_and_changes_nothing(name, place, fragment):
    PublishedReferentialFactory(axes=1, questions=1)
    ReferentialFactory(code="test-referential", version="2026.1", axes=1, questions=1)  # a draft it must not replace
    before = row_counts()

    with fails_after(TIME_BOUND, f"load_referential {name}.yaml"):
        status, _out, err = run_manage("load_referential", MALFORMED / f"{name}.yaml", "--publish")

    assert status != 0
    reported = [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith(str(MALFORMED))]
    assert any(line.startswith(f"{place}: ") and fragment in line for line in reported), err
    assert "nothing was loaded" in err
    assert row_counts() == before


@pytest.mark.parametrize(("name", "line"), HOSTILE_LINES.items(), ids=list(HOSTILE_LINES))
def test_hostile_file_is_reported_as_file_line_message(name, line):
    path = MALFORMED / f"{name}.yaml"
    _status, _out, err = run_manage("load_referential", path)
    (problem,) = [entry for entry in err.splitlines() if entry.startswith(str(path))]
    assert problem.startswith(f"{path}:{line}: (file): ")


def test_hostile_file_is_reported_in_french():
    with translation.override("fr"):
        _status, _out, err = run_manage("load_referential", MALFORMED / "alias-bomb.yaml")
    assert "les ancres et les alias (&nom, *nom) ne sont pas acceptés" in err
    assert "rien n'a été chargé" in err


def test_oversized_file_is_refused_before_it_is_read(small_referential_file, tmp_path):
    """The probe's 10 MiB description, in a file above the 2 MiB limit."""
    oversized = tmp_path / "oversized.yaml"
    text = small_referential_file.read_text(encoding="utf-8")
    oversized.write_text(text.replace("Un petit référentiel complet", "x" * (2 * 1024 * 1024), 1), encoding="utf-8")
    before = row_counts()

    with fails_after(TIME_BOUND, "load_referential of an oversized file"):
        status, _out, err = run_manage("load_referential", oversized, "--publish")

    assert status != 0
    size = f"{oversized.stat().st_size:,}"
    assert f"{oversized}: (file): the file is too large ({size} bytes): at most 2.0\xa0MB are accepted" in err
    assert row_counts() == before


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_size_limit_is_a_setting(small_referential_file):
    _status, _out, err = run_manage("load_referential", small_referential_file)
    assert "the file is too large" in err
    assert not Referential.objects.filter(code="test-referential").exists()


def test_long_text_is_refused(small_referential_file, tmp_path):
    long_text = tmp_path / "long-text.yaml"
    text = small_referential_file.read_text(encoding="utf-8")
    long_text.write_text(text.replace("Un petit référentiel complet", "x" * 5001, 1), encoding="utf-8")

    _status, _out, err = run_manage("load_referential", long_text)

    assert "description.fr: too long: at most 5000 characters" in err
    assert not Referential.objects.filter(code="test-referential").exists()


def test_problem_lines_name_the_file_and_line():
    _status, _out, err = run_manage("load_referential", MALFORMED / "missing-english-translation.yaml")
    assert (
        f"{MALFORMED / 'missing-english-translation.yaml'}:142: axes[1].questions[0].levels[4].description.en: missing"
        in err
    )


def test_missing_file_is_an_error():
    with pytest.raises(CommandError, match="No such file"):
        load("does/not/exist.yaml")


def test_valid_file_is_loaded_as_a_draft(small_referential_file):
    out, _err = load(small_referential_file)

    referential = Referential.objects.get(code="test-referential", version="2026.1")
    assert referential.status == Referential.Status.DRAFT
    assert "2 axes, 3 questions" in out
    assert referential.bands.count() == 6
    assert LevelDescriptor.objects.filter(question__referential=referential).count() == 18
    assert Recommendation.objects.filter(question__referential=referential).count() == 15


def test_publish_option_publishes_the_loaded_version(small_referential_file):
    load(small_referential_file, "--publish")
    referential = Referential.objects.get(code="test-referential")
    assert referential.status == Referential.Status.PUBLISHED
    assert referential.published_at is not None
    assert list(referential.transitions.values_list("to_status", flat=True)) == ["draft", "published"]


def test_loading_a_published_version_again_changes_nothing(small_referential_file):
    load(small_referential_file, "--publish")
    before = row_counts()

    out, err = load(small_referential_file, "--publish")

    assert "already published; nothing changed" in out
    assert err == ""
    assert row_counts() == before


def test_loading_a_changed_file_over_a_published_version_warns_and_changes_nothing(small_referential_file, tmp_path):
    load(small_referential_file, "--publish")
    changed = tmp_path / "changed.yaml"
    changed.write_text(small_referential_file.read_text(encoding="utf-8").replace("No roadmap.", "None."), "utf-8")
    before = row_counts()

    out, err = load(changed, "--publish")

    assert "nothing changed" in out
    assert "the file differs" in err
    assert row_counts() == before
    assert LevelDescriptor.objects.filter(description_en="No roadmap.").exists()


def test_loading_a_draft_version_again_replaces_the_draft(small_referential_file, tmp_path):
    load(small_referential_file)
    changed = tmp_path / "changed.yaml"
    changed.write_text(small_referential_file.read_text(encoding="utf-8").replace("No roadmap.", "None."), "utf-8")

    out, _err = load(changed)

    assert "Replaced the draft" in out
    assert Referential.objects.filter(code="test-referential").count() == 1
    assert LevelDescriptor.objects.filter(description_en="None.").exists()
    assert not LevelDescriptor.objects.filter(description_en="No roadmap.").exists()


def test_load_export_load_is_the_identity(small_referential_file, tmp_path):
    load(small_referential_file)
    first_export = export("test-referential", "2026.1")
    exported_file = tmp_path / "exported.yaml"
    exported_file.write_text(first_export, encoding="utf-8")

    load(exported_file)  # replaces the draft with the exported content
    second_export = export("test-referential", "2026.1")

    original = yaml.safe_load(small_referential_file.read_text(encoding="utf-8"))
    assert yaml.safe_load(first_export) == with_defaults(original)
    assert yaml.safe_load(second_export) == yaml.safe_load(first_export)
    assert second_export == first_export


def test_export_writes_to_a_file_with_the_output_option(small_referential_file, tmp_path):
    load(small_referential_file)
    target = tmp_path / "out.yaml"
    call_command("export_referential", "test-referential", "2026.1", "-o", str(target), stderr=io.StringIO())
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["version"] == "2026.1"


def test_export_of_an_unknown_version_is_an_error():
    with pytest.raises(CommandError, match="No referential"):
        export("test-referential", "1999.1")


def test_cost_and_dependencies_are_loaded_and_exported(small_referential_file):
    call_command("load_referential", small_referential_file, "--publish", stdout=io.StringIO())
    connect = Recommendation.objects.get(question__code="PROD-1", target_level=3)

    assert (connect.cost_min, connect.cost_max, connect.depends_on) == (5000, 20000, ["STRAT-2/2"])
    assert connect.code == "PROD-1/3"
    exported = yaml.safe_load(export("test-referential", "2026.1"))
    (prod,) = [axis for axis in exported["axes"] if axis["code"] == "PROD"]
    recommendation = prod["questions"][0]["recommendations"][2]
    assert recommendation["cost"] == {"min": 5000, "max": 20000}
    assert recommendation["depends_on"] == ["STRAT-2/2"]


def test_an_axis_weight_rationale_is_loaded_and_exported_only_where_given(small_referential_file):
    call_command("load_referential", small_referential_file, "--publish", stdout=io.StringIO())
    production = Axis.objects.get(code="PROD")

    assert production.weight_rationale_en == "Weighs more: production carries most of the gains."
    with translation.override("fr"):
        assert production.weight_rationale == "Pèse davantage : la production porte l'essentiel des gains."
    exported = {axis["code"]: axis for axis in yaml.safe_load(export("test-referential", "2026.1"))["axes"]}
    assert exported["PROD"]["weight_rationale"]["en"] == production.weight_rationale_en
    assert "weight_rationale" not in exported["STRAT"]
