"""What experts plug into diagnostics: access to the companies' diagnostics, and the review panel of the results page."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse

from diagnostics.extensions import diagnostic_access_filters, results_panels_for
from diagnostics.selectors import diagnostics_visible_to
from diagnostics.services import submit_diagnostic
from experts import services
from experts.models import Assignment
from experts.panels import expert_diagnostic_access, expert_review_panel
from tests.diagnostics.factories import DiagnosticFactory, answer_all
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory

pytestmark = pytest.mark.django_db

Status = Assignment.Status
LEVELS = {"AX1": 2, "AX2": 3, "AX3": 3}


# --- Access to diagnostics ------------------------------------------------------------------------


def test_the_access_rule_is_registered(expert):
    assert any(str(q) == str(expert_diagnostic_access(expert)) for q in diagnostic_access_filters(expert))


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE])
def test_an_expert_reads_the_diagnostics_of_their_active_or_done_assignments(
    expert_profile, expert, company, submitted_diagnostic, status
):
    AssignmentFactory(expert=expert_profile, company=company, status=status)
    assert list(diagnostics_visible_to(expert)) == [submitted_diagnostic]


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.DECLINED, Status.CANCELLED])
def test_a_proposal_or_a_closed_refusal_opens_nothing(expert_profile, expert, company, submitted_diagnostic, status):
    AssignmentFactory(expert=expert_profile, company=company, status=status)
    assert list(diagnostics_visible_to(expert)) == []


def test_an_expert_never_reads_another_company_diagnostics(expert_profile, expert, company, submitted_diagnostic):
    AssignmentFactory(expert=expert_profile, status=Status.IN_PROGRESS)  # another company
    assert list(diagnostics_visible_to(expert)) == []


def resubmitted(company, owner, referential):
    """A later diagnostic of the company, submitted: the company's latest from then on."""
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=3)
    return submit_diagnostic(diagnostic=diagnostic, by=owner)


def test_an_expert_reads_the_diagnostic_the_assignment_names_not_the_company_others(
    expert_profile, expert, company, owner, referential, submitted_diagnostic
):
    AssignmentFactory(
        expert=expert_profile, company=company, diagnostic=submitted_diagnostic, status=Status.IN_PROGRESS
    )
    later = resubmitted(company, owner, referential)
    visible = set(diagnostics_visible_to(expert))
    assert submitted_diagnostic in visible
    assert later not in visible


def test_without_a_named_diagnostic_the_expert_reads_the_latest_until_the_review_records_one(
    expert_profile, expert, company, owner, referential, submitted_diagnostic
):
    assignment = AssignmentFactory(expert=expert_profile, company=company, status=Status.IN_PROGRESS)  # names none
    later = resubmitted(company, owner, referential)
    assert list(diagnostics_visible_to(expert)) == [later]

    services.save_review_draft(assignment=assignment, by=expert, levels=LEVELS)  # records `later`
    latest = resubmitted(company, owner, referential)
    assert list(diagnostics_visible_to(expert)) == [later]
    assert latest not in diagnostics_visible_to(expert)


def test_another_expert_reads_nothing(company, submitted_diagnostic, expert_profile):
    AssignmentFactory(expert=expert_profile, company=company, status=Status.IN_PROGRESS)
    assert list(diagnostics_visible_to(ReferencedExpertFactory().user)) == []


def test_the_company_draft_stays_private(expert_profile, expert, company, submitted_diagnostic, referential):
    AssignmentFactory(expert=expert_profile, company=company, status=Status.IN_PROGRESS)
    draft = DiagnosticFactory(company=company, referential=referential)
    assert draft not in diagnostics_visible_to(expert)


def test_anonymous_users_get_no_rule():
    assert expert_diagnostic_access(SimpleNamespace(is_authenticated=False)) is None


def test_the_rule_adds_no_query(expert, django_assert_num_queries):
    with django_assert_num_queries(0):
        filters = diagnostic_access_filters(expert)
    assert filters


@pytest.mark.parametrize(("status", "code"), [(Status.IN_PROGRESS, 200), (Status.PROPOSED, 404)])
def test_the_expert_opens_the_results_page_once_on_board(
    client, expert_profile, expert, company, submitted_diagnostic, status, code
):
    AssignmentFactory(expert=expert_profile, company=company, status=status)
    client.force_login(expert)
    assert client.get(reverse("diagnostics:results", args=[submitted_diagnostic.pk])).status_code == code


# --- The results panel ----------------------------------------------------------------------------


@pytest.fixture
def reviewed(expert_profile, expert, company, officer, submitted_diagnostic):
    assignment = AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_diagnostic,
        status=Status.IN_PROGRESS,
    )
    return services.submit_review(
        assignment=assignment,
        by=expert,
        levels=LEVELS,
        comments={"AX1": "Indicateurs absents."},
        summary="Avis final de l'expert.",
        actions=[
            {
                "recommendation": "Mettre en place un tableau de bord.",
                "owner": "Directrice",
                "due_date": submitted_diagnostic.submitted_at.date(),
            }
        ],
    )


def stand_in(diagnostic):
    """What the results page hands to panel providers: `.pk`, `.company` and the score snapshot."""
    return SimpleNamespace(pk=diagnostic.pk, company=diagnostic.company, scores=diagnostic.scores)


def panel_for(user, diagnostic):
    request = RequestFactory().get("/")
    request.user = user
    return expert_review_panel(request, stand_in(diagnostic))


def test_the_panel_shows_the_validated_levels_beside_the_self_assessment(owner, reviewed, submitted_diagnostic):
    panel = panel_for(owner, submitted_diagnostic)
    assert panel.template_name == "experts/_review_panel.html"
    (block,) = panel.context["reviews"]
    assert [(row["code"], str(row["self_score"]), row["validated"]) for row in block["rows"]] == [
        ("AX1", "1.00", 2),
        ("AX2", "4.00", 3),
        ("AX3", "2.00", 3),
    ]
    assert block["rows"][0]["comment"] == "Indicateurs absents."
    assert block["actions"][0].owner == "Directrice"


def test_the_panel_radar_draws_both_outlines_with_their_own_ids_and_description(owner, reviewed, submitted_diagnostic):
    (block,) = panel_for(owner, submitted_diagnostic).context["reviews"]
    svg = str(block["radar"])
    assert 'class="current"' in svg and 'class="previous"' in svg
    assert 'id="radar-title"' not in svg  # the results page has its own radar
    assert f'aria-labelledby="expert-review-{reviewed.pk}-radar-title expert-review-{reviewed.pk}-radar-desc"' in svg
    assert "previous" not in svg.split("<desc")[1].split("</desc>")[0]


@pytest.mark.parametrize("role", ["owner", "member", "officer", "staff", "expert"])
def test_the_panel_is_shown_to_the_company_the_region_staff_and_the_author(
    request, role, reviewed, submitted_diagnostic
):
    assert panel_for(request.getfixturevalue(role), submitted_diagnostic) is not None


@pytest.mark.parametrize("role", ["other_company_member", "plain_user"])
def test_the_panel_is_hidden_from_others(request, role, reviewed, submitted_diagnostic):
    assert panel_for(request.getfixturevalue(role), submitted_diagnostic) is None


def test_another_expert_of_the_company_does_not_see_the_review(company, reviewed, submitted_diagnostic):
    other = ReferencedExpertFactory()
    AssignmentFactory(expert=other, company=company, status=Status.IN_PROGRESS)
    assert panel_for(other.user, submitted_diagnostic) is None


def test_a_review_in_progress_is_never_shown(owner, expert, expert_profile, company, submitted_diagnostic):
    assignment = AssignmentFactory(
        expert=expert_profile, company=company, diagnostic=submitted_diagnostic, status=Status.IN_PROGRESS
    )
    services.save_review_draft(assignment=assignment, by=expert, levels=LEVELS)
    assert panel_for(owner, submitted_diagnostic) is None
    assert panel_for(expert, submitted_diagnostic) is None


def test_no_review_no_panel_in_one_query(owner, submitted_diagnostic, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = owner
    diagnostic = stand_in(submitted_diagnostic)
    with django_assert_num_queries(1):
        assert expert_review_panel(request, diagnostic) is None


def test_the_panel_is_registered_and_shown_on_the_results_page(client, owner, reviewed, submitted_diagnostic):
    request = RequestFactory().get("/")
    request.user = owner
    assert [panel.template_name for panel in results_panels_for(request, submitted_diagnostic)].count(
        "experts/_review_panel.html"
    ) == 1
    client.force_login(owner)
    page = client.get(reverse("diagnostics:results", args=[submitted_diagnostic.pk])).content.decode()
    assert "Avis final de l&#x27;expert." in page
    assert "Mettre en place un tableau de bord." in page


# --- The report's next steps ----------------------------------------------------------------------


def test_the_report_next_steps_list_the_matched_experts_with_their_reason(company, submitted_diagnostic):
    from diagnostics.extensions import next_steps_for

    expert = ReferencedExpertFactory(axes={"AX1": 3}, regions=["53"])
    sections = [s for s in next_steps_for(submitted_diagnostic) if any(expert.name in item.title for item in s.items)]
    assert len(sections) == 1
    (item,) = sections[0].items
    assert item.title == f"{expert.name} – {expert.organisation}"
    assert item.detail.startswith("Couvre votre axe faible") and "région Bretagne" in item.detail


def test_no_matched_expert_no_next_steps_section(submitted_diagnostic):
    from experts.panels import experts_next_steps

    assert experts_next_steps(submitted_diagnostic) is None


def test_the_panel_reuses_the_axes_the_results_page_read(
    owner, reviewed, submitted_diagnostic, django_assert_num_queries
):
    from diagnostics.models import Axis

    request = RequestFactory().get("/")
    request.user = owner
    diagnostic = stand_in(submitted_diagnostic)
    axes = list(Axis.objects.filter(referential=submitted_diagnostic.referential).order_by("order"))
    with django_assert_num_queries(3):  # the reviews, their axes, their actions: not the referential's axes
        panel = expert_review_panel(request, diagnostic, axes=axes)
    assert [row["code"] for row in panel.context["reviews"][0]["rows"]] == ["AX1", "AX2", "AX3"]
