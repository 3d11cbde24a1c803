"""`make bench` (`.venv/bin/python -m bench`): page cost, load and report throughput, written to bench/results.md.

Reads DATABASE_URL (PostgreSQL) and REDIS_URL from the environment (the Makefile gives defaults: the
`national` database and Redis database 7). On a fresh database it migrates and runs
`seed_national --companies BENCH_COMPANIES` (50,000 by default); a database that already holds companies
is measured as it is (its size is written in the results). Then it runs, each in its own process:

1. `python -m bench.pages --runs RUNS`          page cost against the floor, warm and with every cache
                                                cleared, and the submit (bench/pages.py)
2. `python -m bench.load --duration SECONDS`    Locust against gunicorn (bench/load.py)
3. `python -m bench.reports --reports N`         report throughput, 1 and 2 workers (bench/reports.py)
4. `python -m bench.report --on-database`      one report of the data set: pipeline / bare WeasyPrint,
                                                and asking for it again unchanged (bench/report.py)
5. growth (`--growth-companies G`, 5,000 from the Makefile): the page cost again on a database of G
   companies (the same server, the database's name + `_G`, seeded the same way when empty); a table
   gives each page's and the submit's median at G and at the main size, and their ratio (goal ≤ 1.3:
   no whole-population work on a request).

Every figure is printed as a JSON line as it comes; bench/results.md gets the date, the machine, the
versions, the data set, one table per part with the goals, and what is short. bench/analysis.md (written
by hand: what was profiled and fixed, why a figure is still short) is appended to it.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench.common import ROOT, bench_environment, dataset_counts, setup_django, versions

GOAL_GROWTH = 1.3

RESULTS = ROOT / "bench/results.md"
ANALYSIS = ROOT / "bench/analysis.md"


def create_database_if_missing(url):
    """Create the PostgreSQL database of `url` when the server does not have it (a fresh server)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            server.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def prepare_database(companies):
    """Migrate; seed the national data set into an empty database; store the peer figures of a data set
    that has none stored (so that a page with every cache cleared reads them, as in production after
    any submit). Returns what was done. (`python -m bench --prepare-only` runs this alone, in the
    process of the growth database.)"""
    from django.core.management import call_command

    from diagnostics.models import PeerCell, PeerPublication
    from diagnostics.peer_publication import refresh_peer_publication
    from portal.models import Company

    call_command("migrate", verbosity=0)
    if Company.objects.exists():
        done = "existing data set"
        stored = set(PeerPublication.objects.values_list("referential_code", flat=True))
        for code in set(PeerCell.objects.values_list("referential_code", flat=True).distinct()) - stored:
            refresh_peer_publication(code)
            done += f", peer figures of {code} stored"
        return done
    started = time.perf_counter()
    call_command("seed_national", companies=companies)
    return f"seed_national --companies {companies} ({time.perf_counter() - started:.0f} s)"


def run_part(module, arguments, **environment):
    """Run one benchmark in its own process (with `environment` added to the bench's); echo and
    collect its JSON lines."""
    command = [sys.executable, "-m", module, *arguments]
    print(f"$ {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=bench_environment(**environment), stdout=subprocess.PIPE, text=True
    )
    figures = []
    for line in process.stdout:
        print(line, end="", flush=True)
        if line.startswith("{"):
            figures.append(json.loads(line))
    process.wait()
    return {
        "command": "python -m " + " ".join([module, *arguments]),
        "exit": process.returncode,
        "seconds": round(time.perf_counter() - started),
        "load_after": os.getloadavg(),
        "figures": figures,
    }


def _yes(value):
    return "✅" if value else "❌"


def _ms(value):
    return "—" if value is None else f"{value:,.1f}"


def pages_table(part, short):
    rows = [
        "| Page | median (ms) | p95 (ms) | queries | ratio to floor | cold median (ms) | cold p95 (ms) | goals: ≤ 5× "
        "floor, ≤ 12 queries (dashboards: p95 ≤ 300 ms, warm and cold; results page cold ≤ 150 ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for figure in part["figures"]:
        if "page" not in figure:
            continue
        cold = f"{_ms(figure.get('cold_median_ms'))} | {_ms(figure.get('cold_p95_ms'))}"
        if figure["page"].startswith("floor"):
            rows.append(
                f"| *{figure['page']}* | {_ms(figure['median_ms'])} | {_ms(figure['p95_ms'])} | {figure['queries']} "
                f"| 1 | {cold} | |"
            )
            continue
        goals = [
            f"{_yes(figure[f'goal_{goal}_met'])} {goal}"
            for goal in ("ratio", "queries")
            if f"goal_{goal}_met" in figure
        ]
        if "goal_p95_met" in figure:
            goals.append(f"{_yes(figure['goal_p95_met'])} p95")
        if "goal_cold_p95_met" in figure:
            goals.append(f"{_yes(figure['goal_cold_p95_met'])} cold p95")
        if "goal_cold_met" in figure:
            goals.append(f"{_yes(figure['goal_cold_met'])} cold")
        rows.append(
            f"| {figure['page']} | {_ms(figure['median_ms'])} | {_ms(figure['p95_ms'])} | {figure['queries']}"
            f" | {figure['ratio']:.2f} | {cold} | {' '.join(goals)} |"
        )
        if figure.get("goal_ratio_met") is False:
            short.append(f"{figure['page']}: {figure['ratio']:.2f}× its floor (goal ≤ 5×)")
        if figure.get("goal_queries_met") is False:
            short.append(f"{figure['page']}: {figure['queries']} queries (goal ≤ 12)")
        if figure.get("goal_p95_met") is False:
            short.append(f"{figure['page']}: p95 {figure['p95_ms']:.0f} ms (goal ≤ 300 ms)")
        if figure.get("goal_cold_p95_met") is False:
            short.append(
                f"{figure['page']}: p95 {figure['cold_p95_ms']:.0f} ms with every cache cleared (goal ≤ 300 ms)"
            )
        if figure.get("goal_cold_met") is False:
            short.append(
                f"{figure['page']}: {figure['cold_median_ms']:.0f} ms with every cache cleared (goal ≤ 150 ms)"
            )
    context = next((figure for figure in part["figures"] if figure.get("kind") == "context"), {})
    if context:
        rows.append("")
        rows.append(
            f"Measured as members/officers of region {context.get('region')} (its programmes hold "
            f"{context.get('region_enrolments')} enrolments); the SME's company has "
            f"{context.get('company_diagnostics')} diagnostics."
        )
    return rows


def load_table(part, short):
    rows = [
        "| Request | count | failures | req/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for figure in part["figures"]:
        if "name" not in figure:
            continue
        name = f"**{figure['name']}**" if figure["name"] in ("autosave", "Aggregated") else figure["name"]
        rows.append(
            f"| {name} | {figure['requests']} | {figure['failures']} | {figure['requests_per_s']} | "
            f"{_ms(figure['p50_ms'])} | {_ms(figure['p95_ms'])} | {_ms(figure['p99_ms'])} | {_ms(figure['max_ms'])} |"
        )
    context = next((figure for figure in part["figures"] if figure.get("kind") == "context"), {})
    verdict = next((figure for figure in part["figures"] if figure.get("kind") == "verdict"), None)
    rows.append("")
    if context:
        rows.append(
            f"{context['sme_users']} SME users (in {context.get('respondent_pairs', 0)} companies two colleagues "
            f"answer one draft as respondents) and {context['dashboard_users']} dashboard users, arriving over "
            f"{context.get('ramp_s', 0)} s, then measured for {context['duration_s']} s once all are there, against "
            f"gunicorn ({context['gunicorn_workers']} sync workers) on a free loopback port, checked to be its listener."
        )
    cpu = next((figure for figure in part["figures"] if figure.get("kind") == "cpu"), None)
    if cpu:
        rows.append("")
        rows.append(
            f"CPU used meanwhile: gunicorn workers {cpu['gunicorn_cpu_s']} s, PostgreSQL backends "
            f"{cpu['postgres_cpu_s']} s, i.e. {cpu['cpu_ms_per_request']} ms of CPU per request: two cores given "
            f"to the portal alone would serve about {cpu['capacity_two_cores_rps']} requests/s of this mix. "
            f"The load generator (Locust, on the same machine) used {cpu.get('locust_cpu_s', '?')} s of CPU."
        )
    if context.get("load_average_before"):
        rows.append(
            f"Load average of the machine (1 / 5 / 15 min) before: {' / '.join(map(str, context['load_average_before']))}, "
            f"after: {' / '.join(map(str, context['load_average_after']))}."
        )
    if verdict:
        rows.append("")
        rows.append("| Goal | measured | met |")
        rows.append("| --- | ---: | --- |")
        rows.append(
            f"| autosave p95 ≤ 50 ms under load | {_ms(verdict['autosave_p95_ms'])} ms | "
            f"{_yes(verdict['goal_autosave_p95_met'])} |"
        )
        rows.append(f"| 0 errors | {verdict['errors']} | {_yes(verdict['goal_no_error_met'])} |")
        rows.append(
            f"| 0 answers lost (of {verdict['acknowledged_autosaves']} acknowledged autosaves, checked in the database) "
            f"| {verdict['answers_lost']} | {_yes(verdict['goal_none_lost_met'])} |"
        )
        if verdict["failure_kinds"]:
            rows.append("")
            rows.append("Failures: " + "; ".join(verdict["failure_kinds"]))
        if not verdict["goal_autosave_p95_met"]:
            short.append(f"autosave under load: p95 {_ms(verdict['autosave_p95_ms'])} ms (goal ≤ 50 ms)")
        if not verdict["goal_no_error_met"]:
            short.append(f"load: {verdict['errors']} errors (goal 0)")
        if not verdict["goal_none_lost_met"]:
            short.append(f"load: {verdict['answers_lost']} acknowledged answers lost (goal 0)")
    else:
        short.append("load: no verdict (the load benchmark did not finish)")
    return rows


def reports_table(part, short):
    rows = [
        "| Worker processes | reports | ready | failed | submit phase (s) | workers launched → all ready (s) "
        "| reports / min | workers' CPU per report (s) | load avg after |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    scaling = None
    for figure in part["figures"]:
        if figure.get("kind") == "scaling":
            scaling = figure
        elif "workers" in figure:
            load = " / ".join(f"{value:.1f}" for value in figure.get("load_average", []))
            rows.append(
                f"| {figure['workers']} | {figure['reports']} | {figure['ready']} | {figure['failed']} | "
                f"{figure['submit_s']} | {figure['elapsed_s']} | {figure['reports_per_min']} | "
                f"{figure.get('cpu_s_per_report', '—')} | {load} |"
            )
    rows.append("")
    rows.append(
        "The N drafts are submitted first (their renders queue up, as after a deadline), then the workers "
        "are launched (`celery -A portal worker --concurrency 1` each); time runs from their launch."
    )
    rows.append("")
    if scaling:
        rows.append(
            f"**Scaling {scaling['workers']} workers: {scaling['scaling']}×** (goal ≥ 1.8×) {_yes(scaling['goal_scaling_met'])}"
        )
        if scaling.get("cpu_per_report_ratio"):
            rows.append("")
            rows.append(
                f"Workers' CPU per report, {scaling['workers']} workers: {scaling['cpu_per_report_ratio']}× "
                "(near 1: the renders do not slow each other down; the wall-clock scaling is then bounded by "
                "the free cores of the machine)."
            )
        if not scaling["goal_scaling_met"]:
            short.append(f"report scaling: {scaling['scaling']}× with 2 workers (goal ≥ 1.8×)")
    else:
        short.append("reports: no scaling figure (the report benchmark did not finish)")
    return rows


def report_table(part, short):
    figure = next((figure for figure in part["figures"] if figure.get("bench") == "report"), None)
    if figure is None:
        short.append("report: no figure (the report benchmark did not finish)")
        return ["No figure."]
    rows = [
        "| Figure | measured | goal | met |",
        "| --- | ---: | --- | --- |",
        f"| full pipeline / bare WeasyPrint (CPU) | {figure['ratio_cpu']:.3f} | ≤ 1.10 | {_yes(figure['goal_ratio_met'])} |",
        f"| asking again, inputs unchanged | {_ms(figure['cache_hit_ms'])} ms | ≤ 50 ms | "
        f"{_yes(figure['goal_cache_hit_met'])} |",
        "",
        f"Median of {figure['runs']} renders: full pipeline {_ms(figure['full_ms'])} ms, bare WeasyPrint "
        f"{_ms(figure['bare_ms'])} ms (wall-clock ratio {figure['ratio_wall']:.3f}); {figure['pages']} pages, "
        f"{figure['size_kib']} KiB; a duplicate delivery of the render task {_ms(figure['duplicate_ms'])} ms.",
    ]
    if not figure["goal_ratio_met"]:
        short.append(f"report: pipeline {figure['ratio_cpu']:.3f}× a bare render (goal ≤ 1.10)")
    if not figure["goal_cache_hit_met"]:
        short.append(f"report: asking again takes {figure['cache_hit_ms']:.0f} ms (goal ≤ 50 ms)")
    return rows


def growth_table(part, short):
    """Each page's median at the growth size and at the main size (the pages part), and their ratio —
    each median taken relative to its floor measured in the same run, since the two runs do not meet the
    same machine (the raw medians are shown too)."""
    small = {figure["page"]: figure for figure in part["figures"] if "page" in figure}
    large = {figure["page"]: figure for figure in part["main_figures"] if "page" in figure}
    context = next((figure for figure in part["figures"] if figure.get("kind") == "dataset"), {})
    rows = [
        f"| Page | median at {context.get('companies', 0):,} companies (ms) | median at {part['main_companies']:,} "
        f"(ms) | ratio (each to its floor) | goal ≤ {GOAL_GROWTH}× |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, figure in small.items():
        if name.startswith("floor") or name not in large:
            continue
        ratio = (large[name]["median_ms"] / large[name]["floor_ms"]) / (figure["median_ms"] / figure["floor_ms"])
        rows.append(
            f"| {name} | {_ms(figure['median_ms'])} | {_ms(large[name]['median_ms'])} | {ratio:.2f} | "
            f"{_yes(ratio <= GOAL_GROWTH)} |"
        )
        if ratio > GOAL_GROWTH:
            short.append(f"{name}: {ratio:.2f}× slower at {part['main_companies']:,} companies (goal ≤ {GOAL_GROWTH}×)")
    floors = [
        f"{name} {_ms(figure['median_ms'])} / {_ms(large[name]['median_ms'])} ms"
        for name, figure in small.items()
        if name.startswith("floor") and name in large
    ]
    rows += ["", f"Floors at the two sizes (the machine's state in each run): {'; '.join(floors)}."]
    return rows


def write_results(*, arguments, facts, counts, database, parts, started, load_before):
    short = []
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m bench {' '.join(arguments)}`) on "
        f"{started:%Y-%m-%d %H:%M} UTC; {round((datetime.now(UTC) - started).total_seconds() / 60)} min in all.",
        "",
        "## Machine and versions",
        "",
        f"- {facts['cores']} cores ({facts['cpu']}), {facts['memory_gib']} GiB memory, {facts['os']}",
        f"- Python {facts['python']}, Django {facts['django']}, PostgreSQL {facts['postgresql']}, "
        f"Redis {facts['redis']}, WeasyPrint {facts['weasyprint']}, Celery {facts.get('celery', '?')}, "
        f"gunicorn {facts.get('gunicorn', '?')}, Locust {facts.get('locust', '?')}",
        f"- Load average before the run: {' / '.join(f'{value:.1f}' for value in load_before)} (1 / 5 / 15 min); "
        "the machine is shared, so every figure is compared with a floor or a 1-worker run measured in the same run.",
        "",
        "## Data set",
        "",
        f"Database `{facts.get('database')}` ({database}): "
        + ", ".join(f"{value:,} {label.replace('_', ' ')}" for label, value in counts.items())
        + ".",
        "",
    ]
    titles = {
        "pages": ("Page cost", pages_table),
        "load": ("Load: 50 SME users with autosave (two respondents on some drafts) + 5 on dashboards", load_table),
        "reports": ("Report throughput", reports_table),
        "report": ("One report on this data set", report_table),
        "growth": ("Growth: the same pages on a smaller data set", growth_table),
    }
    for key, (title, table) in titles.items():
        part = parts.get(key)
        lines += [f"## {title}", ""]
        if part is None:
            lines += ["Not run.", ""]
            continue
        lines += [
            f"`{part['command']}` — exit {part['exit']}, {part['seconds']} s, load average after "
            f"{' / '.join(f'{value:.1f}' for value in part['load_after'])}.",
            "",
        ]
        lines += table(part, short)
        lines.append("")
    lines += ["## What is short", ""]
    lines += [f"- {item}" for item in short] or ["Every goal measured in this run is met."]
    lines.append("")
    if ANALYSIS.exists():
        lines += [ANALYSIS.read_text().rstrip(), ""]
    RESULTS.write_text("\n".join(lines))
    return short


def growth_database_url(companies):
    """The main database's URL with the name + `_COMPANIES`, created when missing (same server)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(parts._replace(path=f"/{parts.path.strip('/')}_{companies}"))
    create_database_if_missing(url)
    return url


def run_growth(arguments, main_pages, main_companies):
    """Seed (when empty) and measure the pages on the growth database; the part for growth_table."""
    url = growth_database_url(arguments.growth_companies)
    prepared = run_part("bench", ["--prepare-only", "--companies", str(arguments.growth_companies)], DATABASE_URL=url)
    pages = run_part("bench.pages", ["--runs", str(arguments.runs), "--cold-runs", "0"], DATABASE_URL=url)
    pages["figures"] += [figure for figure in prepared["figures"] if figure.get("kind") == "dataset"]
    pages["exit"] = prepared["exit"] or pages["exit"]
    return {**pages, "main_figures": main_pages["figures"], "main_companies": main_companies}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="page-cost rounds (default 30)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--reports", type=int, default=200, help="reports submitted at once (default 200)")
    parser.add_argument(
        "--companies", type=int, default=50_000, help="companies seeded into an empty database (default 50,000)"
    )
    parser.add_argument(
        "--growth-companies", type=int, default=0, help="also measure the pages on a database of this many companies"
    )
    parser.add_argument("--prepare-only", action="store_true", help="migrate and seed an empty database, then stop")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["pages", "load", "reports", "report"],
        default=["pages", "load", "reports", "report"],
    )
    arguments = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("make bench needs REDIS_URL (Celery broker, cache and sessions, as in production).")
    started, load_before = datetime.now(UTC), os.getloadavg()
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        create_database_if_missing(os.environ["DATABASE_URL"])  # `make bench` on a fresh server
    connection = setup_django()
    database = prepare_database(arguments.companies)
    if arguments.prepare_only:
        print(json.dumps({"bench": "dataset", "kind": "dataset", **dataset_counts()}), flush=True)
        return
    facts = versions()
    facts["database"] = connection.settings_dict["NAME"]
    counts = dataset_counts()
    commands = {
        "pages": ("bench.pages", ["--runs", str(arguments.runs)]),
        "load": ("bench.load", ["--duration", str(arguments.duration)]),
        "reports": ("bench.reports", ["--reports", str(arguments.reports)]),
        "report": ("bench.report", ["--on-database"]),
    }
    connection.close()
    parts = {key: run_part(*commands[key]) for key in arguments.only}
    if arguments.growth_companies and "pages" in parts:
        parts["growth"] = run_growth(arguments, parts["pages"], counts["companies"])
    short = write_results(
        arguments=argv,
        facts=facts,
        counts=counts,
        database=database,
        parts=parts,
        started=started,
        load_before=load_before,
    )
    print(f"Wrote {RESULTS.relative_to(ROOT)}; {len(short)} goal(s) short.")
    if any(part["exit"] for part in parts.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
