"""The event file with the FGC service (issue 13): every new event and column round trips, old
files (hold_fgc straight after the offer or acceptance) import unchanged, and bad rows are named."""
from __future__ import annotations

from sqlalchemy import select

from pathway.models import FamilyGroupConference, LocalAuthority
from pathway.transfer import COLUMNS

from test_transfer import add_authorities, events_count, write
from test_transfer_network import canonical, export_after_importing_into_an_empty_database
from web_helpers import make_user

COORD = "coord@e09000999.example"
NEW_COLUMNS = ("invited", "attended", "private_family_time", "coordinator")
HEADER = ("la_code,family_ref,child_ref,event,date,dob,sex,ethnicity,person_ref,offered_to,reason,outcome,"
          "invited,attended,private_family_time,coordinator")
ROWS = [
    "E09000999,FG1,FC1,open_case,2026-05-04,2016-02-02,F,WBRI,,,,,,,,",
    "E09000999,FG1,,add_person,2026-05-04,,F,,FM1,,,,,,,",
    "E09000999,FG1,,add_person,2026-05-04,,,,FG9,,,,,,,",
    "E09000999,FG1,,offer_fgc,2026-05-05,,,,,FM1,,,,,,",
    "E09000999,FG1,,fgc_accepted,2026-05-06,,,,,,,,,,,",
    "E09000999,FG1,,refer_fgc,2026-05-07,,,,,,\"Neglect, =home conditions\",,,,,",
    "E09000999,FG1,,allocate_fgc_coordinator,2026-05-08,,,,,,,,,,," + COORD,
    "E09000999,FG1,,hold_fgc,2026-06-10,,,,,,,,FG9;FM1,FM1,yes,",
    "E09000999,FG1,,decide_fgc_plan,2026-06-12,,,,,,The plan leaves the child alone at night,not_accepted,,,,",
    "E09000999,FG1,,review_fgc,2026-09-10,,,,,,,,,,,",
    "E09000999,FG1,,offer_fgc,2026-09-20,,,,,,,,,,,",
    "E09000999,FG1,,close_fgc,2026-09-25,,,,,,family_withdrew,,,,,",
    "E09000999,FG2,FC2,open_case,2026-05-04,2016-02-02,M,WBRI,,,,,,,,",
    "E09000999,FG2,,offer_fgc,2026-05-05,,,,,,,,,,,",
    "E09000999,FG2,,fgc_accepted,2026-05-06,,,,,,,,,,,",
    "E09000999,FG2,,hold_fgc,2026-05-20,,,,,,,,,,no,",
    "E09000999,FG2,,decide_fgc_plan,2026-05-22,,,,,,,accepted,,,,",
]
TEXT = HEADER + "\n" + "\n".join(ROWS) + "\n"


def test_the_new_columns_come_after_every_old_one():
    assert COLUMNS[23:27] == NEW_COLUMNS and COLUMNS[22] == "end_date"


def _coordinator(session):
    la = session.scalar(select(LocalAuthority).where(LocalAuthority.code == "E09000999"))
    make_user(session, "fgc_coordinator", la, email=COORD)


def test_every_new_event_round_trips_through_an_empty_database(cli, session, tmp_path, clock):
    add_authorities(cli)
    _coordinator(session)
    result = cli.invoke(args=["import-events", write(tmp_path, TEXT)])
    assert result.exit_code == 0, result.output
    assert events_count(session) == len(ROWS)
    first = cli.invoke(args=["export-events"]).output
    assert canonical(first.replace("'=home", "=home")) == canonical(TEXT)
    assert first.splitlines()[0] == ",".join(COLUMNS)
    stored = session.scalars(select(FamilyGroupConference).order_by(FamilyGroupConference.id)).all()
    assert [(f.status, f.coordinator, f.private_family_time, f.plan_outcome, f.closed_reason) for f in stored] == [
        ("review_held", COORD, True, "not_accepted", None), ("closed", None, None, None, "family_withdrew"),
        ("plan_decided", None, False, "accepted", None)]

    assert export_after_importing_into_an_empty_database(tmp_path, clock, first, prepare=_coordinator) == first


def test_an_old_file_with_hold_fgc_straight_after_the_offer_imports_unchanged(cli, session, tmp_path):
    add_authorities(cli)
    old = ("la_code,family_ref,child_ref,event,date,dob,sex,ethnicity,proceedings_ref,weeks,reason,order_type,"
           "consent_by,emergency_type,exception\n"
           "E09000999,OLD1,OC1,open_case,2026-01-05,2015-05-01,F,WBRI,,,,,,,\n"
           "E09000999,OLD1,,offer_fgc,2026-01-10,,,,,,,,,,\n"
           "E09000999,OLD1,,hold_fgc,2026-01-20,,,,,,,,,,\n"
           "E09000999,OLD1,,offer_fgc,2026-02-10,,,,,,,,,,\n"
           "E09000999,OLD1,,fgc_accepted,2026-02-11,,,,,,,,,,\n"
           "E09000999,OLD1,,hold_fgc,2026-02-20,,,,,,,,,,\n")
    result = cli.invoke(args=["import-events", write(tmp_path, old)])
    assert result.exit_code == 0, result.output
    assert [f.status for f in session.scalars(select(FamilyGroupConference))] == ["held", "held"]


def test_bad_fgc_rows_are_named_and_nothing_is_written(cli, session, tmp_path):
    add_authorities(cli)
    _coordinator(session)
    bad = [
        *ROWS[:5],
        "E09000999,FG1,,allocate_fgc_coordinator,2026-05-08,,,,,,,,,,,someone@else.example",  # line 7
        "E09000999,FG1,,review_fgc,2026-05-09,,,,,,,,,,,",  # line 8: no plan yet
        "E09000999,FG1,,hold_fgc,2026-05-10,,,,,,,,FM1,FG9,maybe,",  # line 9
        "E09000999,FG1,FC1,refer_fgc,2026-05-11,,,,,,x,,,,,",  # line 10: child_ref on a family step
    ]
    result = cli.invoke(args=["import-events", write(tmp_path, HEADER + "\n" + "\n".join(bad) + "\n")])
    assert result.exit_code != 0
    out = result.output
    assert "line 7: someone@else.example is not an FGC coordinator of Test E09000999" in out
    assert "line 8:" in out and "only after the authority has decided on the family's plan" in out
    assert "line 9:" in out and "FG9 came to the conference but is not among the people invited" in out
    assert "private family time" in out
    assert "line 10: child_ref must be blank for refer_fgc" in out
    assert events_count(session) == 0
