"""The FGC service's lists (issue 13), at their boundaries: working days across bank holidays,
the settings for 6 weeks and 3 months."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pathway.config import ConfigError, from_environment
from pathway.queues.fgc import FgcFacts, FgcSettings, assess_fgc

ONE = timedelta(days=1)


def codes(facts, today, settings=FgcSettings()):
    return {f.code: f.on for f in assess_fgc(facts, today, settings)}


def test_referral_unallocated_after_5_working_days_across_christmas():
    # Wednesday 23 December 2026: Thu 24 (1); Fri 25 and Mon 28 (Boxing Day in lieu) are bank
    # holidays; Tue 29 (2), Wed 30 (3), Thu 31 (4); Fri 1 January holiday; Mon 4 January (5).
    facts = FgcFacts("england", "referred", date(2026, 12, 1), date(2026, 12, 2), referred_on=date(2026, 12, 23))
    assert "fgc_referral_unallocated" not in codes(facts, date(2027, 1, 4))
    assert codes(facts, date(2027, 1, 5))["fgc_referral_unallocated"] == date(2027, 1, 4)
    allocated = FgcFacts("england", "coordinator_allocated", date(2026, 12, 1), date(2026, 12, 2),
                         referred_on=date(2026, 12, 23), coordinator_allocated_on=date(2027, 1, 5))
    assert "fgc_referral_unallocated" not in codes(allocated, date(2027, 1, 6))


def test_working_days_skip_easter_in_wales_too():
    # Thursday 2 April 2026: Good Friday 3 and Easter Monday 6 April are holidays in both nations.
    for nation in ("england", "wales"):
        facts = FgcFacts(nation, "referred", date(2026, 3, 1), referred_on=date(2026, 4, 2))
        # Tue 7 (1) ... Fri 10 (4), Mon 13 (5).
        assert "fgc_referral_unallocated" not in codes(facts, date(2026, 4, 13))
        assert codes(facts, date(2026, 4, 14))["fgc_referral_unallocated"] == date(2026, 4, 13)


@pytest.mark.parametrize("status", ["referred", "coordinator_allocated"])
def test_conference_not_held_within_6_weeks_or_the_setting(status):
    facts = FgcFacts("england", status, date(2026, 3, 1), date(2026, 3, 2), referred_on=date(2026, 3, 4),
                     coordinator_allocated_on=date(2026, 3, 5))
    assert "fgc_conference_not_held" not in codes(facts, date(2026, 4, 15))  # 4 March + 42 days
    assert codes(facts, date(2026, 4, 16))["fgc_conference_not_held"] == date(2026, 4, 15)
    eight = FgcSettings(conference_weeks=8)
    assert "fgc_conference_not_held" not in codes(facts, date(2026, 4, 29), eight)
    assert "fgc_conference_not_held" in codes(facts, date(2026, 4, 30), eight)
    held = FgcFacts("england", "held", date(2026, 3, 1), referred_on=date(2026, 3, 4), held_on=date(2026, 5, 1))
    assert "fgc_conference_not_held" not in codes(held, date(2026, 5, 2))


def test_plan_awaiting_decision_after_5_working_days():
    # Held Friday 1 May 2026; Monday 4 May is the early May bank holiday: Tue 5 ... Mon 11 is the 5th.
    facts = FgcFacts("england", "held", date(2026, 3, 1), held_on=date(2026, 5, 1))
    assert "fgc_plan_awaiting_decision" not in codes(facts, date(2026, 5, 11))
    assert codes(facts, date(2026, 5, 12))["fgc_plan_awaiting_decision"] == date(2026, 5, 11)
    decided = FgcFacts("england", "plan_decided", date(2026, 3, 1), held_on=date(2026, 5, 1),
                       plan_decided_on=date(2026, 5, 20))
    assert "fgc_plan_awaiting_decision" not in codes(decided, date(2026, 5, 21))


def test_review_due_3_months_after_the_plan_then_overdue():
    facts = FgcFacts("england", "plan_decided", date(2026, 1, 1), held_on=date(2026, 1, 20),
                     plan_decided_on=date(2026, 1, 31))
    due = date(2026, 4, 30)  # 31 January + 3 months: the last day of April
    assert codes(facts, due - timedelta(days=29)) == {}
    assert codes(facts, due - timedelta(days=28)) == {"fgc_review_due": due}
    assert codes(facts, due) == {"fgc_review_due": due}
    assert codes(facts, due + ONE) == {"fgc_review_overdue": due}
    assert codes(facts, date(2026, 7, 31), FgcSettings(review_months=6)) == {"fgc_review_due": date(2026, 7, 31)}
    reviewed = FgcFacts("england", "review_held", date(2026, 1, 1), plan_decided_on=date(2026, 1, 31),
                        reviewed_on=date(2026, 4, 1))
    assert codes(reviewed, due + ONE) == {}


@pytest.mark.parametrize("status", ["accepted", "referred", "coordinator_allocated"])
def test_accepted_with_proceedings_considered_and_no_conference_in_england(status):
    facts = FgcFacts("england", status, date(2026, 6, 1), date(2026, 6, 3), referred_on=date(2026, 6, 4),
                     proceedings_considered=True)
    assert codes(facts, date(2026, 6, 5))["fgc_not_held_before_issue"] == date(2026, 6, 3)
    assert "fgc_not_held_before_issue" not in codes(FgcFacts("wales", status, date(2026, 6, 1), date(2026, 6, 3),
                                                             referred_on=date(2026, 6, 4), proceedings_considered=True),
                                                     date(2026, 6, 5))
    assert "fgc_not_held_before_issue" not in codes(FgcFacts("england", status, date(2026, 6, 1), date(2026, 6, 3),
                                                             referred_on=date(2026, 6, 4)), date(2026, 6, 5))
    held = FgcFacts("england", "held", date(2026, 6, 1), date(2026, 6, 3), held_on=date(2026, 6, 4),
                    proceedings_considered=True)
    assert "fgc_not_held_before_issue" not in codes(held, date(2026, 6, 5))


def test_the_settings_come_from_the_environment():
    env = {"PATHWAY_ENV": "testing"}
    assert (from_environment(env)["FGC_CONFERENCE_WEEKS"], from_environment(env)["FGC_REVIEW_MONTHS"]) == (6, 3)
    got = from_environment(env | {"FGC_CONFERENCE_WEEKS": "8", "FGC_REVIEW_MONTHS": "6"})
    assert (got["FGC_CONFERENCE_WEEKS"], got["FGC_REVIEW_MONTHS"]) == (8, 6)
    for bad in ("0", "six", "-1"):
        with pytest.raises(ConfigError, match="FGC_CONFERENCE_WEEKS"):
            from_environment(env | {"FGC_CONFERENCE_WEEKS": bad})
