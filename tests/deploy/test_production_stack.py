"""The production path, run natively the way docker-compose.yml runs it (CI's PostgreSQL + Redis pass):
DJANGO_ENV=production, the release job, gunicorn with DEBUG off, the `default` and `reports` Celery
workers, beat, and Caddy terminating TLS in front of the portal and of the object store. A visitor
logs in over HTTPS, reads a page and a static file, submits a diagnostic and downloads its PDF,
rendered by the reports worker and fetched from the bucket through a presigned link.

Each process gets the compose file's command and environment; only the addresses differ (local
ports instead of the compose network's names)."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings
from django.db import connection

from diagnostics.release import SHIPPED_REFERENTIAL
from tests import objectstore
from tests.deploy import compose, stack

pytestmark = pytest.mark.deploy


def production_prerequisites():
    """Why this test cannot run here, or None. On CI's PostgreSQL pass nothing may be missing."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        return "needs PostgreSQL and Redis (CI's second pass)"
    if shutil.which("caddy") is None:
        return "needs Caddy (scripts/system-deps.sh test installs Debian's caddy)"
    return None


@pytest.fixture(scope="module")
def production_stack(tmp_path_factory):
    stack.require(production_prerequisites())
    log_dir = tmp_path_factory.mktemp("stack-logs")
    caddy_home = tmp_path_factory.mktemp("caddy")
    media = tmp_path_factory.mktemp("local-disk")
    processes = stack.Processes(log_dir)
    ports = {name: stack.free_port() for name in ("web", "https", "http")}
    database_url = settings.DATABASES["default"]
    base = f"postgres://{database_url['USER']}@{database_url['HOST']}:{database_url['PORT']}/postgres"
    broker = stack.redis_url(settings.REDIS_URL, 11)
    cache = stack.redis_url(settings.REDIS_URL, 12)
    for url in (broker, cache):
        stack.flush_redis(url)
    public = {"SITE_HOST": "localhost", "FILES_HOST": "127.0.0.1"}
    file = compose.load(stack.compose_environment(**public))
    with (
        stack.fresh_database(base) as database,
        objectstore.running_server() as (s3_host, s3_port),
    ):
        env = {
            **stack.inherited_environment("DATABASE_", "REDIS_", "CACHE_"),
            **file["x-app"]["environment"],
            # The compose network's names, as this machine reaches them:
            "DATABASE_URL": database,
            "REDIS_URL": broker,
            "CACHE_URL": cache,
            "STORAGE_URL": objectstore.storage_url(s3_host, s3_port, "portal"),
            "STORAGE_PUBLIC_URL": f"https://127.0.0.1:{ports['https']}",
            "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
            "MEDIA_ROOT": str(media / "never-used"),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
        services = file["services"]
        code, output = processes.run("release", stack.service_command(services["release"]), env)
        assert code == 0, output[-4000:]
        bind = f"127.0.0.1:{ports['web']}"
        processes.start("web", stack.service_command(services["web"], bind=bind), env)
        processes.start("worker", stack.service_command(services["worker"]), env)
        processes.start("worker-reports", stack.service_command(services["worker-reports"]), env)
        processes.start("beat", stack.service_command(services["beat"]), env)
        caddy_env = {
            **env,
            **file["services"]["proxy"]["environment"],
            "HTTPS_PORT": str(ports["https"]),
            "HTTP_PORT": str(ports["http"]),
            "WEB_UPSTREAM": bind,
            "FILES_UPSTREAM": f"{s3_host}:{s3_port}",
            "XDG_DATA_HOME": str(caddy_home / "data"),
            "XDG_CONFIG_HOME": str(caddy_home / "config"),
            "HOME": str(caddy_home),
        }
        processes.start(
            "proxy", ["caddy", "run", "--config", str(stack.ROOT / "Caddyfile"), "--adapter", "caddyfile"], caddy_env
        )
        try:
            yield {
                "processes": processes,
                "env": env,
                "file": file,
                "ports": ports,
                "release_output": output,
                "https": f"https://localhost:{ports['https']}",
                "root_ca": caddy_home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt",
                "broker": broker,
                "media": media,
                "database": database,
            }
        finally:
            processes.stop_all()
            for url in (broker, cache):
                stack.flush_redis(url)


def https_browser(production_stack):
    root_ca = production_stack["root_ca"]
    assert stack.wait_until(root_ca.exists, 60), production_stack["processes"].tails()
    browser = stack.Browser(production_stack["https"], verify=str(root_ca))
    assert stack.wait_until(lambda: browser.get("/sante/service/").status_code == 200, 90), production_stack[
        "processes"
    ].tails()
    return browser


def test_the_release_job_migrates_collects_publishes_and_checks(production_stack):
    output = production_stack["release_output"]
    for step in ("release: migrate", "release: collectstatic", "release: created the bucket portal"):
        assert step in output
    shipped = yaml.safe_load(SHIPPED_REFERENTIAL.read_text(encoding="utf-8"))
    assert f"published the shipped referential {shipped['code']} {shipped['version']}" in output
    assert "release: done" in output
    manifest = Path(production_stack["env"]["STATIC_ROOT"]) / "staticfiles.json"
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in json.loads(manifest.read_text())["paths"]


def test_the_release_job_runs_again_without_changing_anything(production_stack):
    processes = production_stack["processes"]
    command = stack.service_command(production_stack["file"]["services"]["release"])
    code, output = processes.run("release-again", command, production_stack["env"])
    assert code == 0, output[-3000:]
    assert "is published; the shipped file is not loaded" in output


def test_the_compose_health_probe_passes_against_gunicorn(production_stack):
    probe = production_stack["file"]["services"]["web"]["healthcheck"]["test"]
    assert probe[:3] == ["CMD", "python", "-c"]
    code = probe[3].replace("127.0.0.1:8000", f"127.0.0.1:{production_stack['ports']['web']}")
    ok = stack.wait_until(
        lambda: subprocess.run([sys.executable, "-c", code], env=production_stack["env"], timeout=30).returncode == 0,
        90,
    )
    assert ok, production_stack["processes"].tails()


def test_debug_is_off_and_plain_http_is_sent_to_https(production_stack):
    https_browser(production_stack)
    plain = stack.Browser(f"http://127.0.0.1:{production_stack['ports']['web']}", host_header="localhost")
    response = plain.get("/compte/login/", allow_redirects=False)
    assert response.status_code == 301 and response.headers["Location"].startswith("https://localhost")
    missing = plain.get("/no-such-page/", headers={"X-Forwarded-Proto": "https"}, allow_redirects=False)
    assert "Traceback" not in missing.text and "DEBUG" not in missing.text


def test_a_visitor_logs_in_over_https_and_reads_a_page_and_a_static_file(production_stack):
    browser = https_browser(production_stack)
    (company,) = stack.seed_companies(production_stack["processes"], production_stack["env"], 1, "https-visitor")
    login_page = browser.get("/compte/login/")
    assert login_page.status_code == 200 and login_page.url.startswith("https://")
    assert "Strict-Transport-Security" in login_page.headers
    browser.log_in(company["email"], company["password"])
    page = browser.get("/entreprise/")
    assert page.status_code == 200 and company["company"] in page.text
    static = [path for path in stack.static_paths(page.text) if "bootstrap" in path and path.endswith(".css")]
    assert static and static[0] != "/static/vendor/bootstrap/bootstrap.min.css"  # the manifest's hashed name
    assert browser.get(static[0]).status_code == 200
    health = browser.get("/sante/?format=json")
    assert health.status_code == 200, health.text


def test_a_submitted_diagnostic_is_rendered_by_the_reports_worker_and_downloaded_from_the_bucket(production_stack):
    browser = https_browser(production_stack)
    (company,) = stack.seed_companies(production_stack["processes"], production_stack["env"], 1, "https-report")
    browser.log_in(company["email"], company["password"])
    diagnostic = company["diagnostic"]
    submitted = browser.post(f"/diagnostics/{diagnostic}/soumettre/", allow_redirects=False)
    assert submitted.status_code == 302, submitted.text[-2000:]

    def download():
        response = browser.get(f"/diagnostics/{diagnostic}/rapport/telecharger/", allow_redirects=False)
        return response if response.status_code == 302 else None

    redirect = stack.wait_until(download, 120, interval=1)
    assert redirect, production_stack["processes"].tails()
    link = redirect.headers["Location"]
    assert link.startswith(f"https://127.0.0.1:{production_stack['ports']['https']}/portal/reports/{diagnostic}/")
    pdf = browser.session.get(link, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["Content-Type"] == "application/pdf"

    processes = production_stack["processes"]
    rendered = re.compile(r"Task diagnostics\.render_report\[[0-9a-f-]+\] succeeded")
    assert rendered.search(processes.log("worker-reports")), processes.log("worker-reports")[-3000:]
    assert not rendered.search(processes.log("worker"))  # the default queue's worker renders nothing
    assert stack.files_under(production_stack["media"]) == []


def test_one_beat_holds_the_schedule_lock_in_redis(production_stack):
    https_browser(production_stack)
    client = redis.Redis.from_url(production_stack["broker"])
    assert stack.wait_until(lambda: client.exists("redbeat::lock"), 60), production_stack["processes"].log("beat")
    assert "beat: Starting" in production_stack["processes"].log("beat")
