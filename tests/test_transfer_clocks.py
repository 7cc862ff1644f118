"""The event file with every clock (issue 11): the new events and columns round-trip, old files
import unchanged; PATHWAY_TODAY fixes the clock of the CLI; rebuild-projection repairs the
stored projection from the history."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, update

from pathway.models import Child, Event, Extension, ProceedingsChild
from pathway.transfer import COLUMNS

from test_transfer import add_authorities, events_count, write
from test_transfer_network import canonical, export_after_importing_into_an_empty_database

HEADER = "la_code,family_ref,child_ref,event,date,dob,sex,ethnicity,proceedings_ref,weeks,reason,order_type,emergency_type,end_date,outcome"
ROWS = [
    "E09000999,CLK1,K1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,",
    "E09000999,CLK1,K2,open_case,2026-01-05,2018-05-01,M,WBRI,,,,,,,",
    "E09000999,CLK1,K1,strategy_discussion,2026-01-12,,,,,,,,,,",
    "E09000999,CLK1,K1,initial_cp_conference,2026-01-30,,,,,,,,,,plan",
    "E09000999,CLK1,K2,initial_cp_conference,2026-01-30,,,,,,,,,,no_plan",
    "E09000999,CLK1,K1,cp_review_conference,2026-04-28,,,,,,,,,,",
    "E09000999,CLK1,K2,emergency_protection,2026-03-02,,,,,,,,epo,2026-03-06,",
    "E09000999,CLK1,K2,extend_epo,2026-03-05,,,,,,,,,2026-03-12,",
    "E09000999,CLK1,,offer_fgc,2026-03-03,,,,,,,,,,",
    "E09000999,CLK1,,send_letter_before_proceedings,2026-03-04,,,,,,,,,,",
    "E09000999,CLK1,K2,issue_proceedings,2026-03-10,,,,ZW26C00300,,,,,,",
    "E09000999,CLK1,K2,interim_order,2026-03-11,,,,ZW26C00300,,,interim_care_order,,,",
    "E09000999,CLK1,K1,issue_proceedings,2026-05-01,,,,ZW26C00300,,,,,,",
    "E09000999,CLK1,K2,extend_timetable,2026-08-20,,,,ZW26C00300,6,parenting_assessment,,,,",
    "E09000999,CLK1,,extend_timetable,2026-08-21,,,,ZW26C00300,2,court_listing,,,,",
]
TEXT = HEADER + "\n" + "\n".join(ROWS) + "\n"


def test_end_date_is_a_new_column_of_the_contract():
    assert COLUMNS[22] == "end_date"


def test_every_new_event_round_trips(cli, session, tmp_path, clock):
    add_authorities(cli)
    result = cli.invoke(args=["import-events", write(tmp_path, TEXT)])
    assert result.exit_code == 0, result.output
    assert events_count(session) == len(ROWS)
    first = cli.invoke(args=["export-events"]).output
    assert canonical(first) == canonical(TEXT)
    k2 = session.scalar(select(Child).where(Child.reference == "K2"))
    assert k2.looked_after_since == date_(2026, 3, 2)  # emergency protection, then proceedings under an ICO
    assert session.scalar(select(Extension.child_id).where(Extension.weeks == 6)) == k2.id
    deadlines = dict(session.execute(select(ProceedingsChild.child_id, ProceedingsChild.deadline)).all())
    assert deadlines[k2.id] > deadlines[session.scalar(select(Child.id).where(Child.reference == "K1"))]

    assert export_after_importing_into_an_empty_database(tmp_path, clock, first) == first


def date_(*a):
    from datetime import date

    return date(*a)


BAD = [
    ("E09000999,CLK1,K2,emergency_protection,2026-03-02,,,,,,,,epo,2026-03-10,", "at most 8 days"),
    ("E09000999,CLK1,K2,emergency_protection,2026-03-02,,,,,,,,epo,06/03/2026,", "end_date '06/03/2026' is not a date"),
    ("E09000999,CLK1,K1,initial_cp_conference,2026-01-30,,,,,,,,,,perhaps", "plan or no_plan"),
]


def test_bad_clock_rows_are_named_and_nothing_is_written(cli, session, tmp_path):
    add_authorities(cli)
    for line, message in BAD:
        text = HEADER + "\n" + ROWS[0] + "\n" + ROWS[1] + "\n" + line + "\n"
        result = cli.invoke(args=["import-events", write(tmp_path, text)])
        assert result.exit_code == 1 and "line 4: " in result.output and message in result.output, result.output
        assert events_count(session) == 0


def test_rebuild_projection_repairs_what_the_history_implies(cli, session, tmp_path):
    add_authorities(cli)
    assert cli.invoke(args=["import-events", write(tmp_path, TEXT)]).exit_code == 0
    session.execute(update(Child).values(looked_after_since=None, cp_plan_since=None))
    session.commit()
    result = cli.invoke(args=["rebuild-projection"])
    assert result.exit_code == 0 and "Rebuilt the projection of 1 families" in result.output
    session.expire_all()
    k1 = session.scalar(select(Child).where(Child.reference == "K1"))
    assert k1.cp_plan_since == date_(2026, 1, 30)
    assert session.scalar(select(Child.looked_after_since).where(Child.reference == "K2")) == date_(2026, 3, 2)
    assert events_count(session) == len(ROWS)  # no event written


def test_pathway_today_fixes_the_clock_of_the_cli(tmp_path):
    """Through the real command line: the queue as it stood on a given day."""
    db_path = tmp_path / "today.db"
    env = {**os.environ, "PATHWAY_ENV": "development", "DATABASE_URL": f"sqlite:///{db_path}"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    root = Path(__file__).resolve().parent.parent

    def run(*args, today=None, check=True):
        e = dict(env, PATHWAY_TODAY=today) if today else env
        return subprocess.run([*flask, *args], cwd=root, env=e, capture_output=True, text=True, check=check)

    run("db", "upgrade")
    run("add-la", "--code", "E09000999", "--name", "Test", "--nation", "england", "--dfj-area", "Testshire")
    events = tmp_path / "e.csv"
    events.write_text(HEADER + "\n" + "\n".join(ROWS[:2] + [
        "E09000999,CLK1,K2,emergency_protection,2026-03-02,,,,,,,,police_protection,,"]) + "\n")
    run("import-events", str(events), today="2026-03-03")
    flags = {r["child_ref"]: r["flag_dates"] for r in json.loads(run("queue", "--format", "json", today="2026-03-04").stdout)}
    assert flags["K2"]["emergency_protection_ending"] == "2026-03-05"
    later = {r["child_ref"]: r["flags"] for r in json.loads(run("queue", "--format", "json", today="2026-03-06").stdout)}
    assert "emergency_protection_ended" in later["K2"]
    refused = subprocess.run(
        [*flask, "queue"], cwd=root, env=dict(env, PATHWAY_ENV="production", SECRET_KEY="x" * 32, PATHWAY_TODAY="2026-03-06"),
        capture_output=True, text=True)
    assert refused.returncode != 0 and "PATHWAY_TODAY fixes the clock for development and testing only" in refused.stderr
