"""A guard that fails a test which does not finish in time, instead of letting it hang the suite.

Not a speed measurement (benchmarks live in bench/): the bound is the promise that a hostile input
cannot keep the process busy, and a test that crosses it has found a hang.
"""

import signal
from contextlib import contextmanager


class Hang(AssertionError):
    """The guarded code was still running when its time was up."""


@contextmanager
def fails_after(seconds, what="the guarded code"):
    """Raise `Hang` inside the guarded block if it runs longer than `seconds` (main thread, POSIX)."""

    def interrupt(_signum, _frame):
        raise Hang(f"{what} was still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
