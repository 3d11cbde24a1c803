"""Settings read the environment once: each case runs a fresh interpreter with its own variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from portal.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "cache": settings.CACHES["default"]["BACKEND"],
    "time_limit": app.conf.task_time_limit,
    "soft_time_limit": app.conf.task_soft_time_limit,
    "debug": settings.DEBUG,
    "email": settings.EMAIL_BACKEND,
}))
"""
CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process only
)


def run_with(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", **env_overrides})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def probe(**env_overrides):
    result = run_with(env_overrides, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_default_is_a_sqlite_file_with_tasks_in_process():
    values = probe()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db_name"].endswith("var/db.sqlite3")
    assert values["eager"] is True
    assert values["cache"].endswith("LocMemCache")
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["debug"] is True


def test_database_url_switches_to_postgresql_through_psycopg3():
    values = probe(DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "test"


def test_redis_url_makes_redis_the_broker_and_cache_and_tasks_go_to_workers():
    values = probe(REDIS_URL="redis://127.0.0.1:6379/0")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_celery_time_limits_are_explicit():
    values = probe()
    assert values["time_limit"] == 300
    assert values["soft_time_limit"] == 240


def test_psycopg3_is_the_postgresql_driver():
    import psycopg

    assert psycopg.__version__.startswith("3.")


def test_production_mode_passes_check_deploy_without_warnings():
    result = run_with(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "a-real-secret-key-for-the-deploy-check-" + "x7Qp2!vZ" * 4,
            "ALLOWED_HOSTS": "portail.example.fr",
        },
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_with({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portail.example.fr"}, "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
