"""Running the production stack natively: the compose file's processes started with its commands and
environment, on a database, a Redis database and a bucket of their own, then spoken to over HTTP(S)
like a browser does. Used by the production-path test and the multi-host test."""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests

from tests import polling

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORTAL_PROCESSES = ("release", "web", "worker", "worker-reports", "beat")


def require(missing):
    """Skip a deployment test when something it needs is `missing` (a reason), except on CI's
    PostgreSQL pass, where everything must be there: then the test fails, saying what is missing."""
    if missing is None:
        return
    import pytest

    if os.environ.get("CI_EXPECT_DATABASE") == "postgresql":
        pytest.fail(missing)
    pytest.skip(missing)


def free_port(host="127.0.0.1"):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def inherited_environment(*dropped_prefixes):
    """This process's environment for a production process of the stack, without the variables whose
    names start with `dropped_prefixes` and without DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests
    set in the test process and `check --deploy` rightly refuses (async.E001)."""
    return {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_ALLOW_ASYNC_UNSAFE" and not key.startswith(dropped_prefixes)
    }


def compose_environment(**public):
    """The variables compose needs, with fresh secrets; `public` sets SITE_HOST and FILES_HOST."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
        "REDIS_PASSWORD": secrets.token_urlsafe(16),
        "OBJECT_STORE_ACCESS_KEY": "portal-test-access",
        "OBJECT_STORE_SECRET_KEY": "portal-test-secret-0123456789",
        **public,
    }


def service_command(service, **replacements):
    """A compose service's command, runnable here: programs from this virtualenv, `--bind` replaced."""
    command = list(service["command"])
    program = command[0]
    command[0] = str(BIN / program) if program != "python" else sys.executable
    bind = replacements.get("bind")
    if bind:
        command = [f"{bind}" if part == "0.0.0.0:8000" else part for part in command]
    return command


@contextlib.contextmanager
def fresh_database(base_url):
    """A new, empty PostgreSQL database on the server of `base_url`; dropped afterwards. Yields its URL."""
    parts = urlsplit(base_url)
    name = f"portal_stack_{secrets.token_hex(4)}"
    admin = psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def redis_url(base_url, database):
    return urlsplit(base_url)._replace(path=f"/{database}").geturl()


def flush_redis(url):
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


@dataclass
class Processes:
    """Processes of the stack, each with its log file; stopped (SIGTERM, then SIGKILL) at exit."""

    log_dir: Path
    running: dict = field(default_factory=dict)

    def start(self, name, command, env, prefix=()):
        log = open(self.log_dir / f"{name}.log", "w")  # noqa: SIM115 (closed in stop_all)
        process = subprocess.Popen(
            [*prefix, *command],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its children
        )
        self.running[name] = (process, log)
        return process

    def run(self, name, command, env, prefix=(), timeout=600):
        """Run a one-shot command to its end; returns (exit code, its output)."""
        result = subprocess.run([*prefix, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        (self.log_dir / f"{name}.log").write_text(result.stdout + result.stderr)
        return result.returncode, result.stdout + result.stderr

    def log(self, name):
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name):
        """SIGKILL the process and every child of its group (a whole host's Celery, say)."""
        process, _log = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self):
        for process, _log in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process, log in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            log.close()

    def tails(self, lines=40):
        return "\n".join(f"--- {name} ---\n" + "\n".join(self.log(name).splitlines()[-lines:]) for name in self.running)


def wait_until(condition, timeout, interval=0.2):
    """The first true value of `condition()` before `timeout` seconds (connection errors count as
    false: the process may still be starting), else the last value, or None after an error."""
    return polling.wait_until(condition, timeout, interval=interval, ignore=(requests.RequestException, OSError))


class Browser:
    """A requests session that logs in and posts forms like the portal's pages expect (CSRF token
    from the cookie, Referer of the page)."""

    def __init__(self, base_url, verify=True, host_header=None, behind_tls_proxy=False):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # The environment's CA bundle and proxies (REQUESTS_CA_BUNDLE, HTTPS_PROXY) would override
        # `verify`: this session trusts the stack's own authority and talks to it directly.
        self.session.trust_env = False
        self.session.verify = verify
        if host_header:
            self.session.headers["Host"] = host_header
        self.behind_tls_proxy = behind_tls_proxy
        if behind_tls_proxy:
            # Talking plain HTTP to gunicorn as the TLS proxy in front of it does: the proxy's headers,
            # and the Secure cookies carried although this hop is not encrypted.
            self.session.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"})

    def url(self, path):
        return self.base_url + path

    def get(self, path, **kwargs):
        return self.session.get(self.url(path), timeout=30, headers=self._cookie_header(kwargs), **kwargs)

    def _cookie_header(self, kwargs):
        """requests sends no Secure cookie over http://: behind the proxy, send them (the browser does)."""
        headers = dict(kwargs.pop("headers", None) or {})
        if self.behind_tls_proxy and len(self.session.cookies):
            headers["Cookie"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)
        return headers

    def post(self, path, data=None, **kwargs):
        page = self.url(path)
        token = self.session.cookies.get("csrftoken")
        if token is None:
            self.get(path)
            token = self.session.cookies.get("csrftoken")
        # Behind the TLS proxy the browser's page was https: so is its Referer (Django checks it).
        referer = page.replace("http://", "https://", 1) if self.behind_tls_proxy else page
        headers = {**self._cookie_header(kwargs), "Referer": referer, "X-CSRFToken": token or ""}
        return self.session.post(
            page, data={"csrfmiddlewaretoken": token, **(data or {})}, headers=headers, timeout=60, **kwargs
        )

    def log_in(self, email, password):
        self.get("/compte/login/")
        response = self.post("/compte/login/", {"username": email, "password": password}, allow_redirects=False)
        assert response.status_code == 302, f"login refused for {email}: {response.status_code}"
        return response


def seed_companies(processes, env, count, prefix, netns_prefix=()):
    code, output = processes.run(
        f"seed-{prefix}", [sys.executable, "-m", "tests.deploy.seed", str(count), prefix], env, prefix=netns_prefix
    )
    assert code == 0, output[-3000:]
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def static_paths(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def report_rows(database_url, diagnostic_ids):
    """{diagnostic id: [(status, attempts, file, sha256), …]} read straight from the stack's database."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT diagnostic_id, status, attempts, file, sha256 FROM diagnostics_report WHERE diagnostic_id = ANY(%s)",
            [list(diagnostic_ids)],
        ).fetchall()
    found = {}
    for diagnostic_id, *rest in rows:
        found.setdefault(diagnostic_id, []).append(tuple(rest))
    return found


def files_under(folder):
    folder = Path(folder)
    return sorted(str(path) for path in folder.rglob("*") if path.is_file()) if folder.exists() else []
