"""The Children in Need census module 5 return (issue 16): a synthetic census year with every
outcome, imported through the event file, returned as XML (parsed) and CSV (field by field); every
validation rule broken once; the authority-level query; Wales refused."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from pathway import census
from pathway.census import CensusYear, Module5Record

YEAR = CensusYear.parse("2026-27")
LA = "E09000999"
HEADER = "la_code,family_ref,child_ref,event,date,dob,sex,ethnicity,proceedings_ref,person_ref,relationship," \
         "parental_responsibility,outcome,offered_to"


def rows(*lines: str) -> str:
    return HEADER + "\n" + "\n".join(f"{LA},{line}" for line in lines) + "\n"


# Every outcome: A (issue) with reviews and a facilitated FGDM meeting; B (step down) for two
# brothers with no offer in the letter; a period carried over from the year before, still running
# on 31 March (its decision after the year does not count); a period that ended before the year.
CLEAN = rows(
    "FA,A1,open_case,2026-04-06,2018-01-01,F,WBRI,,,,,,",
    "FA,,add_person,2026-04-06,,,,,PA1,,,,",
    "FA,A1,relate_person,2026-04-06,,,,,PA1,mother,yes,,",
    "FA,,decide_pre_proceedings,2026-05-01,,,,,,,,,",
    "FA,,send_letter_before_proceedings,2026-05-05,,,,,,,,,PA1",
    "FA,,pre_proceedings_meeting,2026-05-15,,,,,,,,initial,",
    "FA,,hold_fgc,2026-05-20,,,,,,,,,",
    "FA,,pre_proceedings_meeting,2026-06-15,,,,,,,,review,",
    "FA,,pre_proceedings_meeting,2026-07-15,,,,,,,,review,",
    "FA,,pre_proceedings_decision,2026-08-01,,,,,,,,issue,",
    "FA,A1,issue_proceedings,2026-08-10,,,,ZW26C00101,,,,,",
    "FA,,send_letter_to_issue,2026-08-12,,,,,,,,,",
    "FB,B1,open_case,2026-04-06,2016-02-02,M,WBRI,,,,,,",
    "FB,B2,open_case,2026-04-06,2019-03-03,M,WBRI,,,,,,",
    "FB,,decide_pre_proceedings,2026-06-01,,,,,,,,,",
    "FB,,send_letter_before_proceedings,2026-06-03,,,,,,,,,",
    "FB,,pre_proceedings_meeting,2026-06-10,,,,,,,,initial,",
    "FB,,pre_proceedings_decision,2026-09-01,,,,,,,,step_down,",
    "FC,C1,open_case,2026-03-01,2014-04-04,F,WBRI,,,,,,",
    "FC,,decide_pre_proceedings,2026-03-10,,,,,,,,,",
    "FC,,offer_fgc,2026-03-11,,,,,,,,,",
    "FC,,send_letter_before_proceedings,2026-03-12,,,,,,,,,",
    "FC,,fgc_declined,2026-03-20,,,,,,,,,",
    "FC,,pre_proceedings_meeting,2026-03-25,,,,,,,,initial,",
    "FC,,pre_proceedings_meeting,2026-05-25,,,,,,,,review,",
    "FC,,pre_proceedings_decision,2027-04-05,,,,,,,,step_down,",
    "FD,D1,open_case,2026-01-05,2015-05-05,F,WBRI,,,,,,",
    "FD,,decide_pre_proceedings,2026-01-10,,,,,,,,,",
    "FD,,send_letter_before_proceedings,2026-01-12,,,,,,,,,",
    "FD,,pre_proceedings_decision,2026-03-31,,,,,,,,step_down,",
)
EXPECTED = [  # LAchildID, PPStartDate, LBPSentDate, FGDMMeetingOffer, FGDMMeetingFac, InitialPPMeetingDate,
    # ReviewMeetingsCount, StepDecisionDate, PPOutcome, CourtAppDate, LetterInitCPDate
    ("A1", "2026-05-01", "2026-05-05", "true", "true", "2026-05-15", "2", "2026-08-01", "A", "2026-08-10",
     "2026-08-12"),
    ("B1", "2026-06-01", "2026-06-03", "false", "", "2026-06-10", "0", "2026-09-01", "B", "", ""),
    ("B2", "2026-06-01", "2026-06-03", "false", "", "2026-06-10", "0", "2026-09-01", "B", "", ""),
    ("C1", "2026-03-10", "2026-03-12", "true", "false", "2026-03-25", "1", "", "", "", ""),
]
# Breaking, through the pathway, the rules its steps can break: a letter with no decision to start
# (PP01); proceedings issued in a period with no step decision (PP09); the letter to initiate
# before the application (PP10).
BROKEN = rows(
    "FE,E1,open_case,2026-04-06,2017-01-01,F,WBRI,,,,,,",
    "FE,,send_letter_before_proceedings,2026-05-01,,,,,,,,,",
    "FF,F1,open_case,2026-04-06,2017-01-01,F,WBRI,,,,,,",
    "FF,,decide_pre_proceedings,2026-05-01,,,,,,,,,",
    "FF,,offer_fgc,2026-05-01,,,,,,,,,",
    "FF,,send_letter_before_proceedings,2026-05-02,,,,,,,,,",
    "FF,,fgc_declined,2026-05-03,,,,,,,,,",
    "FF,F1,issue_proceedings,2026-05-10,,,,ZW26C00201,,,,,",
    "FG,G1,open_case,2026-04-06,2017-01-01,F,WBRI,,,,,,",
    "FG,,decide_pre_proceedings,2026-05-01,,,,,,,,,",
    "FG,,offer_fgc,2026-05-01,,,,,,,,,",
    "FG,,send_letter_before_proceedings,2026-05-02,,,,,,,,,",
    "FG,,fgc_declined,2026-05-03,,,,,,,,,",
    "FG,,pre_proceedings_decision,2026-05-20,,,,,,,,issue,",
    "FG,,send_letter_to_issue,2026-05-21,,,,,,,,,",
    "FG,G1,issue_proceedings,2026-05-28,,,,ZW26C00202,,,,,",
)


@pytest.fixture
def after_the_year(clock):
    clock.set(datetime(2027, 4, 20, 12, tzinfo=timezone.utc))
    return clock


def load(cli, tmp_path, text, name="events.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli.invoke(args=["import-events", str(path)])
    assert result.exit_code == 0, result.output


def add(cli, code=LA, nation="england"):
    result = cli.invoke(args=["add-la", "--code", code, "--name", f"Test {code}", "--nation", nation,
                              "--dfj-area", "Testshire"])
    assert result.exit_code == 0, result.output


def run(cli, *args):
    return cli.invoke(args=["return", "cin-module-5", "--year", "2026-27", *args])


def test_the_xml_has_one_block_per_child_and_period_with_the_dfe_names(cli, tmp_path, after_the_year):
    add(cli)
    load(cli, tmp_path, CLEAN)
    result = run(cli, "--la", LA, "--format", "xml")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout.encode())  # well formed, or this raises
    assert root.tag == "Message"
    children = root.findall("./Children/Child")
    assert [c.findtext("./ChildIdentifiers/LAchildID") for c in children] == ["A1", "B1", "B2", "C1"]
    for child, expected in zip(children, EXPECTED):
        [block] = child.findall("PreProceedingsandFGDM")
        written = {e.tag: e.text for e in block}
        wanted = {name: value for name, value in zip(census.ITEMS[1:], expected[1:]) if value}
        assert written == wanted
        assert [e.tag for e in block] == [n for n in census.ITEMS[1:] if n in wanted]  # in the DfE's order


def test_the_csv_has_the_same_blocks_field_by_field(cli, tmp_path, after_the_year):
    add(cli)
    load(cli, tmp_path, CLEAN)
    result = run(cli, "--la", LA, "--format", "csv")
    assert result.exit_code == 0, result.output
    reader = csv.reader(io.StringIO(result.stdout))
    assert next(reader) == list(census.ITEMS)
    assert [tuple(r) for r in reader] == EXPECTED


def test_the_steps_round_trip_through_the_event_file(cli, tmp_path, after_the_year):
    add(cli)
    load(cli, tmp_path, CLEAN)
    first = cli.invoke(args=["export-events", "--la", LA]).output
    pre = [r for r in csv.DictReader(io.StringIO(first)) if r["event"].startswith(("pre_proceedings", "decide_",
                                                                                     "send_letter_to"))]
    assert {(r["family_ref"], r["event"], r["date"], r["outcome"]) for r in pre} >= {
        ("FA", "pre_proceedings_meeting", "2026-05-15", "initial"), ("FB", "pre_proceedings_decision", "2026-09-01",
                                                                     "step_down"),
        ("FA", "send_letter_to_issue", "2026-08-12", ""), ("FA", "decide_pre_proceedings", "2026-05-01", ""),
    }


def test_every_rule_the_pathway_can_break_refuses_the_export_naming_child_and_rule(cli, tmp_path, after_the_year):
    add(cli)
    load(cli, tmp_path, CLEAN)
    load(cli, tmp_path, BROKEN, "broken.csv")
    result = run(cli, "--la", LA, "--format", "xml")
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing written
    lines = [line for line in result.stderr.splitlines() if line.startswith("child ")]
    assert lines == [
        f"child E1 (family FE): PP01 {census.RULE['PP01'].words}",
        f"child F1 (family FF): PP09 {census.RULE['PP09'].words}",
        f"child G1 (family FG): PP10 {census.RULE['PP10'].words}",
    ]
    assert "Nothing was written: 3 problem(s)" in result.stderr


GOOD_RECORD = Module5Record(
    "K1", "FK", pp_start=date(2026, 5, 1), lbp_sent=date(2026, 5, 2), fgdm_offer="true", fgdm_fac="true",
    initial_meeting=date(2026, 5, 10), review_count=1, step_decision=date(2026, 7, 1), pp_outcome="A",
    court_app=date(2026, 7, 10), letter_init=date(2026, 7, 10),
)
BREAKS = {  # each rule broken once, every other item as in GOOD_RECORD
    "PP01": dict(pp_start=None, lbp_sent=None, initial_meeting=None, review_count=None, step_decision=None,
                 pp_outcome=None, court_app=None, letter_init=None, fgdm_offer=None, fgdm_fac=None),
    "PP02": dict(lbp_sent=date(2026, 4, 30)),
    "PP03": dict(fgdm_offer=None, fgdm_fac=None),
    "PP04": dict(fgdm_fac=None),
    "PP05": dict(initial_meeting=date(2027, 4, 1)),
    "PP06": dict(review_count=None),
    "PP07": dict(step_decision=date(2026, 4, 30), court_app=None, letter_init=None),
    "PP08": dict(pp_outcome="D"),
    "PP09": dict(court_app=date(2026, 6, 30), letter_init=None),
    "PP10": dict(letter_init=date(2026, 7, 9)),
}


def test_a_good_record_passes_every_rule():
    assert census.check([GOOD_RECORD], YEAR) == []


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_each_rule_broken_once_is_refused_by_that_rule_alone(code):
    failures = census.check([replace(GOOD_RECORD, **BREAKS[code])], YEAR)
    assert [f.rule.code for f in failures] == [code]
    assert str(failures[0]).startswith("child K1 (family FK): " + code)


@pytest.mark.parametrize("day, fails", [(date(2027, 3, 31), False), (date(2027, 4, 1), True)])
def test_the_start_and_initial_meeting_at_the_year_end(day, fails):
    record = replace(GOOD_RECORD, pp_start=day, lbp_sent=day, initial_meeting=day, step_decision=None,
                     pp_outcome=None, court_app=None, letter_init=None)
    codes = {f.rule.code for f in census.check([record], YEAR)}
    assert (codes == {"PP01", "PP05"}) is fails and (codes == set()) is not fails


def test_an_outcome_without_a_decision_and_a_decision_without_an_outcome_are_refused():
    assert [f.rule.code for f in census.check([replace(GOOD_RECORD, pp_outcome=None)], YEAR)] == ["PP08"]
    for code in ("A", "B", "C"):
        assert census.check([replace(GOOD_RECORD, pp_outcome=code)], YEAR) == []


def test_an_authority_with_no_module_5_data_gets_the_query(cli, after_the_year):
    add(cli)
    result = run(cli, "--la", LA, "--format", "xml")
    assert result.exit_code == 0, result.output
    assert "Query (authority): no child has module 5" in result.stderr and "2026-27" in result.stderr
    root = ET.fromstring(result.stdout.encode())
    assert root.findall("./Children/Child") == []


def test_wales_is_refused_with_a_clear_message(cli, after_the_year):
    add(cli, "W06000999", "wales")
    result = run(cli, "--la", "W06000999")
    assert result.exit_code != 0
    assert "is a Welsh authority" in result.output and "Wales has its own census" in result.output


@pytest.mark.parametrize("year", ["2026-28", "2026", "26-27", ""])
def test_a_year_not_written_as_the_dfe_does_is_refused(cli, year, after_the_year):
    add(cli)
    result = cli.invoke(args=["return", "cin-module-5", "--year", year, "--la", LA])
    assert result.exit_code != 0 and "is not a census year" in result.output


def test_the_authority_is_named_when_there_are_several(cli, after_the_year):
    add(cli)
    add(cli, "E09000998")
    result = cli.invoke(args=["return", "cin-module-5", "--year", "2026-27"])
    assert result.exit_code != 0 and "name it with --la CODE" in result.output
    assert run(cli, "--la", "E00000000").exit_code != 0


def test_a_child_reference_starting_like_a_formula_cannot_reach_the_csv():
    out = io.StringIO()
    census.write_csv([replace(GOOD_RECORD, la_child_id="=K1")], out)
    assert out.getvalue().splitlines()[1].startswith("'=K1,")


def test_the_census_year_boundaries():
    assert (YEAR.start, YEAR.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert CensusYear.containing(date(2027, 3, 31)) == YEAR and CensusYear.containing(date(2027, 4, 1)) != YEAR


# --- the managers' list -------------------------------------------------------------------------

from conftest import opened, record, step  # noqa: E402
from web_helpers import make_team, make_user, sign_in, soup, text_of, web, web_app  # noqa: E402,F401


def test_managers_see_each_child_whose_record_would_fail_with_the_rule_in_words(session, england, web):
    manager = make_user(session, "team_manager", england, team=make_team(session, england), email="m@example.test")
    assert record(session, england, [
        opened("E1", date(2026, 4, 6), "FE"), step("send_letter_before_proceedings", date(2026, 5, 1), "FE"),
        opened("K1", date(2026, 4, 6), "FK"), step("decide_pre_proceedings", date(2026, 5, 1), "FK"),
    ]).ok
    sign_in(web, manager)
    queues = soup(web.get(f"/queues/{england.code}"))
    assert queues.select_one(f"a[href='/queues/{england.code}/census-module-5']") is not None
    page = soup(web.get(f"/queues/{england.code}/census-module-5"))
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in page.select("#failing + div tbody tr")]
    assert rows == [["E1", "FE", f"PP01: {census.RULE['PP01'].words}"]]
    assert "2026-27" in page.select_one("h1").get_text()


def test_the_list_says_so_when_no_child_has_module_5_data(session, england, web):
    sign_in(web, make_user(session, "team_manager", england, team=make_team(session, england), email="m@example.test"))
    assert "no child has module 5" in text_of(web.get(f"/queues/{england.code}/census-module-5"))


def test_a_social_worker_cannot_open_the_census_list(session, england, web):
    sign_in(web, make_user(session, "social_worker", england, team=make_team(session, england)))
    assert web.get(f"/queues/{england.code}/census-module-5").status_code == 403


def test_a_welsh_authority_has_no_module_5_list(session, wales, web):
    sign_in(web, make_user(session, "team_manager", wales, team=make_team(session, wales), email="w@example.test"))
    assert "Wales has its own census" in text_of(web.get(f"/queues/{wales.code}/census-module-5"))
    assert "census-module-5" not in web.get(f"/queues/{wales.code}").get_data(as_text=True)


# --- the queue's review records and the steps kept in step --------------------------------------

from sqlalchemy import func, select  # noqa: E402

from pathway import workflow as wf  # noqa: E402
from pathway.models import Child, Event  # noqa: E402
from pathway.queues import records  # noqa: E402
from pathway.queues.models import CaseReview  # noqa: E402
from pathway.services import Actor  # noqa: E402

ACTOR = Actor(None, "manager@example.test")
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)


def child_row(session, ref="C1"):
    return session.execute(select(Child).where(Child.reference == ref)).scalar_one()


def test_a_pre_proceedings_review_deciding_to_step_down_records_the_step(session, england):
    assert record(session, england, [opened("C1", date(2026, 4, 6)),
                                     step("send_letter_before_proceedings", date(2026, 5, 2))]).ok
    records.record_review(session, child_row(session), kind="legal_planning_meeting", held_on=date(2026, 5, 1),
                          decision="start_pre_proceedings", actor=ACTOR, now=NOW)
    session.commit()
    records.record_review(session, child_row(session), kind="pre_proceedings_review", held_on=date(2026, 8, 1),
                          decision="step_down", actor=ACTOR, now=NOW)
    session.commit()
    assert session.execute(select(Event.event, Event.occurred_on, Event.outcome).where(
        Event.event.in_(("decide_pre_proceedings", "pre_proceedings_decision"))).order_by(Event.occurred_on)
    ).all() == [("decide_pre_proceedings", date(2026, 5, 1), None),
                ("pre_proceedings_decision", date(2026, 8, 1), "step_down")]
    child = child_row(session)
    assert (child.stage, child.stage_since) == ("early_help", date(2026, 8, 1))
    [rec] = census.collect(session, england, YEAR, NOW.date())
    assert (rec.pp_start, rec.lbp_sent, rec.step_decision, rec.pp_outcome) == (
        date(2026, 5, 1), date(2026, 5, 2), date(2026, 8, 1), "B")


def test_a_review_decision_the_pathway_refuses_writes_neither(session, england):
    assert record(session, england, [opened("C1", date(2026, 4, 6)), step("decide_pre_proceedings", date(2026, 5, 1),
                                                                          "FAM1")]).ok
    before = session.execute(select(func.count(Event.id))).scalar()
    with pytest.raises(wf.Refused) as refused:
        records.record_review(session, child_row(session), kind="legal_planning_meeting", held_on=date(2026, 6, 1),
                              decision="start_pre_proceedings", actor=ACTOR, now=NOW)
    session.rollback()
    assert "already started on 1 May 2026" in str(refused.value)
    assert {p.field for p in refused.value.problems} == {"decision"}
    assert session.execute(select(func.count(Event.id))).scalar() == before
    assert session.execute(select(func.count(CaseReview.id))).scalar() == 0


# --- the steps' forms on the family page --------------------------------------------------------

from web_helpers import date_fields, error_summary, submit  # noqa: E402


def test_a_social_worker_records_the_pre_proceedings_steps_from_the_family_page(session, england, web):
    sign_in(web, make_user(session, "social_worker", england, team=make_team(session, england)))
    assert record(session, england, [opened("C1", date(2026, 4, 6))]).ok
    from pathway.models import Family

    family = session.execute(select(Family)).scalar_one()
    base = f"/families/{family.id}/steps"
    summary = text_of(web.get(f"/families/{family.id}"))
    assert "Decision to start pre-proceedings (legal planning meeting)" in summary
    assert submit(web, f"{base}/decide-pre-proceedings", date_fields("date", date(2026, 5, 1))).status_code == 302
    assert submit(web, f"{base}/send-letter-before-proceedings",
                  date_fields("date", date(2026, 5, 2))).status_code == 302
    response = submit(web, f"{base}/pre-proceedings-meeting", date_fields("date", date(2026, 5, 10)))
    assert ("#outcome", "Select whether this was the initial meeting or a review") in error_summary(response)
    response = submit(web, f"{base}/pre-proceedings-meeting", {**date_fields("date", date(2026, 5, 10)),
                                                                "outcome": "review"})
    assert any("Record the initial meeting before a review" in text for _, text in error_summary(response))
    assert submit(web, f"{base}/pre-proceedings-meeting", {**date_fields("date", date(2026, 5, 10)),
                                                            "outcome": "initial"}).status_code == 302
    assert submit(web, f"{base}/pre-proceedings-decision", {**date_fields("date", date(2026, 6, 1)),
                                                             "outcome": "step_down"}).status_code == 302
    assert session.execute(select(Event.event).order_by(Event.id)).scalars().all()[-4:] == [
        "decide_pre_proceedings", "send_letter_before_proceedings", "pre_proceedings_meeting",
        "pre_proceedings_decision"]
    assert child_row(session).stage == "early_help"


def test_a_meeting_held_counts_as_facilitated_whatever_the_conference_went_on_to():
    """FGDMMeetingFac reads the FGC service's states (issue 13): held, then the plan decided."""
    from pathway import workflow as wf

    def ev(event, day, child=None, **fields):
        return wf.PathwayEvent(event=event, date=day, family_ref="FAC1", child_ref=child, **fields)

    steps = [ev("open_case", date(2026, 4, 6), "K1", dob=date(2016, 1, 1), sex="F", ethnicity="WBRI"),
             ev("decide_pre_proceedings", date(2026, 4, 20)),
             ev("send_letter_before_proceedings", date(2026, 4, 27)),
             ev("offer_fgc", date(2026, 4, 28)), ev("fgc_accepted", date(2026, 4, 29)),
             ev("hold_fgc", date(2026, 5, 20)), ev("decide_fgc_plan", date(2026, 5, 25), outcome="accepted")]
    family = wf.replay(steps, "E1", "england", wf.Context(today=date(2026, 11, 20)))
    assert family.fgcs[-1].status == "plan_decided"
    period = family.pre_proceedings[0]
    assert census.fgdm_facilitated(family, period, date(2027, 3, 31)) is True
    assert census.fgdm_facilitated(family, period, date(2026, 5, 19)) is False  # not yet held then
