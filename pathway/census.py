"""The Children in Need census, module 5: pre-proceedings and family group decision-making (issue 16).

`flask --app wsgi return cin-module-5 --year 2026-27 [--la CODE] --format xml|csv` writes one
`PreProceedingsandFGDM` block per child and pre-proceedings period open at any time in the census
year (1 April to 31 March), with the DfE's item names, after checking every block against the
module's validation rules: any refusal names the child and the rule and nothing is written.
England only: Wales has its own census.

The facts come from the replayed history (`workflow.PreProceedingsPeriod`), never from the
projection, and only those dated on or before the year's last day count:

- PPStartDate: `decide_pre_proceedings` (the legal planning meeting's decision);
- LBPSentDate: the first `send_letter_before_proceedings` of the period;
- FGDMMeetingOffer: whether a family group decision-making meeting (an FGC) was offered: the
  letter carried it (`offered_to`), or an offer was made, or still stood, in the period;
  reported when a letter was sent;
- FGDMMeetingFac: whether such a meeting was held (`fgdm_facilitated`); reported when offered;
- InitialPPMeetingDate: `pre_proceedings_meeting` with outcome `initial`;
- ReviewMeetingsCount: the `pre_proceedings_meeting`s with outcome `review`; reported when there
  was an initial meeting;
- StepDecisionDate and PPOutcome: `pre_proceedings_decision` (`codes.PP_OUTCOME_CODE`);
- CourtAppDate: the child's `issue_proceedings` in the period;
- LetterInitCPDate: `send_letter_to_issue`.

The pure part (records, rules, writers) needs no Flask or database; `collect` reads them.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import IO, Callable, Iterable

from . import codes
from . import workflow as wf
from .csv_safety import SafeWriter
from .messages import N_, Message, msg

ITEMS = (
    "LAchildID", "PPStartDate", "LBPSentDate", "FGDMMeetingOffer", "FGDMMeetingFac", "InitialPPMeetingDate",
    "ReviewMeetingsCount", "StepDecisionDate", "PPOutcome", "CourtAppDate", "LetterInitCPDate",
)  # fmt: skip
YES, NO = "true", "false"  # written as XML Schema booleans (see README: unconfirmed against the DfE schema)
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class CensusYear:
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start.year}-{str(self.end.year)[2:]}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def parse(cls, text: str) -> "CensusYear":
        """'2026-27': 1 April 2026 to 31 March 2027. ValueError naming the mistake otherwise."""
        found = _YEAR.match((text or "").strip())
        if not found or (int(found.group(1)) + 1) % 100 != int(found.group(2)):
            raise ValueError(f"'{text}' is not a census year: write it as the DfE does, for example 2026-27 "
                             "(1 April 2026 to 31 March 2027)")
        first = int(found.group(1))
        return cls(date(first, 4, 1), date(first + 1, 3, 31))

    @classmethod
    def containing(cls, day: date) -> "CensusYear":
        first = day.year if day >= date(day.year, 4, 1) else day.year - 1
        return cls(date(first, 4, 1), date(first + 1, 3, 31))


@dataclass(frozen=True)
class Module5Record:
    """One PreProceedingsandFGDM block: one child in one pre-proceedings period."""

    la_child_id: str
    family_ref: str
    pp_start: date | None = None
    lbp_sent: date | None = None
    fgdm_offer: str | None = None  # YES | NO | None
    fgdm_fac: str | None = None
    initial_meeting: date | None = None
    review_count: int | None = None
    step_decision: date | None = None
    pp_outcome: str | None = None  # a CS131 code
    court_app: date | None = None
    letter_init: date | None = None

    def items(self) -> dict[str, str | None]:
        """The DfE items as text (None: left out)."""
        def text(value):
            return None if value is None else value.isoformat() if isinstance(value, date) else str(value)

        return dict(zip(ITEMS, map(text, (
            self.la_child_id, self.pp_start, self.lbp_sent, self.fgdm_offer, self.fgdm_fac, self.initial_meeting,
            self.review_count, self.step_decision, self.pp_outcome, self.court_app, self.letter_init,
        ))))  # fmt: skip


# --------------------------------------------------------------------------------------------
# From the history to the blocks
# --------------------------------------------------------------------------------------------


def _offers_in(family: wf.FamilyCase, period: wf.PreProceedingsPeriod, until: date) -> list[wf.FgcCase]:
    """The FGC (FGDM meeting) offers made in the period by `until`, or made before it and still
    standing when it began."""
    start = period.opened_on
    return [f for f in family.fgcs if f.offered_on <= until and (
        f.offered_on >= start or min(d for d in (f.held_on, f.declined_on, date.max) if d is not None) >= start
    )]  # fmt: skip


def fgdm_offered(family: wf.FamilyCase, period: wf.PreProceedingsPeriod, until: date) -> bool:
    """FGDMMeetingOffer: the letter carried the offer (s.31ZA(6)), or an offer was made or stood."""
    return (period.letter_on in family.letter_offers) or bool(_offers_in(family, period, until))


def fgdm_facilitated(family: wf.FamilyCase, period: wf.PreProceedingsPeriod, until: date) -> bool:
    """FGDMMeetingFac: one of those offers led to a meeting held by `until`, whatever came after
    it (the family's plan decided, reviewed, or the conference closed: issue 13's states)."""
    return any(f.held_on is not None and f.held_on <= until for f in _offers_in(family, period, until))


def records_for_family(family: wf.FamilyCase, year: CensusYear) -> list[Module5Record]:
    """Every block for a family's children: one per child per period open at some time in the year,
    with only the facts dated on or before the year's end."""
    found = []
    for period in family.pre_proceedings:
        if period.opened_on > year.end or (period.ended_on is not None and period.ended_on < year.start):
            continue
        upto = (lambda d: d if d is not None and d <= year.end else None)  # noqa: E731
        until = min(period.ended_on or year.end, year.end)
        letter = upto(period.letter_on)
        offered = fgdm_offered(family, period, until) if letter else None
        initial = upto(period.initial_meeting_on)
        decided = upto(period.decided_on)
        for child_ref in period.children:
            court = upto(period.court_applications.get(child_ref))
            found.append(Module5Record(
                la_child_id=child_ref, family_ref=family.ref, pp_start=upto(period.started_on), lbp_sent=letter,
                fgdm_offer=None if offered is None else YES if offered else NO,
                fgdm_fac=(YES if fgdm_facilitated(family, period, until) else NO) if offered else None,
                initial_meeting=initial,
                review_count=sum(1 for d in period.review_meetings if d <= year.end) if initial else None,
                step_decision=decided, pp_outcome=codes.PP_OUTCOME_CODE[period.outcome] if decided else None,
                court_app=court, letter_init=upto(period.letter_to_issue_on),
            ))  # fmt: skip
    return found


# --------------------------------------------------------------------------------------------
# The validation rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str  # Pathway's own numbering: the DfE's rule numbers are not confirmed (README)
    words: str
    fails: Callable[[Module5Record, CensusYear], bool]


def _before(later: date | None, earlier: date | None, earlier_needed: bool = False) -> bool:
    """`later` is given and is before `earlier`; or `earlier` is missing and needed. (A missing
    PPStartDate is PP01's to name, not every rule's.)"""
    if later is None:
        return False
    return earlier_needed if earlier is None else later < earlier


RULES: tuple[Rule, ...] = (
    Rule("PP01", N_("The date pre-proceedings started (PPStartDate, the legal planning meeting's decision) must be "
                 "recorded and must not be after the end of the census year."),
         lambda r, y: r.pp_start is None or r.pp_start > y.end),
    Rule("PP02", N_("The letter before proceedings (LBPSentDate) must be on or after the date pre-proceedings started."),
         lambda r, y: _before(r.lbp_sent, r.pp_start)),
    Rule("PP03", N_("If a letter before proceedings was sent, whether a family group decision-making meeting was "
                 "offered (FGDMMeetingOffer) must be recorded."),
         lambda r, y: r.lbp_sent is not None and r.fgdm_offer not in (YES, NO)),
    Rule("PP04", N_("If a family group decision-making meeting was offered, whether one was facilitated "
                 "(FGDMMeetingFac) must be recorded."),
         lambda r, y: r.fgdm_offer == YES and r.fgdm_fac not in (YES, NO)),
    Rule("PP05", N_("The initial pre-proceedings meeting (InitialPPMeetingDate) must be in the census year, on or "
                 "after the date pre-proceedings started."),
         lambda r, y: r.initial_meeting is not None and (r.initial_meeting > y.end or _before(r.initial_meeting,
                                                                                           r.pp_start))),
    Rule("PP06", N_("When there was an initial pre-proceedings meeting, the number of review meetings "
                 "(ReviewMeetingsCount) must be recorded (0 or more)."),
         lambda r, y: r.initial_meeting is not None and (r.review_count is None or r.review_count < 0)),
    Rule("PP07", N_("The step-up or step-down decision (StepDecisionDate) must be on or after the date "
                 "pre-proceedings started."),
         lambda r, y: _before(r.step_decision, r.pp_start)),
    Rule("PP08", N_("The outcome (PPOutcome) must be a code of the DfE code set CS131 (A, B or C), and recorded "
                 "with the decision."),
         lambda r, y: (r.pp_outcome is not None and r.pp_outcome not in codes.CS131_PP_OUTCOMES)
         or (r.step_decision is not None and r.pp_outcome is None)),
    Rule("PP09", N_("The court application (CourtAppDate) must be on or after the step-up or step-down decision "
                 "(StepDecisionDate), which must be recorded."),
         lambda r, y: _before(r.court_app, r.step_decision, earlier_needed=True)),
    Rule("PP10", N_("The letter to initiate care proceedings (LetterInitCPDate) must be on or after the court "
                 "application (CourtAppDate), which must be recorded."),
         lambda r, y: _before(r.letter_init, r.court_app, earlier_needed=True)),
)
RULE = {r.code: r for r in RULES}
NO_DATA_QUERY = ("Query (authority): no child has module 5 (pre-proceedings and FGDM) data for the census year "
                 "{year}. If the authority started no pre-proceedings in the year, say so when you submit; "
                 "otherwise record the decisions to start pre-proceedings.")


def no_data_query(year: "CensusYear") -> Message:
    """NO_DATA_QUERY as a Message, for the managers' page (the command prints the English)."""
    return msg("Query (authority): no child has module 5 (pre-proceedings and FGDM) data for the census year "
               "%(year)s. If the authority started no pre-proceedings in the year, say so when you submit; "
               "otherwise record the decisions to start pre-proceedings.", year=year.label)


@dataclass(frozen=True)
class Failure:
    record: Module5Record
    rule: Rule

    def __str__(self) -> str:
        return f"child {self.record.la_child_id} (family {self.record.family_ref}): {self.rule.code} {self.rule.words}"


def check(records: Iterable[Module5Record], year: CensusYear) -> list[Failure]:
    """Every rule each block breaks, in the order of the blocks and then of the rules."""
    return [Failure(r, rule) for r in records for rule in RULES if rule.fails(r, year)]


# --------------------------------------------------------------------------------------------
# Writing the return
# --------------------------------------------------------------------------------------------


def to_xml(records: list[Module5Record]) -> ET.Element:
    """`Message/Children/Child` with `ChildIdentifiers/LAchildID` and one `PreProceedingsandFGDM`
    block per period, items left out when blank (to merge into the authority's own return)."""
    message = ET.Element("Message")
    children = ET.SubElement(message, "Children")
    by_child: dict[str, ET.Element] = {}
    for record in records:
        child = by_child.get(record.la_child_id)
        if child is None:
            child = by_child[record.la_child_id] = ET.SubElement(children, "Child")
            ET.SubElement(ET.SubElement(child, "ChildIdentifiers"), "LAchildID").text = record.la_child_id
        block = ET.SubElement(child, "PreProceedingsandFGDM")
        for name, value in record.items().items():
            if name != "LAchildID" and value is not None:
                ET.SubElement(block, name).text = value
    return message


def write_xml(records: list[Module5Record], out: IO[str]) -> None:
    tree = ET.ElementTree(to_xml(records))
    ET.indent(tree)
    tree.write(out, encoding="unicode", xml_declaration=True)
    out.write("\n")


def write_csv(records: list[Module5Record], out: IO[str]) -> None:
    """One row per block, the DfE item names as the header, through the project's CSV writer."""
    writer = SafeWriter(out)
    writer.writerow(ITEMS)
    for record in records:
        writer.writerow(record.items().values())


# --------------------------------------------------------------------------------------------
# Reading an authority's records
# --------------------------------------------------------------------------------------------


def collect(session, la, year: CensusYear, today: date) -> list[Module5Record]:
    """Every block of one authority for the year, from each family's replayed history, ordered by
    child and start."""
    from collections import defaultdict

    from .services import fgdm_duty_from, history_rows, to_event

    by_family: dict[str, list[wf.PathwayEvent]] = defaultdict(list)
    for row in history_rows(session, None, la_id=la.id):
        by_family[row.family_ref].append(to_event(row))
    ctx = wf.Context(today=today, fgdm_duty_from=fgdm_duty_from())
    found = []
    for events in by_family.values():
        found.extend(records_for_family(wf.replay(events, la.code, la.nation, ctx), year))
    return sorted(found, key=lambda r: (r.la_child_id, r.pp_start or r.lbp_sent or date.min))


WALES_REFUSAL = ("{name} ({code}) is a Welsh authority. The Children in Need census and its module 5 are "
                 "England's; Wales has its own census (Children Receiving Care and Support).")
