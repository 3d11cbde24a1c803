"""`seed_demo`: the referenced demo expert with skills and regions, a dozen other experts, an assignment on the demo company."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from experts.models import Accreditation, Assignment, AssignmentTransition, Expert, ExpertSkill
from seeding.demo.accounts import EXPERT, SME
from seeding.demo.experts import OTHER_EXPERTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_expert_is_referenced_with_skills_and_regions(seeded):
    expert = Expert.objects.get(user__email=EXPERT.email)
    assert expert.accreditation.is_current
    assert expert.skills.exists()
    assert set(expert.regions.values_list("code", flat=True)) >= {"53"}


def test_a_dozen_other_experts_across_regions(seeded):
    others = Expert.objects.exclude(user__email=EXPERT.email)
    assert others.count() == len(OTHER_EXPERTS) >= 12
    assert others.values("regions__code").distinct().count() >= 8
    assert Expert.objects.referenced().count() == len(OTHER_EXPERTS) + 1 - 2  # one suspended, one expired


def test_the_demo_expert_has_an_assignment_in_progress_at_the_demo_company(seeded):
    assignment = Assignment.objects.get(expert__user__email=EXPERT.email)
    assert assignment.company.memberships.filter(user__email=SME.email).exists()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    assert assignment.transitions.count() == 3


def test_seeding_twice_changes_nothing_more(seeded):
    def counts():
        models = (Expert, ExpertSkill, Accreditation, Assignment, AssignmentTransition)
        return [model.objects.count() for model in models]

    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_the_demo_expert_logs_in_to_the_assignment(client, seeded):
    client.post(reverse("login"), {"username": EXPERT.email, "password": EXPERT.password})
    page = client.get(reverse("experts:my_assignments")).content.decode()
    assert "Atelier Mécanique de Démonstration" in page


def test_the_directory_answers_with_the_demo_experts(client, seeded):
    response = client.get(reverse("experts:directory"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == len(OTHER_EXPERTS) - 1
