"""What the benchmarks share: Django set-up on the benchmark's database, figures as JSON lines, the
bench-only accounts and companies (marked, so that they can be found and removed again), machine facts.

Every benchmark reads `DATABASE_URL` (PostgreSQL) and `REDIS_URL` from the environment, as `make bench`
passes them. The benchmarks run with DEBUG off, as in production.
"""

import json
import math
import os
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every account and company the benchmarks create carries one of these marks; `cleanup()` removes them.
BENCH_DOMAIN = "bench.invalid"
BENCH_SIRET_PREFIX = "000"  # SIRETs starting with 000 are not issued by INSEE: no real company has one
BENCH_COMPANY_PREFIX = "[bench] "
BENCH_PASSWORD = "bench-industrie-2026"


def bench_environment(**extra):
    """The environment the benchmarks (and the servers and workers they start) run in."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    env["DEBUG"] = "False"
    env.setdefault("LOG_LEVEL", "WARNING")
    env.setdefault("EMAIL_URL", "memorymail://")  # report-ready e-mails are not printed
    env.setdefault("PYTHONPATH", str(ROOT))
    env.update(extra)
    return env


def setup_django():
    """Configure Django in this process for the benchmark database (refuses SQLite)."""
    os.environ.update(bench_environment())
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://…")
    return connection


def emit(bench, **figures):
    """Print one figure as a JSON line (what bench/__main__.py collects into results.md)."""
    print(json.dumps({"bench": bench, **figures}, default=str), flush=True)


def percentile(values, fraction):
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary_ms(seconds):
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
    }


def bench_email(name):
    return f"{name}@{BENCH_DOMAIN}"


def password_hash():
    """One hash for every bench account (hashing once keeps the preparation quick)."""
    from django.contrib.auth.hashers import make_password

    return make_password(BENCH_PASSWORD)


def bench_user(name, *, hashed=None, **fields):
    from portal.models import User

    user, _created = User.objects.update_or_create(
        email=bench_email(name), defaults={"first_name": "Bench", "last_name": name, **fields}
    )
    if hashed is not None:
        User.objects.filter(pk=user.pk).update(password=hashed)
    return user


def bench_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)


def cleanup():
    """Remove everything the benchmarks created (bench accounts, bench companies, their diagnostics,
    reports and files); the bench companies' submitted diagnostics leave the peer cells they were
    counted in, as if never submitted. Returns what was deleted."""
    from django.db import transaction
    from django.db.models import Q

    from diagnostics.models import Diagnostic, Report
    from diagnostics.peer_cells import Changes, profile_of, stored_contributions
    from experts.models import Assignment, ExpertReview
    from portal.models import Company, User

    users = User.objects.filter(email__endswith="@" + BENCH_DOMAIN)
    companies = Company.objects.filter(siret__startswith=BENCH_SIRET_PREFIX, name__startswith=BENCH_COMPANY_PREFIX)
    diagnostics = Diagnostic.objects.filter(Q(company__in=companies) | Q(started_by__in=users))
    deleted = {}
    for report in Report.objects.filter(diagnostic__in=diagnostics).exclude(file=""):
        report.file.delete(save=False)
    with transaction.atomic():
        counted = Changes()
        for latest in diagnostics.filter(is_latest=True, status=Diagnostic.Status.SUBMITTED).select_related(
            "referential"
        ):
            counted.add(latest.referential.code, profile_of(latest.company_id), stored_contributions(latest), -1)
        counted.write()
        # Submitted bench diagnostics may be the `previous` of another; drop the links first.
        Diagnostic.objects.filter(previous__in=diagnostics).update(previous=None)
        # Assignments hold their expert, company and proposer (protected): they go before them.
        assignments = Assignment.objects.filter(
            Q(expert__user__in=users) | Q(proposed_by__in=users) | Q(company__in=companies)
        )
        ExpertReview.objects.filter(assignment__in=assignments).delete()
        assignments.delete()
        for label, queryset in (("diagnostics", diagnostics), ("companies", companies), ("users", users)):
            count, _details = queryset.delete()
            deleted[label] = count
    return deleted


def versions():
    """Machine and software versions for results.md."""
    from django.db import connection

    facts = {
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "cpu": _cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    import django
    import weasyprint

    facts["django"] = django.get_version()
    facts["weasyprint"] = weasyprint.__version__
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        facts["postgresql"] = cursor.fetchone()[0]
    try:
        import redis

        url = os.environ.get("REDIS_URL")
        facts["redis"] = redis.Redis.from_url(url).info("server")["redis_version"] if url else "not configured"
    except Exception as error:
        facts["redis"] = f"unreachable ({error.__class__.__name__})"
    from importlib.metadata import PackageNotFoundError, version

    for package in ("celery", "locust", "gunicorn"):  # not imported: locust would monkey-patch this process
        try:
            facts[package] = version(package)
        except PackageNotFoundError:
            facts[package] = "not installed"
    return facts


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def dataset_counts():
    """The size of the data set the figures were measured on."""
    from diagnostics.models import Diagnostic
    from experts.models import Expert
    from portal.models import Company
    from regions.models import Enrolment, Programme

    return {
        "companies": Company.objects.count(),
        "submitted_diagnostics": Diagnostic.objects.filter(status=Diagnostic.Status.SUBMITTED).count(),
        "experts": Expert.objects.count(),
        "programmes": Programme.objects.count(),
        "enrolments": Enrolment.objects.count(),
    }
