"""scripts/audit_dependencies.py: red only for a known vulnerability, never for an unreachable
vulnerability database, and never "no vulnerabilities" for packages it could not check."""
from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer(monkeypatch, audit, stdout="", error=None):
    def run(*args, **kwargs):
        if error:
            raise error
        return subprocess.CompletedProcess(args, 0, stdout=stdout, stderr="ConnectionError: no route")

    monkeypatch.setattr(audit.subprocess, "run", run)


def test_unreachable_database_is_skipped_with_a_message(monkeypatch, audit, capsys):
    report = {"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited"},
                               {"name": "pathway", "skip_reason": "distribution marked as editable"}]}
    answer(monkeypatch, audit, json.dumps(report))
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "SKIPPED" in out and "nothing was checked" in out


@pytest.mark.parametrize("error", [subprocess.TimeoutExpired("pip-audit", 120), FileNotFoundError()])
def test_timeout_or_missing_tool_is_skipped(monkeypatch, audit, capsys, error):
    answer(monkeypatch, audit, error=error)
    assert audit.main() == 0 and "SKIPPED" in capsys.readouterr().out


def test_garbled_answer_is_skipped(monkeypatch, audit, capsys):
    answer(monkeypatch, audit, "not json")
    assert audit.main() == 0 and "could not be reached" in capsys.readouterr().out


def test_a_known_vulnerability_fails(monkeypatch, audit, capsys):
    report = {"dependencies": [{"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-0000-1"}]},
                               {"name": "jinja2", "version": "3.1", "vulns": []}]}
    answer(monkeypatch, audit, json.dumps(report))
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE: flask 0.1: PYSEC-0000-1" in out and "FAILED" in out


def test_a_clean_audit_passes_and_names_what_it_could_not_check(monkeypatch, audit, capsys):
    report = {"dependencies": [{"name": "flask", "version": "3.1", "vulns": []},
                               {"name": "oddity", "skip_reason": "Dependency not found on PyPI"}]}
    answer(monkeypatch, audit, json.dumps(report))
    assert audit.main() == 0
    assert "passed: no known vulnerabilities in 1 packages; 1 could not be checked: oddity" in capsys.readouterr().out
