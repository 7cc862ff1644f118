"""What goes in a diary, and the iCalendar feed of it: pure functions of the queue's rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..messages import label, msg
from ..queues import rules

DIARY_DAYS = 28  # the next 4 weeks


@dataclass(frozen=True)
class DiaryItem:
    on: date
    family_id: int
    family_ref: str
    child_ref: str
    what: str  # a pathway.messages.Message: English as a str, the reader's language with |t
    code: str  # a queue flag code, or hearing:<kind>
    overdue: bool

    @property
    def uid(self) -> str:
        """Stable across feeds, so a calendar updates the entry rather than adding another."""
        return f"{self.code}-{self.family_ref}-{self.child_ref}-{self.on.isoformat()}@pathway"

    @property
    def summary(self) -> str:
        return f"{self.what}: family {self.family_ref}, child {self.child_ref}"


def diary_items(rows, today: date, days: int = DIARY_DAYS) -> list[DiaryItem]:
    """Every flag's date and every hearing listed, up to `days` ahead (overdue ones included,
    marked), soonest first. `rows` are queue rows (queries.QueueRow) with hearings attached."""
    until = today + timedelta(days=days)
    items = []
    for row in rows:
        for finding in row.assessment.findings:
            if finding.code == "unallocated" or finding.on > until:
                continue
            flag = rules.FLAG[finding.code]
            items.append(DiaryItem(finding.on, row.family_id, row.family_ref, row.child_ref,
                                   label(flag.label_for(row.nation)), finding.code, finding.on < today))
        for kind, listed_for in row.hearings.items():
            if today <= listed_for <= until:
                what = msg("%(hearing)s, proceedings %(reference)s", hearing=label(rules.HEARING_KINDS[kind]),
                           reference=row.proceedings_ref)
                items.append(DiaryItem(listed_for, row.family_id, row.family_ref, row.child_ref, what,
                                       f"hearing-{kind}", False))
    return sorted(items, key=lambda i: (i.on, i.family_ref, i.child_ref, i.code))


def to_ical(items: list[DiaryItem], now: datetime, today: date) -> bytes:
    """An RFC 5545 calendar of the items dated today or later (all-day events), by the
    icalendar library. References and step names only."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Pathway//My diary//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Pathway: my diary")
    for item in items:
        if item.on < today:
            continue
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("summary", item.summary)
        calendar.add_component(event)
    return calendar.to_ical()
