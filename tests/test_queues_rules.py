"""The queue flags at their boundaries: pure rules, no database (pathway.queues.rules)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pathway.queues import rules
from pathway.queues.rules import ChildFacts, assess


def flags(facts: ChildFacts, today: date) -> list[str]:
    return assess(facts, today).flags


def in_proceedings(issued_on: date, extensions: int = 0, deadline: date | None = None, **kw) -> ChildFacts:
    kw.setdefault("cmh_listed_for", issued_on + timedelta(days=13))  # day 14: the court's timetable is on track
    return ChildFacts(
        nation="england", stage="proceedings", stage_since=issued_on, issued_on=issued_on,
        deadline=deadline or issued_on + timedelta(days=181), extensions=extensions, **kw,
    )  # fmt: skip


# --- proceedings ------------------------------------------------------------------------------


def test_the_last_day_of_week_26_is_not_overdue_and_the_next_day_is():
    issued = date(2026, 2, 2)
    facts = in_proceedings(issued)
    assert facts.deadline == date(2026, 8, 2)
    assert "proceedings_overdue" not in flags(facts, date(2026, 8, 2))
    assert "proceedings_overdue" in flags(facts, date(2026, 8, 3))
    overdue = assess(facts, date(2026, 8, 3)).findings[0]
    assert overdue.on == date(2026, 8, 2)


def test_due_within_4_weeks_counts_28_days_before_the_deadline_but_not_29():
    facts = in_proceedings(date(2026, 2, 2))  # deadline 2 August 2026
    assert flags(facts, date(2026, 7, 5)) == ["proceedings_due_soon"]  # 28 days before
    assert flags(facts, date(2026, 7, 4)) == []  # 29 days before
    assert flags(facts, date(2026, 8, 2)) == ["proceedings_due_soon"]  # the deadline itself
    assert flags(facts, date(2026, 8, 3)) == ["proceedings_overdue"]  # never both


def test_an_extension_means_due_soon_no_longer_applies_but_overdue_still_does():
    extended = in_proceedings(date(2026, 2, 2), extensions=1, deadline=date(2026, 8, 30))
    assert flags(extended, date(2026, 8, 2)) == []
    assert flags(extended, date(2026, 8, 30)) == []
    assert flags(extended, date(2026, 8, 31)) == ["proceedings_overdue"]


# --- entered care without an FGC ---------------------------------------------------------------


def test_care_without_fgc_until_an_offer_is_made():
    facts = ChildFacts(nation="england", stage="emergency_protection", stage_since=date(2026, 3, 1),
                       entered_care_on=date(2026, 3, 1))
    assert flags(facts, date(2026, 3, 1)) == ["care_without_fgc"]
    facts.fgc_offered_on = date(2026, 3, 20)
    assert flags(facts, date(2026, 3, 19)) == ["care_without_fgc"]  # not offered yet on that day
    assert flags(facts, date(2026, 3, 20)) == []


def test_an_offer_before_entering_care_means_no_flag():
    facts = ChildFacts(nation="england", stage="section_20", stage_since=date(2026, 3, 1),
                       entered_care_on=date(2026, 3, 1), fgc_offered_on=date(2026, 2, 1))
    assert "care_without_fgc" not in flags(facts, date(2026, 3, 2))


# --- looked-after reviews (every looked-after child; section 20/76 here) ------------------------------------------------------


def accommodated(on: date, nation: str = "england", **kw) -> ChildFacts:
    return ChildFacts(nation=nation, stage="section_20", stage_since=on, entered_care_on=on, looked_after_since=on,
                      fgc_offered_on=on - timedelta(days=10), **kw)


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_first_review_is_due_on_the_20th_working_day_across_christmas(nation):
    # Accommodated Monday 15 December 2025: 25, 26 December and 1 January are bank holidays in
    # both nations, so the 20th working day is Thursday 15 January 2026 (not Monday 12 January).
    facts = accommodated(date(2025, 12, 15), nation)
    assert rules.looked_after_review_due(facts) == date(2026, 1, 15)
    assert flags(facts, date(2025, 12, 15)) == ["looked_after_first_review_due"]
    assert flags(facts, date(2026, 1, 15)) == ["looked_after_first_review_due"]
    assert flags(facts, date(2026, 1, 16)) == ["looked_after_first_review_overdue"]


@pytest.mark.parametrize("nation", ["england", "wales"])
def test_first_review_is_due_on_the_20th_working_day_across_easter(nation):
    # Accommodated Monday 23 March 2026: Good Friday 3 April and Easter Monday 6 April are bank
    # holidays, so the 20th working day is Wednesday 22 April (not Monday 20 April).
    facts = accommodated(date(2026, 3, 23), nation)
    assert rules.looked_after_review_due(facts) == date(2026, 4, 22)
    assert flags(facts, date(2026, 4, 22)) == ["looked_after_first_review_due"]
    assert flags(facts, date(2026, 4, 23)) == ["looked_after_first_review_overdue"]


def test_first_review_with_no_bank_holiday_is_four_weeks_later():
    facts = accommodated(date(2026, 2, 2))
    assert rules.looked_after_review_due(facts) == date(2026, 3, 2)
    assert flags(facts, date(2026, 3, 3)) == ["looked_after_first_review_overdue"]


def test_second_review_within_3_months_of_the_first():
    facts = accommodated(date(2026, 1, 5), looked_after_reviews=1, last_looked_after_review=date(2026, 1, 20))
    assert rules.looked_after_review_due(facts) == date(2026, 4, 20)
    assert flags(facts, date(2026, 3, 22)) == []  # 29 days before
    assert flags(facts, date(2026, 3, 23)) == ["looked_after_review_due"]  # 28 days before
    assert flags(facts, date(2026, 4, 20)) == ["looked_after_review_due"]
    assert flags(facts, date(2026, 4, 21)) == ["looked_after_review_overdue"]


def test_later_reviews_every_6_months():
    facts = accommodated(date(2026, 1, 5), looked_after_reviews=2, last_looked_after_review=date(2026, 3, 31),
                         last_legal_planning=date(2026, 6, 1))
    assert rules.looked_after_review_due(facts) == date(2026, 9, 30)  # no 31 September
    assert flags(facts, date(2026, 9, 1)) == []
    assert flags(facts, date(2026, 9, 2)) == ["looked_after_review_due"]
    assert flags(facts, date(2026, 9, 30)) == ["looked_after_review_due"]
    assert flags(facts, date(2026, 10, 1)) == ["looked_after_review_overdue"]
    facts.last_legal_planning = None
    assert flags(facts, date(2026, 10, 1)) == ["looked_after_review_overdue", "s20_over_6_months_no_legal_planning"]


def test_section_20_over_6_months_without_a_legal_planning_decision():
    facts = accommodated(date(2026, 1, 31), looked_after_reviews=1, last_looked_after_review=date(2026, 6, 1))
    assert rules.legal_planning_due(facts) == date(2026, 7, 31)
    assert "s20_over_6_months_no_legal_planning" not in flags(facts, date(2026, 7, 31))
    assert "s20_over_6_months_no_legal_planning" in flags(facts, date(2026, 8, 1))
    facts.last_legal_planning = date(2026, 2, 10)
    assert "s20_over_6_months_no_legal_planning" not in flags(facts, date(2026, 8, 1))


def test_review_flags_only_while_looked_after():
    facts = accommodated(date(2025, 12, 15))
    facts.stage, facts.looked_after_since = "reunification", None
    assert flags(facts, date(2026, 9, 1)) == []


# --- pre-proceedings ---------------------------------------------------------------------------


def test_pre_proceedings_16_weeks_is_112_days_and_day_113_is_over():
    facts = ChildFacts(nation="england", stage="pre_proceedings", stage_since=date(2026, 3, 2))
    assert flags(facts, date(2026, 3, 2) + timedelta(days=112)) == []
    assert flags(facts, date(2026, 3, 2) + timedelta(days=113)) == ["pre_proceedings_over_16_weeks"]


def test_a_pre_proceedings_review_decision_starts_a_new_16_weeks():
    facts = ChildFacts(nation="england", stage="pre_proceedings", stage_since=date(2026, 3, 2),
                       last_pre_proceedings_review=date(2026, 5, 1))
    assert flags(facts, date(2026, 6, 23)) == []
    assert flags(facts, date(2026, 5, 1) + timedelta(days=112)) == []
    assert flags(facts, date(2026, 5, 1) + timedelta(days=113)) == ["pre_proceedings_over_16_weeks"]


# --- reunification -----------------------------------------------------------------------------


def test_reunification_review_due_6_months_after_the_return_home():
    facts = ChildFacts(nation="wales", stage="reunification", stage_since=date(2026, 3, 31),
                       returned_home_on=date(2026, 3, 31))
    assert rules.reunification_review_due(facts.returned_home_on) == date(2026, 9, 30)
    assert flags(facts, date(2026, 9, 1)) == []  # 29 days before
    assert flags(facts, date(2026, 9, 2)) == ["reunification_review_due"]
    assert flags(facts, date(2026, 9, 30)) == ["reunification_review_due"]
    assert flags(facts, date(2026, 10, 1)) == ["reunification_review_overdue"]
    facts.last_reunification_review = date(2026, 9, 29)
    assert flags(facts, date(2026, 10, 1)) == []


# --- allocation --------------------------------------------------------------------------------


def test_unallocated():
    facts = ChildFacts(nation="england", stage="early_help", stage_since=date(2026, 1, 1), allocated=False,
                       family_opened_on=date(2025, 12, 1))
    assert assess(facts, date(2026, 2, 1)).findings == [rules.Finding("unallocated", date(2025, 12, 1))]
    facts.allocated = True
    assert flags(facts, date(2026, 2, 1)) == []


def test_every_flag_belongs_to_a_list():
    assert {f.queue for f in rules.FLAGS} == {q.code for q in rules.QUEUES}


# --- an objection while accommodated (issue 9) --------------------------------------------------


def test_an_objection_while_accommodated_flags_the_child_tied_to_the_objection():
    facts = ChildFacts(nation="england", stage="section_20", stage_since=date(2026, 3, 2),
                       looked_after_reviews=1, last_looked_after_review=date(2026, 3, 20),
                       must_leave_accommodation_since=date(2026, 4, 1))
    found = {f.code: f.on for f in assess(facts, date(2026, 4, 2)).findings}
    assert found == {"objection_to_accommodation": date(2026, 4, 1)}
    assert rules.FLAG["objection_to_accommodation"].queue == "section_20"
    assert "objection_to_accommodation" in flags(facts, date(2026, 4, 1))  # from the day of the objection
    assert "objection_to_accommodation" not in flags(facts, date(2026, 3, 31))  # not before it


@pytest.mark.parametrize("stage", ["reunification", "proceedings", "emergency_protection"])
def test_the_objection_flag_is_only_for_a_child_still_accommodated(stage):
    facts = ChildFacts(nation="england", stage=stage, stage_since=date(2026, 3, 2),
                       must_leave_accommodation_since=date(2026, 4, 1))
    assert "objection_to_accommodation" not in flags(facts, date(2026, 4, 2))


def test_a_looked_after_review_counts_from_the_first_day_of_the_period_not_before():
    from pathway.models import Child
    from pathway.queues.records import review_problems

    child = Child(reference="C9", stage="care_order", stage_since=date(2026, 6, 1), opened_on=date(2026, 1, 5),
                  looked_after_since=date(2026, 3, 2))
    assert rules.review_counts_from("looked_after_review") == "looked_after_since"
    assert rules.review_counts_from("pre_proceedings_review") == "stage_since"
    before = review_problems(child, "looked_after_review", date(2026, 3, 1), "plan_confirmed", date(2026, 11, 20))
    assert [p.message for p in before] == ["The date the looked-after review was held must be on or after "
                                           "2 March 2026, when the child's current period of being looked after began"]
    assert review_problems(child, "looked_after_review", date(2026, 3, 2), "plan_confirmed", date(2026, 11, 20)) == []
    child.looked_after_since = None
    assert [p.field for p in review_problems(child, "looked_after_review", date(2026, 3, 2), "plan_confirmed",
                                             date(2026, 11, 20))] == ["kind"]
