"""The results page of a submitted diagnostic: access per role, scores, radar, benchmark under
statistical secrecy, strengths and weaknesses, action plan, progress since the previous diagnostic,
extension panels and a bounded number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics import extensions, services
from diagnostics.extensions import ResultsPanel
from diagnostics.models import Diagnostic
from diagnostics.peer_publication import clear_peer_figures
from diagnostics.radar import short_label
from seeding import peer_companies as peers
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all, referential_document

pytestmark = pytest.mark.django_db

CLOSEST = "same activity (NAF division), size and region"
DIVISION_FRANCE = "same activity (NAF division) and size, all France"
SECTION_FRANCE = "same NAF section and size, all France"
ALL_INDUSTRY = "all manufacturing companies, all France"
SECRECY = "There are not yet enough comparable companies to show a figure under statistical secrecy"


@pytest.fixture
def referential():
    return PublishedReferentialFactory(axes=3, questions=3)


def submit(company, by, level=3, **answer_options):
    """Start, answer every question (`level`: a number or question -> level) and submit, through the services."""
    draft = services.start_diagnostic(company=company, by=by)
    answer_all(draft, level=level, by=by, **answer_options)
    return services.submit_diagnostic(diagnostic=draft, by=by)


def add_peers(referential, profiles, *, level=2):
    """Companies with one submitted diagnostic each, every question at `level`, with the given profiles."""
    content = peers.ReferentialContent(referential)
    planned = [
        peers.PlannedCompany(
            profile=profile,
            siret=peers.siret_for(70_000_000 + index),
            name=f"Pair {index}",
            owner_first_name="Pat",
            owner_last_name="Pair",
            diagnostics=[
                peers.PlannedDiagnostic(
                    timezone.now() - timedelta(days=3), {pk: level for pk, *_rest in content.questions}
                )
            ],
        )
        for index, profile in enumerate(profiles, start=len(peers_created))
    ]
    peers_created.extend(planned)
    return peers.write(content, planned)


peers_created = []


@pytest.fixture(autouse=True)
def _fresh_peer_numbers():
    peers_created.clear()


def profile_of(company, **changes):
    values = {"division": company.naf_division.code, "band": company.headcount_band, "region": company.region.code}
    values.update(changes)
    return peers.Profile(**values)


def results_url(diagnostic):
    return reverse("diagnostics:results", args=[diagnostic.pk])


def page(client, user, diagnostic, language="en"):
    client.force_login(user)
    response = client.get(results_url(diagnostic), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def section(html, section_id):
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, f"no section {section_id}"
    return match.group(0)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def submitted(company, owner, referential):
    return submit(company, owner)


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [
        ("owner", 200),
        ("member", 200),
        ("staff", 200),
        ("other_company_member", 404),
        ("officer", 404),
        ("expert", 404),
        ("plain_user", 404),
    ],
)
def test_who_sees_the_results(client, request, submitted, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(results_url(submitted)).status_code == status


def test_anonymous_visitor_is_sent_to_log_in(client, submitted):
    response = client.get(results_url(submitted))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_number_is_a_404(client, owner, submitted):
    client.force_login(owner)
    assert client.get(reverse("diagnostics:results", args=[submitted.pk + 1000])).status_code == 404


def test_a_draft_sends_to_its_questionnaire(client, company, owner, referential):
    draft = services.start_diagnostic(company=company, by=owner)
    client.force_login(owner)
    response = client.get(results_url(draft))
    assert response.status_code == 302
    assert response.url == reverse("diagnostics:detail", args=[draft.pk])


def test_an_access_rule_of_the_apps_above_lets_a_user_in(client, plain_user, submitted, monkeypatch):
    from django.db.models import Q

    monkeypatch.setattr(extensions, "_access_rules", [lambda user: Q(pk=submitted.pk) if user == plain_user else None])
    client.force_login(plain_user)
    assert client.get(results_url(submitted)).status_code == 200


# --- Scores, radar, summary -----------------------------------------------------------------------


def test_overall_score_band_and_axis_scores(client, company, owner, referential):
    # AX1 at level 3, AX2 at level 1, AX3 at level 2: overall 2.00, band 2 ("Intermediate").
    levels = {"AX1": 3, "AX2": 1, "AX3": 2}
    diagnostic = submit(company, owner, level=lambda q: levels[q.code.split("-")[0]])
    html = page(client, owner, diagnostic)
    overall = text_of(section(html, "overall"))
    assert "2.00 out of 5" in overall
    assert "Level 2 – Intermediate" in overall
    axes = text_of(section(html, "axes"))
    assert re.search(r"Axis AX1 3\.00 3 – Structured", axes)
    assert re.search(r"Axis AX2 1\.00 1 – Beginner", axes)


def test_the_pdf_report_status_is_on_the_page(client, owner, submitted):
    html = page(client, owner, submitted)
    assert 'id="report-status"' in html
    assert html.index('id="report-status"') < html.index('id="axes"')


def test_the_radar_has_a_title_a_description_and_a_data_table(client, owner, submitted):
    html = page(client, owner, submitted)
    svg = re.search(r'<svg[^>]*class="radar".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "Axis AX1: 3.00" in svg
    table = re.search(r"<table.*?</table>", section(html, "axes"), re.S).group(0)
    assert "<caption>" in table
    assert table.count('<th scope="row">') == 3


def test_two_axes_give_no_radar_but_the_table(client, company, owner):
    PublishedReferentialFactory(axes=2, questions=2)
    html = page(client, owner, submit(company, owner))
    assert 'class="radar"' not in html
    assert html.count('<th scope="row">') == 2


def test_strengths_and_weaknesses(client, company, owner):
    PublishedReferentialFactory(axes=8, questions=2)
    levels = {f"AX{n}": level for n, level in zip(range(1, 9), [5, 0, 4, 1, 3, 2, 5, 0], strict=True)}
    diagnostic = submit(company, owner, level=lambda q: levels[q.code.split("-")[0]])
    summary = section(page(client, owner, diagnostic), "summary")
    strengths, weaknesses = re.findall(r"<ol.*?</ol>", summary, re.S)
    assert re.findall(r"Axis (AX\d)", strengths) == ["AX1", "AX7", "AX3"]
    assert re.findall(r"Axis (AX\d)", weaknesses) == ["AX2", "AX8", "AX4"]


def test_radar_labels_are_cut_at_a_word_to_the_room_beside_the_spoke():
    assert short_label("Énergie et environnement", 27) == "Énergie et environnement"
    assert short_label("Technologies de production avancées", 27) == "Technologies de production…"
    assert short_label("Ancrage territorial et responsabilité sociétale", 33) == "Ancrage territorial…"


# --- Peer benchmark under statistical secrecy -------------------------------------------------------


def test_four_companies_are_not_enough_for_a_figure(client, company, owner, referential, submitted):
    add_peers(referential, [profile_of(company)] * 3)  # 4 companies with this one
    benchmark = text_of(section(page(client, owner, submitted), "benchmark"))
    assert SECRECY in benchmark
    assert "Peer group used" not in benchmark
    assert "Peers" not in text_of(section(page(client, owner, submitted), "axes"))


def test_five_companies_show_the_closest_group(client, company, owner, referential, submitted):
    add_peers(referential, [profile_of(company)] * 4, level=1)  # 5 companies with this one
    html = page(client, owner, submitted)
    benchmark = text_of(section(html, "benchmark"))
    assert SECRECY not in benchmark
    assert f"Peer group used: {CLOSEST} , the latest diagnostics of 5 companies" in benchmark
    # (3 + 4 x 1) / 5 = 1.40 overall and on each axis
    assert "Their mean overall score is 1.40 out of 5; yours is 3.00" in benchmark
    assert "Region: Brittany" in benchmark
    assert re.search(r"Axis AX1 3\.00 3 – Structured 1\.40", text_of(section(html, "axes")))


def test_the_group_widens_to_the_division_all_france(client, company, owner, referential, submitted):
    # 4 companies in Brittany, 9 in France; no other region reaches 5 companies (whose figure, subtracted
    # from France's, would reveal Brittany's).
    elsewhere = ["84", "84", "11", "11", "44"]
    add_peers(referential, [profile_of(company)] * 3 + [profile_of(company, region=code) for code in elsewhere])
    benchmark = text_of(section(page(client, owner, submitted), "benchmark"))
    assert f"Peer group used: {DIVISION_FRANCE} , the latest diagnostics of 9 companies" in benchmark
    assert "Region: all France" in benchmark


def test_the_group_widens_to_all_industry(client, company, owner, referential, submitted):
    # 7 companies in all, the company alone in its size; no other group reaches 5 companies.
    add_peers(
        referential,
        [profile_of(company, division=f"1{n}", band="50-249", region="11") for n in range(3)]
        + [profile_of(company, division=f"2{n}", band="1-9", region="84") for n in range(3)],
    )
    benchmark = text_of(section(page(client, owner, submitted), "benchmark"))
    assert f"Peer group used: {ALL_INDUSTRY} , the latest diagnostics of 7 companies" in benchmark
    assert "Activity: all manufacturing" in benchmark
    assert "Size: all sizes" in benchmark


def test_a_group_that_would_reveal_a_few_companies_by_difference_is_passed_over(
    client, company, owner, referential, submitted
):
    # Same cell: 5 companies; same division and size in France: 8 (differs by 3: both passed over);
    # same section and size: 18.
    add_peers(
        referential,
        [profile_of(company)] * 4
        + [profile_of(company, region="84")] * 3
        + [profile_of(company, division="22", region="11")] * 10,
    )
    benchmark = text_of(section(page(client, owner, submitted), "benchmark"))
    assert f"Peer group used: {SECTION_FRANCE} , the latest diagnostics of 18 companies" in benchmark


def test_per_axis_peer_means_only_where_five_companies_scored_the_axis(client, company, owner):
    document = referential_document(axes=3, questions=3)
    for question in document["axes"][1]["questions"]:
        question["allows_not_applicable"] = True
    referential = services.load_referential_document(document=document, publish=True).referential
    diagnostic = submit(company, owner, level=2)
    content = peers.ReferentialContent(referential)
    ax2 = {pk for pk, _code, axis_code, *_rest in content.questions if axis_code == "AX2"}
    planned = [
        peers.PlannedCompany(
            profile=profile_of(company),
            siret=peers.siret_for(71_000_000 + index),
            name=f"Pair {index}",
            diagnostics=[
                peers.PlannedDiagnostic(
                    timezone.now(),
                    {pk: (None if pk in ax2 and index < 2 else 4) for pk, *_rest in content.questions},
                )
            ],
        )
        for index in range(4)
    ]
    peers.write(content, planned)
    # 5 companies in all, but only 3 have a score on AX2.
    axes = text_of(section(page(client, owner, diagnostic), "axes"))
    assert re.search(r"Axis AX1 2\.00 2 – Intermediate 3\.60", axes)
    assert re.search(r"Axis AX2 2\.00 2 – Intermediate –", axes)
    assert re.search(r"Axis AX3 2\.00 2 – Intermediate 3\.60", axes)


# --- Action plan ----------------------------------------------------------------------------------


def test_action_plan_ranked_by_gap_times_weight(client, company, owner, referential):
    # Question weights: -1 and -3 weigh 2, -2 weighs 1; axes weigh 1.
    levels = {"AX1-1": 4, "AX1-2": 0, "AX1-3": 3, "AX2-1": 1, "AX2-2": 5, "AX2-3": 2}
    diagnostic = submit(company, owner, level=lambda q: levels.get(q.code, 5))
    plan = section(page(client, owner, diagnostic), "plan")
    # gap x weight: AX2-1 4x2=8, AX2-3 3x2=6, AX1-2 5x1=5, AX1-3 2x2=4, AX1-1 1x2=2; AX2-2 and AX3 are at level 5.
    actions = re.findall(r"<strong>(AX\d-\d): reach level (\d)\.</strong>", plan)
    assert actions == [("AX2-1", "2"), ("AX2-3", "3"), ("AX1-2", "1"), ("AX1-3", "4"), ("AX1-1", "5")]
    plain = text_of(plan)
    assert "each question's gap to level 5, times the question's weight, times its axis's weight" in plain
    assert "Priority 1" in plain
    assert "Level from 1 to 2" in plain
    assert "Effort medium" in plain  # AX2-1's level-2 recommendation: effort SCALE[2 % 3], impact SCALE[0]
    assert "Impact low" in plain
    assert "Technology theme Automation and robotics" in plain  # AX1-1 to level 5 (odd target levels have a theme)
    assert "Technology theme organisation and practices" in plain  # even target levels have none


def test_the_plan_shows_ten_actions_then_the_rest_on_demand(client, company, owner):
    PublishedReferentialFactory(axes=4, questions=4)
    diagnostic = submit(company, owner, level=1)
    plan = section(page(client, owner, diagnostic), "plan")
    first, rest = plan.split("<details", 1)
    assert first.count('class="results-action ') == 10
    assert rest.count('class="results-action ') == 6
    assert "Show the 6 other actions" in text_of(rest)


def test_nothing_to_propose_at_level_five(client, company, owner, referential):
    diagnostic = submit(company, owner, level=5)
    assert "Every answered question is already at level 5" in text_of(section(page(client, owner, diagnostic), "plan"))


# --- Progress over time ---------------------------------------------------------------------------


def test_the_previous_diagnostic_is_compared_axis_by_axis(client, company, owner, referential):
    first = submit(company, owner, level=1)
    second = submit(company, owner, level=lambda q: 3 if q.code.startswith("AX1") else 1)
    assert second.previous_id == first.pk
    html = page(client, owner, second)
    assert 'class="previous"' in html
    axes = text_of(section(html, "axes"))
    assert re.search(r"Axis AX1 3\.00 3 – Structured 1\.00 \+2\.00 \(progress\)", axes)
    assert re.search(r"Axis AX2 1\.00 1 – Beginner 1\.00 unchanged", axes)
    assert "1.00 out of 5. +0.67 (progress)" in text_of(section(html, "overall"))

    first_page = page(client, owner, first)
    assert 'class="previous"' not in first_page
    assert "Previous diagnostic" not in first_page


# --- Extensions -----------------------------------------------------------------------------------


def test_panels_of_the_apps_above_come_at_the_end(client, owner, submitted, monkeypatch, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"panel.html": "<section>PANEL {{ panel.context.x }}</section>"},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    monkeypatch.setattr(
        extensions,
        "_results_panels",
        [lambda request, diagnostic, axes: ResultsPanel("panel.html", {"x": diagnostic.pk})],
    )
    html = page(client, owner, submitted)
    assert f"PANEL {submitted.pk}" in html
    assert html.index("PANEL") > html.index('id="plan"')


def test_panels_know_without_a_query_whether_the_user_is_a_member(
    client, owner, staff, submitted, monkeypatch, django_assert_num_queries
):
    from diagnostics.rules import is_diagnostic_company_member

    seen = []

    def provider(request, diagnostic, axes):
        with django_assert_num_queries(0):
            seen.append(is_diagnostic_company_member.test(request.user, diagnostic))

    monkeypatch.setattr(extensions, "_results_panels", [provider])
    page(client, owner, submitted)
    page(client, staff, submitted)
    assert seen == [True, False]


# --- Queries --------------------------------------------------------------------------------------


# The page's budget is 12 queries. Without the panels of the apps above it takes at most 10: the user
# (with the request's viewer), the diagnostic (with its plan), the referential content (2), the stored
# peer figures (1, when not cached) and the peer cells (1, when none was ever stored), the roadmap's actions with their level descriptors (1), the PDF report's
# status (1), and what is left of the cold caches. The panels share what is left.
OWN_QUERIES = 10


@pytest.mark.parametrize("axes, questions", [(2, 3), (10, 12)])
@pytest.mark.parametrize("peer_count", [0, 30])
def test_queries_are_bounded(
    client, company, owner, django_assert_max_num_queries, monkeypatch, axes, questions, peer_count
):
    monkeypatch.setattr(extensions, "_results_panels", [])
    referential = PublishedReferentialFactory(axes=axes, questions=questions)
    submit(company, owner, level=1)
    diagnostic = submit(company, owner, level=2)  # with a previous diagnostic
    add_peers(
        referential, [profile_of(company)] * (peer_count // 2) + [profile_of(company, band="1-9")] * (peer_count // 2)
    )
    client.force_login(owner)
    clear_peer_figures(referential.code)  # the published figures are computed again: the worst case
    with django_assert_max_num_queries(OWN_QUERIES):
        response = client.get(results_url(diagnostic))
    assert response.status_code == 200
    assert Diagnostic.objects.filter(company=company).count() == 2
