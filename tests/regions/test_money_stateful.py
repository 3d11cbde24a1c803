"""A Hypothesis state machine over the money services: random sequences of apply / review / send back
/ resubmit / accept (within the aid asked, the budget and the de minimis ceiling) / refuse / withdraw
/ start / complete / book expense / cancel expense / change budget / close for good, with every money invariant
checked after every step, against a shadow model of what the amounts should be.

A step may be refused (budget exhausted, over the cap, illegal transition…): then nothing may have
changed. Anything but a typed error of `regions.exceptions` fails the test. Once the programme is
closed for good (refused while an application waits for a decision), every move of its money is refused.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from regions import services
from regions.exceptions import IllegalTransition, InvalidInput, RegionsError
from regions.models import Enrolment, Expense, Programme
from tests.portal.factories import OwnerFactory
from tests.regions.factories import ProgrammeFactory, an_officer

# The typed errors the regions services raise: their own refusals and the portal's two they share.
REFUSALS = (RegionsError, IllegalTransition, InvalidInput)
CENTS = st.integers(min_value=1, max_value=3_000_000).map(lambda cents: Decimal(cents) / 100)
ZERO = Decimal("0")


class MoneyMachine(RuleBasedStateMachine):
    enrolments = Bundle("enrolments")
    expenses = Bundle("expenses")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.programme = ProgrammeFactory(budget=Decimal("50000"), cap_per_company=Decimal("12000"))
        self.officer = an_officer(self.programme.region)
        # The shadow model: what each amount must be after the successful steps.
        self.budget = Decimal("50000")
        self.committed = {}  # enrolment pk -> committed amount
        self.asked = {}  # enrolment pk -> the aid asked for (the most an officer may commit)
        self.spent = {}  # enrolment pk -> Σ live expenses
        self.live_expenses = {}  # expense pk -> (enrolment pk, amount)
        self.settled = False

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _attempt(self, step):
        try:
            return step()
        except REFUSALS:
            return None

    # --- the workflow ---

    @rule(target=enrolments, amount=CENTS)
    def apply(self, amount):
        owner = OwnerFactory(company__region=self.programme.region)
        enrolment = self._attempt(
            lambda: services.apply_to_programme(
                programme=self.programme, company=owner.company, requested_amount=amount, motivation="m", by=owner.user
            )
        )
        if enrolment is None:
            assert self.settled or amount > self.programme.cap_per_company
            return None
        assert not self.settled
        self.committed[enrolment.pk] = ZERO
        self.spent[enrolment.pk] = ZERO
        self.asked[enrolment.pk] = amount
        return enrolment.pk

    @rule(pk=enrolments)
    def send_back(self, pk):
        if pk is not None:
            self._attempt(
                lambda: services.send_back_enrolment(
                    enrolment=Enrolment(pk=pk, programme=self.programme), message="Joindre un devis.", by=self.officer
                )
            )

    @rule(pk=enrolments, amount=CENTS)
    def resubmit(self, pk, amount):
        if pk is None:
            return
        enrolment = Enrolment.objects.get(pk=pk)
        before = enrolment.status
        done = self._attempt(
            lambda: services.resubmit_enrolment(
                enrolment=enrolment, by=enrolment.applied_by, requested_amount=amount, motivation="Corrigée."
            )
        )
        if done is not None:
            assert before == "sent_back" and amount <= self.programme.cap_per_company
            self.asked[pk] = amount
        else:
            assert before != "sent_back" or amount > self.programme.cap_per_company

    @rule(pk=enrolments)
    def review(self, pk):
        if pk is not None:
            self._attempt(
                lambda: services.start_review(enrolment=Enrolment(pk=pk, programme=self.programme), by=self.officer)
            )

    @rule(pk=enrolments, amount=CENTS)
    def accept(self, pk, amount):
        if pk is not None:
            self._accept(pk, amount)

    @rule(pk=enrolments)
    def accept_the_aid_asked(self, pk):
        if pk is not None:
            self._accept(pk, self.asked[pk])

    def _accept(self, pk, amount):
        before = Enrolment.objects.get(pk=pk).status
        left = self.budget - sum(self.committed.values())
        done = self._attempt(
            lambda: services.accept_enrolment(enrolment=Enrolment.objects.get(pk=pk), amount=amount, by=self.officer)
        )
        fits = amount <= left and amount <= self.programme.cap_per_company and amount <= self.asked[pk]
        if done is not None:
            assert before == "under_review" and fits
            self.committed[pk] = amount
        else:
            assert before != "under_review" or not fits

    @rule(pk=enrolments)
    def refuse(self, pk):
        if pk is not None:
            self._attempt(
                lambda: services.refuse_enrolment(enrolment=Enrolment.objects.get(pk=pk), reason="Non", by=self.officer)
            )

    @rule(pk=enrolments)
    def start(self, pk):
        if pk is not None:
            self._attempt(lambda: services.start_enrolment(enrolment=Enrolment.objects.get(pk=pk), by=self.officer))

    @rule(pk=enrolments)
    def complete(self, pk):
        if pk is not None and self._attempt(
            lambda: services.complete_enrolment(enrolment=Enrolment.objects.get(pk=pk), by=self.officer)
        ):
            self.committed[pk] = self.spent[pk]  # the unspent commitment goes back

    @rule(pk=enrolments)
    def withdraw(self, pk):
        if pk is not None and self._attempt(
            lambda: services.withdraw_enrolment(enrolment=Enrolment.objects.get(pk=pk), by=self.officer)
        ):
            self.committed[pk] = self.spent[pk]

    # --- money ---

    @rule(target=expenses, pk=enrolments, amount=CENTS)
    def book_expense(self, pk, amount):
        if pk is None:
            return None
        expense = self._attempt(
            lambda: services.book_expense(
                enrolment=Enrolment.objects.get(pk=pk),
                kind="other",
                amount=amount,
                label="Frais",
                incurred_on=timezone.localdate(),
                by=self.officer,
            )
        )
        if expense is None:
            return None
        assert self.spent[pk] + amount <= self.committed[pk]
        self.spent[pk] += amount
        self.live_expenses[expense.pk] = (pk, amount)
        return expense.pk

    @rule(pk=consumes(expenses))
    def cancel_expense(self, pk):
        if pk is None:
            return
        done = self._attempt(lambda: services.cancel_expense(expense=Expense(pk=pk), by=self.officer, reason="Erreur"))
        if self.settled:
            assert done is None, "a programme closed for good keeps its expenses"
            return
        assert done is not None, "a live expense can always be cancelled"
        enrolment_pk, amount = self.live_expenses.pop(pk)
        self.spent[enrolment_pk] -= amount
        if Enrolment.objects.get(pk=enrolment_pk).status in ("completed", "withdrawn"):
            self.committed[enrolment_pk] = self.spent[enrolment_pk]

    @rule(budget=st.integers(min_value=0, max_value=80_000).map(Decimal))
    def change_budget(self, budget):
        done = self._attempt(lambda: services.change_budget(programme=self.programme, budget=budget, by=self.officer))
        if done is not None:
            assert not self.settled and budget >= sum(self.committed.values())
            self.budget = budget
        else:
            assert self.settled or budget < sum(self.committed.values())

    @rule()
    def close_for_good(self):
        statuses = dict(Enrolment.objects.filter(programme=self.programme).values_list("pk", "status"))
        pending = any(status in ("applied", "sent_back", "under_review") for status in statuses.values())
        done = self._attempt(lambda: services.settle_programme(programme=self.programme, by=self.officer))
        if done is None:
            assert pending or self.settled
            return
        assert not pending and not self.settled
        self.settled = True
        for pk, status in statuses.items():
            if status in ("accepted", "in_progress"):
                self.committed[pk] = self.spent[pk]  # the unspent commitment goes back

    # --- after every step ---

    @invariant()
    def money_invariants_hold(self):
        programme = Programme.objects.get(pk=self.programme.pk)
        assert ZERO <= programme.spent_total <= programme.committed_total <= programme.budget == self.budget
        assert programme.committed_total == sum(self.committed.values(), ZERO)
        assert programme.spent_total == sum(self.spent.values(), ZERO)
        for enrolment in Enrolment.objects.filter(programme=programme):
            assert ZERO <= enrolment.spent_total <= enrolment.committed_amount <= enrolment.cap_amount
            assert (enrolment.committed_amount, enrolment.spent_total) == (
                self.committed[enrolment.pk],
                self.spent[enrolment.pk],
            )
        assert (programme.status == "settled") == self.settled
        report = services.reconcile(programme)
        assert report.ok, report.problems


@pytest.mark.django_db
def test_money_invariants_hold_after_every_step():
    run_state_machine_as_test(
        MoneyMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
