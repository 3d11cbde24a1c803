"""The open referential: every public version downloadable as YAML, JSON and XLSX under the Licence
Ouverte 2.0, a round trip YAML → load → export giving the same file, and the comparison of two versions."""

import copy
import io
import json
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from openpyxl import load_workbook

from diagnostics import open_referential, selectors, services
from diagnostics.documents import dump_yaml, referential_to_document
from diagnostics.validation import read_referential_file
from tests.diagnostics.factories import ReferentialFactory, referential_document

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "diagnostics" / "referentials" / "industrie-du-futur.yaml"


@pytest.fixture
def shipped():
    document = read_referential_file(SHIPPED, theme_codes=selectors.theme_codes())
    return services.load_referential_document(document=document, publish=True).referential


def download(client, referential, fmt):
    return client.get(reverse("diagnostics:referential_download", args=[referential.code, referential.version, fmt]))


def test_the_yaml_round_trip_load_then_export_gives_the_same_file(client, shipped, tmp_path):
    first = download(client, shipped, "yaml").content
    path = tmp_path / "downloaded.yaml"
    path.write_bytes(first)
    document = read_referential_file(path, theme_codes=selectors.theme_codes())
    document["version"] = "2026.9"
    copy_version = services.load_referential_document(document=document, publish=True).referential

    second = download(client, copy_version, "yaml").content

    assert second == first.replace(shipped.version.encode(), b"2026.9")


def test_the_downloaded_yaml_is_the_shipped_files_content_with_the_licence_on_top(client, shipped):
    text = download(client, shipped, "yaml").content.decode("utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any("Licence Ouverte" in line and "etalab-2.0" in line for line in comments)
    assert yaml.safe_load(text) == yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def test_loading_the_download_again_finds_the_same_published_version_unchanged(client, shipped, tmp_path):
    path = tmp_path / "again.yaml"
    path.write_bytes(download(client, shipped, "yaml").content)
    outcome = services.load_referential_document(
        document=read_referential_file(path, theme_codes=selectors.theme_codes())
    )
    assert outcome.action == services.LoadAction.ALREADY_LOCKED and outcome.differs is False


def test_the_json_holds_the_licence_and_the_same_document(client, shipped):
    response = download(client, shipped, "json")
    body = json.loads(response.content)
    assert body["licence"]["spdx"] == "etalab-2.0" and body["licence"]["producer"] == "Alliance Industrie du Futur"
    assert body["referential"] == referential_to_document(
        selectors.referential_with_content(shipped.code, shipped.version)
    )
    assert response["Link"] == f'<{open_referential.LICENCE_URL}>; rel="license"'
    assert f'filename="industrie-du-futur-{shipped.version}.json"' in response["Content-Disposition"]


def test_the_xlsx_has_a_sheet_per_part_and_the_licence_on_the_first(client, shipped):
    workbook = load_workbook(io.BytesIO(download(client, shipped, "xlsx").content), read_only=True)
    sheets = workbook.worksheets
    assert len(sheets) == 7
    first = {row[0]: row[1] for row in sheets[0].iter_rows(min_row=2, values_only=True)}
    assert first["version"] == shipped.version and "Licence Ouverte" in next(
        v for k, v in first.items() if "Licen" in str(k)
    )
    questions = list(sheets[3].iter_rows(min_row=2, values_only=True))
    levels = list(sheets[4].iter_rows(min_row=2, values_only=True))
    assert len(questions) == 42 and len(levels) == 252
    modules = list(sheets[6].iter_rows(min_row=2, values_only=True))
    assert len(modules) == 8 and sum(1 for row in questions if not row[-2]) == 11  # the core: no module
    axes = list(sheets[2].iter_rows(min_row=1, values_only=True))
    assert axes[0][-2:] == ("weight_rationale_fr", "weight_rationale_en") and all(row[-1] for row in axes[1:])


def test_a_retired_version_stays_downloadable_and_a_draft_is_not(client):
    retired = ReferentialFactory(status="retired", version="2025.1")
    draft = ReferentialFactory(version="2027.1")
    assert download(client, retired, "yaml").status_code == 200
    assert download(client, draft, "yaml").status_code == 404


def test_the_referential_page_links_to_the_downloads_and_the_licence(client, shipped):
    page = client.get(reverse("diagnostics:referential")).content.decode()
    assert reverse("diagnostics:referential_download", args=[shipped.code, shipped.version, "xlsx"]) in page
    assert open_referential.LICENCE_URL in page


def test_the_code_is_under_the_eupl():
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in (ROOT / "LICENSE").read_text(encoding="utf-8")


# --- comparing two versions -----------------------------------------------------------------------


def test_identical_versions_compare_as_identical():
    document = referential_document(axes=2, questions=2)
    assert open_referential.compare(document, copy.deepcopy(document)).identical


def test_the_comparison_lists_added_removed_and_changed_questions():
    older = referential_document(axes=2, questions=2)
    newer = copy.deepcopy(older)
    newer["version"] = "2027.1"
    newer["axes"][0]["questions"].pop()  # AX1-2 removed
    newer["axes"][1]["questions"][0]["levels"][3]["description"]["fr"] = "Nouveau constat."
    newer["axes"][1]["questions"][0]["weight"] = 3
    added = copy.deepcopy(newer["axes"][1]["questions"][1])
    added["code"] = "AX2-9"
    newer["axes"][1]["questions"].append(added)

    comparison = open_referential.compare(older, newer)

    assert [(kind, code) for kind, code, _title in comparison.added] == [("question", "AX2-9")]
    assert [(kind, code) for kind, code, _title in comparison.removed] == [("question", "AX1-2")]
    changed = {change.code: change.fields for change in comparison.changed}
    assert set(changed) == {"AX2-1"}
    assert ("levels[3].description.fr", "AX2-1 : constat niveau 3.", "Nouveau constat.") in changed["AX2-1"]
    assert ("weight", 1 + 1 % 2, 3) in changed["AX2-1"]


def test_a_question_moved_to_another_axis_is_a_change():
    older = referential_document(axes=2, questions=1)
    newer = copy.deepcopy(older)
    newer["axes"][1]["questions"].append(newer["axes"][0]["questions"].pop())
    changes = open_referential.compare(older, newer).changed
    assert [(change.code, change.fields[0]) for change in changes] == [("AX1-1", ("axis", "AX1", "AX2"))]


def test_the_comparison_page_shows_what_changed_between_two_public_versions(client, shipped):
    document = referential_to_document(selectors.referential_with_content(shipped.code, shipped.version))
    document["version"] = "2026.9"
    document["axes"][0]["questions"][0]["text"]["en"] = "A reworded question?"
    services.load_referential_document(document=document, publish=True)

    response = client.get(reverse("diagnostics:referential_compare"), {"de": shipped.version, "a": "2026.9"})

    assert response.status_code == 200
    assert "A reworded question?" in response.content.decode()
    assert "STRAT-1" in response.content.decode()


def test_the_comparison_page_answers_with_no_version_published(client):
    assert client.get(reverse("diagnostics:referential_compare")).status_code == 200


def test_dump_yaml_is_what_the_download_carries_after_the_licence(client, shipped):
    text = download(client, shipped, "yaml").content.decode("utf-8")
    body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    assert body == dump_yaml(referential_to_document(selectors.referential_with_content(shipped.code, shipped.version)))
