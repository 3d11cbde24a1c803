"""A Hypothesis state machine over the money services: random sequences of apply / review / send back
/ resubmit / accept (within the aid asked, the budget and the de minimis ceiling) / refuse / withdraw
/ start / complete / book expense / cancel expense / change budget / submit, certify, reject and pay
a payment claim / close for good, with every money invariant
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
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from regions import services
from regions.exceptions import IllegalTransition, InvalidInput, RegionsError
from regions.models import Enrolment, Expense, PaymentClaim, Programme
from tests.portal.factories import OwnerFactory
from tests.regions.factories import ProgrammeFactory, an_officer, invoice

# The typed errors the regions services raise: their own refusals and the portal's two they share.
REFUSALS = (RegionsError, IllegalTransition, InvalidInput)
CENTS = st.integers(min_value=1, max_value=3_000_000).map(lambda cents: Decimal(cents) / 100)
ZERO = Decimal("0")
# Claims and certifications: smaller amounts, so that several fit in one commitment.
CLAIM_CENTS = st.integers(min_value=1, max_value=500_000).map(lambda cents: Decimal(cents) / 100)


class MoneyMachine(RuleBasedStateMachine):
    enrolments = Bundle("enrolments")
    expenses = Bundle("expenses")
    claims = Bundle("claims")

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
        self.certified = {}  # enrolment pk -> Σ certified claims
        self.paid = {}  # enrolment pk -> Σ payments
        self.claimed = {}  # claim pk -> (enrolment pk, amount claimed)
        self.claim_status = {}  # claim pk -> status
        self.settled = False

    def _left(self, pk):
        """What the commitment still allows: committed − spent − certified."""
        return self.committed[pk] - self.spent[pk] - self.certified[pk]

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
        self.certified[enrolment.pk] = ZERO
        self.paid[enrolment.pk] = ZERO
        self.asked[enrolment.pk] = amount
        return enrolment.pk

    @rule(
        target=enrolments, amount=st.integers(min_value=1_000_00, max_value=12_000_00).map(lambda c: Decimal(c) / 100)
    )
    def funded_application(self, amount):
        """Apply, review and accept the aid asked in one go: claims need funded enrolments, which
        three random steps in the right order would seldom make."""
        pk = self.apply(amount)
        if pk is not None:
            self.review(pk)
            self._accept(pk, self.asked[pk])
        return pk

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
            self.committed[pk] = self.spent[pk] + self.certified[pk]  # the rest of the commitment goes back

    @rule(pk=enrolments)
    def withdraw(self, pk):
        if pk is not None and self._attempt(
            lambda: services.withdraw_enrolment(enrolment=Enrolment.objects.get(pk=pk), by=self.officer)
        ):
            self.committed[pk] = self.spent[pk] + self.certified[pk]

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
        assert amount <= self._left(pk)
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
            self.committed[enrolment_pk] = self.spent[enrolment_pk] + self.certified[enrolment_pk]

    # --- payment claims ---

    @rule(target=claims, pk=enrolments, amount=CLAIM_CENTS)
    def submit_claim(self, pk, amount):
        if pk is None:
            return None
        enrolment = Enrolment.objects.get(pk=pk)
        made = self._attempt(
            lambda: services.submit_claim(
                enrolment=enrolment, amount=amount, description="Travaux", invoices=[invoice()], by=enrolment.applied_by
            )
        )
        fits = not self.settled and enrolment.status in Enrolment.BOOKABLE and amount <= self._left(pk)
        if made is None:
            assert not fits
            return None
        assert fits
        self.claimed[made.pk] = (pk, amount)
        self.claim_status[made.pk] = "submitted"
        return made.pk

    @rule(pk=claims, amount=CLAIM_CENTS)
    def certify_claim(self, pk, amount):
        if pk is not None:
            self._certify(pk, amount)

    @rule(pk=claims)
    def certify_the_amount_claimed(self, pk):
        if pk is not None:
            self._certify(pk, self.claimed[pk][1])

    def _certify(self, pk, amount):
        enrolment_pk, claimed = self.claimed[pk]
        done = self._attempt(lambda: services.certify_claim(claim=PaymentClaim(pk=pk), amount=amount, by=self.officer))
        fits = (
            not self.settled
            and self.claim_status[pk] == "submitted"
            and amount <= claimed
            and amount <= self._left(enrolment_pk)
        )
        if done is None:
            assert not fits
            return
        assert fits
        self.certified[enrolment_pk] += amount
        self.claim_status[pk] = "certified"

    def _in_status(self, status):
        return sorted(pk for pk, current in self.claim_status.items() if current == status)

    # Drawn from the claims waiting for the step (the bundle also holds refused submissions and
    # claims already decided), so that certifications and payments happen in most runs.
    @precondition(lambda self: self._in_status("submitted"))
    @rule(index=st.integers(min_value=0), share=st.sampled_from(["all", "half", "all but a cent"]))
    def certify_a_waiting_claim(self, index, share):
        waiting = self._in_status("submitted")
        pk = waiting[index % len(waiting)]
        claimed = self.claimed[pk][1]
        amount = {
            "all": claimed,
            "half": (claimed / 2).quantize(Decimal("0.01")),
            "all but a cent": claimed - Decimal("0.01"),
        }[share]
        self._certify(pk, max(amount, Decimal("0.01")))

    @precondition(lambda self: self._in_status("certified"))
    @rule(index=st.integers(min_value=0))
    def pay_a_certified_claim(self, index):
        certified = self._in_status("certified")
        self.pay_claim(certified[index % len(certified)])

    @rule(pk=claims)
    def reject_claim(self, pk):
        if pk is None:
            return
        done = self._attempt(lambda: services.reject_claim(claim=PaymentClaim(pk=pk), reason="Non", by=self.officer))
        assert (done is not None) == (self.claim_status[pk] == "submitted")
        if done is not None:
            self.claim_status[pk] = "rejected"

    @rule(pk=claims)
    def pay_claim(self, pk):
        if pk is None:
            return
        done = self._attempt(
            lambda: services.record_payment(
                claim=PaymentClaim(pk=pk), paid_on=timezone.localdate(), reference=f"VIR-{pk}", by=self.officer
            )
        )
        assert (done is not None) == (self.claim_status[pk] == "certified")
        if done is not None:
            self.paid[self.claimed[pk][0]] += done.certified_amount
            self.claim_status[pk] = "paid"

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
        pending = pending or bool(self._in_status("submitted"))  # a payment claim waiting for its decision
        done = self._attempt(lambda: services.settle_programme(programme=self.programme, by=self.officer))
        if done is None:
            assert pending or self.settled
            return
        assert not pending and not self.settled
        self.settled = True
        for pk, status in statuses.items():
            if status in ("accepted", "in_progress"):
                # What was neither spent nor certified goes back; certified claims stay owed (and payable).
                self.committed[pk] = self.spent[pk] + self.certified[pk]

    # --- after every step ---

    @invariant()
    def money_invariants_hold(self):
        programme = Programme.objects.get(pk=self.programme.pk)
        assert ZERO <= programme.spent_total <= programme.committed_total <= programme.budget == self.budget
        assert programme.committed_total == sum(self.committed.values(), ZERO)
        assert programme.spent_total == sum(self.spent.values(), ZERO)
        for enrolment in Enrolment.objects.filter(programme=programme):
            assert ZERO <= enrolment.spent_total <= enrolment.committed_amount <= enrolment.cap_amount
            assert ZERO <= enrolment.paid_total <= enrolment.certified_total
            assert enrolment.spent_total + enrolment.certified_total <= enrolment.committed_amount
            assert (enrolment.committed_amount, enrolment.spent_total) == (
                self.committed[enrolment.pk],
                self.spent[enrolment.pk],
            )
            assert (enrolment.certified_total, enrolment.paid_total) == (
                self.certified[enrolment.pk],
                self.paid[enrolment.pk],
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
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
