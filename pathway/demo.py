"""Synthetic histories: made-up families on believable journeys, for demo data and benchmarks.

No real person's details: references are generated codes and dates are drawn at random relative
to the day given. Every history is recorded through the pathway, so it obeys every gate.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from . import codes
from .workflow import PathwayEvent

ETHNICITY_WEIGHTS = {
    "WBRI": 70, "WOTH": 4, "WIRT": 1, "WROM": 1, "MWBC": 3, "MWBA": 2, "MWAS": 2, "MOTH": 2,
    "AIND": 2, "APKN": 3, "ABAN": 1, "AOTH": 1, "BCRB": 2, "BAFR": 3, "BOTH": 1, "CHNE": 1,
    "OOTH": 1, "NOBT": 1,
}  # fmt: skip
ORDER_WEIGHTS = {
    "care_order": 38, "care_order_at_home": 4, "supervision_order": 14, "sgo": 16,
    "sgo_with_supervision": 6, "placement_order": 10, "child_arrangements_order": 7,
    "no_order": 3, "withdrawn": 2,
}  # fmt: skip
SCENARIOS = {
    "early_help": 10, "closed_early": 6, "child_protection": 10, "pre_proceedings": 10,
    "section_20": 12, "emergency": 14, "court": 42,
}  # fmt: skip
CLOSE_REASONS = ("Needs met through early help", "Family moved to another area", "Plan completed")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Family:
    def __init__(self, rng, family_ref, child_refs, start, today):
        self.rng, self.ref, self.today = rng, family_ref, today
        self.day = start
        self.events: list[PathwayEvent] = []
        self.children = child_refs
        self.dobs = {}
        self.stopped = False
        self.mother: str | None = None
        self.fathers: dict[str, str] = {}  # child -> father's reference
        self.pr: dict[str, list[str]] = {}  # child -> references of people with PR
        self.relative: str | None = None

    def wait(self, low: int, high: int) -> bool:
        self.day += timedelta(days=self.rng.randint(low, high))
        if self.day > self.today:
            self.stopped = True
        return not self.stopped

    def add(self, event: str, child_ref: str | None = None, **fields) -> None:
        self.events.append(PathwayEvent(event, self.day, self.ref, child_ref, **fields))

    def open(self) -> None:
        for ref in self.children:
            dob = self.day - timedelta(days=self.rng.randint(0, 16 * 365))
            self.dobs[ref] = dob
            self.add("open_case", ref, dob=dob, sex=self.rng.choice("MF"),
                     ethnicity=_pick(self.rng, ETHNICITY_WEIGHTS))

    def network(self, mother_ref: str | None = None) -> None:
        """The family network: a mother for every child; a father for most (half-siblings with a
        father each in some families); sometimes a grandparent. References only, no names."""
        rng = self.rng
        youngest = max(self.dobs.values())
        self.mother = mother_ref or f"{self.ref}-M"
        traits = tuple(t for t, p in (("care_experienced", 0.2), ("learning_disability", 0.1), ("mental_health", 0.15))
                       if rng.random() < p)  # fmt: skip
        mother_dob = youngest - timedelta(days=rng.randint(18 * 365, 38 * 365))
        self.add("add_person", person_ref=self.mother, dob=mother_dob, sex="F", characteristics=traits or None)
        fathers = [f"{self.ref}-F1"]
        if len(self.children) > 1 and rng.random() < 0.3:
            fathers.append(f"{self.ref}-F2")  # half-siblings
        recorded = rng.random() < 0.8
        if recorded:
            for ref in fathers:
                self.add("add_person", person_ref=ref, sex="M")
        if rng.random() < 0.5:
            self.relative = f"{self.ref}-G"
            self.add("add_person", person_ref=self.relative, sex=rng.choice("MF"))
        for n, child in enumerate(self.children):
            self.add("relate_person", child, person_ref=self.mother, relationship="mother", parental_responsibility="yes")
            self.pr[child] = [self.mother]
            if recorded:
                father = fathers[0] if n == 0 or len(fathers) == 1 else fathers[1]
                has_pr = rng.random() < 0.7
                self.add("relate_person", child, person_ref=father, relationship="father",
                         parental_responsibility="yes" if has_pr else "no")
                self.fathers[child] = father
                if has_pr:
                    self.pr[child].append(father)
            if self.relative:
                self.add("relate_person", child, person_ref=self.relative, relationship="maternal_grandparent",
                         parental_responsibility="no")


def family_history(rng: random.Random, family_ref: str, child_refs: list[str], today: date,
                   proceedings_ref: str, scenario: str | None = None,
                   max_age_days: int = 1100, mother_ref: str | None = None,
                   coordinators: tuple[str, ...] = ()) -> list[PathwayEvent]:
    """One family's made-up journey, cut off at `today`. `mother_ref` names a mother already
    known to the authority (a parent in earlier proceedings); `coordinators`, the email
    addresses of the authority's FGC coordinators (none: referrals are not allocated)."""
    scenario = scenario or _pick(rng, SCENARIOS)
    start = today - timedelta(days=rng.randint(20, max_age_days))
    f = _Family(rng, family_ref, child_refs, start, today)
    f.open()
    f.network(mother_ref)
    kids = f.children
    if scenario == "early_help":
        return f.events
    if scenario == "closed_early":
        if f.wait(30, 200):
            for c in kids:
                f.add("close_case", c, reason=rng.choice(CLOSE_REASONS))
        return f.events
    if f.wait(10, 60):
        for c in kids:
            f.add("start_cp_plan", c)
    if scenario == "child_protection" or f.stopped:
        if scenario == "child_protection" and rng.random() < 0.4 and f.wait(120, 300):
            for c in kids:
                f.add("end_cp_plan", c)
        return f.events
    if scenario == "emergency":
        return _emergency(f, proceedings_ref)
    # Every other route offers an FGC first.
    if not f.wait(10, 40):
        return f.events
    f.add("offer_fgc")
    if scenario == "section_20":
        if f.wait(5, 15):
            f.add("fgc_declined")
        if f.wait(10, 40):
            c = kids[0]
            consent = "child" if (f.day - f.dobs[c]).days > 16 * 366 else rng.choice(f.pr[c])
            f.add("accommodate_s20", c, consent_by=consent)
            objector = next((p for p in f.pr[c] if p != consent), None)
            if consent != "child" and objector and rng.random() < 0.3 and f.wait(10, 60):
                # A parent with PR objects: the authority's power to keep the child ends.
                f.add("object_to_accommodation", c, person_ref=objector)
                if f.wait(0, 3):
                    f.add("remove_from_accommodation", c, person_ref=objector)
                return f.events
            if rng.random() < 0.6 and f.wait(60, 200):
                f.add("return_home", c)
                if f.wait(175, 190):
                    broke_down = rng.random() < 1 / 3
                    f.add("reunification_review", c, reason="broke_down" if broke_down else "stable")
                    # After care (issue 14): most returns that break down bring the child back into care.
                    if broke_down and rng.random() < 0.7 and f.wait(0, 30):
                        f.add("accommodate_s20", c, consent_by=consent)
        return f.events
    if f.wait(5, 15):
        f.add("fgc_accepted")
    accepted_on = f.day if f.events[-1].event == "fgc_accepted" else None
    held = f.wait(14, 35)
    service = _FgcService(f, coordinators) if accepted_on else None
    if service:
        service.before_meeting(accepted_on, min(f.day, f.today), held)
    if held:
        f.add("hold_fgc", **(service.attendance() if service else {}))
        if service:
            service.after_meeting(f.day)
    if f.wait(7, 30):
        f.add("send_letter_before_proceedings")
    if f.relative and f.wait(5, 30):
        f.add("carer_assessment", person_ref=f.relative,
              outcome=rng.choice(["viability_positive", "viability_negative", "viability_positive", "withdrawn"]))
    if scenario == "pre_proceedings" or f.stopped:
        return f.events
    if f.wait(40, 120):
        for c in kids:
            f.add("issue_proceedings", c, proceedings_ref=proceedings_ref)
        _court(f, proceedings_ref)
    return f.events


class _FgcService:
    """FGC service (issue 13): the referral, the coordinator, who came, the plan and the review,
    for some accepted conferences. Its choices come from a generator of its own (seeded by the
    family's reference), so the rest of the made-up history is the same with or without it; its
    steps fall between the acceptance and the meeting, or after the meeting, and never after today."""

    def __init__(self, f: _Family, coordinators: tuple[str, ...]):
        self.f, self.coordinators = f, coordinators
        self.rng = random.Random(f"fgc-service:{f.ref}")
        self.referred = self.rng.random() < 0.75

    def _add(self, day: date, event: str, **fields) -> bool:
        if day > self.f.today:
            return False
        self.f.events.append(PathwayEvent(event, day, self.f.ref, None, **fields))
        return True

    def before_meeting(self, accepted_on: date, until: date, held: bool) -> None:
        if not self.referred:
            return
        referred_on = accepted_on + timedelta(days=self.rng.randint(0, 3))
        if referred_on > until or not self._add(referred_on, "refer_fgc", reason=self.rng.choice(CONCERNS)):
            self.referred = False
            return
        allocated_on = referred_on + timedelta(days=self.rng.randint(1, 9))
        # Some referrals whose conference is still to come wait for a coordinator (the lists show them).
        waiting = not held and self.rng.random() < 0.5
        if self.coordinators and self.rng.random() < 0.9 and allocated_on <= until and not waiting:
            self._add(allocated_on, "allocate_fgc_coordinator", coordinator=self.rng.choice(self.coordinators))

    def attendance(self) -> dict:
        f = self.f
        invited = sorted({f.mother, *f.fathers.values(), *([f.relative] if f.relative else [])} - {None})
        came = [ref for ref in invited if self.rng.random() < 0.8]
        return {"invited": tuple(invited) or None, "attended": tuple(came) or None,
                "private_family_time": "yes" if self.rng.random() < 0.85 else "no"}

    def after_meeting(self, held_on: date) -> None:
        if not self.referred:
            return
        rng = self.rng
        decided_on = held_on + timedelta(days=rng.randint(1, 9))
        if held_on > self.f.today - timedelta(days=60):
            return  # a recent conference: its plan awaits the authority's decision
        if rng.random() < 0.85:
            if not self._add(decided_on, "decide_fgc_plan", outcome="accepted"):
                return
        elif not self._add(decided_on, "decide_fgc_plan", outcome="not_accepted",
                           reason="The plan leaves the children without a safe carer overnight"):
            return
        later = decided_on + timedelta(days=rng.randint(70, 110))
        if rng.random() < 0.75:
            self._add(later, "review_fgc")
        elif rng.random() < 0.5:
            self._add(later, "close_fgc", reason=rng.choice(list(codes.FGC_CLOSE_REASONS)))


CONCERNS = (
    "Neglect: home conditions and school attendance",
    "Domestic abuse between the parents; the children witness it",
    "Parental alcohol misuse; the children are left alone",
    "The mother's mental health; who can care for the children if she is admitted",
)


def _emergency(f: _Family, proceedings_ref: str) -> list[PathwayEvent]:
    rng, kids = f.rng, f.children
    if not f.wait(5, 60):
        return f.events
    for c in kids:
        f.add("emergency_protection", c, emergency_type=rng.choice(["epo", "police_protection"]))
    if f.wait(1, 7):
        for c in kids:
            # No time to offer a meeting first: the best-interests decision is recorded (s.31ZA).
            f.add("issue_proceedings", c, proceedings_ref=proceedings_ref,
                  exception="Immediate risk of harm: no time to offer a family group decision-making meeting",
                  decided_by="Head of service (demo)")
        if f.wait(5, 20):
            f.add("offer_fgc")
        _court(f, proceedings_ref)
    return f.events


def _court(f: _Family, proceedings_ref: str) -> None:
    rng = f.rng
    if f.stopped:
        return
    issued = f.day
    if rng.random() < 0.1 and f.wait(7, 21):
        f.add("heard_in_fdac", proceedings_ref=proceedings_ref)  # a Family Drug and Alcohol Court
    if f.stopped:
        return
    extensions = rng.choices([0, 1, 2], weights=[55, 35, 10])[0]
    f.wait(120, 175)
    for _ in range(extensions):
        if f.stopped:
            return
        f.add("extend_timetable", proceedings_ref=proceedings_ref, weeks=rng.randint(2, 8),
              reason=rng.choice(list(codes.EXTENSION_REASONS)))
        f.wait(20, 50)
    if f.stopped:
        return
    # An extension is granted because the case cannot finish in 26 weeks: extended cases end after.
    earliest = 182 if extensions else 130
    f.day = max(f.day, issued + timedelta(days=rng.randint(earliest, max(earliest, 200))))
    for c in f.children:
        if not f.wait(0, 14):
            return
        order = _pick(rng, ORDER_WEIGHTS)
        f.add("final_order", c, proceedings_ref=proceedings_ref, order_type=order)
        if order in codes.ORDERS_AWAY_FROM_PARENTS and f.mother and rng.random() < 0.5:
            saved = f.day
            if f.wait(10, 80):
                f.add("post_removal_support", person_ref=f.mother,
                      outcome=rng.choice(list(codes.POST_REMOVAL_SUPPORT_OUTCOMES)))
            f.day, f.stopped = saved, False
        if order in ("care_order", "care_order_at_home") and rng.random() < 0.15:
            saved = f.day
            if f.wait(90, 300):
                f.add("return_home", c)
            f.day, f.stopped = saved, False
        if order in ("supervision_order", "no_order") and rng.random() < 0.15:
            # Back in court within three years (the board's "returning to proceedings").
            saved = f.day
            if f.wait(200, 900):
                f.add("send_letter_before_proceedings")
                if f.wait(20, 60):
                    f.add("issue_proceedings", c, proceedings_ref=f"{proceedings_ref}-R")
            f.day, f.stopped = saved, False


def synthetic_authority(rng: random.Random, la_index: int, families: int, today: date,
                        max_age_days: int = 1100, coordinators: tuple[str, ...] = ()) -> list[PathwayEvent]:
    """Histories for `families` made-up families of one authority (references carry la_index);
    `coordinators`: the email addresses of its FGC coordinators (users with that role)."""
    events: list[PathwayEvent] = []
    earlier_mother = None
    for n in range(families):
        family_ref = f"FAM-{la_index:03d}-{n:06d}"
        size = rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
        child_refs = [f"CH-{la_index:03d}-{n:06d}-{k}" for k in range(size)]
        # Now and then a mother already known from an earlier family (recurrent proceedings).
        mother = earlier_mother if earlier_mother and rng.random() < 0.05 else None
        history = family_history(rng, family_ref, child_refs, today, f"PR-{la_index:03d}-{n:06d}",
                                 max_age_days=max_age_days, mother_ref=mother, coordinators=coordinators)
        events.extend(history)
        if mother is None and any(e.event == "issue_proceedings" for e in history):
            earlier_mother = f"{family_ref}-M"
    return events
