"""Least privilege for regional officers: the diagnostic attached to an application of their region,
while it is under consideration or funded; never the company's other diagnostics."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diagnostics.selectors import diagnostics_visible_to
from diagnostics.services import set_region_sharing
from portal.models import Region
from regions import services
from regions.models import Enrolment
from tests.portal.factories import OwnerFactory, RegionOfficerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


@pytest.fixture
def region(db):
    return Region.objects.get(code="53")


@pytest.fixture
def owner(region):
    return OwnerFactory(company__region=region).user


@pytest.fixture
def officer(region):
    return RegionOfficerFactory(region=region).user


@pytest.fixture
def other_region_officer(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def programme(region):
    return ProgrammeFactory(region=region, budget=Decimal("100000"))


@pytest.fixture
def earlier(company):
    return SubmittedDiagnosticFactory(company=company)


@pytest.fixture
def attached(company, earlier):
    """The company's latest submitted diagnostic, attached to its application when it applies."""
    return SubmittedDiagnosticFactory(company=company)


def readable(officer):
    return set(diagnostics_visible_to(officer))


@pytest.mark.parametrize(
    "status", [Status.APPLIED, Status.UNDER_REVIEW, Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED]
)
def test_the_officer_reads_the_attached_diagnostic_not_the_company_earlier_one(
    officer, programme, company, earlier, attached, status
):
    enrolment = EnrolmentFactory(programme=programme, company=company, status=status, officer=officer)
    assert enrolment.diagnostic == attached
    assert readable(officer) == {attached}


def test_a_refused_application_closes_its_diagnostic_to_the_officer(officer, programme, company, attached):
    EnrolmentFactory(programme=programme, company=company, status=Status.REFUSED, officer=officer)
    assert readable(officer) == set()


def test_an_application_withdrawn_before_any_decision_closes_it_too(officer, programme, company, attached):
    EnrolmentFactory(programme=programme, company=company, status=Status.WITHDRAWN, officer=officer)
    assert readable(officer) == set()


def test_a_funded_application_withdrawn_later_keeps_it_open(officer, owner, programme, company, attached):
    """Money was committed and maybe spent: the officer still follows it up."""
    enrolment = EnrolmentFactory(programme=programme, company=company, status=Status.ACCEPTED, officer=officer)
    services.withdraw_enrolment(enrolment=enrolment, by=owner)
    assert readable(officer) == {attached}


def test_a_later_diagnostic_of_an_applicant_stays_closed(officer, programme, company, attached):
    EnrolmentFactory(programme=programme, company=company, status=Status.IN_PROGRESS, officer=officer)
    later = SubmittedDiagnosticFactory(company=company)
    assert later not in readable(officer)


def test_a_diagnostic_the_company_shared_with_the_region_is_read_as_before(officer, owner, company, earlier):
    set_region_sharing(diagnostic=earlier, shared=True, by=owner)
    assert readable(officer) == {earlier}


def test_another_regions_officer_reads_nothing(other_region_officer, programme, company, attached):
    EnrolmentFactory(programme=programme, company=company, status=Status.IN_PROGRESS)
    assert readable(other_region_officer) == set()


@pytest.mark.parametrize(("status", "linked"), [(Status.UNDER_REVIEW, True), (Status.REFUSED, False)])
def test_the_application_page_links_the_diagnostic_only_while_the_officer_may_read_it(
    client, officer, programme, company, attached, status, linked
):
    enrolment = EnrolmentFactory(programme=programme, company=company, status=status, officer=officer)
    client.force_login(officer)
    html = client.get(reverse("regions:enrolment_detail", args=[enrolment.pk])).content.decode()
    assert (reverse("diagnostics:results", args=[attached.pk]) in html) is linked
    results = client.get(reverse("diagnostics:results", args=[attached.pk]))
    assert results.status_code == (200 if linked else 404)


def test_staff_still_read_a_refused_application_diagnostic(client, staff, officer, programme, company, attached):
    enrolment = EnrolmentFactory(programme=programme, company=company, status=Status.REFUSED, officer=officer)
    client.force_login(staff)
    html = client.get(reverse("regions:enrolment_detail", args=[enrolment.pk])).content.decode()
    assert reverse("diagnostics:results", args=[attached.pk]) in html
