"""Celery application: reads every `CELERY_*` setting from Django settings."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_unsafe_production(**kwargs):
    """A worker or beat started on unsafe production settings stops at once, saying why."""
    from portal.deployment import refuse_unsafe_production

    refuse_unsafe_production()
