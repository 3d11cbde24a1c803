"""Production refuses the configurations that run but break quietly.

- No REDIS_URL: Celery would run every task (PDF renders, e-mails) inside the web request.
- Files on local disk with HOST_COUNT > 1: a report rendered on one host is missing on the others.
- No static files manifest: every page would answer 500 (run `collectstatic`, which the release job does).
- No SITE_URL: the links in e-mails (invitations, decisions, reports) would point to a local address.

`manage.py check --deploy` reports them as errors (the release job runs it); the web and Celery
processes refuse to start on the first two (`refuse_unsafe_production`, called from wsgi.py and
the Celery app's start-up signals). The embedded default (DJANGO_ENV=local) is never refused.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

NO_REDIS = "portal.E101"
LOCAL_FILES_ON_SEVERAL_HOSTS = "portal.E102"
NO_STATIC_MANIFEST = "portal.E103"
NO_SITE_URL = "portal.E104"


def runtime_problems():
    """(id, message, hint) of the unsafe production settings a process must not start with."""
    if not settings.PRODUCTION:
        return []
    problems = []
    if not settings.REDIS_URL:
        problems.append(
            (
                NO_REDIS,
                "REDIS_URL is not set: in production, background tasks (PDF reports, e-mails) would run "
                "inside the web requests instead of Celery workers.",
                "Set REDIS_URL=redis://HOST:6379/0 (the Celery broker; the cache takes the next database).",
            )
        )
    if settings.HOST_COUNT > 1 and not settings.OBJECT_STORAGE:
        problems.append(
            (
                LOCAL_FILES_ON_SEVERAL_HOSTS,
                f"HOST_COUNT={settings.HOST_COUNT} but files are kept on local disk (MEDIA_ROOT): a file written "
                "on one host would be missing on the others.",
                "Set STORAGE_URL=s3://KEY:SECRET@HOST/BUCKET (S3-compatible object storage), or HOST_COUNT=1.",
            )
        )
    if not settings.SITE_URL:
        problems.append(
            (
                NO_SITE_URL,
                "SITE_URL is not set: the links in the portal's e-mails would not lead to it.",
                "Set SITE_URL=https://portail.example.fr (the address users reach the portal at).",
            )
        )
    return problems


def static_problems():
    if not settings.PRODUCTION:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return []
    return [
        (
            NO_STATIC_MANIFEST,
            f"No static files manifest at {manifest}: every page would fail.",
            "Run `manage.py collectstatic --noinput` (the release job does) with the same STATIC_ROOT.",
        )
    ]


@register(deploy=True)
def check_production_settings(app_configs, **kwargs):
    return [Error(message, hint=hint, id=code) for code, message, hint in runtime_problems() + static_problems()]


def refuse_unsafe_production():
    """Raise ImproperlyConfigured, naming every problem, when production settings are unsafe."""
    problems = runtime_problems()
    if problems:
        raise ImproperlyConfigured(
            "Unsafe production settings:\n" + "\n".join(f"- {message} {hint}" for _code, message, hint in problems)
        )
