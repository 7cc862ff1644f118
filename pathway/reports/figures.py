"""The queries and the report: every figure a SQL aggregate over the projection (see the package's docstring)."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from sqlalchemy import and_, case, distinct, exists, func, literal, literal_column, or_, select, text
from sqlalchemy.orm import Session, aliased

from .. import codes
from ..models import (
    CareEpisode,
    Child,
    Extension,
    FamilyGroupConference,
    PartyParent,
    Person,
    Proceedings,
    ProceedingsChild,
)
from ..timescales import LAST_DAY_OFFSET
from .definitions import BREAKDOWNS, KEYS, one_decimal, pct, weeks
from .periods import Period, today_of_the_application
from .sql import _sum, Authorities, days_between, earlier_of, Scope, scope_la_ids

# --------------------------------------------------------------------------------------------
# The queries
# --------------------------------------------------------------------------------------------

# Report facts (issue 17): stored in the projection with each step (`facts`), so each figure
# is an aggregate over narrow rows.
_DURATION = Proceedings.duration_days


def _concluded(la_ids: Authorities, start: date, end: date):
    return and_(Proceedings.concluded_on >= start, Proceedings.concluded_on <= end, la_ids.where(Proceedings.la_id))


def _bucket(column, periods: list[Period]):
    """Which of `periods` (consecutive, ascending) a date column falls in: its index."""
    return case(*[(column <= p.end, i) for i, p in enumerate(periods)], else_=len(periods))


def _proceedings_stats(session: Session, la_ids, periods: list[Period]) -> dict[int, dict]:
    """Per period (by index): proceedings concluded, their total and median days, and how many
    were within 26 weeks, extended, without a complexity extension, and both of those.

    One GROUP BY gives, per period, a histogram: how many proceedings took each number of days,
    split by whether they were extended and whether for complexity (a few hundred rows at most,
    whatever the number of proceedings). The figures, the median included, are sums over it.
    Measured quicker on both SQLite and PostgreSQL than ranking every proceedings with window
    functions (national scale, SQLite: about 160 ms against 290 ms). Every column it reads is in
    the index `ix_proceedings_concluded_la_facts`."""
    query = (
        select(
            _bucket(Proceedings.concluded_on, periods).label("h_bucket"),
            _DURATION.label("h_days"),
            Proceedings.extended.label("h_extended"),
            Proceedings.complexity_extended.label("h_complexity"),
            func.count(),
        )
        .where(_concluded(la_ids, periods[0].start, periods[-1].end))
        # By the output columns' names, so that the bucket's CASE is written, and evaluated, once.
        .group_by(*(literal_column(name) for name in ("h_bucket", "h_days", "h_extended", "h_complexity")))
    )
    histograms: dict[int, list] = {}
    for bucket, days, extended, complexity, n in session.execute(query):
        histograms.setdefault(bucket, []).append((int(days), bool(extended), bool(complexity), n))
    return {bucket: _summarise(rows) for bucket, rows in histograms.items()}


def _summarise(histogram: list[tuple[int, bool, bool, int]]) -> dict:
    """The figures of one period from its histogram of (days, extended, complexity, count)."""
    n = sum(count for *_x, count in histogram)
    within = sum(count for days, _e, _c, count in histogram if days <= LAST_DAY_OFFSET)
    adjusted = [(days, count) for days, _e, complexity, count in histogram if not complexity]
    return {
        "n": n,
        "days": sum(days * count for days, *_x, count in histogram),
        "within": within,
        "extended": sum(count for _d, extended, _c, count in histogram if extended),
        "adjusted": sum(count for _d, count in adjusted),
        "adjusted_within": sum(count for days, count in adjusted if days <= LAST_DAY_OFFSET),
        "median_weeks": _median_weeks(histogram, n),
    }


def _median_weeks(histogram, n: int) -> float | None:
    """The median duration in weeks: the middle value (odd n) or the mean of the middle two."""
    if not n:
        return None
    wanted = sorted({(n + 1) // 2, (n + 2) // 2})  # 1-based positions in the sorted durations
    counts: dict[int, int] = {}
    for days, *_x, count in histogram:
        counts[days] = counts.get(days, 0) + count
    found, seen = [], 0
    for days in sorted(counts):
        seen += counts[days]
        while wanted and wanted[0] <= seen:
            found.append(days)
            wanted.pop(0)
    if len(found) == 1:
        found *= 2
    return one_decimal(sum(found), 14)


def _zeros(key: str) -> dict[str, int]:
    return {code: 0 for code in BREAKDOWNS[key]}


def _proceedings_breakdowns(session: Session, la_ids, period: Period) -> dict:
    out = {key: _zeros(key) for key in BREAKDOWNS}
    reasons = (
        select(Extension.reason, Extension.category, func.count(Extension.id))
        .join(Proceedings, Proceedings.id == Extension.proceedings_id)
        .where(_concluded(la_ids, period.start, period.end))
        .group_by(Extension.reason, Extension.category)
    )
    # The court's own codes for the same extensions (FPL), beside the reasons and categories.
    fpl = {code: 0 for code in codes.FPL_EXTENSION_CODES}
    for reason, category, n in session.execute(reasons):
        out["extensions_by_reason"][reason] = out["extensions_by_reason"].get(reason, 0) + n
        out["extensions_by_category"][category] = out["extensions_by_category"].get(category, 0) + n
        fpl[codes.FPL_CODE_OF_REASON[reason]] += n
    # Grouped by order type, ethnicity group and age band (stored facts), and whether heard in the
    # FDAC (for the FDAC's orders): a few hundred groups at most.
    children = (
        select(ProceedingsChild.order_type, ProceedingsChild.ethnicity_group, ProceedingsChild.age_band,
               Proceedings.fdac, func.count())
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .where(_concluded(la_ids, period.start, period.end))
        .group_by(ProceedingsChild.order_type, ProceedingsChild.ethnicity_group, ProceedingsChild.age_band,
                  Proceedings.fdac)
    )  # fmt: skip
    fdac_orders = {code: 0 for code in codes.ORDER_TYPES}
    for order_type, group, band, fdac, n in session.execute(children):
        for key, code in (("orders_by_type", order_type), ("concluded_children_by_ethnicity_group", group),
                          ("concluded_children_by_age_band", band)):  # fmt: skip
            out[key][code] = out[key].get(code, 0) + n
        if fdac:
            fdac_orders[order_type] += n
    return {**out, "extensions_by_fpl_code": fpl, "fdac_orders_by_type": fdac_orders}


def _entering_care(session: Session, la_ids, period: Period) -> dict:
    n, fgc, emergency = session.execute(
        select(func.count(Child.id), _sum(Child.fgc_offered_before_care.is_(True)),
               _sum(Child.entered_care_in_emergency.is_(True))).where(
            Child.entered_care_on >= period.start, Child.entered_care_on <= period.end, la_ids.where(Child.la_id)
        )
    ).one()
    return {"children_entering_care": n, "fgc_offered_before_care": int(fgc), "emergency_entries": int(emergency)}


def _episodes(la_ids, kind: str, period: Period):
    """The stored care episodes of a kind (`facts.care_episodes`) starting in the period, each with
    its days from the start to its end or, if it had not ended by the period's last day, to that day."""
    last_day = earlier_of(func.coalesce(CareEpisode.ended_on, literal(period.end)), literal(period.end))
    return (
        select(CareEpisode.child_id.label("child_id"), days_between(last_day, CareEpisode.started_on).label("days"))
        .where(CareEpisode.kind == kind, CareEpisode.started_on >= period.start, CareEpisode.started_on <= period.end,
               la_ids.where(CareEpisode.la_id))
        .subquery()
    )  # fmt: skip


def _section_20(session: Session, la_ids, period: Period) -> dict:
    episodes = _episodes(la_ids, "section_20", period)
    ranked = select(
        episodes.c.child_id,
        episodes.c.days,
        func.row_number().over(order_by=episodes.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    children, middle_days, middle_n = session.execute(
        select(func.count(distinct(ranked.c.child_id)), func.sum(case((middle, ranked.c.days), else_=0)), _sum(middle))
    ).one()
    return {"section_20_accommodated": children,
            "section_20_median_days": one_decimal(int(middle_days or 0), int(middle_n))}  # fmt: skip


def _court(session: Session, la_ids, period: Period) -> dict:
    """Hearings, case management by day 18 and the FDAC, over the proceedings concluded in the
    period (the court's extension codes and the FDAC's orders: `_proceedings_breakdowns`)."""
    from ..models import Hearing, HearingOutcome

    concluded = _concluded(la_ids, period.start, period.end)
    listed = (
        select(func.count(Hearing.id).label("n"))
        .outerjoin(HearingOutcome, HearingOutcome.hearing_id == Hearing.id)
        .where(Hearing.proceedings_id == Proceedings.id, Hearing.listed_for <= Proceedings.concluded_on,
               or_(HearingOutcome.outcome.is_(None), HearingOutcome.outcome != "vacated"))
        .scalar_subquery()
    )  # fmt: skip
    cmh = exists(select(Hearing.id).where(
        Hearing.proceedings_id == Proceedings.id, Hearing.kind == "case_management",
        days_between(Hearing.listed_for, Proceedings.issued_on) <= 17,
    ))  # fmt: skip
    n, hearings, by_18, fdac, fdac_within, fdac_days = session.execute(
        select(func.count(Proceedings.id), func.coalesce(func.sum(listed), 0), _sum(cmh), _sum(Proceedings.fdac.is_(True)),
               _sum(and_(Proceedings.fdac.is_(True), _DURATION <= LAST_DAY_OFFSET)),
               func.coalesce(func.sum(case((Proceedings.fdac.is_(True), _DURATION), else_=0)), 0))
        .where(concluded)
    ).one()  # fmt: skip
    parties = {outcome: {party: 0 for party in codes.HEARING_PARTIES} for outcome in ("adjourned", "vacated")}
    for outcome, reason, count in session.execute(
        select(HearingOutcome.outcome, HearingOutcome.reason, func.count())
        .join(Hearing, Hearing.id == HearingOutcome.hearing_id).join(Proceedings, Proceedings.id == Hearing.proceedings_id)
        .where(concluded, HearingOutcome.outcome.in_(("adjourned", "vacated"))).group_by(HearingOutcome.outcome, HearingOutcome.reason)
    ):  # fmt: skip
        parties[outcome][codes.ADJOURNMENT_REASONS[reason][1]] += count
    return {
        "hearings_per_concluded_proceedings": one_decimal(int(hearings), n),
        "hearings_adjourned_by_party": parties["adjourned"],
        "hearings_vacated_by_party": parties["vacated"],
        "cmh_by_day_18": int(by_18),
        "cmh_by_day_18_pct": pct(int(by_18), n),
        "fdac_proceedings_concluded": int(fdac),
        "fdac_within_26_weeks": int(fdac_within),
        "fdac_mean_weeks": weeks(int(fdac_days), int(fdac)),
    }


def _emergency_protection(session: Session, la_ids, period: Period) -> dict:
    """Episodes of emergency protection starting in the period and the median days to the next
    step, as `_section_20` measures accommodation (a second emergency protection within an
    episode, such as an order after police protection, continues it: `facts.care_episodes`)."""
    count, median = _median_days(session, _episodes(la_ids, "emergency_protection", period))
    return {"emergency_protection_episodes": count, "emergency_protection_median_days": median}


def _median_days(session: Session, episodes) -> tuple[int, float | None]:
    """The number of episodes and the median of their days, picked in SQL by window functions."""
    ranked = select(
        episodes.c.days,
        func.row_number().over(order_by=episodes.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    n, middle_days, middle_n = session.execute(
        select(func.count(), func.sum(case((middle, ranked.c.days), else_=0)), _sum(middle))
    ).one()
    return n, one_decimal(int(middle_days or 0), int(middle_n))


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _national_definitions(session: Session, la_ids, period: Period) -> dict:
    """The MoJ's (per child, to the first substantive disposal) and Cafcass's (per application,
    whole weeks) measures: two histograms of days, a few hundred rows at most."""
    per_child = dict(session.execute(
        select(ProceedingsChild.disposal_days.label("d"), func.count())
        .join(Proceedings, Proceedings.id == ProceedingsChild.proceedings_id)
        .where(ProceedingsChild.order_on >= period.start, ProceedingsChild.order_on <= period.end,
               la_ids.where(Proceedings.la_id))
        .group_by(literal_column("d"))
    ).all())  # fmt: skip
    n = sum(per_child.values())
    within = sum(c for d, c in per_child.items() if d <= LAST_DAY_OFFSET)
    histogram = [(int(d), False, False, c) for d, c in per_child.items()]
    per_application = dict(session.execute(
        select(_DURATION.label("d"), func.count()).where(_concluded(la_ids, period.start, period.end))
        .group_by(literal_column("d"))
    ).all())  # fmt: skip
    applications = sum(per_application.values())
    bands = {"26_or_less": 0, "27_to_29": 0, "30_or_more": 0}
    for d, c in per_application.items():
        w = _half_up(Decimal(int(d)) / 7)
        bands["26_or_less" if w <= 26 else "27_to_29" if w <= 29 else "30_or_more"] += c
    total_days = sum(int(d) * c for d, c in per_application.items())
    return {
        "moj_children_disposed": n,
        "moj_mean_weeks": weeks(sum(int(d) * c for d, c in per_child.items()), n),
        "moj_median_weeks": _median_weeks(histogram, n),
        "moj_within_26_weeks": within,
        "moj_within_26_weeks_pct": pct(within, n),
        "cafcass_mean_weeks": _half_up(Decimal(total_days) / (7 * applications)) if applications else None,
        "cafcass_weeks_bands": bands,
    }


def _after_care(session: Session, la_ids, period: Period) -> dict:
    """Returns home, returns that broke down, and children coming back into care after one: the
    children with a stored moment of each kind in the period (`facts.care_episodes`)."""
    counts = dict(session.execute(
        select(CareEpisode.kind, func.count(distinct(CareEpisode.child_id)))
        .where(CareEpisode.kind.in_(("return_home", "return_broke_down", "care_entry_after_return")),
               CareEpisode.started_on >= period.start, CareEpisode.started_on <= period.end,
               la_ids.where(CareEpisode.la_id))
        .group_by(CareEpisode.kind)
    ).all())  # fmt: skip
    return {"children_returned_home": counts.get("return_home", 0), "returns_broke_down": counts.get("return_broke_down", 0),
            "reentered_care_after_return": counts.get("care_entry_after_return", 0)}  # fmt: skip


def _family_network(session: Session, la_ids, period: Period) -> dict:
    """The children made party to a care application in the period, those of them returning to
    court (an earlier final order within 3 years; one made in the FDAC) and their family network
    (see the definitions above): three aggregates over the stored facts of the party rows
    (`facts.party_facts`, `sql.has_recurrent_parent`) and of the parents. A child can only be made
    party to new proceedings once the last ones have ended in an order."""
    new = aliased(ProceedingsChild)
    entering = and_(new.joined_on >= period.start, new.joined_on <= period.end, la_ids.where(Proceedings.la_id))

    # Per child (a child can join more than one application in the period): whether any of its
    # party rows has each fact; then how many children have each. One grouping, where counting
    # distinct children for each fact took one sort each.
    def any_row(condition):
        return func.max(case((condition, 1), else_=0))

    facts = {"father": new.father_recorded, "pr": new.father_has_pr, "assessed": new.relative_assessed,
             "recurrent": new.recurrent_parent, "to_court_again": new.returning_to_court,
             "after_fdac": new.returning_after_fdac}  # fmt: skip
    per_child = (
        select(*(any_row(column.is_(True)).label(name) for name, column in facts.items()))
        .select_from(new).join(Proceedings, Proceedings.id == new.proceedings_id).where(entering)
        .group_by(new.child_id).subquery()
    )  # fmt: skip
    entering_n, father, father_pr, assessed, repeat, returning, after_fdac = (int(n or 0) for n in session.execute(
        select(func.count(), *(func.sum(per_child.c[name]) for name in facts))
    ).one())  # fmt: skip
    answers = dict(session.execute(
        select(new.fgc_at_issue, func.count(distinct(new.child_id)))
        .select_from(new).join(Proceedings, Proceedings.id == new.proceedings_id).where(entering)
        .group_by(new.fgc_at_issue)
    ).all())  # fmt: skip

    # The parents of those children (stored per party: `PartyParent`), and whether any family
    # records them with a learning disability or as care experienced (stored per person).
    parents_of = select(PartyParent.person_id).where(
        PartyParent.joined_on >= period.start, PartyParent.joined_on <= period.end, la_ids.where(PartyParent.la_id)
    )  # fmt: skip
    parents, learning, care = session.execute(
        select(func.count(Person.id), _sum(Person.learning_disability.is_(True)), _sum(Person.care_experienced.is_(True)))
        .where(Person.id.in_(parents_of))
    ).one()  # fmt: skip
    return {
        "children_entering_proceedings": entering_n,
        "children_returning_to_proceedings": returning,
        "fdac_children_returning_to_proceedings": after_fdac,
        "entering_proceedings_father_recorded": father,
        "entering_proceedings_father_pr": father_pr,
        "entering_proceedings_relative_assessed": assessed,
        "entering_proceedings_recurrent_parent": repeat,
        "parents_entering_proceedings": parents,
        "parents_learning_disability": int(learning),
        "parents_care_experienced": int(care),
        "fgc_at_issue": {code: answers.get(code, 0) for code in codes.FGC_AT_ISSUE},
    }


# --------------------------------------------------------------------------------------------
# FGC service (issue 13)
# --------------------------------------------------------------------------------------------


def _fgc_service(session: Session, la_ids, period: Period) -> dict:
    """The FGC service's figures for the period (definitions in the README's board section and
    here):

    fgc_offered, fgc_accepted, fgc_referred, fgc_held, fgc_plan_accepted, fgc_reviewed
        The funnel: conferences offered in the period, and of them those accepted, referred to
        the FGC service, held, whose plan the authority accepted, and reviewed, however long
        after the period (as far as each has got so far: so each offer counts in the one period
        it was made in, and the year is the sum of its quarters, as suppression requires).
    fgc_conferences_held, fgc_held_after_referral, fgc_referral_to_conference_median_working_days
        Conferences held in the period; of them those referred to the FGC service first, and the
        median working days (the authority's nation's bank holidays excluded) from referral to
        conference (stored with each conference: `facts.fgc_facts`), from a histogram of them.
    fgc_private_family_time, fgc_private_family_time_pct
        Of the conferences held in the period, those with private family time recorded as held.
    fgc_outcomes_at_6_months
        The children of conferences whose plan was decided six months before a day in the period
        (the six-month day falls in the period), by where they were that day
        (`fgc_outcomes`): with parents, with relatives or friends, in care, subject of
        proceedings. Stored with the family's projection (`facts.fgc_outcome_facts`): the stage
        on a past day is in the history, which each step replays.
    fgc_held_before_care, fgc_held_before_care_pct
        Of the children entering care in the period, those whose family had a conference held
        on or before that day (not only offered)."""
    from ..models import Family

    fgc = FamilyGroupConference
    in_scope = la_ids.where(Family.la_id)
    end = period.end

    def reached(column):
        return _sum(column.is_not(None))

    offered = and_(fgc.offered_on >= period.start, fgc.offered_on <= end, in_scope)
    n, accepted, referred, held, plan_accepted, reviewed = session.execute(
        select(func.count(fgc.id), reached(fgc.accepted_on), reached(fgc.referred_on), reached(fgc.held_on),
               _sum(fgc.plan_outcome == "accepted"), reached(fgc.reviewed_on))
        .join(Family, Family.id == fgc.family_id).where(offered)
    ).one()  # fmt: skip
    held_in = and_(fgc.held_on >= period.start, fgc.held_on <= end, in_scope)
    conferences, private = session.execute(
        select(func.count(fgc.id), _sum(fgc.private_family_time.is_(True)))
        .join(Family, Family.id == fgc.family_id).where(held_in)
    ).one()
    # Working days from referral to conference are a stored fact: a histogram of them, a few
    # dozen rows however many conferences.
    durations = sorted(session.execute(
        select(fgc.referral_working_days, func.count(fgc.id)).join(Family, Family.id == fgc.family_id)
        .where(held_in, fgc.referral_working_days.is_not(None)).group_by(fgc.referral_working_days)
    ).all())  # fmt: skip
    after_referral = sum(k for _d, k in durations)
    median = None
    if after_referral:
        ordered = [d for d, k in durations for _ in range(k)]
        middle = after_referral // 2
        median = float(ordered[middle]) if after_referral % 2 else one_decimal(ordered[middle - 1] + ordered[middle], 2)
    (before_care,) = session.execute(
        select(_sum(Child.fgc_held_before_care.is_(True))).where(Child.entered_care_on >= period.start, Child.entered_care_on <= end,
                                        la_ids.where(Child.la_id))
    ).one()  # fmt: skip
    return {
        "fgc_offered": n, "fgc_accepted": int(accepted), "fgc_referred": int(referred), "fgc_held": int(held),
        "fgc_plan_accepted": int(plan_accepted), "fgc_reviewed": int(reviewed),
        "fgc_conferences_held": conferences, "fgc_held_after_referral": after_referral,
        "fgc_referral_to_conference_median_working_days": median,
        "fgc_private_family_time": int(private), "fgc_private_family_time_pct": pct(int(private), conferences),
        "fgc_outcomes_at_6_months": _fgc_outcomes(session, la_ids, period),
        "fgc_held_before_care": int(before_care),
        "fgc_held_before_care_pct": None,  # filled in by figures(), beside the other care percentages
    }


def _fgc_outcomes(session: Session, la_ids, period: Period) -> dict:
    """The stored outcomes (`facts.fgc_outcome_facts`) whose six-month day falls in the period and
    has come: a day still to come has no outcome yet."""
    from ..models import FgcOutcome

    today = today_of_the_application()
    counts = {code: 0 for code in codes.FGC_OUTCOMES_AT_6_MONTHS}
    for outcome, n in session.execute(
        select(FgcOutcome.outcome, func.count())
        .where(FgcOutcome.due_on >= period.start, FgcOutcome.due_on <= min(period.end, today),
               la_ids.where(FgcOutcome.la_id))
        .group_by(FgcOutcome.outcome)
    ):  # fmt: skip
        counts[outcome] += n
    return counts


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


def _without_jit(session: Session) -> None:
    """PostgreSQL compiles queries it thinks costly to machine code (JIT) first; for these
    queries, which run in tens of milliseconds, that compiling alone takes longer (measured
    about 60 ms). SET LOCAL lasts until the end of the transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def figures(session: Session, date_from: date, date_to: date, scope: Scope = Scope()) -> dict:
    """Every figure of the report for the period, plus `adjusted_within_26_weeks` (the count
    behind `adjusted_within_26_weeks_pct`, which the board page needs for suppression)."""
    if date_to < date_from:
        raise ValueError("the period ends before it starts")
    la_ids = scope_la_ids(session, scope)
    _without_jit(session)
    period = Period("custom", date_from, date_to, "")
    counts = _proceedings_stats(session, la_ids, [period]).get(0, {})
    n = counts.get("n", 0)
    result: dict = {
        "proceedings_concluded": n,
        "mean_weeks": weeks(counts.get("days", 0), n),
        "median_weeks": counts.get("median_weeks"),
        "within_26_weeks": counts.get("within", 0),
        "within_26_weeks_pct": pct(counts.get("within", 0), n),
        "extended": counts.get("extended", 0),
        "adjusted_proceedings": counts.get("adjusted", 0),
        "adjusted_within_26_weeks": counts.get("adjusted_within", 0),
        "adjusted_within_26_weeks_pct": pct(counts.get("adjusted_within", 0), counts.get("adjusted", 0)),
    }
    result.update(_proceedings_breakdowns(session, la_ids, period))
    result.update(_entering_care(session, la_ids, period))
    result["fgc_offered_before_care_pct"] = pct(result["fgc_offered_before_care"], result["children_entering_care"])
    result.update(_section_20(session, la_ids, period))
    result.update(_family_network(session, la_ids, period))
    result["children_returning_to_proceedings_pct"] = pct(
        result["children_returning_to_proceedings"], result["children_entering_proceedings"]
    )
    result.update(_court(session, la_ids, period))
    result.update(_emergency_protection(session, la_ids, period))
    result.update(_national_definitions(session, la_ids, period))
    result.update(_after_care(session, la_ids, period))
    result.update(_fgc_service(session, la_ids, period))  # FGC service (issue 13)
    result["fgc_held_before_care_pct"] = pct(result["fgc_held_before_care"], result["children_entering_care"])
    return {key: result[key] for key in (*KEYS, "adjusted_within_26_weeks")}


def timeliness(session: Session, date_from: date, date_to: date, la_code: str | None = None,
               dfj_area: str | None = None, nation: str | None = None) -> dict:
    """The board report for [date_from, date_to], unsuppressed, with exactly the keys in KEYS.
    For the server operator (CLI) and the benchmark; a board member sees `suppress(...)` of it."""
    full = figures(session, date_from, date_to, Scope(la_code, dfj_area, nation))
    return {key: full[key] for key in KEYS}


TREND_KEYS = ("proceedings_concluded", "mean_weeks", "median_weeks", "within_26_weeks", "within_26_weeks_pct",
              "adjusted_proceedings", "adjusted_within_26_weeks", "adjusted_within_26_weeks_pct")  # fmt: skip


def quarterly_trend(session: Session, quarters: list[Period], scope: Scope = Scope()) -> list[dict]:
    """Duration and the 26-week share (raw and adjusted) for each of `quarters` (consecutive)."""
    la_ids = scope_la_ids(session, scope)
    _without_jit(session)
    counts = _proceedings_stats(session, la_ids, quarters)
    rows = []
    for i, q in enumerate(quarters):
        c = counts.get(i, {"n": 0, "days": 0, "within": 0, "adjusted": 0, "adjusted_within": 0, "median_weeks": None})
        rows.append({
            "period": q,
            "proceedings_concluded": c["n"],
            "mean_weeks": weeks(c["days"], c["n"]),
            "median_weeks": c["median_weeks"],
            "within_26_weeks": c["within"],
            "within_26_weeks_pct": pct(c["within"], c["n"]),
            "adjusted_proceedings": c["adjusted"],
            "adjusted_within_26_weeks": c["adjusted_within"],
            "adjusted_within_26_weeks_pct": pct(c["adjusted_within"], c["adjusted"]),
        })  # fmt: skip
    return rows


# --------------------------------------------------------------------------------------------
# Output for the operator: JSON and CSV rows
# --------------------------------------------------------------------------------------------


def flat_rows(report: dict) -> Iterable[tuple[str, object]]:
    """(figure, value) pairs; a breakdown gives one row per code, named "key.code"."""
    for key, value in report.items():
        if isinstance(value, dict):
            for code, n in value.items():
                yield f"{key}.{code}", n
        else:
            yield key, value
