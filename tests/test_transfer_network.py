"""The event file with the family network (issue 9): every new event and column, the round trip,
old files, and what bad network rows get."""
from __future__ import annotations

import csv
import io
from collections import Counter

from sqlalchemy import func, select

from pathway.models import ChildRelation, Event, FamilyPerson, Person
from pathway.transfer import COLUMNS

from test_transfer import add_authorities, events_count, write

NEW_COLUMNS = ("person_ref", "relationship", "parental_responsibility", "characteristics", "outcome",
               "decided_by", "offered_to")


def test_the_new_columns_are_named_as_the_contract_says_and_come_after_the_old():
    assert COLUMNS[15:22] == NEW_COLUMNS
    assert COLUMNS[:15] == ("la_code", "family_ref", "child_ref", "event", "date", "dob", "sex", "ethnicity",
                            "proceedings_ref", "weeks", "reason", "order_type", "consent_by", "emergency_type",
                            "exception")


# Every new event, and every new column on the events that take one; columns in a new order.
HEADER = ("event,date,la_code,family_ref,child_ref,person_ref,relationship,parental_responsibility,dob,sex,"
          "ethnicity,characteristics,outcome,consent_by,exception,decided_by,offered_to,proceedings_ref,"
          "order_type,emergency_type,weeks,reason")
ROWS = [
    "open_case,2026-05-04,E09000999,NET1,NC1,,,,2015-05-01,F,WBRI,,,,,,,,,,,",
    "open_case,2026-05-04,E09000999,NET1,NC2,,,,2019-03-03,M,MWBC,,,,,,,,,,,",
    "add_person,2026-05-04,E09000999,NET1,,NM1,,,1990-02-02,F,WBRI,care_experienced;learning_disability,,,,,,,,,,",
    "add_person,2026-05-04,E09000999,NET1,,NF1,,,,M,,,,,,,,,,,,",
    "add_person,2026-05-04,E09000999,NET1,,NF2,,,,M,,,,,,,,,,,,",
    "add_person,2026-05-05,E09000999,NET1,,NG1,,,,,,,,,,,,,,,,",
    "relate_person,2026-05-05,E09000999,NET1,NC1,NM1,mother,yes,,,,,,,,,,,,,,",
    "relate_person,2026-05-05,E09000999,NET1,NC2,NM1,mother,yes,,,,,,,,,,,,,,",
    "relate_person,2026-05-05,E09000999,NET1,NC1,NF1,father,yes,,,,,,,,,,,,,,",
    "relate_person,2026-05-05,E09000999,NET1,NC2,NF2,father,no,,,,,,,,,,,,,,",
    "relate_person,2026-05-05,E09000999,NET1,NC1,NG1,maternal_grandparent,no,,,,,,,,,,,,,,",
    "offer_fgc,2026-05-10,E09000999,NET1,,,,,,,,,,,,,NM1;NF1,,,,,",
    "fgc_declined,2026-05-12,E09000999,NET1,,,,,,,,,,,,,,,,,,",
    "object_to_accommodation,2026-05-13,E09000999,NET1,NC2,NM1,,,,,,,,,,,,,,,,",
    "withdraw_objection,2026-05-14,E09000999,NET1,NC2,NM1,,,,,,,,,,,,,,,,",
    "accommodate_s20,2026-05-15,E09000999,NET1,NC2,,,,,,,,,NM1,,,,,,,,",
    "object_to_accommodation,2026-05-20,E09000999,NET1,NC2,NM1,,,,,,,,,,,,,,,,",
    "remove_from_accommodation,2026-05-21,E09000999,NET1,NC2,NM1,,,,,,,,,,,,,,,,",
    "carer_assessment,2026-05-25,E09000999,NET1,,NG1,,,,,,,viability_positive,,,,,,,,,",
    'send_letter_before_proceedings,2026-06-01,E09000999,NET1,,,,,,,,,,,,,NF1;NM1,,,,,',
    'issue_proceedings,2026-06-20,E09000999,NET1,NC1,,,,,,,,,,"Meeting would put the child at risk","A. Head, head of service",,ZW26C00077,,,,',
    "relate_person,2026-09-01,E09000999,NET1,NC1,NG1,maternal_grandparent,yes,,,,,,,,,,,,,,",
    "final_order,2026-09-01,E09000999,NET1,NC1,NG1,,,,,,,,,,,,ZW26C00077,sgo,,,",
    "post_removal_support,2026-09-10,E09000999,NET1,,NM1,,,,,,,referred,,,,,,,,,",
    # Wales: an exception imported without decided_by is accepted (listed for managers to complete).
    "open_case,2026-05-04,W06000999,NETW,WC1,,,,2012-01-01,F,WBRI,,,,,,,,,,,",
    "add_person,2026-05-04,W06000999,NETW,,WM1,,,,F,,,,,,,,,,,,",
    "relate_person,2026-05-04,W06000999,NETW,WC1,WM1,mother,yes,,,,,,,,,,,,,,",
    'accommodate_s20,2026-05-06,W06000999,NETW,WC1,,,,,,,,,WM1,"Mother admitted to hospital",,,,,,,',
]
TEXT = HEADER + "\n" + "\n".join(ROWS) + "\n"


def canonical(text: str) -> Counter:
    """Rows as {column: value} without blanks, whatever the column order."""
    return Counter(
        tuple(sorted((k, v) for k, v in row.items() if v)) for row in csv.DictReader(io.StringIO(text))
    )


def test_every_new_event_round_trips_through_an_empty_database(cli, session, tmp_path, clock):
    add_authorities(cli)
    result = cli.invoke(args=["import-events", write(tmp_path, TEXT)])
    assert result.exit_code == 0, result.output
    assert events_count(session) == len(ROWS)
    first = cli.invoke(args=["export-events"]).output
    assert canonical(first) == canonical(TEXT)
    assert first.splitlines()[0] == ",".join(COLUMNS)

    assert export_after_importing_into_an_empty_database(tmp_path, clock, first) == first


def export_after_importing_into_an_empty_database(tmp_path, clock, text: str, prepare=None) -> str:
    """Import `text` into a new, empty database (with the test authorities, and whatever
    `prepare(session)` adds) and export it again: the round trip of the event file."""
    from pathway import create_app
    from pathway.extensions import db

    fresh = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}", "TESTING": True},
                       clock=clock)
    with fresh.app_context():
        db.create_all()
        runner = fresh.test_cli_runner()
        add_authorities(runner)
        if prepare is not None:
            prepare(db.session)
        result = runner.invoke(args=["import-events", write(tmp_path, text, "first.csv")])
        assert result.exit_code == 0, result.output
        exported = runner.invoke(args=["export-events"]).output
        db.engine.dispose()
    return exported


def test_the_network_is_stored_as_the_history_says(cli, session, tmp_path):
    add_authorities(cli)
    assert cli.invoke(args=["import-events", write(tmp_path, TEXT)]).exit_code == 0
    assert session.execute(select(func.count(Person.id))).scalar() == 5
    mother = session.scalars(select(FamilyPerson).join(Person).where(Person.reference == "NM1")).one()
    assert mother.characteristics == "care_experienced;learning_disability"
    assert mother.support_due_from is None  # support was referred after the order
    father = session.scalars(select(FamilyPerson).join(Person).where(Person.reference == "NF1")).one()
    assert father.support_due_from is not None  # the child lives with the grandparent now
    grandparent = session.scalars(select(ChildRelation).join(Person).where(Person.reference == "NG1")).one()
    assert grandparent.parental_responsibility is True  # from the special guardianship order


def test_an_old_file_without_the_new_columns_still_imports(cli, session, tmp_path):
    from test_transfer import GOOD

    add_authorities(cli)
    result = cli.invoke(args=["import-events", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output


BAD = [
    ("add_person,2026-05-04,E09000999,BAD1,,,,,,,,,,,,,,,,,,", "Enter the person's reference"),
    ("add_person,2026-05-04,E09000999,BAD1,,BP1,,,,,,left_handed,,,,,,,,,,", "left_handed is not a characteristic"),
    ("relate_person,2026-05-05,E09000999,BAD1,BC1,BP9,mother,yes,,,,,,,,,,,,,,", "BP9 is not in family BAD1's network"),
    ("relate_person,2026-05-05,E09000999,BAD1,BC1,BP2,aunt,maybe,,,,,,,,,,,,,,",
     "Choose how the person relates to the child"),
    ("offer_fgc,2026-05-06,E09000999,BAD1,,,,,,,,,,,,,BP2;;BP3,,,,,", "offered_to 'BP2;;BP3' has an empty item"),
    ("relate_person,2026-05-06,E09000999,BAD1,,BP2,father,no,,,,,,,,,,,,,,", "child_ref is blank"),
    ("carer_assessment,2026-05-07,E09000999,BAD1,,BP2,,,,,,,great,,,,,,,,,", "Choose the assessment's outcome"),
    ("object_to_accommodation,2026-05-08,E09000999,BAD1,BC1,BP2,,,,,,,,,,,,,,,,",
     "BP2 does not have parental responsibility"),
    ("open_case,2026-05-08,E09000999,BAD1,BC2,BP2,,,2020-01-01,F,WBRI,,,,,,,,,,,", "person_ref is not used with open_case"),
]


def test_bad_network_rows_are_named_by_line_and_nothing_is_written(cli, session, tmp_path):
    add_authorities(cli)
    good = ["open_case,2026-05-04,E09000999,BAD1,BC1,,,,2015-05-01,F,WBRI,,,,,,,,,,,",
            "add_person,2026-05-04,E09000999,BAD1,,BP2,,,,M,,,,,,,,,,,,"]
    text = HEADER + "\n" + "\n".join(good + [line for line, _ in BAD]) + "\n"
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for number, (_line, expected) in enumerate(BAD, start=2 + len(good)):
        mine = [line for line in lines if line.startswith(f"line {number}: ")]
        assert mine and any(expected in line for line in mine), (number, expected, mine)
    assert events_count(session) == 0
    assert session.execute(select(func.count(Person.id))).scalar() == 0


def test_decided_by_goes_only_with_an_exception_step(cli, session, tmp_path):
    add_authorities(cli)
    text = HEADER + "\n" + ROWS[0] + "\n" + "add_person,2026-05-04,E09000999,NET1,,NM1,,,,,,,,,,Someone,,,,,,\n"
    result = cli.invoke(args=["import-events", write(tmp_path, text)])
    assert result.exit_code == 1 and "decided_by is not used with add_person" in result.output
    assert session.execute(select(func.count(Event.id))).scalar() == 0
