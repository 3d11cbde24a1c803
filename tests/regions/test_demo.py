import pytest
from django.core.management import call_command

from regions import services
from regions.models import Enrolment, LedgerEntry, Programme
from seeding.demo.accounts import DEMO_SIRET
from seeding.demo.regions import DEMO_PROGRAMME

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_a_programme_with_the_demo_company_accepted():
    call_command("seed_demo")
    programme = Programme.objects.get(name=DEMO_PROGRAMME)
    assert (programme.region.code, programme.status) == ("53", "open")
    enrolment = Enrolment.objects.get(programme=programme, company__siret=DEMO_SIRET)
    assert enrolment.status in ("accepted", "in_progress")
    assert enrolment.committed_amount > 0
    assert services.reconcile().ok


def test_seed_demo_is_idempotent_for_programmes():
    call_command("seed_demo")
    counts = (Programme.objects.count(), Enrolment.objects.count(), LedgerEntry.objects.count())
    call_command("seed_demo")
    assert (Programme.objects.count(), Enrolment.objects.count(), LedgerEntry.objects.count()) == counts
    assert services.reconcile().ok


def test_the_demo_experts_mission_books_on_the_demo_enrolment():
    from regions.models import EnrolmentAssignment

    call_command("seed_demo")
    call_command("seed_demo")
    links = EnrolmentAssignment.objects.filter(enrolment__company__siret=DEMO_SIRET)
    assert links.count() <= 1
    for link in links:
        assert link.assignment.company == link.enrolment.company
