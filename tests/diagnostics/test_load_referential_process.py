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


HOSTILE = ["alias-bomb", "nul-byte", "invalid-utf8", "deep-nesting", "huge-number", "impossible-date", "python-tag"]


def test_hostile_files_exit_non_zero_with_one_line_each_and_no_traceback(manage):
    """The probe's files in a real process: an exit status, `FILE:LINE: message`, nothing loaded."""
    for name in HOSTILE:
        path = MALFORMED / f"{name}.yaml"
        refused = manage("load_referential", path, "--publish")
        assert refused.returncode == 1, (name, refused.stderr)
        assert "Traceback" not in refused.stderr, refused.stderr
        (problem,) = [line for line in refused.stderr.splitlines() if line.startswith(f"{path}:")]
        assert problem.split(":", 2)[1].isdigit(), problem
        assert "rien n'a été chargé" in refused.stderr  # in French, the portal's language
    listed = manage(
        "shell", "-v0", "-c", "from diagnostics.models import Referential; print(Referential.objects.count())"
    )
    assert listed.stdout.strip() == "0"
