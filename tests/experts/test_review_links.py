"""The submitted expert review is found from the results page's contents, and the company's e-mail
links to it there (not to the mission)."""

import pytest
from django.core import mail
from django.urls import reverse

from experts import services
from experts.models import Assignment
from experts.panels import REVIEW_ANCHOR
from tests.experts.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

LEVELS = {"AX1": 2, "AX2": 3, "AX3": 2}


@pytest.fixture
def in_progress(expert_profile, company, officer, submitted_diagnostic):
    return AssignmentFactory(
        expert=expert_profile,
        company=company,
        proposed_by=officer,
        diagnostic=submitted_diagnostic,
        status=Assignment.Status.IN_PROGRESS,
    )


def test_the_results_contents_link_to_the_submitted_review(client, owner, expert, in_progress, submitted_diagnostic):
    services.submit_review(assignment=in_progress, by=expert, levels=LEVELS, notify=False)
    client.force_login(owner)
    page = client.get(reverse("diagnostics:results", args=[submitted_diagnostic.pk])).content.decode()
    contents = page.split('class="results-contents"')[1].split("</nav>")[0]
    assert f'href="#{REVIEW_ANCHOR}"' in contents
    assert f'id="{REVIEW_ANCHOR}"' in page


def test_the_results_contents_name_no_review_before_one_is_submitted(client, owner, submitted_diagnostic):
    client.force_login(owner)
    page = client.get(reverse("diagnostics:results", args=[submitted_diagnostic.pk])).content.decode()
    assert f'href="#{REVIEW_ANCHOR}"' not in page


def test_the_owner_s_e_mail_links_to_the_review_on_the_results(
    owner, expert, in_progress, submitted_diagnostic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_review(assignment=in_progress, by=expert, levels=LEVELS)
    body = next(message.body for message in mail.outbox if message.to == [owner.email])
    assert f"{reverse('diagnostics:results', args=[submitted_diagnostic.pk])}#{REVIEW_ANCHOR}" in body
    assert reverse("experts:assignment", args=[in_progress.pk]) not in body


def test_the_proposer_s_e_mail_still_links_to_the_mission(
    officer, expert, in_progress, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_review(assignment=in_progress, by=expert, levels=LEVELS)
    body = next(message.body for message in mail.outbox if message.to == [officer.email])
    assert reverse("experts:assignment", args=[in_progress.pk]) in body
