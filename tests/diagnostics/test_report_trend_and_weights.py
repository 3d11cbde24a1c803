"""The PDF report's trend (the company's diagnostics up to this one) and each axis's weight with its reason."""

import pytest
from django.urls import reverse
from pypdf.generic import NameObject

from diagnostics import services
from diagnostics.models import Report
from diagnostics.reports.content import report_content, report_inputs
from diagnostics.services import report as reports
from tests.diagnostics.factories import PublishedReferentialFactory, referential_document
from tests.diagnostics.report_support import pdf_reader, pdf_text, submit

TREND_TITLE = "Évolution dans le temps"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def referential(db):
    return PublishedReferentialFactory(axes=3, questions=3)


@pytest.fixture
def reasoned(db):
    """A published version whose three axes each say why they weigh what they do."""
    document = referential_document(axes=3, questions=3, version="2026.2")
    for axis in document["axes"]:
        axis["weight_rationale"] = {"fr": "Pèse autant que les autres axes.", "en": "Weighs as much as the others."}
    return services.load_referential_document(document=document, publish=True).referential


def render(diagnostic):
    report = reports.request_report(diagnostic)
    report = reports.render_report(report.pk, notify=False)
    assert report.status == Report.Status.READY
    return report.file.read()


def structure_roles(data):
    """Every structure element's role (/S) in the PDF's tag tree."""
    roles, pending = [], [pdf_reader(data).trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            pending.extend(node)
        elif hasattr(node, "get"):
            if "/S" in node:
                roles.append(str(node["/S"]))
            if "/K" in node:
                pending.append(node["/K"])
    return roles


def test_the_report_of_a_second_diagnostic_shows_the_trend_in_a_tagged_table(company, owner, referential):
    first = submit(company, owner, referential=referential, level=1)
    second = submit(company, owner, referential=referential, level=3)
    data = render(second)
    text = pdf_text(data)

    assert TREND_TITLE in text
    trend = report_content(second).trend
    assert [column.is_current for column in trend.columns] == [False, True]
    assert trend.rows[0].scores == ("1,00", "3,00")  # the overall score of each, in French
    assert first.pk != second.pk and len(trend.rows) == 1 + 3  # the overall score, then each axis
    assert {"/Table", "/TH", "/TD"} <= set(structure_roles(data))
    assert NameObject("/StructTreeRoot") in pdf_reader(data).trailer["/Root"]


def test_the_report_of_a_first_diagnostic_has_no_trend(company, owner, referential):
    first = submit(company, owner, referential=referential, level=2)
    assert TREND_TITLE not in pdf_text(render(first))
    assert report_content(first).trend is None


def test_the_first_report_keeps_to_its_history_when_the_company_re_assesses(company, owner, referential):
    first = submit(company, owner, referential=referential, level=1)
    before = report_inputs(first)
    submit(company, owner, referential=referential, level=4)

    assert report_content(first).trend is None  # a later diagnostic is not shown in an earlier one's report
    assert report_inputs(first) == before  # so the first report is not rendered again


def test_the_trend_columns_are_the_six_latest_diagnostics_up_to_this_one(company, owner, referential):
    diagnostics = [submit(company, owner, referential=referential, level=level % 6) for level in range(8)]
    trend = report_content(diagnostics[-1]).trend
    assert len(trend.columns) == 6 and trend.columns[-1].is_current
    assert trend.rows[0].scores == ("2,00", "3,00", "4,00", "5,00", "0,00", "1,00")


def test_each_axis_chapter_gives_its_weight_and_the_reason_for_it(company, owner, reasoned):
    company.language = "en"
    company.save(update_fields=["language"])
    text = pdf_text(render(submit(company, owner, referential=reasoned)))
    assert text.count("Weight 1 Weighs as much as the others.") == 3


def test_an_axis_without_a_rationale_prints_no_weight_line(company, owner, referential):
    text = pdf_text(render(submit(company, owner, referential=referential)))
    assert "Pèse autant" not in text and "Poids " not in text and "Weight " not in text


def test_the_results_page_says_how_the_axes_are_weighted(client, company, owner, reasoned):
    diagnostic = submit(company, owner, referential=reasoned)
    client.force_login(owner)
    page = client.get(reverse("diagnostics:results", args=[diagnostic.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "How the axes are weighted" in html and html.count("Weighs as much as the others.") == 3


def test_the_results_page_of_a_version_without_rationales_has_no_weights_block(client, company, owner, referential):
    diagnostic = submit(company, owner, referential=referential)
    client.force_login(owner)
    html = client.get(reverse("diagnostics:results", args=[diagnostic.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How the axes are weighted" not in html
