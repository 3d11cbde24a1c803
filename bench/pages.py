"""Page cost: server time and SQL queries of the portal's main pages, against a FLOOR measured in the same run.

`.venv/bin/python -m bench.pages --runs 30` (DATABASE_URL: PostgreSQL with the data set to measure on).

In this one process, Django's test Client sends each request through the whole middleware stack
(sessions, login required, second factor, CSP, axes…), logged in as the user who would open the page:

- floor: a bench-only view rendering the base template (bench/urls.py, mounted only in this process),
  once per role (SME, officer, staff), since a role's middleware and menus cost differ;
- the questionnaire page (one axis), an autosave POST, the deep-dive modules page, the results page (SME member of a company with
  submitted diagnostics), the regional dashboard and the CSV export of the region's enrolments (a
  regional officer of the region with the most enrolments), the national dashboard (Alliance staff),
  the expert directory (SME);
- the divergence page ("who answered what") of a bench company's draft whose core two respondents
  answered apart (SME, the draft's lead), and the expert's validation page of the company's latest
  submitted diagnostic (an assigned bench expert, compared with an expert's floor);
- the submit of a complete draft (the per-submit work: scores, peer cells, the report's snapshot),
  each run on a draft of its own (bench companies, made complete beforehand and removed at the end).

Warm-up runs first, then `--runs` rounds; every round requests every page once (a noisy neighbour
weighs on the floor as on the pages). Then `--cold-runs` rounds where every cache is cleared before
each request (not timed): the figures of a page nobody asked for since its data changed, or after a
restart. Server time is the wall-clock time of the whole request in the Client; the query count comes
from one more, warm, request per page under CaptureQueriesContext (not timed). Prints one JSON line per
figure: median and p95 (ms) warm and cold, queries, ratio of the warm median to the floor's.

The bench accounts (…@bench.invalid), the bench company, the drafts and the assignment it makes are removed at the end.
"""

import argparse
import time
from dataclasses import dataclass, field

from bench.common import (
    BENCH_COMPANY_PREFIX,
    BENCH_SIRET_PREFIX,
    bench_device,
    bench_user,
    cleanup,
    emit,
    setup_django,
    summary_ms,
)

GOAL_RATIO = 5
GOAL_QUERIES = 12
GOAL_DASHBOARD_P95_MS = 300
GOAL_RESULTS_COLD_MS = 150


@dataclass
class Page:
    name: str
    role: str  # whose floor it is compared with
    method: str
    url: str
    data: object = None  # POST data, or a callable(run) giving it
    streaming: bool = False
    seconds: list = field(default_factory=list)
    cold_seconds: list = field(default_factory=list)
    queries: int | None = None


@dataclass
class Targets:
    users: dict
    pages: list
    region: object
    company: object
    described: dict


def _pick_region():
    from django.db.models import Count

    from portal.models import Region

    region = Region.objects.annotate(n=Count("programmes__enrolments")).filter(n__gt=0).order_by("-n", "code").first()
    return region or Region.objects.order_by("code").first()


def _pick_company(region):
    """A company of the region with the most submitted diagnostics (and an enrolment when possible)
    and no draft in progress: the bench starts its own draft on it and removes it at the end."""
    from django.db.models import Count, Exists, OuterRef, Q

    from diagnostics.models import Diagnostic
    from portal.models import Company
    from regions.models import Enrolment

    candidates = (
        Company.objects.filter(diagnostics__is_latest=True)
        .exclude(Exists(Diagnostic.objects.filter(company=OuterRef("pk"), status=Diagnostic.Status.DRAFT)))
        .annotate(
            submitted=Count("diagnostics", filter=Q(diagnostics__status=Diagnostic.Status.SUBMITTED)),
            enrolled=Exists(Enrolment.objects.filter(company=OuterRef("pk"))),
        )
    )
    in_region = candidates.filter(region=region).order_by("-enrolled", "-submitted", "pk").first()
    return in_region or candidates.order_by("-enrolled", "-submitted", "pk").first()


def _respondents_draft(sme, region):
    """A bench company led by `sme`, whose draft's core a bench colleague answered too, each level apart
    (the divergence page then shows two answers per question, most of them flagged)."""
    from diagnostics import services
    from diagnostics.models import RespondentFunction
    from portal.models import Company, Membership, NafCode

    company = Company.objects.create(
        siret=f"{BENCH_SIRET_PREFIX}{88_000_000_000:011d}",  # apart from bench.load's and bench.reports'
        name=f"{BENCH_COMPANY_PREFIX}PME répondants",
        naf_division=NafCode.objects.filter(level=NafCode.Level.DIVISION).order_by("code").first(),
        headcount_band="10-49",
        region=region,
    )
    colleague = bench_user("pages-colleague")
    Membership.objects.create(user=sme, company=company, role=Membership.Role.OWNER)
    Membership.objects.create(user=colleague, company=company, role=Membership.Role.MEMBER)
    draft = services.start_diagnostic(company=company, by=sme)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.PRODUCTION, user=colleague, by=sme)
    core = draft.referential.questions.filter(module__isnull=True).order_by("axis__order", "order", "pk")
    for number, question in enumerate(core):
        for user, level in ((sme, number % 6), (colleague, (number + 3) % 6)):
            services.save_respondent_answer(diagnostic=draft, question=question, level=level, by=user)
    return draft


def _assigned_expert(company, diagnostic, officer):
    """A bench expert assigned (in progress) to validate `diagnostic`."""
    from experts.models import Assignment, Expert

    expert = Expert.objects.get_or_create(user=bench_user("pages-expert"), defaults={"organisation": "[bench]"})[0]
    assignment = Assignment.objects.create(
        expert=expert, company=company, diagnostic=diagnostic, proposed_by=officer, status=Assignment.Status.IN_PROGRESS
    )
    return expert.user, assignment


def prepare_submits(sme, count):
    """`count` complete drafts of bench companies the bench SME belongs to, one per submit to measure."""
    from bench.reports import prepare
    from portal.models import Membership

    drafts = [draft for draft, _owner in prepare(count, tag=7)]
    Membership.objects.bulk_create(
        Membership(user=sme, company_id=draft.company_id, role=Membership.Role.MEMBER) for draft in drafts
    )
    return [draft.pk for draft in drafts]


def prepare_targets(submits=0):
    """Bench accounts and the pages to measure, on whatever data set the database holds; `submits`
    complete drafts for the submit's runs (none: the submit is not measured)."""
    from django.urls import reverse

    from diagnostics import services
    from diagnostics.models import Diagnostic
    from portal.models import Membership, RegionOfficer

    region = _pick_region()
    company = _pick_company(region)
    if company is None:
        raise SystemExit("No company with a submitted diagnostic: load a data set first (seed_national or seed_demo).")
    sme = bench_user("pages-sme")
    Membership.objects.get_or_create(user=sme, company=company, defaults={"role": Membership.Role.MEMBER})
    officer = bench_user("pages-officer")
    RegionOfficer.objects.get_or_create(user=officer, region=region)
    staff = bench_user("pages-staff", is_staff=True)
    for user in (officer, staff):
        bench_device(user)

    submitted = Diagnostic.objects.get(company=company, is_latest=True)
    expert, assignment = _assigned_expert(company, submitted, officer)
    respondents_draft = _respondents_draft(sme, region)
    draft = services.start_diagnostic(company=company, by=sme, from_previous=True)
    axis = draft.referential.axes.order_by("order", "pk").first()
    # The core's questions: a module's need the module opened first (autosave answers 409 otherwise).
    questions = list(axis.questions.filter(module__isnull=True).order_by("order", "pk").values_list("pk", flat=True))

    def autosave_data(run):
        question = questions[run % len(questions)]
        return question, {f"q{question}-choice": str(run % 6), f"q{question}-comment": f"bench run {run}"}

    drafts_to_submit = prepare_submits(sme, submits) if submits else []
    pages = [
        Page("floor (SME)", "sme", "get", reverse("bench_floor")),
        Page("floor (officer)", "officer", "get", reverse("bench_floor")),
        Page("floor (staff)", "staff", "get", reverse("bench_floor")),
        Page("floor (expert)", "expert", "get", reverse("bench_floor")),
        Page("questionnaire page", "sme", "get", reverse("diagnostics:axis", args=[draft.pk, axis.code])),
        Page("autosave", "sme", "autosave", str(draft.pk), data=autosave_data),
        Page("deep-dive modules page", "sme", "get", reverse("diagnostics:modules", args=[draft.pk])),
        Page("results page", "sme", "get", reverse("diagnostics:results", args=[submitted.pk])),
        Page("divergence page", "sme", "get", reverse("diagnostics:divergence", args=[respondents_draft.pk])),
        Page("expert's validation page", "expert", "get", reverse("experts:validation", args=[assignment.pk])),
        Page("regional dashboard", "officer", "get", reverse("regions:dashboard")),
        Page("national dashboard", "staff", "get", reverse("regions:national")),
        Page("expert directory", "sme", "get", reverse("experts:directory")),
        Page(
            "export of the region's enrolments (CSV)",
            "officer",
            "get",
            reverse("regions:export", kwargs={"kind": "candidatures", "fmt": "csv"}),
            streaming=True,
        ),
    ]
    if drafts_to_submit:
        pages.append(Page("submit", "sme", "submit", "", data=lambda run: drafts_to_submit[run]))
    described = {
        "region": f"{region.code} {region}",
        "company_diagnostics": Diagnostic.objects.filter(company=company).count(),
        "region_enrolments": region.programmes.values("enrolments").exclude(enrolments=None).count(),
    }
    users = {"sme": sme, "officer": officer, "staff": staff, "expert": expert}
    return Targets(users, pages, region, company, described)


def _pass_second_factor(client, user):
    """Officers and staff pass the second factor with a real TOTP code, as their authenticator gives it."""
    from django.urls import reverse

    from portal.security import current_token, needs_second_factor

    if needs_second_factor(user):
        response = client.post(reverse("portal:otp_verify"), {"token": current_token(bench_device(user))})
        assert response.status_code == 302, f"second factor refused for {user.email}"


def _clients(users):
    """One logged-in Client per role, past the second factor where the role needs one."""
    from django.test import Client

    clients = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        _pass_second_factor(client, user)
        clients[role] = client
    return clients


def _request(client, page, run):
    from django.urls import reverse

    if page.method == "submit":
        diagnostic = page.data(run)
        response = client.post(reverse("diagnostics:submit", args=[diagnostic]))
        expected = reverse("diagnostics:results", args=[diagnostic])
        assert response.status_code == 302 and response.url == expected, f"submit: HTTP {response.status_code}"
        return response
    if page.method == "autosave":
        question, data = page.data(run)
        response = client.post(
            reverse("diagnostics:autosave", args=[int(page.url), question]), data, headers={"HX-Request": "true"}
        )
    elif page.method == "post":
        response = client.post(page.url, page.data)
    else:
        response = client.get(page.url)
    if page.streaming:
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018 - the body is built by now; read it as a browser would
    assert response.status_code == 200, f"{page.name}: HTTP {response.status_code}"
    return response


def clear_caches():
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()


def measure(targets, *, runs, warmup, cold_runs=0):
    """Warm-up, then `runs` interleaved rounds, then `cold_runs` rounds with every cache cleared before
    each request, then one counted request per page. Fills the pages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = _clients(targets.users)
    run_number = 0
    for _round in range(warmup):
        for page in targets.pages:
            _request(clients[page.role], page, run_number)
        run_number += 1
    for cold, rounds in ((False, runs), (True, cold_runs)):
        for _round in range(rounds):
            for page in targets.pages:
                client = clients[page.role]
                if cold:
                    clear_caches()  # sessions too: they are read again from the database (cached_db)
                start = time.perf_counter()
                _request(client, page, run_number)
                (page.cold_seconds if cold else page.seconds).append(time.perf_counter() - start)
            run_number += 1
    if cold_runs:  # the counted request is a warm one: the cold rounds left the caches nearly empty
        for page in targets.pages:
            _request(clients[page.role], page, run_number)
        run_number += 1
    for page in targets.pages:
        with CaptureQueriesContext(connection) as queries:
            _request(clients[page.role], page, run_number)
        page.queries = len(queries)
    return targets.pages


def figures(pages):
    """One dict per page: median, p95, queries, ratio to its role's floor, and the goals met."""
    floors = {page.role: summary_ms(page.seconds)["median_ms"] for page in pages if page.name.startswith("floor")}
    rows = []
    for page in pages:
        row = {"page": page.name, "runs": len(page.seconds), **summary_ms(page.seconds), "queries": page.queries}
        if page.cold_seconds:
            cold = summary_ms(page.cold_seconds)
            row.update(cold_runs=len(page.cold_seconds), cold_median_ms=cold["median_ms"], cold_p95_ms=cold["p95_ms"])
            if page.name == "results page":
                row["goal_cold_met"] = cold["median_ms"] <= GOAL_RESULTS_COLD_MS
            if "dashboard" in page.name:
                row["goal_cold_p95_met"] = cold["p95_ms"] <= GOAL_DASHBOARD_P95_MS
        if not page.name.startswith("floor"):
            row["floor_ms"] = floors[page.role]
            row["ratio"] = round(row["median_ms"] / floors[page.role], 2)
            if page.method != "submit":  # a write, not a page: its goal is its growth with the population
                row["goal_ratio_met"] = row["ratio"] <= GOAL_RATIO
                row["goal_queries_met"] = page.queries <= GOAL_QUERIES
            if "dashboard" in page.name:
                row["goal_p95_met"] = row["p95_ms"] <= GOAL_DASHBOARD_P95_MS
        rows.append(row)
    return rows


def run(*, runs, warmup, cold_runs=0, submits=True):
    """Prepare, measure and return the figures (the caller cleans up). The bench URLconf (with the
    floor) is in force for this call only."""
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="bench.urls"):
        # A draft for every submit: warm-up, runs, cold runs, the re-warming after them, the counted one.
        targets = prepare_targets(submits=warmup + runs + cold_runs + 2 if submits else 0)
        return targets, figures(measure(targets, runs=runs, warmup=warmup, cold_runs=cold_runs))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="measured rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="rounds before measuring (default 3)")
    parser.add_argument(
        "--cold-runs", type=int, default=10, help="rounds with every cache cleared before each request (default 10)"
    )
    arguments = parser.parse_args(argv)
    setup_django()
    cleanup()
    try:
        targets, rows = run(runs=arguments.runs, warmup=arguments.warmup, cold_runs=arguments.cold_runs)
        emit("pages", kind="context", **targets.described)
        for row in rows:
            emit("pages", **row)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
