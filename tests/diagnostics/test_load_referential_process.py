"""`manage.py load_referential` as `make run` calls it: a real process, its exit status, run twice."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.diagnostics.conftest import MALFORMED, SMALL_REFERENTIAL

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def manage(tmp_path):
    """Run manage.py on a fresh SQLite database of its own, in English."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("migrate", "--noinput", "-v0").returncode == 0
    return run


def test_malformed_file_exits_non_zero_and_a_valid_one_loads_idempotently(manage):
    refused = manage("load_referential", MALFORMED / "duplicate-level.yaml", "--publish")
    assert refused.returncode == 1
    assert "axes[0].questions[0].levels[4].level" in refused.stderr

    first = manage("load_referential", SMALL_REFERENTIAL, "--publish")
    second = manage("load_referential", SMALL_REFERENTIAL, "--publish")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "test-referential 2026.1" in second.stdout
    assert second.stdout != first.stdout
