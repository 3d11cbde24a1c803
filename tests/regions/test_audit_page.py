"""The audit trail page: officers read the entries of their region, staff every entry; everyone else
is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from experts import services as experts_services
from experts.models import Expert
from portal.models import AuditEntry, Region
from tests.portal.factories import RegionOfficerFactory, UserFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

URL = reverse("regions:audit_trail")


@pytest.fixture
def other_officer(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def bretagne_enrolment(officer):
    return EnrolmentFactory(programme=ProgrammeFactory(name="Breizh 4.0"), status="accepted", officer=officer)


@pytest.fixture
def ile_de_france_enrolment(other_officer):
    programme = ProgrammeFactory(name="Francilien 4.0", region=Region.objects.get(code="11"))
    return EnrolmentFactory(programme=programme, status="under_review", officer=other_officer)


@pytest.fixture
def accreditation(staff):
    expert = Expert.objects.create(user=UserFactory(), organisation="Cabinet")
    experts_services.change_accreditation(
        expert=expert,
        by=staff,
        status="referenced",
        valid_until=timezone.localdate() + timedelta(days=30),
        notify=False,
    )
    return expert


def subjects_on_page(response):
    return {entry.subject for entry, _label, _changes in response.context["rows"]}


def subject(obj):
    return f"regions.{obj._meta.model_name}:{obj.pk}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("plain_user", 403),
        ("owner", 403),
        ("member", 403),
        ("expert", 403),
        ("officer", 200),
        ("staff", 200),
    ],
)
def test_only_officers_and_staff_read_the_trail(client, request, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == expected


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_officer_reads_their_region_only(
    client, officer, bretagne_enrolment, ile_de_france_enrolment, accreditation
):
    client.force_login(officer)
    response = client.get(URL)
    seen = subjects_on_page(response)
    assert subject(bretagne_enrolment) in seen
    assert subject(bretagne_enrolment.programme) in seen
    assert subject(ile_de_france_enrolment) not in seen
    assert subject(ile_de_france_enrolment.programme) not in seen
    assert f"experts.expert:{accreditation.pk}" not in seen  # accreditations are staff's


def test_an_officer_asking_for_another_regions_subject_gets_nothing(client, officer, ile_de_france_enrolment):
    client.force_login(officer)
    response = client.get(URL, {"subject": subject(ile_de_france_enrolment)})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Francilien" not in response.content.decode()


def test_staff_read_every_entry(client, staff, bretagne_enrolment, ile_de_france_enrolment, accreditation):
    client.force_login(staff)
    seen = subjects_on_page(client.get(URL))
    assert {subject(bretagne_enrolment), subject(ile_de_france_enrolment), f"experts.expert:{accreditation.pk}"} <= seen


def test_the_trail_is_filtered_by_subject_and_shows_before_and_after(client, officer, bretagne_enrolment, english):
    client.force_login(officer)
    response = client.get(URL, {"subject": subject(bretagne_enrolment)})
    actions = [entry.action for entry, _label, _changes in response.context["rows"]]
    assert actions == ["enrolment.accepted", "enrolment.under_review", "enrolment.applied"]
    page = response.content.decode()
    assert "application accepted (money committed)" in page
    assert "0.00 → 5000.00" in page


def test_a_malformed_subject_finds_nothing(client, staff, bretagne_enrolment):
    client.force_login(staff)
    response = client.get(URL, {"subject": "'; DROP TABLE portal_auditentry; --"})
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_the_trail_is_filtered_by_action(client, staff, bretagne_enrolment, ile_de_france_enrolment):
    client.force_login(staff)
    response = client.get(URL, {"action": "enrolment.accepted"})
    assert [entry.subject for entry, _label, _changes in response.context["rows"]] == [subject(bretagne_enrolment)]


def test_the_page_reads_a_bounded_number_of_queries(client, officer, django_assert_max_num_queries):
    programme = ProgrammeFactory(budget=Decimal("900000"))
    for _ in range(20):
        EnrolmentFactory(programme=programme, status="accepted", officer=officer)
    assert AuditEntry.objects.count() > 50
    client.force_login(officer)
    client.get(URL)  # warm the session and the per-user caches
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["rows"]) == AuditEntry.objects.count() - 50


def test_the_officers_and_staff_spaces_link_to_the_trail(client, officer, staff):
    client.force_login(officer)
    assert URL in client.get(reverse("regions:my_region")).content.decode()
    client.force_login(staff)
    assert URL in client.get(reverse("regions:national")).content.decode()


def test_programme_and_enrolment_pages_link_to_their_own_trail(client, officer, bretagne_enrolment):
    client.force_login(officer)
    enrolment_link = f"{URL}?subject=regions.enrolment:{bretagne_enrolment.pk}"
    programme_link = f"{URL}?subject=regions.programme:{bretagne_enrolment.programme_id}"
    detail = reverse("regions:enrolment_detail", args=[bretagne_enrolment.pk])
    assert enrolment_link in client.get(detail).content.decode()
    assert (
        programme_link
        in client.get(reverse("regions:programme_detail", args=[bretagne_enrolment.programme_id])).content.decode()
    )


def test_the_company_does_not_get_the_trail_link(client, officer):
    enrolment = EnrolmentFactory(programme=ProgrammeFactory(), status="under_review", officer=officer)
    company_owner = enrolment.company.memberships.get().user
    client.force_login(company_owner)
    assert URL not in client.get(reverse("regions:enrolment_detail", args=[enrolment.pk])).content.decode()
