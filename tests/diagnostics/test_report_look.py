"""The PDF report wears the portal's look: its mark and name on the cover, served from our static files."""

from unittest import mock

import pytest

from diagnostics.reports import fetcher
from diagnostics.reports.content import report_content
from diagnostics.reports.html import report_html
from diagnostics.services import report as reports
from tests.diagnostics.report_support import submit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_cover_carries_the_portals_mark_from_the_static_files(company, owner):
    diagnostic = submit(company, owner)
    log = []
    with mock.patch("diagnostics.reports.pdf.static_url_fetcher", lambda: fetcher.static_url_fetcher(log=log)):
        reports.render_report(reports.request_report(diagnostic).pk, notify=False)
    assert (fetcher.BASE_URL + "img/favicon.svg", True) in [(url, bool(served)) for url, served in log]


def test_the_mark_is_a_decoration_beside_the_portals_name(company, owner):
    html = report_html(report_content(submit(company, owner)))
    cover = html[html.index('class="cover"') : html.index("</section>")]
    assert "<img" not in cover  # a background: no image without its text in the tagged PDF
    assert '<p class="cover-brand">Industrie du Futur</p>' in cover
