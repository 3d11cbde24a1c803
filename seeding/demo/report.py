"""The PDF report part of `manage.py seed_demo`: the demo company's latest diagnostic gets its report.

Run after the diagnostics demo step (seeding/demo/__init__.py), which writes that diagnostic. The
steps of the apps above (experts, programmes) run later and change the report's next steps, so the
render waits for the whole seed to commit (`transaction.on_commit`): the report then matches what the
demo shows. It runs in-process whatever the broker, sends no e-mail, and reuses a ready report of
the same inputs (running the seed twice renders nothing more).
"""

import sys
from functools import partial

from django.db import transaction

from diagnostics.models import Diagnostic
from diagnostics.services.report import render_report, request_report


def seed_demo_report(accounts, *, out=None):
    """The demo step: render the demo report once the seed has committed."""
    transaction.on_commit(partial(render_demo_report, accounts, out=out))


def render_demo_report(accounts, *, out=None):
    out = out or sys.stdout
    company = accounts["company"]
    diagnostic = Diagnostic.objects.filter(company=company, is_latest=True).first()
    if diagnostic is None:
        out.write("Report demo skipped: the demo company has no submitted diagnostic.\n")
        return None
    report = request_report(diagnostic, by=accounts.get("sme"), enqueue=False)
    if report.is_ready:
        return report
    report = render_report(report.pk, notify=False)
    if report.is_ready:
        out.write(f"Report demo: {report.page_count}-page PDF report of {company.name} rendered.\n")
    else:
        out.write(f"Report demo: the report of {company.name} could not be rendered ({report.error}).\n")
    return report
