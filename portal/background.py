"""Side effects of a use case (e-mails, renders, bookings, refreshes) run as Celery tasks once the
transaction that caused them has committed (docs/background-work.md).

- `enqueue_after_commit(task, *args)`: publish the task once the current transaction commits; never
  from a change that rolled back.
- `enqueue(task, *args)`: publish it now. A broker outage is logged, not raised: the use case that
  caused it succeeded, and what the lost message was to do is picked up by a sweeper. Returns
  whether the task was published.
- `DELIVERY`: the options of a task that delivers something (an e-mail): retried with backoff on
  network and SMTP errors (`OSError`, `SMTPException`).
- `register_sweeper(name, sweep)` and `sweep()`: every few minutes beat runs `portal.sweep`, which
  calls each app's sweeper; a sweeper re-enqueues what a lost message left undone (outbox rows not
  marked as told, visits not booked) within a window, a bounded batch at a time, and returns how many
  tasks it enqueued.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from smtplib import SMTPException

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("portal.background")

# Retry the broker connection briefly; a longer outage leaves the work to the sweepers.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
TRANSIENT_DELIVERY_ERRORS = (OSError, SMTPException)
DELIVERY = {
    "autoretry_for": TRANSIENT_DELIVERY_ERRORS,
    "retry_backoff": True,
    "max_retries": 5,
    "ignore_result": True,
}
# What a sweep looks at: rows older than the grace (their own task is probably on its way) and younger
# than the window (older ones were dealt with by hand, or predate the outbox); at most a batch each.
SWEEP_GRACE = timedelta(minutes=5)
SWEEP_WINDOW = timedelta(days=2)
SWEEP_BATCH = 200

_sweepers: dict[str, Callable] = {}


def enqueue(task, *args, **kwargs):
    """Publish `task(*args, **kwargs)`; on a broker outage log it and return False."""
    try:
        task.apply_async(args, kwargs, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:
        logger.warning(
            "%s%r not enqueued (broker unreachable?); a sweeper will redo it", task.name, args, exc_info=True
        )
        return False
    return True


def enqueue_after_commit(task, *args, **kwargs):
    """Publish `task(*args, **kwargs)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))


def register_sweeper(name, sweeper):
    """`sweeper(since, until)` re-enqueues what is left undone among the rows made between the two
    moments, at most `SWEEP_BATCH`, and returns how many tasks it enqueued."""
    _sweepers[name] = sweeper


def outbox_sweeper(queryset, task):
    """A sweeper that enqueues `task(row id)` again for the rows of `queryset` (transition records) whose
    people were not told yet (`notified_at` empty)."""

    def sweeper(since, until):
        rows = queryset.filter(notified_at=None, at__gte=since, at__lt=until).order_by("at", "pk")
        return sum(enqueue(task, pk) for pk in rows.values_list("pk", flat=True)[:SWEEP_BATCH])

    return sweeper


def sweep(now=None):
    """Run every registered sweeper; returns {name: tasks enqueued}. One failing sweeper does not stop the others."""
    now = now or timezone.now()
    since, until = now - SWEEP_WINDOW, now - SWEEP_GRACE
    done = {}
    for name, sweeper in _sweepers.items():
        try:
            done[name] = sweeper(since, until)
        except Exception:
            logger.exception("sweeper %s failed", name)
            done[name] = 0
    if any(done.values()):
        logger.info("sweep: enqueued again %s", {name: count for name, count in done.items() if count})
    return done
