"""`manage.py seed_demo`: the demo company, one account per role and what each app shows them, in the
order the parts build on each other (accounts, diagnostics and their peers, the PDF report, experts,
programmes). Idempotent: running it twice changes nothing more."""

from django.db import transaction

from seeding.demo.accounts import DEMO_ACCOUNTS, demo_device, seed_demo_accounts
from seeding.demo.diagnostics import seed_demo_diagnostics
from seeding.demo.experts import seed_demo_experts
from seeding.demo.regions import seed_demo_programme
from seeding.demo.report import seed_demo_report

STEPS = [seed_demo_diagnostics, seed_demo_report, seed_demo_experts, seed_demo_programme]

__all__ = ["DEMO_ACCOUNTS", "STEPS", "demo_device", "seed_demo"]


@transaction.atomic
def seed_demo():
    """Create or refresh the demo data; returns the demo accounts (company, sme, officer, expert)."""
    accounts = seed_demo_accounts()
    for step in STEPS:
        step(accounts)
    return accounts
