"""`make audit`: known vulnerabilities in the installed Python packages (pip-audit).

Fails (exit 1) only when pip-audit reports a known vulnerability. When the vulnerability
database cannot be reached, or answers for none of the packages, it says so plainly and exits
0: an unreachable database never turns CI red, and it never claims "no vulnerabilities" for
packages it could not check. Bounded in time (AUDIT_TIMEOUT seconds, default 120).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    timeout = int(os.environ.get("AUDIT_TIMEOUT", "120"))
    command = [str(BIN / "pip-audit"), "--skip-editable", "--progress-spinner", "off", "--format", "json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        print("dependency audit SKIPPED: pip-audit is not installed (make install adds it)")
        return 0
    except subprocess.TimeoutExpired:
        print(f"dependency audit SKIPPED: the vulnerability database did not answer within {timeout} s")
        return 0
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"dependency audit SKIPPED: the vulnerability database could not be reached ({last[:200]})")
        return 0
    dependencies = [d for d in report.get("dependencies", []) if "editable" not in d.get("skip_reason", "")]
    unchecked = [d["name"] for d in dependencies if d.get("skip_reason")]
    checked = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in checked if d.get("vulns")]
    for d in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in d["vulns"])
        print(f"VULNERABLE: {d['name']} {d.get('version', '')}: {ids}")
    if vulnerable:
        print(f"dependency audit FAILED: {len(vulnerable)} package(s) with known vulnerabilities")
        return 1
    if not checked:
        print(f"dependency audit SKIPPED: the vulnerability database answered for none of the "
              f"{len(dependencies)} packages (unreachable from here); nothing was checked")
        return 0
    note = f"; {len(unchecked)} could not be checked: {', '.join(unchecked)}" if unchecked else ""
    print(f"dependency audit passed: no known vulnerabilities in {len(checked)} packages{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
