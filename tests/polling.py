"""Waiting for what another thread or process does: poll a condition until a deadline, never a fixed sleep.

assert wait_until(lambda: mail.outbox, timeout=30), "no e-mail was sent"
"""

import threading
import time


def wait_until(condition, timeout, *, interval=0.1, ignore=()):
    """The first true value of `condition()` before `timeout` seconds, else its last value.

    `ignore`: exception classes that count as a false value (a server still starting refuses
    connections); their last occurrence gives None. Between two polls the thread waits `interval`."""
    deadline = time.monotonic() + timeout
    between_polls = threading.Event()  # never set: waiting on it is the pause between two polls
    while True:
        try:
            result = condition()
        except ignore:
            result = None
        if result or time.monotonic() >= deadline:
            return result
        between_polls.wait(interval)
