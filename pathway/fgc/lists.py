"""The FGC service's lists from the stored projection: the latest conference of each family of an
authority, its facts for `queues.fgc.assess_fgc`, and the flags that apply today."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..models import Child, Family, FamilyGroupConference, LocalAuthority
from ..queues.fgc import FGC_FLAGS, FgcFacts, FgcSettings, assess_fgc


@dataclass
class ConferenceRow:
    family: Family
    fgc: FamilyGroupConference
    flags: list  # queues.rules.Finding


def settings_from(config) -> FgcSettings:
    return FgcSettings(conference_weeks=config.get("FGC_CONFERENCE_WEEKS", 6),
                       review_months=config.get("FGC_REVIEW_MONTHS", 3))


def conferences(session, la: LocalAuthority, today: date, settings: FgcSettings, referred_only: bool
                ) -> list[ConferenceRow]:
    """Each family's latest conference in the authority (only those referred to the FGC service
    when `referred_only`), with its flags."""
    rows = session.execute(
        select(FamilyGroupConference, Family).join(Family, Family.id == FamilyGroupConference.family_id)
        .where(Family.la_id == la.id)
        .order_by(FamilyGroupConference.family_id, FamilyGroupConference.offered_on, FamilyGroupConference.id)
    ).all()  # fmt: skip
    latest: dict[int, tuple] = {}
    for fgc, family in rows:
        latest[family.id] = (fgc, family)
    considered = set(session.scalars(
        select(Child.family_id).where(Child.la_id == la.id, Child.stage == "pre_proceedings")
    ))  # fmt: skip
    found = []
    for fgc, family in latest.values():
        if referred_only and fgc.referred_on is None:
            continue
        facts = FgcFacts(la.nation, fgc.status, fgc.offered_on, fgc.accepted_on, fgc.referred_on,
                         fgc.coordinator_allocated_on, fgc.held_on, fgc.plan_decided_on, fgc.reviewed_on,
                         proceedings_considered=family.id in considered)
        found.append(ConferenceRow(family, fgc, assess_fgc(facts, today, settings)))
    found.sort(key=lambda r: (r.family.reference,))
    return found


def by_flag(rows: list[ConferenceRow]) -> list[tuple[str, str, list[tuple[ConferenceRow, date]]]]:
    """(code, label, [(row, date)...] soonest first) for every flag, in the order of FGC_FLAGS."""
    lists = []
    for code, label in FGC_FLAGS.items():
        hits = sorted(((r, f.on) for r in rows for f in r.flags if f.code == code), key=lambda x: (x[1], x[0].family.reference))
        lists.append((code, label, hits))
    return lists
