"""Report throughput: N diagnostics submitted at once; time until every PDF report is ready, with 1 and
with 2 Celery worker processes; reports per minute and the scaling ratio (2 workers / 1 worker).

`.venv/bin/python -m bench.reports --reports 200` (DATABASE_URL: PostgreSQL; REDIS_URL: the broker,
a Redis database of the benchmark's own: its queues are purged first).

For each worker count K (1, then 2):
1. prepares N bench companies (SIRET 000…, "[bench] …") each with a bench owner and a complete draft;
2. before any worker runs, submits the N drafts through the submit service, as the submit button does
   (each submit enqueues its report's render after commit): N renders wait in the queue, as after a
   deadline;
3. launches K real `celery -A portal worker -c 1` processes (one render at a time each; the production
   settings otherwise: late acks, prefetch 1, recycling after 50 tasks) and waits until every report is
   ready (or failed), then stops them.
Time runs from the workers' launch (their start-up included) to the last report ready; the submit phase
is timed apart (each submit clears the peer cache, so the submitter's request computes it again).
Media go to a temporary folder; the bench companies, diagnostics, reports and files are removed at the end.
"""

import argparse
import os
import random
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import (
    BENCH_COMPANY_PREFIX,
    BENCH_SIRET_PREFIX,
    ROOT,
    bench_environment,
    bench_user,
    cleanup,
    emit,
    setup_django,
)

GOAL_SCALING = 1.8
RENDER_SECONDS_ESTIMATE = 2.5  # one WeasyPrint render on this machine (bench/README.md)


def prepare(count, tag):
    """`count` bench companies with a complete draft each (answers inserted in bulk). Returns [(draft, owner)]."""
    from django.db import transaction
    from django.utils import timezone

    from diagnostics import services
    from diagnostics.models import Answer, Question
    from portal.models import Company, Membership, NafCode, Region

    regions = list(Region.objects.all())
    divisions = list(NafCode.objects.filter(level=NafCode.Level.DIVISION, code__gte="10", code__lte="33")) or list(
        NafCode.objects.all()[:10]
    )
    random.seed(count)
    drafts = []
    with transaction.atomic():
        owner = bench_user(f"reports-{tag}")
        for number in range(count):
            company = Company.objects.create(
                siret=f"{BENCH_SIRET_PREFIX}9{tag:01d}{number:09d}",
                name=f"{BENCH_COMPANY_PREFIX}Rapport {tag}-{number:03d}",
                naf_division=random.choice(divisions),
                headcount_band=random.choice(["10-49", "50-249"]),
                region=random.choice(regions),
            )
            Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
            draft = services.start_diagnostic(company=company, by=owner)
            questions = Question.objects.filter(referential_id=draft.referential_id)
            now = timezone.now()
            Answer.objects.bulk_create(
                Answer(
                    diagnostic=draft,
                    question=question,
                    level=random.randint(0, 5),
                    comment="Réponse de banc d'essai " * random.randint(0, 3),
                    answered_by=owner,
                    answered_at=now,
                )
                for question in questions
            )
            drafts.append((draft, owner))
    return drafts


def start_workers(count, tag, log):
    from portal.celery import app

    names = [f"bench{tag}-{number}@%h" for number in range(count)]
    processes = [
        subprocess.Popen(
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "portal",
                "worker",
                "--concurrency",
                "1",
                "--hostname",
                name,
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=bench_environment(),
            stdout=log,
            stderr=log,
        )
        for name in names
    ]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                stop_workers(processes)
                raise SystemExit(f"a Celery worker stopped at start (exit {process.returncode}); see {log.name}")
        replies = app.control.ping(timeout=1.0) or []
        answered = {name for reply in replies for name in reply}
        if sum(1 for name in answered if name.startswith(f"bench{tag}-")) >= count:
            return processes
    stop_workers(processes)
    raise SystemExit(f"the Celery workers did not answer within 90 s; see {log.name}")


def stop_workers(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(count, workers, log):
    """Submit `count` drafts (no worker running: their renders queue up), then start `workers` worker
    processes and time until every report is ready. Returns the figures."""
    from diagnostics import services
    from diagnostics.models import Report

    drafts = prepare(count, tag=workers)
    start = time.perf_counter()
    for draft, owner in drafts:
        services.submit_diagnostic(diagnostic=draft, by=owner)
    submitted = time.perf_counter() - start
    ids = [draft.pk for draft, _owner in drafts]
    queued = Report.objects.filter(diagnostic_id__in=ids).count()
    cpu_before = _children_cpu()
    start = time.perf_counter()  # the workers' start-up counts: they are launched now
    processes = start_workers(workers, workers, log)
    started = time.perf_counter() - start
    try:
        timeout = 120 + 3 * count * RENDER_SECONDS_ESTIMATE / workers
        ready = failed = 0
        while time.perf_counter() - start < timeout:
            statuses = Report.objects.filter(diagnostic_id__in=ids).values_list("status", flat=True)
            ready = sum(1 for status in statuses if status == Report.Status.READY)
            failed = sum(1 for status in statuses if status == Report.Status.FAILED)
            if ready + failed >= count:
                break
            time.sleep(0.25)
        elapsed = time.perf_counter() - start
    finally:
        stop_workers(processes)
    worker_cpu = _children_cpu() - cpu_before  # the stopped workers and their pool processes
    return {
        "workers": workers,
        "reports": count,
        "queued": queued,
        "ready": ready,
        "failed": failed,
        "submit_s": round(submitted, 2),
        "worker_start_s": round(started, 2),
        "elapsed_s": round(elapsed, 2),
        "reports_per_min": round(ready / elapsed * 60, 2),
        "complete": ready == count,
        "worker_cpu_s": round(worker_cpu, 1),
        "cpu_s_per_report": round(worker_cpu / ready, 2) if ready else None,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def _children_cpu():
    """CPU seconds (user + system) of this process's finished children and their waited-for descendants."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="diagnostics submitted at once (default 200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    arguments = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("The report benchmark needs REDIS_URL (the Celery broker of the real workers).")
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as directory:
        os.environ["MEDIA_ROOT"] = str(Path(directory) / "media")
        setup_django()
        from portal.celery import app

        cleanup()
        app.control.purge()
        results = []
        with (Path(directory) / "workers.log").open("w") as log:
            try:
                for workers in arguments.workers:
                    results.append(measure(arguments.reports, workers, log))
                    emit("reports", **results[-1])
                    cleanup()
            finally:
                app.control.purge()
                cleanup()
        if len(results) >= 2 and results[0]["reports_per_min"]:
            scaling = round(results[-1]["reports_per_min"] / results[0]["reports_per_min"], 2)
            first, last = results[0], results[-1]
            emit(
                "reports",
                kind="scaling",
                workers=f"{last['workers']} / {first['workers']}",
                scaling=scaling,
                goal_scaling_met=scaling >= GOAL_SCALING,
                # CPU per report with N workers against 1: near 1.0 means the renders do not slow each
                # other down (no lock, no shared bottleneck); the wall-clock scaling then depends on free cores.
                cpu_per_report_ratio=round(last["cpu_s_per_report"] / first["cpu_s_per_report"], 2)
                if first["cpu_s_per_report"] and last["cpu_s_per_report"]
                else None,
            )
        problems = [result for result in results if not result["complete"]]
        if problems:
            print((Path(directory) / "workers.log").read_text()[-3000:])


if __name__ == "__main__":
    main()
