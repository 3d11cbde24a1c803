"""Co-funding and de minimis: the aid = rate × eligible costs within the cap; an officer commits at
most the aid asked for; acceptance keeps the undertaking's aid over three years within the ceiling."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from regions import services
from regions.cofunding import aid_for, plain_rate
from regions.deminimis import window_start
from regions.exceptions import AboveAidAsked, DeMinimisExceeded, InvalidAmount
from regions.models import Enrolment, Programme
from tests.portal.factories import OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db

MONEY = st.integers(min_value=0, max_value=10**13).map(lambda cents: Decimal(cents) / 100)
RATES = st.integers(min_value=1, max_value=10_000).map(lambda hundredths: Decimal(hundredths) / 100)


# --- the pure function ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
@given(rate=RATES, cost=MONEY, cap=st.none() | MONEY)
def test_the_aid_is_the_rate_of_the_costs_to_the_cent_below_and_within_the_cap(rate, cost, cap):
    aid = aid_for(rate=rate, eligible_cost=cost, cap=cap)
    exact = cost * rate / 100
    assert aid == aid.quantize(Decimal("0.01"))
    if cap is None or exact <= cap:
        assert exact - Decimal("0.01") < aid <= exact
    else:
        assert aid == cap


@pytest.mark.django_db(transaction=False)
@given(rate=RATES, cost=MONEY, more=MONEY)
def test_more_costs_never_give_less_aid(rate, cost, more):
    assert aid_for(rate=rate, eligible_cost=cost + more) >= aid_for(rate=rate, eligible_cost=cost)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-5"), Decimal("100.01")])
def test_a_rate_outside_0_to_100_is_refused(rate):
    with pytest.raises(ValueError):
        aid_for(rate=rate, eligible_cost=Decimal("100"))


@pytest.mark.django_db(transaction=False)
def test_a_rate_is_written_without_useless_zeros():
    assert [str(plain_rate(r)) for r in (Decimal("100.00"), Decimal("50.00"), Decimal("12.50"))] == [
        "100",
        "50",
        "12.5",
    ]


def test_a_programme_rate_outside_0_to_100_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    programme = ProgrammeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(funding_rate=Decimal("0"))


# --- applying and accepting -------------------------------------------------------------------------


def test_an_application_may_not_ask_more_than_the_rate_of_its_costs(english):
    programme = ProgrammeFactory(funding_rate=Decimal("50"), cap_per_company=Decimal("10000"))
    owner = OwnerFactory(company__region=programme.region)
    with pytest.raises(InvalidAmount, match="at most 4,000 EUR"):
        services.apply_to_programme(
            programme=programme,
            company=owner.company,
            requested_amount=Decimal("4000.01"),
            eligible_cost=Decimal("8000"),
            motivation="m",
            by=owner.user,
        )
    assert not Enrolment.objects.filter(programme=programme).exists()


def test_an_officer_cannot_commit_more_than_the_amount_asked(english):
    enrolment = EnrolmentFactory(status="under_review", requested_amount=Decimal("5000"))
    with pytest.raises(AboveAidAsked) as error:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("5000.01"), by=an_officer())
    assert str(error.value) == "The amount is above the aid asked for: at most 5,000 EUR, 5,000.01 EUR asked"
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.committed_amount) == ("under_review", 0)


def test_eligible_costs_set_by_the_officer_limit_the_aid_to_the_rate():
    programme = ProgrammeFactory(funding_rate=Decimal("80"))
    enrolment = EnrolmentFactory(programme=programme, status="under_review", requested_amount=Decimal("9000"))
    officer = an_officer(programme.region)
    with pytest.raises(AboveAidAsked):
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("8000.01"), eligible_cost="10000", by=officer)
    accepted = services.accept_enrolment(enrolment=enrolment, amount=Decimal("8000"), eligible_cost="10000", by=officer)
    accepted.refresh_from_db()
    assert (accepted.committed_amount, accepted.eligible_cost) == (Decimal("8000"), Decimal("10000"))


# --- de minimis -------------------------------------------------------------------------------------


@pytest.fixture
def ceiling(settings):
    settings.DE_MINIMIS_CEILING = Decimal("20000")
    return settings.DE_MINIMIS_CEILING


def _under_review(company, amount, *, outside=Decimal("0")):
    programme = ProgrammeFactory(region=company.region, cap_per_company=Decimal("20000"))
    enrolment = EnrolmentFactory(programme=programme, company=company, requested_amount=amount)
    if outside:
        Enrolment.objects.filter(pk=enrolment.pk).update(declared_outside_aid=outside)
    return services.start_review(enrolment=enrolment, by=an_officer(programme.region))


def test_accepting_over_the_de_minimis_ceiling_says_by_how_much_in_french(ceiling, french):
    company = OwnerFactory().company
    first = _under_review(company, Decimal("15000"))
    services.accept_enrolment(enrolment=first, amount=Decimal("15000"), by=an_officer())
    second = _under_review(company, Decimal("7500.50"))
    with pytest.raises(DeMinimisExceeded) as error:
        services.accept_enrolment(enrolment=second, amount=Decimal("7500.50"), by=an_officer())
    assert error.value.excess == Decimal("2500.50")
    assert str(error.value) == (
        "Plafond de minimis dépassé\u00a0: l’entreprise a reçu 15\u00a0000 EUR sur trois ans\u00a0; "
        "7\u00a0500,50 EUR de plus dépasseraient le plafond de 20\u00a0000 EUR de 2\u00a0500,50 EUR"
    )
    second.refresh_from_db()
    assert second.status == "under_review"


def test_the_aid_declared_elsewhere_counts_towards_the_ceiling(ceiling):
    company = OwnerFactory().company
    enrolment = _under_review(company, Decimal("15000"), outside=Decimal("5000.01"))
    with pytest.raises(DeMinimisExceeded) as error:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("15000"), by=an_officer())
    assert error.value.excess == Decimal("0.01")


def test_aid_decided_more_than_three_years_ago_no_longer_counts(ceiling):
    company = OwnerFactory().company
    old = _under_review(company, Decimal("15000"))
    services.accept_enrolment(enrolment=old, amount=Decimal("15000"), by=an_officer())
    long_ago = timezone.now() - timedelta(days=3 * 366)
    Enrolment.objects.filter(pk=old.pk).update(decided_at=long_ago)
    recent = _under_review(company, Decimal("15000"))
    accepted = services.accept_enrolment(enrolment=recent, amount=Decimal("15000"), by=an_officer())
    assert accepted.status == "accepted"


def test_the_window_of_three_years_starts_on_the_same_day(settings):
    from datetime import date

    assert window_start(date(2026, 12, 4)) == date(2023, 12, 4)
    assert window_start(date(2028, 2, 29)) == date(2025, 2, 28)


def test_the_company_gives_its_costs_and_outside_aid_on_the_application_page_in_french(client, french):
    programme = ProgrammeFactory(funding_rate=Decimal("50"), cap_per_company=Decimal("20000"))
    owner = OwnerFactory(company__region=programme.region)
    client.force_login(owner.user)
    url = reverse("regions:apply", args=[programme.pk])
    page = client.get(url).content.decode()
    assert "le programme finance 50\u00a0% des dépenses éligibles" in page
    data = {"motivation": "Robotiser.", "eligible_cost": "30 000,00", "declared_outside_aid": "12 500,50"}
    response = client.post(url, {**data, "requested_amount": "15 000,01"})
    assert response.status_code == 400 and not Enrolment.objects.exists()
    assert "au plus 15\u00a0000 EUR" in response.content.decode()
    response = client.post(url, {**data, "requested_amount": "15 000"})
    enrolment = Enrolment.objects.get()
    assert (enrolment.requested_amount, enrolment.eligible_cost, enrolment.declared_outside_aid) == (
        Decimal("15000"),
        Decimal("30000"),
        Decimal("12500.50"),
    )
