"""Yearly tranches: the budget split by year, acceptances drawing on the tranche of their year."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from portal.models import AuditEntry
from regions import services
from regions.exceptions import TrancheBelowCommitted, TrancheExhausted, TranchesInvalid
from regions.models import BudgetTranche, Enrolment, LedgerEntry, Programme
from regions.services.reconcile import reconcile_tranches
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer

pytestmark = pytest.mark.django_db
S = Enrolment.Status
THIS_YEAR = timezone.localdate().year


def two_year_programme(**kwargs):
    """A programme over this year and the next one, 60,000 EUR this year and 40,000 EUR the next."""
    return ProgrammeFactory(
        start_date=date(THIS_YEAR, 1, 1),
        end_date=date(THIS_YEAR + 1, 12, 31),
        budget=Decimal("100000"),
        tranches={THIS_YEAR: Decimal("60000"), THIS_YEAR + 1: Decimal("40000")},
        **kwargs,
    )


def split(programme):
    return {row.year: (row.amount, row.committed) for row in BudgetTranche.objects.filter(programme=programme)}


def assert_reconciled(programme):
    report = services.reconcile(programme)
    assert report.ok, report.problems


def test_a_programme_without_a_split_has_its_whole_budget_on_its_start_year(officer):
    programme = services.create_programme(
        region=officer.officer_posts.get().region,
        by=officer,
        budget="50000",
        name="P",
        start_date=date(2027, 3, 1),
        end_date=date(2028, 2, 28),
        cap_per_company="5000",
        target_companies=4,
    )
    assert split(programme) == {2027: (Decimal("50000"), Decimal("0"))}
    assert_reconciled(programme)


def test_the_split_is_kept_as_given():
    programme = two_year_programme()
    assert split(programme) == {THIS_YEAR: (Decimal("60000"), 0), THIS_YEAR + 1: (Decimal("40000"), 0)}
    assert_reconciled(programme)


def test_tranches_that_do_not_add_up_to_the_budget_are_refused():
    with pytest.raises(TranchesInvalid, match="totalisent 90"):
        ProgrammeFactory(budget=Decimal("100000"), tranches={THIS_YEAR: Decimal("90000")})
    assert not Programme.objects.exists()


def test_a_tranche_outside_the_programme_period_is_refused():
    with pytest.raises(TranchesInvalid, match="en dehors de la période"):
        ProgrammeFactory(
            start_date=date(THIS_YEAR, 1, 1),
            end_date=date(THIS_YEAR, 12, 31),
            budget=Decimal("100"),
            tranches={THIS_YEAR + 1: Decimal("100")},
        )


def test_a_negative_tranche_is_refused():
    with pytest.raises(TranchesInvalid):
        ProgrammeFactory(
            start_date=date(THIS_YEAR, 1, 1),
            end_date=date(THIS_YEAR + 1, 12, 31),
            budget=Decimal("100"),
            tranches={THIS_YEAR: Decimal("150"), THIS_YEAR + 1: Decimal("-50")},
        )


def test_an_acceptance_draws_on_the_tranche_of_its_year():
    programme = two_year_programme()
    enrolment = EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("8000"))
    enrolment.refresh_from_db()
    assert enrolment.budget_year == THIS_YEAR
    assert split(programme)[THIS_YEAR] == (Decimal("60000"), Decimal("8000"))
    assert split(programme)[THIS_YEAR + 1] == (Decimal("40000"), Decimal("0"))
    assert_reconciled(programme)


def test_an_acceptance_beyond_its_year_tranche_is_refused_saying_which_year_lacks_how_much():
    programme = two_year_programme(cap_per_company=Decimal("70000"))
    EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("55000"))
    enrolment = EnrolmentFactory(programme=programme, status=S.UNDER_REVIEW, requested_amount=Decimal("9000"))
    with override("en"), pytest.raises(TrancheExhausted) as refused:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("9000"), by=an_officer(programme.region))
    assert refused.value.year == THIS_YEAR and refused.value.lacking == Decimal("4000")
    assert str(THIS_YEAR) in str(refused.value) and "4,000" in str(refused.value)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.committed_amount, enrolment.budget_year) == (S.UNDER_REVIEW, 0, None)
    assert LedgerEntry.objects.filter(programme=programme, kind="commit").count() == 1
    assert_reconciled(programme)


def test_the_refusal_reads_in_french():
    programme = two_year_programme(cap_per_company=Decimal("70000"))
    EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("55000"))
    enrolment = EnrolmentFactory(programme=programme, status=S.UNDER_REVIEW, requested_amount=Decimal("9000"))
    with override("fr"), pytest.raises(TrancheExhausted) as refused:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("9000"), by=an_officer(programme.region))
    assert "4\u202f000" in str(refused.value) or "4\xa0000" in str(refused.value) or "4 000" in str(refused.value)


def test_a_year_without_a_tranche_refuses_every_acceptance():
    programme = ProgrammeFactory(
        start_date=date(THIS_YEAR - 1, 1, 1),
        end_date=date(THIS_YEAR, 12, 31),
        budget=Decimal("100000"),
        tranches={THIS_YEAR - 1: Decimal("100000")},
    )
    enrolment = EnrolmentFactory(programme=programme, status=S.UNDER_REVIEW)
    with pytest.raises(TrancheExhausted) as refused:
        services.accept_enrolment(enrolment=enrolment, amount=Decimal("1000"), by=an_officer(programme.region))
    assert refused.value.year == THIS_YEAR and refused.value.left == 0


def test_a_withdrawal_gives_the_unspent_commitment_back_to_its_tranche():
    programme = two_year_programme()
    enrolment = EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("8000"))
    services.withdraw_enrolment(enrolment=enrolment, by=enrolment.applied_by)
    assert split(programme)[THIS_YEAR] == (Decimal("60000"), Decimal("0"))
    assert_reconciled(programme)


def test_a_budget_change_without_a_split_goes_to_this_year_tranche():
    programme = two_year_programme()
    services.change_budget(programme=programme, budget="110000", by=None)
    assert split(programme) == {THIS_YEAR: (Decimal("70000"), 0), THIS_YEAR + 1: (Decimal("40000"), 0)}
    assert_reconciled(programme)


def test_a_budget_cut_below_this_year_commitments_is_refused():
    programme = two_year_programme(cap_per_company=Decimal("60000"))
    EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("55000"))
    with pytest.raises(TrancheBelowCommitted):
        services.change_budget(programme=programme, budget="90000", by=None)
    programme.refresh_from_db()
    assert programme.budget == Decimal("100000")
    assert_reconciled(programme)


def test_a_new_split_is_audited_and_keeps_each_year_commitments(officer):
    programme = two_year_programme()
    EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("8000"))
    with pytest.raises(TrancheBelowCommitted):
        services.update_programme(
            programme=programme, by=officer, tranches={THIS_YEAR: Decimal("5000"), THIS_YEAR + 1: Decimal("95000")}
        )
    services.update_programme(
        programme=programme, by=officer, tranches={THIS_YEAR: Decimal("30000"), THIS_YEAR + 1: Decimal("70000")}
    )
    assert split(programme)[THIS_YEAR] == (Decimal("30000"), Decimal("8000"))
    entry = AuditEntry.objects.filter(action="programme.updated").latest("pk")
    assert json.loads(entry.after)["tranches"] == {str(THIS_YEAR): "30000.00", str(THIS_YEAR + 1): "70000.00"}
    assert_reconciled(programme)


def test_reconcile_finds_a_tranche_whose_commitments_drifted():
    programme = two_year_programme()
    EnrolmentFactory(programme=programme, status=S.ACCEPTED, committed=Decimal("8000"))
    BudgetTranche.objects.filter(programme=programme, year=THIS_YEAR).update(committed=Decimal("7000"))
    problems = reconcile_tranches(Programme.objects.filter(pk=programme.pk))
    assert any("Σ commitments drawn on it 8000.00 ≠ committed 7000.00" in problem for problem in problems)
    assert any("committed on the tranches 7000.00" in problem for problem in problems)


def test_reconcile_finds_tranches_that_do_not_add_up_to_the_budget():
    programme = two_year_programme()
    BudgetTranche.objects.filter(programme=programme, year=THIS_YEAR + 1).update(amount=Decimal("1"))
    assert not services.reconcile(programme).ok


def test_a_new_period_that_leaves_a_tranche_outside_is_refused(officer):
    programme = two_year_programme()
    with pytest.raises(TranchesInvalid, match="en dehors de la période"):
        services.update_programme(programme=programme, by=officer, end_date=date(THIS_YEAR, 12, 31))
    assert Programme.objects.get(pk=programme.pk).end_date == date(THIS_YEAR + 1, 12, 31)
