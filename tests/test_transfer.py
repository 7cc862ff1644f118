"""The event CSV: import (all or nothing, every error by line), export, and the round trip."""
from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from pathway.demo import synthetic_authority
from pathway.models import Child, Event, Family, LocalAuthority
from pathway.transfer import COLUMNS, event_to_row, write_csv

# The header of a file written before the family network columns existed: old files still import.
HEADER = ",".join(COLUMNS[:15])


def add_authorities(cli):
    for code, nation in (("E09000999", "england"), ("W06000999", "wales")):
        result = cli.invoke(args=["add-la", "--code", code, "--name", f"Test {code}", "--nation", nation,
                                  "--dfj-area", "Testshire"])
        assert result.exit_code == 0, result.output


def write(tmp_path, text, name="events.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def events_count(session):
    return session.execute(select(func.count(Event.id))).scalar()


GOOD = """la_code,family_ref,child_ref,event,date,dob,sex,ethnicity,proceedings_ref,weeks,reason,order_type,consent_by,emergency_type,exception
E09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,
E09000999,FAM1,C2,open_case,2026-01-05,2019-03-03,M,MWBC,,,,,,,
E09000999,FAM1,,offer_fgc,2026-01-10,,,,,,,,,,
E09000999,FAM1,,fgc_declined,2026-01-20,,,,,,,,,,
E09000999,FAM1,,send_letter_before_proceedings,2026-02-10,,,,,,,,,,
E09000999,FAM1,C1,issue_proceedings,2026-03-02,,,,ZW26C00042,,,,,,
E09000999,FAM1,C2,issue_proceedings,2026-03-02,,,,ZW26C00042,,,,,,
E09000999,FAM1,,extend_timetable,2026-08-20,,,,ZW26C00042,8,parenting_assessment,,,,
E09000999,FAM1,C1,final_order,2026-09-30,,,,ZW26C00042,,,care_order,,,
W06000999,FAMW,CW1,open_case,2026-02-01,2012-01-01,F,WBRI,,,,,,,
W06000999,FAMW,CW1,accommodate_s20,2026-02-03,,,,,,,,mother,,"Mother in hospital, no family able to care"
"""


def test_import_then_export_gives_back_the_same_rows(cli, session, tmp_path):
    add_authorities(cli)
    result = cli.invoke(args=["import-events", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "Imported 11 events for 2 families in 2 local authorities" in result.output
    out = tmp_path / "out.csv"
    result = cli.invoke(args=["export-events", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(csv_rows(out.read_text())) == sorted(csv_rows(GOOD))


def test_export_filters_by_authority(cli, tmp_path):
    add_authorities(cli)
    cli.invoke(args=["import-events", write(tmp_path, GOOD)])
    result = cli.invoke(args=["export-events", "--la", "W06000999"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["la_code"] for r in rows} == {"W06000999"} and len(rows) == 2
    result = cli.invoke(args=["export-events", "--la", "E00000000"])
    assert result.exit_code != 0 and "has not been added" in result.output


def csv_rows(text):
    """Each row as its non-blank fields: what 'the same rows' means."""
    return [tuple(sorted((k, v) for k, v in row.items() if v)) for row in csv.DictReader(io.StringIO(text))]


def test_columns_may_come_in_any_order_and_missing_ones_are_blank(cli, session, tmp_path):
    add_authorities(cli)
    text = "date,event,family_ref,la_code,child_ref,dob,sex,ethnicity\n" \
           "2026-01-05,open_case,FAM1,E09000999,C1,2015-05-01,F,WBRI\n" \
           "2026-01-06,start_cp_plan,FAM1,E09000999,C1,,,\n"
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 0, result.output
    assert session.scalars(select(Child)).one().stage == "child_protection"


def test_rows_apply_in_date_order_then_file_order(cli, session, tmp_path):
    add_authorities(cli)
    # The accommodation comes first in the file but is dated after the offer; same-day rows keep file order.
    text = HEADER + "\n" + "\n".join([
        "E09000999,FAM1,C1,accommodate_s20,2026-02-01,,,,,,,,father,,",
        "E09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,",
        "E09000999,FAM1,,offer_fgc,2026-02-01,,,,,,,,,,",
    ]) + "\n"
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code != 0
    assert "line 2: No family group conference has been offered" in result.output  # offer is later in the file
    text = text.replace("2026-02-01,,,,,,,,,,", "2026-01-31,,,,,,,,,,")
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 0, result.output
    assert session.scalars(select(Child)).one().stage == "section_20"


BAD_LINES = [
    ("E09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,", None),
    ("E09000999,FAM1,C1,start_cp_plan,2026-02-30,,,,,,,,,,", "date '2026-02-30' is not a real date"),
    ("E09000999,FAM1,C1,start_cp_plan,05/02/2026,,,,,,,,,,", "not a date in the form YYYY-MM-DD"),
    ("E09000999,FAM1,C1,adopt,2026-02-01,,,,,,,,,,", "event 'adopt' is not one of"),
    ("E00000001,FAM9,C9,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,", "local authority 'E00000001' has not been added"),
    ("E09000999,FAM2,C1,open_case,2026-01-06,2015-05-01,F,WBRI,,,,,,,", "already open"),
    ("E09000999,FAM3,C3,start_cp_plan,2026-01-07,,,,,,,,,,", "Family FAM3 has no open case"),
    ("E09000999,FAM1,C1,offer_fgc,2026-01-08,,,,,,,,,,", "child_ref must be blank for offer_fgc"),
    ("E09000999,FAM1,,offer_fgc,2026-01-08,,,,,4,,,,,", "weeks is not used with offer_fgc"),
    ("E09000999,FAM1,C1,accommodate_s20,2026-01-09,,,,,,,,,,", "Record who agreed to the accommodation"),
    ("E09000999,FAM1,C1,close_case,2027-01-01,,,,,,,,,,", "is in the future"),
    ("E09000999,FAM1,C1,start_cp_plan,2026-01-04,,,,,,,,,,",
     "The date 4 January 2026 is before child C1's case was opened on 5 January 2026."),  # the date, not "no case"
    ("E09000999,FAM1,,extend_timetable,2026-03-01,,,,P1,x,other,,,,", "weeks 'x' is not a whole number"),
    ("E09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,,extra", "has 16 values but the header has 15"),
    ("E09000999,,C1,start_cp_plan,2026-01-10,,,,,,,,,,", "family_ref is blank"),
]


def test_a_file_with_errors_writes_nothing_and_names_every_bad_line(cli, session, tmp_path):
    add_authorities(cli)
    text = HEADER + "\n" + "\n".join(line for line, _ in BAD_LINES) + "\n"
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    for number, (_line, expected) in enumerate(BAD_LINES, start=2):
        if expected is None:
            continue
        mine = [l for l in lines if l.startswith(f"line {number}: ")]
        assert mine, f"no error reported for line {number}: {result.output}"
        assert any(expected in l for l in mine), (number, mine)
    assert not any(l.startswith("line 2:") for l in lines)  # the one good line
    assert "Nothing was imported" in lines[-1]
    assert events_count(session) == 0
    assert session.execute(select(func.count(Family.id))).scalar() == 0


def test_one_bad_row_at_the_end_of_a_long_good_file_writes_nothing(cli, session, tmp_path, clock):
    add_authorities(cli)
    rows = [event_to_row("E09000999", ev) for ev in synthetic_authority(random.Random(7), 1, 60, clock.today())]
    rows.append({c: "" for c in COLUMNS} | {"la_code": "E09000999", "family_ref": "FAM-001-000059",
                                             "child_ref": "CH-001-000000-0", "event": "open_case",
                                             "date": clock.today().isoformat(), "dob": "2020-01-01",
                                             "sex": "F", "ethnicity": "WBRI"})
    out = io.StringIO()
    write_csv(rows, out)
    result = cli.invoke(args=["import-events", write(tmp_path, out.getvalue())])
    assert result.exit_code == 1
    errors = [l for l in result.output.splitlines() if l.startswith("line ")]
    assert errors == [f"line {len(rows) + 1}: A case for child CH-001-000000-0 is already open in this "
                      "authority. Each child's case is opened once; check the reference."]
    assert events_count(session) == 0


@pytest.mark.parametrize("text, message", [
    ("", "line 1: the file is empty"),
    ("la_code,family_ref,child,event,date\n", "line 1: unknown column 'child'"),
    ("la_code,family_ref,child_ref,date\nE09000999,F,C,2026-01-01\n", "line 1: the header has no event column"),
    ("la_code,family_ref,event,date,date\n", "line 1: column date appears more than once"),
])  # fmt: skip
def test_header_errors(cli, session, tmp_path, text, message):
    add_authorities(cli)
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 1
    assert message in result.output
    assert events_count(session) == 0


def test_importing_into_an_authority_that_already_has_history_continues_it(cli, session, tmp_path):
    add_authorities(cli)
    first = HEADER + "\nE09000999,FAM1,C1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,\n"
    second = HEADER + "\nE09000999,FAM1,,offer_fgc,2026-01-10,,,,,,,,,,\n" \
                      "E09000999,FAM1,C1,accommodate_s20,2026-01-11,,,,,,,,mother,,\n"
    assert cli.invoke(args=["import-events", write(tmp_path, first, "a.csv")]).exit_code == 0
    result = cli.invoke(args=["import-events", write(tmp_path, second, "b.csv")])
    assert result.exit_code == 0, result.output
    assert session.scalars(select(Child)).one().stage == "section_20"
    again = cli.invoke(args=["import-events", write(tmp_path, first, "a.csv")])
    assert again.exit_code == 1 and "already open" in again.output


@pytest.mark.parametrize("copy_threshold", [1, 10**9], ids=["bulk-copy", "executemany"])
def test_synthetic_history_round_trips_through_an_empty_database(cli, session, tmp_path, clock, app, monkeypatch,
                                                                 copy_threshold):
    """Export, import into an empty database, export again: the same rows (on PostgreSQL both
    with COPY, used for large batches, and with INSERT)."""
    monkeypatch.setattr("pathway.services.COPY_THRESHOLD", copy_threshold)
    add_authorities(cli)
    rng = random.Random(11)
    rows = [event_to_row("E09000999", ev) for ev in synthetic_authority(rng, 1, 80, clock.today())]
    rows += [event_to_row("W06000999", ev) for ev in synthetic_authority(rng, 2, 40, clock.today())]
    source = io.StringIO()
    write_csv(rows, source)
    result = cli.invoke(args=["import-events", write(tmp_path, source.getvalue())])
    assert result.exit_code == 0, result.output
    first = cli.invoke(args=["export-events"]).output
    assert Counter(csv_rows(first)) == Counter(csv_rows(source.getvalue()))

    from pathway import create_app
    from pathway.extensions import db

    other = tmp_path / "empty.db"
    fresh = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{other}", "TESTING": True}, clock=clock)
    with fresh.app_context():
        db.create_all()  # tests only: the schema itself is checked by the migration tests
        runner = fresh.test_cli_runner()
        add_authorities(runner)
        assert runner.invoke(args=["import-events", write(tmp_path, first, "first.csv")]).exit_code == 0
        second = runner.invoke(args=["export-events"]).output
        db.session.remove()
        db.engine.dispose()
    assert Counter(csv_rows(second)) == Counter(csv_rows(first))


def test_add_la_validates(cli, session):
    add_authorities(cli)
    again = cli.invoke(args=["add-la", "--code", "E09000999", "--name", "X", "--nation", "england", "--dfj-area", "A"])
    assert again.exit_code != 0 and "already been added" in again.output
    wrong = cli.invoke(args=["add-la", "--code", "S1", "--name", "X", "--nation", "scotland", "--dfj-area", "A"])
    assert wrong.exit_code != 0 and "scotland" in wrong.output
    assert session.execute(select(func.count(LocalAuthority.id))).scalar() == 2


def test_seed_demo_builds_every_stage(cli, session):
    result = cli.invoke(args=["seed-demo", "--families", "60"])
    assert result.exit_code == 0, result.output
    stages = {s for (s,) in session.execute(select(Child.stage).distinct())}
    assert {"early_help", "child_protection", "pre_proceedings", "section_20", "proceedings", "care_order",
            "kinship_care", "closed"} <= stages
    nations = {n for (n,) in session.execute(select(LocalAuthority.nation).distinct())}
    assert nations == {"england", "wales"}
    again = cli.invoke(args=["seed-demo", "--if-empty"])
    assert "already has events" in again.output
