"""The dependency audit of `make lint`: fails on a vulnerability with a fix, skips loudly when offline."""

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts" / "audit_dependencies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dependency(name, vulns=(), version="1.0"):
    return {"name": name, "version": version, "vulns": list(vulns)}


def test_a_vulnerability_with_a_fix_fails(audit):
    status, lines = audit.judge(
        {"dependencies": [dependency("django", [{"id": "PYSEC-1", "fix_versions": ["5.2.20"]}]), dependency("rules")]}
    )
    assert status == 1
    assert any("VULNERABLE: django==1.0 PYSEC-1, fixed in 5.2.20" in line for line in lines)


def test_a_vulnerability_without_a_fix_warns_only(audit):
    status, lines = audit.judge({"dependencies": [dependency("qrcode", [{"id": "GHSA-x", "fix_versions": []}])]})
    assert status == 0
    assert any(line.startswith("warning: qrcode==1.0 GHSA-x") for line in lines)


def test_a_clean_report_passes_and_says_how_many_were_audited(audit):
    status, lines = audit.judge({"dependencies": [dependency("a"), dependency("b")]})
    assert status == 0
    assert lines[-1] == "pip-audit: 2 dependencies audited, 0 known vulnerabilities with a fix available"


def test_nothing_audited_means_the_service_was_not_reachable(audit, monkeypatch, capsys):
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    status, lines = audit.judge(report)
    assert status is None
    assert "no vulnerability data reachable" in lines[0]

    monkeypatch.delenv("AUDIT_REQUIRED", raising=False)
    assert audit.skipped(lines[0]) == 0
    assert "dependency audit SKIPPED" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRED", "1")
    assert audit.skipped(lines[0]) == 1


def test_unreachable_index_is_a_skip_not_a_crash(audit, monkeypatch, capsys):
    failed = subprocess.CompletedProcess([], 1, stdout="", stderr="ConnectionError: Name or service not known")
    monkeypatch.setattr(audit, "pip_audit", lambda: failed)
    monkeypatch.delenv("AUDIT_REQUIRED", raising=False)
    assert audit.main() == 0
    assert "Name or service not known" in capsys.readouterr().out


def test_the_lint_target_runs_the_audit_over_the_pinned_requirements():
    makefile = (ROOT / "Makefile").read_text()
    lint = re.search(r"^lint:.*?(?=^\S)", makefile, re.DOTALL | re.MULTILINE).group(0)
    assert "scripts/audit_dependencies.py" in lint
    assert re.search(r"^pip-audit==\d", (ROOT / "requirements-dev.txt").read_text(), re.MULTILINE)
