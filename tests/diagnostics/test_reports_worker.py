"""PDF reports through Redis and a real Celery worker (PostgreSQL + Redis in CI; skipped without REDIS_URL).

Each test routes the diagnostics tasks to a queue of its own, consumed only by its own worker, on a
Redis database of its own (`BROKER_DB`): test runs sharing the Redis server never take each other's
messages, and the suites' `cache.clear()` (a FLUSHDB of the cache's database, REDIS_URL's) cannot
wipe the queue in the middle of a test.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta
from unittest import mock
from urllib.parse import quote, urlsplit

import pytest
import redis
from billiard.exceptions import WorkerLostError
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from diagnostics.models import Diagnostic, Report
from diagnostics.services import report as reports
from diagnostics.tasks import requeue_stuck_reports_task
from portal.celery import app as celery_app
from tests import polling
from tests.diagnostics.report_support import pdf_text, submit
from tests.storage_support import storage_environment, stored_report_names

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]
CLOSED_PORT_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
BROKER_DB = 15


def isolated_broker_url():
    return urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{BROKER_DB}").geturl()


def wait_until(condition, timeout=60.0):
    return polling.wait_until(condition, timeout)


def drained(queue):
    """Whether the broker holds nothing more for `queue`: no message waiting (at any priority) and none
    delivered but not yet acknowledged. Once true after a render, no second delivery can come."""
    client = redis.Redis.from_url(isolated_broker_url())
    try:
        waiting = sum(client.llen(key) for key in client.scan_iter(match=f"{queue}*"))
        unacknowledged = [json.loads(entry)[2] for entry in client.hvals("unacked")]  # [message, exchange, routing key]
        return waiting == 0 and queue not in unacknowledged
    finally:
        client.close()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def queue():
    """A queue of this test's own for every diagnostics task; deleted afterwards."""
    name = f"reports-test-{uuid.uuid4().hex[:12]}"
    previous_routes, previous_broker = celery_app.conf.task_routes, celery_app.conf.broker_url
    queues = celery_app.amqp.queues
    consumed = queues._consume_from  # a worker started with queues=[…] narrows the app's selection
    celery_app.conf.broker_url = isolated_broker_url()
    reset_producers()
    reroute({"diagnostics.*": {"queue": name}})
    yield name
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_delete(name)
    reroute(previous_routes)
    queues._consume_from = consumed
    queues.pop(name, None)
    celery_app.conf.broker_url = previous_broker
    reset_producers()


def reroute(routes):
    celery_app.conf.task_routes = routes
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)  # the cached Router keeps the previous table


def reset_producers():
    """Forget the cached broker connections, so that the next publish connects to `conf.broker_url`."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def worker(queue):
    return start_worker(celery_app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=30)


@contextlib.contextmanager
def broker_unreachable():
    """Point the app's producers at a closed port, as when Redis is down; restore afterwards."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    reset_producers()
    try:
        yield
    finally:
        celery_app.conf.broker_url = previous
        reset_producers()


def ready(diagnostic):
    return Report.objects.filter(diagnostic=diagnostic, status=Report.Status.READY).exists()


def test_a_submitted_diagnostic_gets_its_pdf_from_a_real_worker(company, owner, queue):
    assert celery_app.conf.task_always_eager is False
    assert celery_app.conf.broker_url.startswith("redis://")
    with worker(queue):
        diagnostic = submit(company, owner)  # commits; the on-submit hook enqueues the render
        assert wait_until(lambda: ready(diagnostic)), "the worker produced no PDF"
        assert wait_until(lambda: mail.outbox), "the worker sent no e-mail"

    report = Report.objects.get(diagnostic=diagnostic)
    assert (report.status, report.attempts) == (Report.Status.READY, 1)
    assert company.name in pdf_text(report.file.read())
    assert [message.to for message in mail.outbox] == [[owner.email]]


def test_a_worker_lost_in_the_middle_of_a_render_ends_ready_exactly_once(company, owner, queue, media_root):
    """The child dies after claiming its attempt (WorkerLostError, as the pool reports a killed child):
    acks_late + reject_on_worker_lost put the message back, the redelivery renders it once."""
    real_render = reports.render_report
    deaths = []

    def dies_once(report_id, **kwargs):
        if not deaths:
            deaths.append(report_id)
            reports._claim(report_id)  # the attempt was counted, then the child was killed mid-render
            raise WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL).")
        return real_render(report_id, **kwargs)

    with mock.patch("diagnostics.tasks.reports.render_report", side_effect=dies_once), worker(queue):
        diagnostic = submit(company, owner)
        assert wait_until(lambda: ready(diagnostic)), "the redelivered render did not finish"
        assert wait_until(lambda: drained(queue)), "a delivery is still pending"  # a wrong second one would be

    report = Report.objects.get(diagnostic=diagnostic)
    assert deaths == [report.pk]
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert stored_report_names(diagnostic.pk) == [report.file.name]


def test_broker_down_at_submit_then_the_sweeper_renders_once_it_is_back(company, owner, queue):
    with broker_unreachable():
        diagnostic = submit(company, owner)  # must not fail: the enqueue error is logged

    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.SUBMITTED
    report = Report.objects.get(diagnostic=diagnostic)
    assert (report.status, report.attempts) == (Report.Status.QUEUED, 0)

    # Redis is back; past the deadline, beat's sweep re-enqueues the report and a worker renders it.
    Report.objects.filter(pk=report.pk).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    with worker(queue):
        requeue_stuck_reports_task.delay()
        assert wait_until(lambda: ready(diagnostic)), "the sweeper did not get the report rendered"

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 1)
    assert Report.objects.filter(diagnostic=diagnostic).count() == 1


def children_of(pid):
    path = f"/proc/{pid}/task/{pid}/children"
    with open(path) as handle:
        return [int(child) for child in handle.read().split()]


def render_gate(log):
    """The file whose creation lets the worker's renders go on (tests/diagnostics/report_worker_app.py)."""
    return log.with_name("render-gate")


def worker_process(queue, log, **extra_env):
    """A real prefork worker (`celery -A tests.diagnostics.report_worker_app worker`) in a subprocess of its
    own process group, sharing the test database through PostgreSQL; its output goes to `log`."""
    database = connection.settings_dict
    credentials = quote(database["USER"]) + (f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        **storage_environment(),
        "REDIS_URL": isolated_broker_url(),
        "REPORT_TEST_QUEUE": queue,
        "REPORT_TEST_RENDER_GATE": str(render_gate(log)),
        **extra_env,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "tests.diagnostics.report_worker_app", "worker",
        "--pool=prefork", "--concurrency=1", f"--queues={queue}", "--without-heartbeat", "--without-mingle",
        "--without-gossip", "--loglevel=INFO", f"--hostname=kill-test-{queue}@%h",
    ]  # fmt: skip
    with open(log, "a") as output:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the worker subprocess shares the test database through PostgreSQL")


def test_killing_the_worker_child_mid_render_ends_ready_exactly_once(company, owner, queue, media_root, tmp_path):
    """A real prefork worker in a subprocess; its pool child is killed (SIGKILL) in the middle of the
    render: the parent reports the lost child and puts the late-acked message back at once
    (reject_on_worker_lost), well within a minute, and the attempt counter shows the two attempts of
    one report rendered once."""
    needs_postgresql()
    log = tmp_path / "worker.log"
    process = worker_process(queue, log)
    try:
        diagnostic = submit(company, owner)
        report = Report.objects.get(diagnostic=diagnostic)
        rendering = wait_until(lambda: Report.objects.get(pk=report.pk).status == Report.Status.RENDERING, 90)
        assert rendering, log.read_text()[-3000:]
        children = children_of(process.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        render_gate(log).touch()  # the redelivered render may go on

        assert wait_until(lambda: ready(diagnostic), 60), log.read_text()[-3000:]
        assert wait_until(lambda: drained(queue)), log.read_text()[-3000:]  # a wrong second delivery would be pending
    finally:
        stop(process)

    output = log.read_text()
    assert "WorkerLostError" in output or "exited prematurely" in output, output[-3000:]
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert Report.objects.filter(diagnostic=diagnostic).count() == 1
    assert stored_report_names(diagnostic.pk) == [report.file.name]
    assert company.name in pdf_text(report.file.read())


def test_killing_the_whole_worker_mid_render_recovers_after_its_restart(company, owner, queue, media_root, tmp_path):
    """kill -9 of the whole worker (parent and child, as when a host dies): nothing acks or rejects the
    message, so Redis gives it back once the visibility timeout has passed, which follows the hard time
    limit (here 20 s + 10 s instead of 300 s + 60 s), and the restarted worker renders it, once."""
    needs_postgresql()
    limits = {"CELERY_TASK_TIME_LIMIT": "20", "CELERY_TASK_SOFT_TIME_LIMIT": "15", "CELERY_VISIBILITY_TIMEOUT": "30"}
    log = tmp_path / "worker.log"
    process = worker_process(queue, log, **limits)
    try:
        diagnostic = submit(company, owner)
        report = Report.objects.get(diagnostic=diagnostic)
        assert wait_until(lambda: Report.objects.get(pk=report.pk).status == Report.Status.RENDERING, 90), (
            log.read_text()
        )
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        assert Report.objects.get(pk=report.pk).status == Report.Status.RENDERING  # lost with its worker
        render_gate(log).touch()  # the render after the restart may go on

        process = worker_process(queue, log, **limits)
        # Visibility timeout (30 s) + the restore scan (every 10 s) + a render: well under the 6 minutes
        # of the production limits; with Redis' default of one hour this would time out.
        assert wait_until(lambda: ready(diagnostic), 90), log.read_text()[-3000:]
        assert wait_until(lambda: drained(queue)), log.read_text()[-3000:]  # a wrong second delivery would be pending
    finally:
        stop(process)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.READY, 2)
    assert Report.objects.filter(diagnostic=diagnostic).count() == 1
    assert stored_report_names(diagnostic.pk) == [report.file.name]
