"""The public referential page: anybody reads the current published version, in French or English."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostics import services
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory

pytestmark = pytest.mark.django_db

URL = reverse("diagnostics:referential")


@pytest.fixture
def published():
    return PublishedReferentialFactory(
        axes=2, questions=2, title_fr="Référentiel Industrie du Futur", title_en="Industry of the Future referential"
    )


def test_anonymous_visitor_reads_the_referential_in_french_by_default(client, published):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert "Référentiel Industrie du Futur" in html
    assert "Question AX1-1 ?" in html
    assert "AX1-1 : constat niveau 5." in html
    assert "Numérisation, virtualisation et Internet des objets" in html or "Fabrication additive" in html


def test_language_switch_shows_the_referential_in_english(client, published):
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = client.get(URL).content.decode()
    assert "Industry of the Future referential" in html
    assert "Question AX1-1?" in html
    assert "AX1-1: fact at level 5." in html
    assert "The overall maturity levels" in html


def test_page_shows_every_question_with_its_six_levels(client, published):
    html = client.get(URL).content.decode()
    for code in ["AX1-1", "AX1-2", "AX2-1", "AX2-2"]:
        assert all(f"{code} : constat niveau {level}." in html for level in range(6)), code
    assert all(f"Niveau {level}." in html for level in range(6))  # the six band descriptions


def test_page_runs_a_fixed_number_of_queries_whatever_the_size(client, django_assert_max_num_queries):
    def queries_for(version):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"version": version}).status_code == 200
        return len(captured)

    small = PublishedReferentialFactory(axes=1, questions=1)
    large = PublishedReferentialFactory(axes=6, questions=6)
    assert queries_for(small.version) == queries_for(large.version)
    with django_assert_max_num_queries(10):
        client.get(URL)


def test_unknown_version_is_not_found(client, published):
    assert client.get(URL, {"version": "1999.9"}).status_code == 404


def test_draft_version_is_not_public(client, published):
    draft = ReferentialFactory(axes=1, questions=1)
    assert client.get(URL, {"version": draft.version}).status_code == 404


def test_page_is_not_found_before_any_version_is_published(client):
    ReferentialFactory(axes=1, questions=1)
    assert client.get(URL).status_code == 404


def test_retired_version_stays_readable_and_points_to_the_current_one(client, published):
    older = PublishedReferentialFactory(axes=1, questions=1)
    services.retire_referential(referential=older)
    response = client.get(URL, {"version": older.version})
    html = response.content.decode()
    assert response.status_code == 200
    assert "retiré" in html
    assert f'href="{URL}"' in html and "version actuelle" in html


def test_page_has_one_h1_axes_as_h2_questions_as_h3_and_no_table(client, published):
    html = client.get(URL).content.decode()
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert len(re.findall(r'<h2 id="axis-', html)) == 2
    assert len(re.findall(r'<h3 id="question-', html)) == 4
    assert "<table" not in html
    assert html.count('<ol class="referential-levels" start="0">') == 5  # bands + four questions


def test_page_links_its_print_stylesheet(client, published):
    html = client.get(URL).content.decode()
    assert "diagnostics/referential.css" in html
    assert 'data-action="print"' in html  # handled by static/js/portal.js (no inline handler under the CSP)


def test_print_stylesheet_hides_the_site_chrome_and_keeps_questions_whole():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("diagnostics/referential.css")).read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert "body > header" in print_rules
    assert "break-inside: avoid" in print_rules


@pytest.mark.parametrize("page", ["home", "login"])
def test_every_visitor_finds_the_referential_in_the_navigation(client, page):
    assert f'href="{URL}"' in client.get(reverse(page)).content.decode()


def test_signed_in_user_finds_the_referential_in_the_navigation(client, staff, published):
    client.force_login(staff)
    assert f'href="{URL}"' in client.get(URL).content.decode()
