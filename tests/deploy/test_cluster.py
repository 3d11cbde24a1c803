"""The portal on four hosts (network namespaces): two web hosts (gunicorn) and two worker hosts
(Celery), each with its own empty disk, sharing only PostgreSQL, Redis and the S3-compatible server.

Through web host 1, 20 companies submit their diagnostics; during the renders one worker host's
Celery is killed with kill -9; through web host 2, every company downloads its PDF. Every report is
ready exactly once, every PDF is served through host 2, and no host keeps a file on its disk.
`make cluster-test` runs it alone and prints the timings; `CLUSTER_FILES=local-disk` runs it with
the files on each host's disk instead, and it fails (the reports are missing on web host 2)."""

import hashlib
import os
import time

import pytest
from django.conf import settings
from django.db import connection

from tests.deploy import stack
from tests.deploy.cluster import cluster, namespaces_available, timed

pytestmark = pytest.mark.deploy
COMPANIES = 20


def prerequisites():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        return "needs PostgreSQL and Redis (CI's second pass, or make cluster-test)"
    return namespaces_available()


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    reason = prerequisites()
    if reason:
        if os.environ.get("CI_EXPECT_DATABASE") == "postgresql":
            pytest.fail(reason)
        pytest.skip(reason)
    database = settings.DATABASES["default"]
    database_url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/postgres"
    )
    files = os.environ.get("CLUSTER_FILES", "object-storage")
    with cluster(tmp_path_factory.mktemp("cluster"), database_url, settings.REDIS_URL, files=files) as portal:
        yield portal


def test_twenty_reports_survive_a_killed_worker_host_and_are_served_by_the_other_web_host(running):
    portal, timings = running, {}
    companies = stack.seed_companies(
        portal.processes, portal.host_env("web1"), COMPANIES, "cluster", portal.network.prefix_for("web1")
    )
    web1, web2 = portal.start_web("web1"), portal.start_web("web2")
    portal.start_workers("worker1")
    portal.start_workers("worker2", beat=True)
    for base in (web1, web2):
        probe = stack.Browser(base, behind_tls_proxy=True)
        assert stack.wait_until(lambda probe=probe: probe.get("/sante/service/").status_code == 200, 120), (
            portal.processes.tails()
        )

    with timed("submit 20 diagnostics through web1", timings):
        for company in companies:
            browser = stack.Browser(web1, behind_tls_proxy=True)
            browser.log_in(company["email"], company["password"])
            response = browser.post(f"/diagnostics/{company['diagnostic']}/soumettre/", allow_redirects=False)
            assert response.status_code == 302, response.text[-2000:]
    diagnostic_ids = [company["diagnostic"] for company in companies]

    def ready_count():
        rows = stack.report_rows(portal.database, diagnostic_ids)
        return sum(1 for reports in rows.values() for report in reports if report[0] == "ready")

    started = time.monotonic()
    assert stack.wait_until(lambda: ready_count() >= 3, 180, interval=0.2), portal.processes.tails()
    rendering_at_kill = [
        diagnostic
        for diagnostic, reports in stack.report_rows(portal.database, diagnostic_ids).items()
        if any(report[0] == "rendering" for report in reports)
    ]
    portal.kill_workers("worker1")
    timings["ready before kill -9 of worker1"] = ready_count()
    assert stack.wait_until(lambda: ready_count() == COMPANIES, 420, interval=1), (
        f"{ready_count()} of {COMPANIES} ready\n" + portal.processes.tails()
    )
    timings["all 20 reports ready (from the first submit's end)"] = time.monotonic() - started

    rows = stack.report_rows(portal.database, diagnostic_ids)
    assert sorted(rows) == sorted(diagnostic_ids)
    for diagnostic, reports in rows.items():
        assert len(reports) == 1, (diagnostic, reports)  # one report per diagnostic
        assert reports[0][0] == "ready"

    with timed("download 20 PDFs through web2", timings):
        for company in companies:
            browser = stack.Browser(web2, behind_tls_proxy=True)
            browser.log_in(company["email"], company["password"])
            response = browser.get(f"/diagnostics/{company['diagnostic']}/rapport/telecharger/", allow_redirects=False)
            assert response.status_code == 302, (company, response.status_code, response.text[-1500:])
            pdf = browser.session.get(response.headers["Location"], timeout=30)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
            (status, _attempts, _name, sha256) = rows[company["diagnostic"]][0]
            assert hashlib.sha256(pdf.content).hexdigest() == sha256

    assert portal.local_files() == {host: [] for host in portal.disks}
    timings["reports rendering when worker1 was killed"] = len(rendering_at_kill)
    timings["render attempts in all"] = sum(report[1] for reports in rows.values() for report in reports)
    print("\nMulti-host test (2 web hosts, 2 worker hosts, one killed):")
    for label, value in timings.items():
        print(f"  {label:<52} {value:.1f}" if isinstance(value, float) else f"  {label:<52} {value}")
