"""Matching that respects the programme: its region's experts only unless the officer widens the
search; a declared conflict of interest refused at proposal with its own message, and audited."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from experts import audit
from experts import services as experts_services
from experts.exceptions import ConflictOfInterestDeclared
from experts.models import Assignment, ConflictOfInterest
from portal.models import AuditEntry
from regions import services
from tests.experts.factories import ReferencedExpertFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(company):
    programme = ProgrammeFactory(budget=Decimal("100000"), cap_per_company=Decimal("20000"))
    return EnrolmentFactory(programme=programme, company=company, status="accepted", committed=Decimal("5000"))


@pytest.fixture
def local(db):
    return ReferencedExpertFactory(regions=["53"], capacity=3)


@pytest.fixture
def distant(db):
    return ReferencedExpertFactory(regions=["84"], capacity=3)


def experts_page(client, officer, enrolment, **params):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("regions:enrolment_experts", args=[enrolment.pk]), params)


def test_only_the_experts_of_the_programme_region_are_proposed(client, officer, enrolment, local, distant):
    assert enrolment.programme.region.code == "53"
    response = experts_page(client, officer, enrolment)
    assert [proposal.expert for proposal in response.context["proposals"]] == [local]


def test_the_officer_widens_the_search_to_other_regions(client, officer, enrolment, local, distant):
    response = experts_page(client, officer, enrolment, include_other_regions="1")
    assert {proposal.expert for proposal in response.context["proposals"]} == {local, distant}
    assert 'name="include_other_regions" value="1" id="include-other-regions" checked' in response.content.decode()


def test_an_expert_with_a_declared_conflict_is_not_proposed(client, officer, enrolment, local):
    ConflictOfInterest.objects.create(expert=local, siren=enrolment.company.siren, note="Former employer")
    response = experts_page(client, officer, enrolment)
    assert response.context["proposals"] == []


def test_a_declared_conflict_is_refused_at_proposal_and_audited(officer, enrolment, local):
    experts_services.declare_conflict(expert=local, siren=enrolment.company.siret, note="Cousin", by=local.user)

    with override("en"), pytest.raises(ConflictOfInterestDeclared, match="declared a conflict of interest with"):
        services.propose_expert(enrolment=enrolment, expert=local, by=officer)

    assert not Assignment.objects.filter(expert=local).exists()
    entry = AuditEntry.objects.filter(action=audit.CONFLICT_REFUSED).get()
    assert (entry.by, entry.subject_pk, entry.region_id) == (officer, str(local.pk), enrolment.company.region_id)


def test_a_crafted_proposal_of_a_conflicted_expert_changes_nothing(client, officer, enrolment, local, distant):
    ConflictOfInterest.objects.create(expert=distant, siren=enrolment.company.siren, note="Stake")
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("regions:enrolment_experts", args=[enrolment.pk]) + "?include_other_regions=1"
    # The page never lists the conflicted expert: a crafted POST naming them is refused as not proposed.
    response = client.post(url, {"expert": distant.pk})
    assert response.status_code == 400
    assert not Assignment.objects.filter(expert=distant).exists()


def test_the_service_refuses_the_conflict_whoever_proposes(enrolment, local):
    from tests.portal.factories import StaffFactory

    staff = StaffFactory()
    ConflictOfInterest.objects.create(expert=local, siren=enrolment.company.siren, note="Stake")
    with pytest.raises(ConflictOfInterestDeclared):
        experts_services.propose_assignment(company=enrolment.company, expert=local, by=staff)
    assert AuditEntry.objects.filter(action=audit.CONFLICT_REFUSED, by=staff).count() == 1


def test_someone_who_may_not_propose_learns_nothing_and_nothing_is_audited(enrolment, local, owner):
    from experts.exceptions import NotAllowed

    ConflictOfInterest.objects.create(expert=local, siren=enrolment.company.siren, note="Stake")
    with pytest.raises(NotAllowed):
        experts_services.propose_assignment(company=enrolment.company, expert=local, by=owner)
    assert not AuditEntry.objects.filter(action=audit.CONFLICT_REFUSED).exists()


def test_an_expert_declares_and_withdraws_a_conflict_on_their_profile(client, local):
    client.force_login(local.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("experts:conflicts")

    response = client.post(url, {"siren": "732 829 320", "note": "Former employer"})
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get(expert=local)
    assert conflict.siren == "732829320"
    assert AuditEntry.objects.filter(action=audit.CONFLICT_DECLARED).count() == 1

    response = client.post(url, {"siren": "12345", "note": "x"})
    assert response.status_code == 400
    assert "A SIREN has exactly 9 digits" in response.content.decode()

    client.post(reverse("experts:conflict_withdraw", args=[conflict.pk]))
    assert not ConflictOfInterest.objects.filter(expert=local).exists()
    assert AuditEntry.objects.filter(action=audit.CONFLICT_WITHDRAWN).count() == 1


def test_the_open_programmes_of_the_region_fund_the_plan_on_its_page(client, owner, company):
    from diagnostics import services as diagnostics_services
    from tests.diagnostics.factories import PublishedReferentialFactory, answer_all

    ProgrammeFactory(name="Industrie du futur Bretagne", budget=Decimal("100000"), cap_per_company=Decimal("20000"))
    PublishedReferentialFactory(axes=2, questions=3)
    draft = diagnostics_services.start_diagnostic(company=company, by=owner)
    answer_all(draft, level=2, by=owner)
    diagnostic = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner)
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("diagnostics:plan", args=[diagnostic.pk])).content.decode()

    assert "Regional programmes that may fund this plan" in page
    assert "Industrie du futur Bretagne" in page
