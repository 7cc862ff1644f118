"""The board's FGC figures (issue 13) on a small history worked out by hand, in the CLI's JSON
and CSV and on the board page, suppressed there."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from conftest import opened, record, step
from pathway import reports
from web_helpers import make_user, sign_in, text_of, web, web_app  # noqa: F401

COORD = "coord@example.test"


def conference(fam, offered, *, refer=None, held=None, private=None, plan=None, review=None, care=None):
    steps = [opened(f"{fam}-C", date(2025, 1, 6), fam), step("add_person", date(2025, 1, 6), fam, person_ref=f"{fam}-M"),
             step("offer_fgc", offered, fam)]
    if refer or held:
        steps.append(step("fgc_accepted", offered, fam))
    if refer:
        steps += [step("refer_fgc", refer, fam, reason="Concerns"),
                  step("allocate_fgc_coordinator", refer, fam, coordinator=COORD)]
    if held:
        steps.append(step("hold_fgc", held, fam, private_family_time=private))
    if plan:
        steps.append(step("decide_fgc_plan", plan, fam, outcome="accepted"))
    if review:
        steps.append(step("review_fgc", review, fam))
    if care:
        steps.append(step("accommodate_s20", care, fam, f"{fam}-C", consent_by="mother"))
    return steps


def test_the_fgc_figures_by_hand(session, england, cli):
    make_user(session, "fgc_coordinator", england, email=COORD)
    steps = [
        # Referred Wednesday 23 December 2025, held Monday 5 January 2026: Christmas Day, Boxing
        # Day and New Year's Day are bank holidays: 24, 29, 30, 31 Dec, 2 and 5 Jan: 6 working days.
        *conference("A", date(2025, 12, 20), refer=date(2025, 12, 23), held=date(2026, 1, 5), private="yes",
                    plan=date(2026, 1, 10), review=date(2026, 4, 10)),
        # Referred Monday 2 February, held Monday 16 February: 10 working days.
        *conference("B", date(2026, 1, 20), refer=date(2026, 2, 2), held=date(2026, 2, 16), private="no",
                    plan=date(2026, 2, 20), care=date(2026, 3, 1)),
        # Held without a referral (as in old files); a child entering care after it.
        *conference("C", date(2026, 1, 25), held=date(2026, 2, 1), care=date(2026, 3, 2)),
        # Offered only; then a child enters care: offered before, not held before.
        *conference("D", date(2026, 2, 1), care=date(2026, 3, 3)),
    ]
    assert record(session, england, steps).ok
    got = reports.timeliness(session, date(2026, 1, 1), date(2026, 3, 31))
    assert (got["fgc_offered"], got["fgc_accepted"], got["fgc_referred"], got["fgc_held"], got["fgc_plan_accepted"],
            got["fgc_reviewed"]) == (3, 2, 1, 2, 1, 0)  # B, C, D offered in the period
    assert (got["fgc_conferences_held"], got["fgc_held_after_referral"]) == (3, 2)
    assert got["fgc_referral_to_conference_median_working_days"] == 8.0  # (6 + 10) / 2
    assert (got["fgc_private_family_time"], got["fgc_private_family_time_pct"]) == (1, 33.3)
    assert (got["children_entering_care"], got["fgc_offered_before_care"], got["fgc_held_before_care"]) == (3, 3, 2)
    assert got["fgc_held_before_care_pct"] == 66.7
    # Six months after A's plan (10 January 2026) is 10 July 2026: at home; B's (20 February) is
    # 20 August 2026: in care.
    later = reports.timeliness(session, date(2026, 7, 1), date(2026, 9, 30))
    assert later["fgc_outcomes_at_6_months"] == {"with_parents": 1, "with_relatives_or_friends": 0, "in_care": 1,
                                                 "proceedings": 0}
    assert reports.timeliness(session, date(2026, 7, 1), date(2026, 7, 9))["fgc_outcomes_at_6_months"]["with_parents"] == 0
    assert list(reports.KEYS[-len(reports.FGC_KEYS):]) == list(reports.FGC_KEYS)

    printed = json.loads(cli.invoke(args=["report", "timeliness", "--from", "2026-01-01", "--to", "2026-03-31",
                                          "--format", "json"]).output)
    assert printed["fgc_referral_to_conference_median_working_days"] == 8.0 and printed["fgc_offered"] == 3
    rows = list(csv.reader(io.StringIO(cli.invoke(args=["report", "timeliness", "--from", "2026-01-01", "--to",
                                                        "2026-03-31", "--format", "csv"]).output)))
    flat = {r[0]: r[1] for r in rows[1:]}
    assert flat["fgc_held_before_care"] == "2" and flat["fgc_outcomes_at_6_months.in_care"] == "0"


def test_the_board_page_shows_the_fgc_figures_suppressed(session, england, web):
    make_user(session, "fgc_coordinator", england, email=COORD)
    assert record(session, england, conference("A", date(2025, 6, 2), refer=date(2025, 6, 3), held=date(2025, 6, 20),
                                               private="yes")).ok
    member = make_user(session, "fjb_viewer", dfj_area=england.dfj_area)
    sign_in(web, member)
    page = text_of(web.get("/board", query_string={"period": "fy2025", "area": "dfj:Testshire"}))
    assert "Family group conferences" in page and "Median working days from referral to conference" in page
    assert "Conferences offered fewer than 5" in page.replace("Fewer than 5", "fewer than 5")
    assert "Where children were six months after the family's plan was decided" in page
