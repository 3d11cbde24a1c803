"""Audit the pinned requirements for known vulnerabilities with pip-audit (run by `make lint`).

    .venv/bin/python scripts/audit_dependencies.py            # requirements.txt + requirements-dev.txt

Fails (exit 1) when a pinned package has a known vulnerability that a newer release fixes: bump the
pin. A vulnerability without any fixed release is printed as a warning and does not fail.

pip-audit asks PyPI's JSON API which releases are vulnerable. When that service cannot be reached
(offline machine, or a package mirror that does not serve the API), no dependency can be audited:
the step then prints a clear SKIPPED notice and succeeds, so an offline machine can still run the
suite. Set AUDIT_REQUIRED=1 to make an unreachable service fail instead (CI with network access).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]
TIMEOUT = int(os.environ.get("AUDIT_TIMEOUT", "600"))


def pip_audit():
    command = [str(Path(sys.executable).with_name("pip-audit")), "--format", "json", "--progress-spinner", "off"]
    for requirement in REQUIREMENTS:
        command += ["-r", requirement]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)


def skipped(reason):
    print(f"pip-audit: dependency audit SKIPPED: {reason}")
    if os.environ.get("AUDIT_REQUIRED") == "1":
        print("pip-audit: AUDIT_REQUIRED=1, so this counts as a failure.")
        return 1
    return 0


def judge(report):
    """Exit status and lines to print for a pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    if dependencies and not audited:
        first = dependencies[0]["skip_reason"]
        return None, [
            f"no vulnerability data reachable: none of the {len(dependencies)} dependencies audited ({first})"
        ]
    lines, fixable = [], 0
    for dependency in dependencies:
        if "skip_reason" in dependency:
            lines.append(f"warning: {dependency['name']} not audited: {dependency['skip_reason']}")
        for vulnerability in dependency.get("vulns", []):
            fixes = vulnerability.get("fix_versions") or []
            name = f"{dependency['name']}=={dependency.get('version', '?')} {vulnerability['id']}"
            if fixes:
                fixable += 1
                lines.append(f"VULNERABLE: {name}, fixed in {', '.join(fixes)}: bump the pin")
            else:
                lines.append(f"warning: {name} has no fixed release yet")
    lines.append(
        f"pip-audit: {len(audited)} dependencies audited, {fixable} known vulnerabilities with a fix available"
    )
    return (1 if fixable else 0), lines


def main():
    try:
        result = pip_audit()
    except subprocess.TimeoutExpired:
        return skipped(f"pip-audit did not answer within {TIMEOUT} s")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return skipped(f"the vulnerability service or the package index could not be reached ({last})")
    status, lines = judge(report)
    if status is None:
        return skipped(lines[0])
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
