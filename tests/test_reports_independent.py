"""The report command against a second, deliberately simple reading of the history (issue 5).

A demo-sized synthetic history (pathway.demo, fixed seed) is recorded through the pathway for
three authorities. The test then exports the event history as CSV (the import format), replays
it in plain Python, one event at a time, and computes every figure again from its definition,
with fractions for the rounding. The SQL behind `flask report timeliness` must agree, figure
for figure, for several periods and scopes.
"""
from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict
from datetime import date
from fractions import Fraction
from math import floor

import pytest
from conftest import TODAY, add_la, record

from pathway import codes
from pathway.demo import synthetic_authority
from pathway.reports import KEYS
from pathway.timescales import add_months, age_on, working_days_between
from pathway.transfer import export_text
from web_helpers import make_user

FAMILIES = 240  # per authority
AUTHORITIES = (
    ("E09000901", "england", "North Testshire"),
    ("E09000902", "england", "North Testshire"),
    ("W06000903", "wales", "Testshire Cymru"),
)


# --------------------------------------------------------------------------------------------
# The simple reading
# --------------------------------------------------------------------------------------------


def round_1(value: Fraction | None):
    """One decimal place, halves up."""
    return None if value is None else floor(value * 10 + Fraction(1, 2)) / 10


def percentage(part, whole):
    return round_1(Fraction(100 * part, whole)) if whole else None


def median(values):
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return Fraction(values[middle]) if len(values) % 2 else Fraction(values[middle - 1] + values[middle], 2)


def band(age: int) -> str:
    if age < 1:
        return "under_1"
    if age < 5:
        return "1_4"
    if age < 10:
        return "5_9"
    if age < 16:
        return "10_15"
    return "16_plus"


def read_history(csv_text: str):
    """Replay the exported events (already in the order they happened)."""
    children = {}  # (la, child) -> {dob, ethnicity, family, events: [(event, date, exception)]}
    proceedings = {}  # (la, ref) -> {issued, parties: {child: [joined, order_type, order_on]}, reasons}
    offers = defaultdict(list)  # (la, family) -> [dates]
    # The family network, replayed plainly: current relations, assessments, FGC offers' status.
    relations = defaultdict(dict)  # (la, child) -> {person: (relationship, pr)}
    traits = {}  # (la, family, person) -> characteristics
    assessments = defaultdict(list)  # (la, family) -> [(date, person, outcome)]
    conferences = defaultdict(list)  # (la, family) -> [[offered_on, status]]
    service = defaultdict(list)  # FGC service (issue 13): (la, family) -> [{step: date, ...}] per offer
    for row in csv.DictReader(io.StringIO(csv_text)):
        la, event, day = row["la_code"], row["event"], date.fromisoformat(row["date"])
        child_key = (la, row["child_ref"])
        if event == "open_case":
            children[child_key] = {"dob": date.fromisoformat(row["dob"]), "ethnicity": row["ethnicity"],
                                   "family": row["family_ref"], "events": []}  # fmt: skip
        if row["child_ref"]:
            children[child_key]["events"].append((event, day, row["exception"]))
            if event == "reunification_review":
                children[child_key].setdefault("reviews", []).append((row["child_ref"], row["reason"], day))
            if event == "final_order":  # FGC service (issue 13): where the order leaves the child
                children[child_key]["events"].append((f"final_order:{row['order_type']}", day, ""))
        family_key = (la, row["family_ref"])
        if event == "add_person":
            traits[(la, row["family_ref"], row["person_ref"])] = row["characteristics"].split(";")
        elif event == "relate_person":
            relations[child_key][row["person_ref"]] = (row["relationship"], row["parental_responsibility"] == "yes")
        elif event == "carer_assessment":
            assessments[family_key].append((day, row["person_ref"], row["outcome"]))
        elif event in ("fgc_accepted", "hold_fgc", "fgc_declined"):
            conferences[family_key][-1][1] = {"fgc_accepted": "accepted", "hold_fgc": "held",
                                              "fgc_declined": "declined"}[event]
        elif event == "send_letter_before_proceedings" and row["offered_to"]:
            if not conferences[family_key] or conferences[family_key][-1][1] not in ("offered", "accepted"):
                conferences[family_key].append([day, "offered"])
                offers[family_key].append(day)
        if event == "offer_fgc":
            offers[(la, row["family_ref"])].append(day)
            conferences[family_key].append([day, "offered"])
            service[family_key].append({"offer_fgc": day})
        elif event in ("fgc_accepted", "refer_fgc", "hold_fgc", "decide_fgc_plan", "review_fgc"):
            service[family_key][-1][event] = day
            if event == "hold_fgc":
                service[family_key][-1]["private"] = row["private_family_time"] == "yes"
            if event == "decide_fgc_plan":
                service[family_key][-1]["plan"] = row["outcome"]
        elif event == "issue_proceedings":
            p = proceedings.setdefault((la, row["proceedings_ref"]), {"issued": day, "parties": {}, "reasons": []})
            p["parties"][row["child_ref"]] = [day, None, None]
            mine = relations[child_key]
            father = next((person for person, (rel, _pr) in mine.items() if rel == "father"), None)
            latest = conferences[family_key][-1][1] if conferences[family_key] else None
            answer = {"held": "held", "declined": "declined", "accepted": "accepted_not_held",
                      "offered": "offered_no_answer"}.get(latest) or (
                          "not_offered_exception" if row["exception"] else "not_offered")
            p.setdefault("at_issue", {})[row["child_ref"]] = {
                "father": father is not None,
                "father_pr": father is not None and mine[father][1],
                "assessed": any(d <= day and outcome != "withdrawn" and mine.get(person, ("",))[0] not in ("mother", "father")
                                for d, person, outcome in assessments[family_key]),
                "fgc": answer,
            }
        elif event == "final_order":
            proceedings[(la, row["proceedings_ref"])]["parties"][row["child_ref"]][1:] = [row["order_type"], day]
        elif event == "extend_timetable":
            proceedings[(la, row["proceedings_ref"])]["reasons"].append(row["reason"])
        elif event == "heard_in_fdac":
            proceedings[(la, row["proceedings_ref"])]["fdac"] = True
    return children, proceedings, offers, relations, traits, service


def where_on(events, day):
    """FGC service (issue 13): where a child was at the end of `day`, read plainly off its own
    steps: the last step that says where a child lives, a closed case as the step before."""
    place = "with_parents"
    for event, d, _x in events:
        if d > day:
            break
        if event in ("accommodate_s20", "emergency_protection"):
            place = "in_care"
        elif event == "issue_proceedings":
            place = "proceedings"
        elif event in ("return_home", "remove_from_accommodation"):
            place = "with_parents"
        elif event.startswith("final_order:"):
            order = event.split(":", 1)[1]
            place = ("in_care" if order in ("care_order", "care_order_at_home", "placement_order") else
                     "with_relatives_or_friends" if order in ("sgo", "sgo_with_supervision", "child_arrangements_order")
                     else "with_parents")
    return place


def fgc_service_report(history, la_codes, start, end, today) -> dict:
    children, _proceedings, _offers, _relations, _traits, service = history
    during = lambda day: start <= day <= end  # noqa: E731
    by_step = lambda f, step: f.get(step) is not None  # noqa: E731  however long after the period
    offered = [f for (la, _fam), fs in service.items() if la in la_codes for f in fs if during(f["offer_fgc"])]
    held = [(la, f) for (la, _fam), fs in service.items() if la in la_codes for f in fs
            if f.get("hold_fgc") and during(f["hold_fgc"])]
    report = {
        "fgc_offered": len(offered),
        "fgc_accepted": sum(by_step(f, "fgc_accepted") for f in offered),
        "fgc_referred": sum(by_step(f, "refer_fgc") for f in offered),
        "fgc_held": sum(by_step(f, "hold_fgc") for f in offered),
        "fgc_plan_accepted": sum(by_step(f, "decide_fgc_plan") and f["plan"] == "accepted" for f in offered),
        "fgc_reviewed": sum(by_step(f, "review_fgc") for f in offered),
        "fgc_conferences_held": len(held),
    }
    nation = {"E": "england", "W": "wales"}
    waits = [working_days_between(f["refer_fgc"], f["hold_fgc"], nation[la[0]]) for la, f in held if f.get("refer_fgc")]
    report["fgc_held_after_referral"] = len(waits)
    report["fgc_referral_to_conference_median_working_days"] = round_1(median(waits))
    report["fgc_private_family_time"] = sum(f.get("private", False) for _la, f in held)
    report["fgc_private_family_time_pct"] = percentage(report["fgc_private_family_time"], len(held))
    outcomes = {code: 0 for code in codes.FGC_OUTCOMES_AT_6_MONTHS}
    for (la, family), fs in service.items():
        if la not in la_codes:
            continue
        for f in fs:
            if not f.get("decide_fgc_plan"):
                continue
            due = add_months(f["decide_fgc_plan"], 6)
            if not during(due) or due > today:
                continue
            for (la2, _ref), child in children.items():
                steps = child["events"]
                if la2 != la or child["family"] != family or steps[0][1] > f["decide_fgc_plan"]:
                    continue
                if any(e == "close_case" and d <= f["decide_fgc_plan"] for e, d, _x in steps):
                    continue
                outcomes[where_on([s for s in steps if s[0] != "close_case"], due)] += 1
    report["fgc_outcomes_at_6_months"] = outcomes
    entering, held_before = 0, 0
    for (la, _ref), child in children.items():
        first = next((d for e, d, _x in child["events"]
                      if e in ("accommodate_s20", "emergency_protection", "issue_proceedings")), None)
        if la in la_codes and first and during(first):
            entering += 1
            held_before += any(f.get("hold_fgc") and f["hold_fgc"] <= first for f in service[(la, child["family"])])
    report["fgc_held_before_care"] = held_before
    report["fgc_held_before_care_pct"] = percentage(held_before, entering)
    return report


def simple_report(history, la_codes: set[str], start: date, end: date) -> dict:
    children, proceedings, offers, relations, traits, _service = history
    during = lambda day: start <= day <= end  # noqa: E731
    report = {}

    concluded = []
    for (la, _ref), p in proceedings.items():
        orders = [party[2] for party in p["parties"].values()]
        if la in la_codes and all(orders) and during(max(orders)):
            concluded.append((la, p, (max(orders) - p["issued"]).days))
    days = [d for _la, _p, d in concluded]
    within = [d <= 181 for d in days]
    adjusted = [(d <= 181) for _la, p, d in concluded
                if not any(codes.extension_category(r) == "complexity" for r in p["reasons"])]  # fmt: skip
    report["proceedings_concluded"] = len(concluded)
    report["mean_weeks"] = round_1(Fraction(sum(days), 7 * len(days))) if days else None
    report["median_weeks"] = round_1(median(days) / 7) if days else None
    report["within_26_weeks"] = sum(within)
    report["within_26_weeks_pct"] = percentage(sum(within), len(within))
    report["extended"] = sum(1 for _la, p, _d in concluded if p["reasons"])
    reasons = [r for _la, p, _d in concluded for r in p["reasons"]]
    report["extensions_by_reason"] = {code: reasons.count(code) for code in codes.EXTENSION_REASONS}
    report["extensions_by_category"] = {
        category: sum(1 for r in reasons if codes.extension_category(r) == category)
        for category in codes.EXTENSION_CATEGORIES
    }
    report["adjusted_proceedings"] = len(adjusted)
    report["adjusted_within_26_weeks_pct"] = percentage(sum(adjusted), len(adjusted))
    parties = [(la, ref, party) for la, p, _d in concluded for ref, party in p["parties"].items()]
    report["orders_by_type"] = {code: sum(1 for *_x, party in parties if party[1] == code)
                                for code in codes.ORDER_TYPES}  # fmt: skip

    entering, offered, emergency = 0, 0, 0
    s20_children, s20_days = set(), []
    new_proceedings, returning = set(), set()
    for (la, ref), child in children.items():
        if la not in la_codes:
            continue
        events = child["events"]
        first = next(((e, d, x) for e, d, x in events
                      if e in ("accommodate_s20", "emergency_protection", "issue_proceedings")), None)  # fmt: skip
        if first and during(first[1]):
            entering += 1
            offered += any(o <= first[1] for o in offers[(la, child["family"])])
            emergency += first[0] == "emergency_protection" or bool(first[2])
        for i, (event, day, _x) in enumerate(events):
            if event == "accommodate_s20" and during(day):
                s20_children.add(ref)
                ends = [d for e, d, _ in events[i + 1:]
                        if e in ("emergency_protection", "issue_proceedings", "return_home",
                                 "remove_from_accommodation", "close_case")]
                until = ends[0] if ends and ends[0] <= end else end
                s20_days.append((until - day).days)
            if event == "issue_proceedings" and during(day):
                new_proceedings.add(ref)
                if any(e == "final_order" and add_months(d, 36) >= day for e, d, _ in events[:i]):
                    returning.add(ref)
    report["children_entering_care"] = entering
    report["fgc_offered_before_care"] = offered
    report["fgc_offered_before_care_pct"] = percentage(offered, entering)
    report["emergency_entries"] = emergency
    report["section_20_accommodated"] = len(s20_children)
    report["section_20_median_days"] = round_1(median(s20_days))
    report["children_entering_proceedings"] = len(new_proceedings)
    report["children_returning_to_proceedings"] = len(returning)
    report["children_returning_to_proceedings_pct"] = percentage(len(returning), len(new_proceedings))

    groups, bands = defaultdict(int), defaultdict(int)
    for la, ref, party in parties:
        child = children[(la, ref)]
        groups[codes.ethnicity_group(child["ethnicity"])] += 1
        bands[band(age_on(child["dob"], party[0]) if child["dob"] <= party[0] else 0)] += 1
    report["concluded_children_by_ethnicity_group"] = {g: groups[g] for g in codes.ETHNICITY_GROUPS}
    report["concluded_children_by_age_band"] = {
        b: bands[b] for b in ("under_1", "1_4", "5_9", "10_15", "16_plus")
    }

    # The family network of the children entering proceedings in the period.
    facts = defaultdict(set)
    parents = set()
    for (la, ref), p in proceedings.items():
        for child_ref, (joined, _order, _on) in p["parties"].items():
            if la not in la_codes or not during(joined):
                continue
            at = p["at_issue"][child_ref]
            for name in ("father", "father_pr", "assessed"):
                if at[name]:
                    facts[name].add(child_ref)
            facts["fgc." + at["fgc"]].add(child_ref)
            mine = [person for person, (rel, _pr) in relations[(la, child_ref)].items() if rel in ("mother", "father")]
            family = children[(la, child_ref)]["family"]
            parents.update((la, family, person) for person in mine)
            for (la2, other_ref), q in proceedings.items():
                if la2 == la and q["issued"] < p["issued"] and any(
                    relations[(la, party)].get(person, ("",))[0] in ("mother", "father")
                    for party in q["parties"] for person in mine
                ):
                    facts["recurrent"].add(child_ref)
    report["entering_proceedings_father_recorded"] = len(facts["father"])
    report["entering_proceedings_father_pr"] = len(facts["father_pr"])
    report["entering_proceedings_relative_assessed"] = len(facts["assessed"])
    report["entering_proceedings_recurrent_parent"] = len(facts["recurrent"])
    people = {(la, person) for la, _family, person in parents}
    report["parents_entering_proceedings"] = len(people)
    for key, trait in (("parents_learning_disability", "learning_disability"),
                       ("parents_care_experienced", "care_experienced")):
        report[key] = len({(la, person) for la, person in people
                           if any(trait in traits.get((la, f, person), []) for f in
                                  {fam for l2, fam, p2 in traits if l2 == la and p2 == person})})
    report["fgc_at_issue"] = {code: len(facts["fgc." + code]) for code in codes.FGC_AT_ISSUE}

    # The court's timetable. The event file holds no hearing listings, so those figures are 0.
    report["extensions_by_fpl_code"] = {code: sum(1 for r in reasons if codes.FPL_CODE_OF_REASON[r] == code)
                                        for code in codes.FPL_EXTENSION_CODES}
    report["hearings_per_concluded_proceedings"] = 0.0 if concluded else None
    report["hearings_adjourned_by_party"] = {party: 0 for party in codes.HEARING_PARTIES}
    report["hearings_vacated_by_party"] = {party: 0 for party in codes.HEARING_PARTIES}
    report["cmh_by_day_18"] = 0
    report["cmh_by_day_18_pct"] = percentage(0, len(concluded))
    fdac = [d for _la, p, d in concluded if p.get("fdac")]
    report["fdac_proceedings_concluded"] = len(fdac)
    report["fdac_within_26_weeks"] = sum(d <= 181 for d in fdac)
    report["fdac_mean_weeks"] = round_1(Fraction(sum(fdac), 7 * len(fdac))) if fdac else None
    fdac_parties = [party for _la, p, _d in concluded if p.get("fdac") for party in p["parties"].values()]
    report["fdac_orders_by_type"] = {code: sum(1 for party in fdac_parties if party[1] == code)
                                     for code in codes.ORDER_TYPES}
    fdac_ordered = {(la, c): party[2] for (la, _r), p in proceedings.items() if p.get("fdac")
                    for c, party in p["parties"].items() if party[2]}
    report["fdac_children_returning_to_proceedings"] = len({
        c for (la, _r), p in proceedings.items() if la in la_codes for c, party in p["parties"].items()
        if during(party[0]) and (la, c) in fdac_ordered and fdac_ordered[(la, c)] <= party[0]
        and add_months(fdac_ordered[(la, c)], 36) >= party[0]
    })
    ends = ("accommodate_s20", "issue_proceedings", "return_home", "close_case")
    episodes = []
    for (la, _ref), child in children.items():
        if la not in la_codes:
            continue
        events = child["events"]
        in_episode = False
        for i, (event, day, _x) in enumerate(events):
            if event in ends:
                in_episode = False
            elif event == "emergency_protection":
                if not in_episode and during(day):
                    later = [d for e, d, _ in events[i + 1:] if e in ends]
                    until = later[0] if later and later[0] <= end else end
                    episodes.append((until - day).days)
                in_episode = True
    report["emergency_protection_episodes"] = len(episodes)
    report["emergency_protection_median_days"] = round_1(median(episodes))

    # The Ministry of Justice's measure: per child, application to the child's final order.
    disposals = [(party[2] - p["issued"]).days for (la, _ref), p in proceedings.items() if la in la_codes
                 for party in p["parties"].values() if party[2] and during(party[2])]
    report["moj_children_disposed"] = len(disposals)
    report["moj_mean_weeks"] = round_1(Fraction(sum(disposals), 7 * len(disposals))) if disposals else None
    report["moj_median_weeks"] = round_1(median(disposals) / 7) if disposals else None
    report["moj_within_26_weeks"] = sum(d <= 181 for d in disposals)
    report["moj_within_26_weeks_pct"] = percentage(report["moj_within_26_weeks"], len(disposals))
    # Cafcass's: per application, whole weeks (days / 7 to the nearest week).
    whole = [floor(Fraction(d, 7) + Fraction(1, 2)) for d in days]
    report["cafcass_mean_weeks"] = floor(Fraction(sum(days), 7 * len(days)) + Fraction(1, 2)) if days else None
    report["cafcass_weeks_bands"] = {"26_or_less": sum(w <= 26 for w in whole),
                                     "27_to_29": sum(27 <= w <= 29 for w in whole),
                                     "30_or_more": sum(w >= 30 for w in whole)}
    # After court and after care.
    returned, broke, again = set(), set(), set()
    for (la, ref), child in children.items():
        if la not in la_codes:
            continue
        seen_return = False
        for event, day, _x in child["events"]:
            if event in ("return_home", "remove_from_accommodation"):
                if during(day):
                    returned.add(ref)
                seen_return = True
            elif event in ("accommodate_s20", "emergency_protection", "issue_proceedings") and seen_return and during(day):
                again.add(ref)
        broke.update(ref for ref2, reason, day in child.get("reviews", []) if reason == "broke_down" and during(day))
    report["children_returned_home"] = len(returned)
    report["returns_broke_down"] = len(broke)
    report["reentered_care_after_return"] = len(again)
    report.update(fgc_service_report(history, la_codes, start, end, TODAY))
    return report


# --------------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------------


@pytest.fixture
def synthetic(session):
    rng = random.Random(20261120)
    for index, (code, nation, area) in enumerate(AUTHORITIES, start=1):
        la = add_la(session, code, nation, dfj_area=area)
        coordinator = make_user(session, "fgc_coordinator", la, email=f"coordinator@{code.lower()}.example")
        outcome = record(session, la, synthetic_authority(rng, index, FAMILIES, TODAY,
                                                          coordinators=(coordinator.email,)), source="demo")
        assert outcome.ok, outcome.errors[:3]
    return read_history(export_text(session))


PERIODS = (
    ("2024-04-01", "2025-03-31"),  # financial year 2024-25
    ("2025-04-01", "2026-03-31"),  # financial year 2025-26
    ("2025-10-01", "2025-12-31"),  # a quarter
    ("2025-02-14", "2025-08-09"),  # an arbitrary stretch
    ("2026-04-01", "2026-11-20"),  # this year so far
)
SCOPES = (
    ([], {"E09000901", "E09000902", "W06000903"}),
    (["--la", "E09000902"], {"E09000902"}),
    (["--dfj-area", "North Testshire"], {"E09000901", "E09000902"}),
    (["--nation", "wales"], {"W06000903"}),
)


def test_the_command_agrees_with_a_simple_replay_of_the_events(cli, synthetic):
    compared = 0
    for start, end in PERIODS:
        for options, la_codes in SCOPES:
            result = cli.invoke(args=["report", "timeliness", "--from", start, "--to", end, *options,
                                      "--format", "json"])  # fmt: skip
            assert result.exit_code == 0, result.output
            printed = json.loads(result.output)
            expected = simple_report(synthetic, la_codes, date.fromisoformat(start), date.fromisoformat(end))
            assert list(printed) == list(KEYS)
            for key in KEYS:
                assert printed[key] == expected[key], (start, end, options, key)
            compared += 1
    # The comparison is not vacuous: the synthetic history fills the figures in.
    whole = simple_report(synthetic, SCOPES[0][1], date(2024, 4, 1), date(2026, 3, 31))
    assert whole["proceedings_concluded"] > 100 and whole["extended"] > 20
    assert whole["section_20_accommodated"] > 10 and whole["emergency_entries"] > 10
    assert whole["entering_proceedings_father_recorded"] > 20 and whole["entering_proceedings_relative_assessed"] > 5
    assert whole["entering_proceedings_recurrent_parent"] > 0 and whole["parents_care_experienced"] > 5
    assert whole["fgc_at_issue"]["held"] > 10 and whole["fgc_at_issue"]["not_offered_exception"] > 5
    assert whole["fdac_proceedings_concluded"] > 5 and whole["emergency_protection_episodes"] > 10
    assert whole["moj_children_disposed"] > whole["proceedings_concluded"]  # siblings: per child
    assert all(whole["cafcass_weeks_bands"].values()) and whole["children_returned_home"] > 5
    assert whole["reentered_care_after_return"] + whole["returns_broke_down"] > 0
    assert whole["fgc_referred"] > 20 and whole["fgc_held_after_referral"] > 20 and whole["fgc_reviewed"] > 10
    assert 0 < whole["fgc_private_family_time"] < whole["fgc_conferences_held"]
    assert whole["fgc_held_before_care"] > 10 and sum(whole["fgc_outcomes_at_6_months"].values()) > 20
    assert len([v for v in whole["fgc_outcomes_at_6_months"].values() if v]) >= 2  # at home, or in court
    assert compared == len(PERIODS) * len(SCOPES)


def test_the_quarterly_trend_agrees_with_the_simple_replay_quarter_by_quarter(session, synthetic):
    from pathway import reports

    quarters = reports.trend_quarters(reports.financial_year(2025))
    rows = reports.quarterly_trend(session, quarters, reports.Scope(dfj_area="North Testshire"))
    assert [r["period"] for r in rows] == quarters
    for row in rows:
        q = row["period"]
        expected = simple_report(synthetic, {"E09000901", "E09000902"}, q.start, q.end)
        for key in ("proceedings_concluded", "mean_weeks", "median_weeks", "within_26_weeks",
                    "within_26_weeks_pct", "adjusted_proceedings", "adjusted_within_26_weeks_pct"):
            assert row[key] == expected[key], (q.key, key)
    assert sum(r["proceedings_concluded"] for r in rows) > 50
