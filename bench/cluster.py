"""Reports per minute on the multi-host setup of tests/deploy/cluster.py, with 1 and with 2 worker hosts.

`make bench-cluster` (as root; DATABASE_URL / REDIS_URL of the machine's PostgreSQL and Redis). For each
worker-host count K: a fresh four-host cluster (network namespaces, an empty disk per host, PostgreSQL,
Redis and the S3-compatible server shared over the bridge, production settings, files in the bucket);
N companies submit through web host 1 while no worker runs, so N renders wait in the `reports` queue;
then K worker hosts start (each: one `reports` worker and one `default` worker, one process each) and
the clock runs until every report is ready. Writes bench/cluster.md.

All the hosts share this machine's cores: two worker hosts on a 2-core machine also compete with
PostgreSQL, Redis, the object store and each other, so the ratio says how far the work spreads, not
what two real machines would give.
"""

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def measure(count, worker_hosts, database_url, redis_url):
    from tests.deploy import stack
    from tests.deploy.cluster import cluster

    with tempfile.TemporaryDirectory() as directory, cluster(directory, database_url, redis_url) as portal:
        companies = stack.seed_companies(
            portal.processes, portal.host_env("web1"), count, f"bench{worker_hosts}", portal.network.prefix_for("web1")
        )
        web1 = portal.start_web("web1")
        browser = stack.Browser(web1, behind_tls_proxy=True)
        assert stack.wait_until(lambda: browser.get("/sante/service/").status_code == 200, 120), (
            portal.processes.tails()
        )
        for company in companies:
            browser = stack.Browser(web1, behind_tls_proxy=True)
            browser.log_in(company["email"], company["password"])
            assert (
                browser.post(f"/diagnostics/{company['diagnostic']}/soumettre/", allow_redirects=False).status_code
                == 302
            )
        ids = [company["diagnostic"] for company in companies]
        started = time.monotonic()
        for host in ("worker1", "worker2")[:worker_hosts]:
            portal.start_workers(host)

        def ready():
            rows = stack.report_rows(portal.database, ids)
            return sum(1 for reports in rows.values() for report in reports if report[0] == "ready")

        assert stack.wait_until(lambda: ready() == count, 900, interval=0.5), portal.processes.tails()
        elapsed = time.monotonic() - started
        return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="runs per worker-host count (the median is kept)")
    arguments = parser.parse_args()

    import django

    django.setup()
    database_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    redis_url = os.environ["REDIS_URL"]
    load_before = os.getloadavg()[0]
    results = {}
    for hosts in (1, 2):
        runs = [measure(arguments.reports, hosts, database_url, redis_url) for _ in range(arguments.rounds)]
        results[hosts] = statistics.median(runs)
        print(f"{hosts} worker host(s): {arguments.reports} reports in {results[hosts]:.1f} s", flush=True)
    per_minute = {hosts: arguments.reports / seconds * 60 for hosts, seconds in results.items()}
    ratio = per_minute[2] / per_minute[1]
    lines = [
        "# Reports per minute on several hosts (`make bench-cluster`)",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores shared by every host, "
        f"{arguments.reports} reports per run, median of {arguments.rounds} run(s); load average {load_before:.1f} "
        f"before the first run (other work on the machine skews the figures). Method: bench/cluster.py.",
        "",
        "| worker hosts | time until every report is ready | reports per minute |",
        "| ---: | ---: | ---: |",
        *(f"| {hosts} | {results[hosts]:.1f} s | {per_minute[hosts]:.1f} |" for hosts in (1, 2)),
        "",
        f"Scaling, 2 worker hosts / 1: **{ratio:.2f}x**. The four hosts are network namespaces of one machine "
        f"with {os.cpu_count()} cores, which also runs PostgreSQL, Redis and the object store: the second worker "
        "host adds a renderer, not a core.",
        "",
    ]
    Path(__file__).with_name("cluster.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
