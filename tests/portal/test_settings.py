"""Settings read the environment once: each case runs a fresh interpreter with its own variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    "STORAGE_URL",
    "HOST_COUNT",
    "STATIC_ROOT",
    "STORAGE_PUBLIC_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "SITE_URL",
)
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-real-secret-key-for-the-deploy-check-" + "x7Qp2!vZ" * 4,
    "ALLOWED_HOSTS": "portail.example.fr",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://portail.example.fr",
}


def run_with(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", **env_overrides})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


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


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT filled by production's collectstatic (hashed names and their manifest)."""
    root = tmp_path_factory.mktemp("static")
    result = run_with({**PRODUCTION, "STATIC_ROOT": str(root)}, "manage.py", "collectstatic", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    return root


def test_production_collectstatic_writes_the_manifest_of_every_vendored_file(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest
    assert "vendor/bootstrap/bootstrap.bundle.min.js.map" in manifest  # named by the script: must exist


def test_production_mode_passes_check_deploy_without_warnings(collected_static):
    result = run_with(
        {**PRODUCTION, "STATIC_ROOT": str(collected_static)},
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_in_production_without_redis(collected_static):
    without_redis = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}
    result = run_with({**without_redis, "STATIC_ROOT": str(collected_static)}, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "portal.E101" in result.stderr and "REDIS_URL is not set" in result.stderr


def test_check_deploy_fails_before_collectstatic(tmp_path):
    result = run_with({**PRODUCTION, "STATIC_ROOT": str(tmp_path)}, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "portal.E103" in result.stderr and "collectstatic" in result.stderr


def test_local_files_on_several_hosts_fail_check_deploy_and_stop_the_web_process(collected_static):
    env = {**PRODUCTION, "STATIC_ROOT": str(collected_static), "HOST_COUNT": "2"}
    check = run_with(env, "manage.py", "check", "--deploy")
    assert check.returncode != 0
    assert "portal.E102" in check.stderr and "HOST_COUNT=2" in check.stderr
    web = run_with(env, "-c", "import portal.wsgi")
    assert web.returncode != 0
    assert "Unsafe production settings" in web.stderr and "STORAGE_URL" in web.stderr


def test_the_web_process_refuses_to_start_in_production_without_redis():
    without_redis = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}
    result = run_with(without_redis, "-c", "import portal.wsgi")
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


@pytest.mark.parametrize("site_url", [None, ""])
def test_production_refuses_a_missing_site_url(collected_static, site_url):
    env = {key: value for key, value in PRODUCTION.items() if key != "SITE_URL"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    check = run_with({**env, "STATIC_ROOT": str(collected_static)}, "manage.py", "check", "--deploy")
    assert check.returncode != 0
    assert "portal.E104" in check.stderr and "SITE_URL" in check.stderr
    web = run_with(env, "-c", "import portal.wsgi")
    assert web.returncode != 0
    assert "Unsafe production settings" in web.stderr and "SITE_URL" in web.stderr


def test_loading_the_settings_writes_no_folder(tmp_path):
    places = {"STATIC_ROOT": tmp_path / "static", "MEDIA_ROOT": tmp_path / "media"}
    env = {name: str(path) for name, path in places.items()}
    result = run_with({**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}"}, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_embedded_default_starts_without_redis_or_object_storage():
    result = run_with({"HOST_COUNT": "3"}, "-c", "import portal.wsgi")
    assert result.returncode == 0, result.stderr


def test_storage_url_puts_every_file_on_object_storage():
    values = probe_storage(STORAGE_URL="s3+http://AK%2Fx:SK%40y@objects.internal:9000/portal-files/eu?region=fr-par")
    assert values["backend"] == "portal.storage.ObjectStorage"
    assert values["reports_backend"] == "portal.storage.ObjectStorage"
    assert values["options"] == {
        "endpoint_url": "http://objects.internal:9000",
        "bucket_name": "portal-files",
        "location": "eu",
        "access_key": "AK/x",
        "secret_key": "SK@y",
        "region_name": "fr-par",
        "public_endpoint_url": None,
        "querystring_expire": 60,
        "file_overwrite": False,
    }


def test_aws_variables_configure_the_object_storage_too():
    values = probe_storage(
        AWS_STORAGE_BUCKET_NAME="reports-bucket",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_S3_REGION_NAME="fr-par",
        STORAGE_PUBLIC_URL="https://files.example.fr",
    )
    assert values["options"]["bucket_name"] == "reports-bucket"
    assert values["options"]["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    assert values["options"]["public_endpoint_url"] == "https://files.example.fr"


def test_local_disk_is_the_default_file_storage():
    values = probe_storage()
    assert values["backend"] == values["reports_backend"] == "django.core.files.storage.FileSystemStorage"


def test_a_storage_url_of_another_scheme_is_refused_with_a_clear_message():
    result = run_with({"STORAGE_URL": "ftp://x@y/bucket"}, "-c", PROBE)
    assert result.returncode != 0
    assert "STORAGE_URL must start with s3://" in result.stderr


def probe_storage(**env):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'], "
        "'reports_backend': settings.STORAGES['reports']['BACKEND'], "
        "'options': settings.STORAGES['default'].get('OPTIONS')}))"
    )
    result = run_with(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_with({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portail.example.fr"}, "manage.py", "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
