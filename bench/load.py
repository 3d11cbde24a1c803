"""Load: 50 SME users filling questionnaires with autosave (among them colleagues answering the same
diagnostic as respondents) plus 5 officers on their dashboards, against gunicorn (2 workers) on
loopback, driven by Locust headless; then every acknowledged autosave is looked up in the database
(answers lost must be 0).

`.venv/bin/python -m bench.load --duration 60` (DATABASE_URL: PostgreSQL; REDIS_URL: cache and sessions,
as in production).

1. Prepares bench companies (SIRET 000…, name "[bench] …") in the regions with the most enrolments,
   each with a bench owner (…@bench.invalid) and a draft diagnostic; in `--pairs` of them (5 by
   default) a colleague answers the same draft beside the owner, each as a respondent with their own
   answers (50 SME users in all); 4 bench regional officers (the 4 regions with the most enrolments)
   and 1 bench Alliance staff member, each with a TOTP authenticator.
2. Starts `gunicorn portal.wsgi --workers 2` on a free loopback port (or `--port`), DEBUG off, and
   checks that the port's listener is that gunicorn before measuring anything: an answer from another
   program on the port would otherwise be counted.
3. Logs every user in through the login form (officers and staff then type the TOTP code computed
   from their device's key, as their authenticator app would): the sessions go into the Locust plan,
   so that the measured minute holds no password hashing.
4. Runs `locust -f bench/locustfile.py --headless`: the users arrive over `--ramp` seconds (10), then
   `--duration` seconds are measured (statistics and CPU counted from the moment all are there); reads
   its CSV statistics.
5. Compares the acknowledged autosaves with the answers in the database; stops gunicorn; removes the
   bench data.
"""

import argparse
import csv
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    BENCH_COMPANY_PREFIX,
    BENCH_PASSWORD,
    BENCH_SIRET_PREFIX,
    ROOT,
    bench_device,
    bench_environment,
    bench_user,
    cleanup,
    emit,
    password_hash,
    setup_django,
)

SMES = 50
PAIRS = 5  # companies where two colleagues answer one draft, each as a respondent
# The users arrive over these seconds, not in one instant (55 pages asked for in the same second queue
# behind 2 workers for over a second); the measured minute starts once all are there.
RAMP_SECONDS = 10
OFFICERS = 4  # plus one Alliance staff member: 5 users on the dashboards
GOAL_AUTOSAVE_P95_MS = 50


def prepare(smes=SMES, officers=OFFICERS, pairs=PAIRS):
    """Bench companies with drafts and owners (`pairs` of them with a colleague answering the same draft
    as a respondent: `smes` users in all), officers and a staff member. Returns the plan (no cookies yet)."""
    from django.db.models import Count

    from diagnostics import services
    from diagnostics.models import RespondentFunction
    from portal.models import Company, Membership, NafCode, Region, RegionOfficer

    if not 0 <= pairs <= smes // 2:
        raise SystemExit(f"--pairs must be from 0 to {smes // 2} (half the SME users)")
    hashed = password_hash()
    regions = list(
        Region.objects.annotate(n=Count("programmes__enrolments")).order_by("-n", "code")[: max(officers, 1)]
    )
    divisions = list(NafCode.objects.filter(level=NafCode.Level.DIVISION, code__gte="10", code__lte="33"))
    if not divisions:
        divisions = list(NafCode.objects.all()[:10])
    random.seed(9)
    plan = {"smes": [], "officers": []}
    for number in range(smes - pairs):
        company = Company.objects.create(
            siret=f"{BENCH_SIRET_PREFIX}{number:011d}",
            name=f"{BENCH_COMPANY_PREFIX}PME {number:02d}",
            naf_division=random.choice(divisions),
            headcount_band="10-49",
            region=regions[number % len(regions)],
        )
        user = bench_user(f"load-sme-{number:02d}", hashed=hashed)
        Membership.objects.create(user=user, company=company, role=Membership.Role.OWNER)
        draft = services.start_diagnostic(company=company, by=user)
        axes = [
            {
                "code": axis.code,
                "questions": [
                    {"pk": question.pk, "na": question.allows_not_applicable}
                    for question in axis.questions.filter(module__isnull=True).order_by("order", "pk")  # the core
                ],
            }
            for axis in draft.referential.axes.order_by("order", "pk")
        ]
        account = {"email": user.email, "user": user.pk, "diagnostic": draft.pk, "axes": axes, "respondent": False}
        if number < pairs:
            colleague = bench_user(f"load-colleague-{number:02d}", hashed=hashed)
            Membership.objects.create(user=colleague, company=company, role=Membership.Role.MEMBER)
            services.invite_respondent(
                diagnostic=draft, function=RespondentFunction.PRODUCTION, user=colleague, by=user
            )
            account["respondent"] = True
            plan["smes"].append({**account, "email": colleague.email, "user": colleague.pk})
        plan["smes"].append(account)
    for number in range(officers):
        user = bench_user(f"load-officer-{number}", hashed=hashed)
        RegionOfficer.objects.get_or_create(user=user, region=regions[number % len(regions)])
        bench_device(user)
        plan["officers"].append({"email": user.email, "national": False})
    staff = bench_user("load-staff", hashed=hashed, is_staff=True)
    bench_device(staff)
    plan["officers"].append({"email": staff.email, "national": True})
    return plan


def free_port():
    """A loopback port nobody listens on now (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_taken(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def listens_on(process_id, port):
    """Whether the process `process_id` (gunicorn's master, which binds the socket) listens on 127.0.0.1:`port`."""
    import psutil

    return any(
        connection.status == psutil.CONN_LISTEN and tuple(connection.laddr) == ("127.0.0.1", port)
        for connection in psutil.Process(process_id).net_connections(kind="tcp")
    )


def start_gunicorn(port, workers, log, threads=1):
    """Start gunicorn on 127.0.0.1:`port` and return it once it answers — refusing a port another
    program holds, and checking that the listener is this gunicorn."""
    if port_is_taken(port):
        raise SystemExit(f"Port {port} is already taken on 127.0.0.1: choose another (or none, for a free one).")
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "portal.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        *(["--threads", str(threads)] if threads > 1 else []),  # more than 1: gthread workers
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=bench_environment(), stdout=log, stderr=log)
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit {process.returncode}); see {log.name}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/compte/login/", timeout=2).status_code == 200:
                if not listens_on(process.pid, port):
                    stop(process)
                    raise SystemExit(f"The answer on 127.0.0.1:{port} did not come from the gunicorn started here.")
                return process
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop(process)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port} within 60 s; see {log.name}")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(base, email):
    """A real login through the form; then, for officers and staff, the TOTP code of their device.
    Returns the session's cookies."""
    import re

    import requests

    from portal.models import User
    from portal.security import current_token, needs_second_factor

    session = requests.Session()
    page = session.get(f"{base}/compte/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/compte/login/",
        data={"username": email, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/compte/login/"},
        timeout=30,
    )
    response.raise_for_status()
    user = User.objects.get(email=email)
    if needs_second_factor(user):
        page = session.get(f"{base}/compte/verification/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = session.post(
            f"{base}/compte/verification/",
            data={"token": current_token(bench_device(user)), "csrfmiddlewaretoken": token},
            timeout=30,
        )
        response.raise_for_status()
        if "/compte/verification/" in response.url:
            raise SystemExit(f"second factor refused for {email}")
    if "sessionid" not in session.cookies:
        raise SystemExit(f"login refused for {email}")
    return session.cookies.get_dict()


def server_cpu_seconds(server):
    """CPU seconds (user + system) used so far by gunicorn's workers and by PostgreSQL's backends."""
    import psutil
    from django.db import connection

    database = f" {connection.settings_dict['NAME']} "
    workers = psutil.Process(server.pid).children(recursive=True)
    gunicorn = sum(sum(process.cpu_times()[:2]) for process in workers)
    postgres = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            title = " ".join(process.info["cmdline"] or [])  # "postgres: 15/main: user database host(port) state"
            if process.info["name"] == "postgres" and database in title:
                postgres += sum(process.cpu_times()[:2])
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return gunicorn, postgres


def run_locust(*, base, plan_path, acks_path, duration, users, workdir, ramp, on_ramp_done):
    """Run Locust: the users arrive over `ramp` seconds, then `duration` seconds are measured (its
    statistics are reset once every user has arrived); `on_ramp_done()` is called at that moment."""
    prefix = workdir / "locust"
    command = [
        str(ROOT / ".venv/bin/locust"),
        "-f",
        str(ROOT / "bench/locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users / ramp if ramp else users),
        "--reset-stats",
        "--run-time",
        f"{duration + ramp}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
    ]
    env = bench_environment(BENCH_LOAD_PLAN=str(plan_path), BENCH_LOAD_ACKS=str(acks_path))
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as locust:
        time.sleep(ramp)
        on_ramp_done()
        stdout, stderr = locust.communicate()
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # Locust is the only child waited for meanwhile
    result = subprocess.CompletedProcess(command, locust.returncode, stdout, stderr)
    result.cpu_seconds = sum(
        getattr(children_after, name) - getattr(children_before, name) for name in ("ru_utime", "ru_stime")
    )
    stats_path = Path(f"{prefix}_stats.csv")
    if not stats_path.exists():
        raise SystemExit(f"locust wrote no statistics (exit {result.returncode}):\n{result.stderr[-3000:]}")
    with stats_path.open() as file:
        rows = list(csv.DictReader(file))
    failures_path = Path(f"{prefix}_failures.csv")
    failures = list(csv.DictReader(failures_path.open())) if failures_path.exists() else []
    return rows, failures, result


def ack_key(account, question_pk):
    """The key of an acknowledged autosave: a respondent's answers are their own, so the user is part of it."""
    who = account["user"] if account.get("respondent") else ""
    return f"{account['diagnostic']}:{question_pk}:{who}"


def lost_answers(acks):
    """Acknowledged autosaves whose value is not the one in the database: the company's answer, or the
    respondent's own where two colleagues answer one draft."""
    from diagnostics.models import Answer, RespondentAnswer

    keys = [key.split(":") for key in acks]
    diagnostics = {int(diagnostic) for diagnostic, _question, _who in keys}
    fields = ("diagnostic_id", "question_id", "level", "not_applicable", "comment")
    stored = {
        (row["diagnostic_id"], row["question_id"], ""): row
        for row in Answer.objects.filter(diagnostic_id__in=diagnostics).values(*fields)
    }
    stored.update(
        {
            (row["diagnostic_id"], row["question_id"], str(row["respondent_id"])): row
            for row in RespondentAnswer.objects.filter(diagnostic_id__in=diagnostics).values(*fields, "respondent_id")
        }
    )
    lost = []
    for (diagnostic, question, who), (level, comment) in zip(keys, acks.values(), strict=True):
        row = stored.get((int(diagnostic), int(question), who))
        expected_level = None if level == "na" else int(level)
        if (
            row is None
            or row["level"] != expected_level
            or row["not_applicable"] != (level == "na")
            or row["comment"] != comment
        ):
            lost.append(f"{diagnostic}:{question}" + (f" (respondent {who})" if who else ""))
    return lost


def _figure(row):
    def number(name):
        value = row.get(name, "")
        return float(value) if value not in ("", "N/A") else None

    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "requests_per_s": round(number("Requests/s"), 2),
        "p50_ms": number("50%"),
        "p95_ms": number("95%"),
        "p99_ms": number("99%"),
        "median_ms": number("Median Response Time"),
        "max_ms": number("Max Response Time"),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument(
        "--ramp", type=int, default=RAMP_SECONDS, help=f"seconds over which the users arrive (default {RAMP_SECONDS})"
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's loopback port (default: a free one)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--smes", type=int, default=SMES, help=f"SME users (default {SMES})")
    parser.add_argument(
        "--pairs", type=int, default=PAIRS, help=f"drafts answered by two colleagues as respondents (default {PAIRS})"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync workers, as deployed)"
    )
    arguments = parser.parse_args(argv)
    if arguments.port == 8000:
        raise SystemExit("Port 8000 is the development server's: choose another.")
    setup_django()
    cleanup()
    port = arguments.port or free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-load-") as directory:
        workdir = Path(directory)
        log = (workdir / "gunicorn.log").open("w")
        server = None
        try:
            plan = prepare(smes=arguments.smes, pairs=arguments.pairs)
            server = start_gunicorn(port, arguments.workers, log, threads=arguments.threads)
            for account in plan["smes"] + plan["officers"]:
                account["cookies"] = log_in(base, account["email"])
            plan_path, acks_path = workdir / "plan.json", workdir / "acks.json"
            plan_path.write_text(json.dumps(plan))
            users = len(plan["smes"]) + len(plan["officers"])
            measured_from = {}

            def ramp_done():  # the CPU counted from here, as the requests are
                measured_from.update(cpu=server_cpu_seconds(server), load=os.getloadavg())

            rows, failures, result = run_locust(
                base=base,
                plan_path=plan_path,
                acks_path=acks_path,
                duration=arguments.duration,
                users=users,
                workdir=workdir,
                ramp=arguments.ramp,
                on_ramp_done=ramp_done,
            )
            cpu_before, load_before = measured_from["cpu"], measured_from["load"]
            cpu_after, load_after = server_cpu_seconds(server), os.getloadavg()
            acks = json.loads(acks_path.read_text()) if acks_path.exists() else {}
            lost = lost_answers(acks)
            emit(
                "load",
                kind="context",
                duration_s=arguments.duration,
                sme_users=len(plan["smes"]),
                respondent_pairs=arguments.pairs,
                dashboard_users=len(plan["officers"]),
                ramp_s=arguments.ramp,
                gunicorn_workers=arguments.workers,
                gunicorn_threads=arguments.threads,
                locust_exit=result.returncode,
                load_average_before=[round(value, 2) for value in load_before],
                load_average_after=[round(value, 2) for value in load_after],
            )
            for row in rows:
                emit("load", name=row["Name"], method=row["Type"], **_figure(row))
            autosave = next((row for row in rows if row["Name"] == "autosave"), None)
            total = next((row for row in rows if row["Name"] == "Aggregated"), None)
            if total and int(total["Request Count"]):
                requests = int(total["Request Count"])
                gunicorn_cpu, postgres_cpu = (
                    after - before for after, before in zip(cpu_after, cpu_before, strict=True)
                )
                emit(
                    "load",
                    kind="cpu",
                    gunicorn_cpu_s=round(gunicorn_cpu, 1),
                    postgres_cpu_s=round(postgres_cpu, 1),
                    # The load generator runs on the same machine: its CPU (ramp included) is not the portal's.
                    locust_cpu_s=round(result.cpu_seconds, 1),
                    cpu_ms_per_request=round(1000 * (gunicorn_cpu + postgres_cpu) / requests, 1),
                    # What two cores given to the portal alone could serve at this CPU cost per request.
                    capacity_two_cores_rps=round(2 * requests / (gunicorn_cpu + postgres_cpu), 1)
                    if gunicorn_cpu + postgres_cpu
                    else None,
                )
            emit(
                "load",
                kind="verdict",
                acknowledged_autosaves=len(acks),
                answers_lost=len(lost),
                lost_examples=lost[:5],
                errors=int(total["Failure Count"]) if total else None,
                failure_kinds=[f"{f['Method']} {f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in failures][:10],
                autosave_p95_ms=_figure(autosave)["p95_ms"] if autosave else None,
                goal_autosave_p95_met=bool(autosave) and _figure(autosave)["p95_ms"] <= GOAL_AUTOSAVE_P95_MS,
                goal_no_error_met=bool(total) and int(total["Failure Count"]) == 0,
                goal_none_lost_met=bool(acks) and not lost,
            )
        finally:
            if server is not None:
                stop(server)
            log.close()
            if server is not None and server.returncode not in (0, -signal.SIGTERM):
                print((workdir / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
            cleanup()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
