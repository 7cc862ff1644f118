"""What the family network pages show (issue 9): the people, how they relate to each child, the
genogram, parents in earlier proceedings, and the court application summary.

Pure reading, from the family's replayed history (`services.family_state`) and the stored
projection; the rules stay in workflow.py. Characteristics are special category data: they are
shown here, to the family's own authority, and nowhere else but as suppressed board aggregates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func, select

from .. import codes, services, timescales
from .. import workflow as wf
from ..messages import Message, msg
from ..messages import label as domain_label
from ..models import ChildRelation, Family, Person, Proceedings, ProceedingsChild
from ..queues import rules
from . import genogram

# A mother or father of children in this many sets of care proceedings (any family of the
# authority) is shown as a parent in recurrent proceedings.
RECURRENT_PROCEEDINGS = 2


def person_names(session, la_id: int, refs) -> dict[str, str]:
    refs = sorted(set(refs))
    if not refs:
        return {}
    rows = session.execute(
        select(Person.reference, Person.name).where(Person.la_id == la_id, Person.reference.in_(refs),
                                                    Person.name.is_not(None))
    ).all()  # fmt: skip
    return {ref: name for ref, name in rows}


def form_context(session, family: Family, child_ref: str | None, today: date):
    """What a step form needs to offer the family's own people: (state, child_ref, names)."""
    state = services.family_state(session, family, today)
    names = person_names(session, family.la_id, state.people if state else ())
    return state, child_ref, names


def proceedings_as_parent(session, la_id: int, refs) -> dict[str, int]:
    """For each person, the number of sets of care proceedings in the authority to which a child
    of theirs (as recorded mother or father) has been a party."""
    refs = sorted(set(refs))
    if not refs:
        return {}
    rows = session.execute(
        select(Person.reference, func.count(distinct(ProceedingsChild.proceedings_id)))
        .join(ChildRelation, ChildRelation.person_id == Person.id)
        .join(ProceedingsChild, ProceedingsChild.child_id == ChildRelation.child_id)
        .where(Person.la_id == la_id, Person.reference.in_(refs), ChildRelation.relationship.in_(codes.PARENTS))
        .group_by(Person.reference)
    ).all()  # fmt: skip
    return dict(rows)


def label(ref: str, names: dict[str, str]) -> str:
    return f"{names[ref]} ({ref})" if names.get(ref) else ref


@dataclass
class PersonRow:
    ref: str
    label: str
    sex: str | None
    dob: date | None
    added_on: date
    characteristics: list[str]
    relations: list[dict]  # {"child", "relationship", "pr", "since"}
    objections: list[dict]  # {"child", "since"}
    assessments: list[dict]  # {"on", "outcome"}
    support: list[dict]  # {"on", "outcome"}
    support_due: date | None = None  # post-removal support due by
    support_overdue: bool = False
    proceedings_as_parent: int = 0

    @property
    def recurrent(self) -> bool:
        return self.proceedings_as_parent >= RECURRENT_PROCEEDINGS


@dataclass
class NetworkPage:
    family: Family
    nation: str
    people: list[PersonRow]
    children: list[dict]  # {"ref", "id", "stage", "steps": [...], "pr_holders": [...]}
    genogram: genogram.Genogram
    proceedings: list[Proceedings]
    family_steps: list[str] = field(default_factory=list)


def _genogram(state: wf.FamilyCase, names: dict[str, str], counts: dict[str, int]) -> genogram.Genogram:
    members = [genogram.Member(ref=c.ref, label=c.ref, sex=c.sex, is_child=True, dob=c.dob)
               for c in state.children.values()]
    from ..i18n import render  # the drawing's words in the reader's language

    for p in state.people.values():
        n = counts.get(p.ref, 0)
        members.append(genogram.Member(
            ref=p.ref, label=label(p.ref, names), sex=p.sex, is_child=False, dob=p.dob,
            note=render(msg("Parent in %(count)s proceedings", count=n)) if n >= RECURRENT_PROCEEDINGS else None,
        ))  # fmt: skip
    ties = [genogram.Tie(person_ref=ref, child_ref=c.ref, relationship=r.relationship,
                         parental_responsibility=r.parental_responsibility)
            for c in state.children.values() for ref, r in c.relations.items()]  # fmt: skip

    return genogram.draw(members, ties, codes.RELATIONSHIPS, title=render(msg("Genogram of family %(family)s",
                                                                              family=state.ref)), translate=render)


def network_page(session, family: Family, today: date, may_record: bool) -> NetworkPage:
    nation = family.local_authority.nation
    state = services.family_state(session, family, today)
    names = person_names(session, family.la_id, state.people)
    counts = proceedings_as_parent(session, family.la_id, state.parents())
    due = state.post_removal_support_due()
    people = []
    for p in sorted(state.people.values(), key=lambda p: p.ref):
        support_due = rules.post_removal_support_due(due[p.ref]) if p.ref in due else None
        people.append(PersonRow(
            ref=p.ref, label=label(p.ref, names), sex=p.sex, dob=p.dob, added_on=p.added_on,
            characteristics=[codes.CHARACTERISTICS[c] for c in p.characteristics],
            relations=[{"child": c.ref, "relationship": codes.RELATIONSHIPS[c.relations[p.ref].relationship],
                        "pr": c.relations[p.ref].parental_responsibility, "since": c.relations[p.ref].since}
                       for c in state.children.values() if p.ref in c.relations],
            objections=[{"child": c.ref, "since": c.objections[p.ref]}
                        for c in state.children.values() if p.ref in c.objections],
            assessments=[{"on": a.on, "outcome": codes.CARER_ASSESSMENT_OUTCOMES[a.outcome]}
                         for a in state.assessments if a.person_ref == p.ref],
            support=[{"on": s.on, "outcome": codes.POST_REMOVAL_SUPPORT_OUTCOMES[s.outcome]}
                     for s in state.post_removal_support if s.person_ref == p.ref],
            support_due=support_due, support_overdue=bool(support_due and today > support_due),
            proceedings_as_parent=counts.get(p.ref, 0),
        ))  # fmt: skip
    children = []
    ids = {c.reference: c.id for c in family.children}
    for c in state.children.values():
        steps = wf.network_steps_allowed(c.stage) if may_record and state.people else []
        if not c.objections:
            steps = [s for s in steps if s != "withdraw_objection"]
        if not c.pr_holders():
            steps = [s for s in steps if s != "object_to_accommodation"]
        children.append({"ref": c.ref, "id": ids[c.ref], "stage": wf.STAGE[c.stage].label_for(nation),
                         "steps": steps, "pr_holders": [label(r, names) for r in c.pr_holders()]})
    family_steps = []
    if may_record:
        family_steps.append("add_person")
        if state.people:
            family_steps.append("carer_assessment")
        if state.parents():
            family_steps.append("post_removal_support")
    proceedings = session.scalars(
        select(Proceedings).where(Proceedings.family_id == family.id).order_by(Proceedings.issued_on)
    ).all()  # fmt: skip
    return NetworkPage(family=family, nation=nation, people=people, children=children,
                       genogram=_genogram(state, names, counts), proceedings=proceedings, family_steps=family_steps)


def genogram_page(session, family: Family, today: date) -> genogram.Genogram:
    state = services.family_state(session, family, today)
    names = person_names(session, family.la_id, state.people)
    return _genogram(state, names, proceedings_as_parent(session, family.la_id, state.parents()))


# --------------------------------------------------------------------------------------------
# The court application summary
# --------------------------------------------------------------------------------------------


def fgc_answer(state: wf.FamilyCase, issue: wf.PathwayEvent) -> Message:
    """"Has a family group conference been convened? If not, why not?", worked out from the
    history as it stood on the day of the application (a Message: English as a `str`, shown in
    the reader's language with `|t`)."""
    code = wf.fgc_answer_code(state, issue)
    offer = next((f for f in reversed(state.fgcs) if f.offered_on <= issue.date), None)
    decision = ""
    if issue.exception:
        who = issue.decided_by or msg("not recorded (a manager should complete it)")
        decision = msg(" The decision recorded on %(on)s: %(exception)s Decided by: %(who)s.", on=issue.date,
                       exception=issue.exception, who=who)
    # Translators: translator-check: answers to the court form's question "Has a family group conference been convened?" (Do / Naddo)
    if code == "held":
        return msg("Yes. A family group conference was held on %(held)s.", held=offer.held_on)
    if code == "declined":
        return msg("No. A family group conference was offered on %(offered)s and the family declined it on "
                   "%(declined)s.", offered=offer.offered_on, declined=offer.declined_on)
    if code == "accepted_not_held":
        return msg("No. The family accepted the conference offered on %(offered)s (accepted %(accepted)s), but it "
                   "was not held before the application.%(decision)s", offered=offer.offered_on,
                   accepted=offer.accepted_on, decision=decision)
    if code == "offered_no_answer":
        return msg("No. A family group conference was offered on %(offered)s; the family had not answered by the "
                   "day of the application.", offered=offer.offered_on)
    if code == "not_offered_exception":
        return msg("No. A family group conference was not offered.%(decision)s", decision=decision)
    return msg("No. A family group conference was not offered, and no reason was recorded.")


def _relation(relation, child_ref: str) -> Message:
    words = dict(relationship=domain_label(codes.RELATIONSHIPS[relation.relationship]), child=child_ref)
    if relation.parental_responsibility:
        return msg("%(relationship)s of child %(child)s (parental responsibility)", **words)
    return msg("%(relationship)s of child %(child)s", **words)


@dataclass
class CourtSummary:
    family: Family
    nation: str
    proceedings: Proceedings
    children: list[dict]
    people: list[dict]
    genogram: genogram.Genogram
    letters: list[dict]
    accommodation: list[dict]
    fgc_answer: Message


def court_summary(session, family: Family, proceedings: Proceedings, today: date) -> CourtSummary:
    """The family as it stood on the day the application was issued: the children, their parents
    and those with PR, the network found and assessed, the letter before proceedings, section
    20/76 history and the FGC answer."""
    la = family.local_authority
    events = [services.to_event(r) for r in services.history_rows(session, [family.id])]
    issued = proceedings.issued_on
    upto = [e for e in events if e.date <= issued]
    ctx = wf.Context(today=today, fgdm_duty_from=services.fgdm_duty_from())
    state = wf.replay(upto, la.code, la.nation, ctx)
    issue = next(e for e in upto if e.event == "issue_proceedings" and e.proceedings_ref == proceedings.reference)
    names = person_names(session, family.la_id, state.people)
    counts = proceedings_as_parent(session, family.la_id, state.parents())
    party_refs = [e.child_ref for e in upto if e.event == "issue_proceedings" and e.proceedings_ref == proceedings.reference]
    children = []
    for ref in party_refs:
        c = state.children[ref]
        children.append({
            "ref": ref, "dob": c.dob, "age": timescales.age_on(c.dob, issued) if c.dob <= issued else 0,
            "mother": label(c.parent("mother"), names) if c.parent("mother") else msg("Not recorded"),
            "father": label(c.parent("father"), names) if c.parent("father") else msg("Not recorded"),
            "pr_holders": [label(r, names) for r in c.pr_holders()] or [msg("None recorded")],
        })  # fmt: skip
    people = []
    for p in sorted(state.people.values(), key=lambda p: p.ref):
        relations = [_relation(c.relations[p.ref], c.ref) for c in state.children.values() if p.ref in c.relations]
        people.append({
            "label": label(p.ref, names), "relations": relations,
            "assessments": [msg("%(outcome)s (%(on)s)", outcome=domain_label(codes.CARER_ASSESSMENT_OUTCOMES[a.outcome]),
                                on=a.on)
                            for a in state.assessments if a.person_ref == p.ref],
            "recurrent": counts.get(p.ref, 0) >= RECURRENT_PROCEEDINGS,
        })  # fmt: skip
    letters = [{"on": d, "offered_to": [label(r, names) for r in state.letter_offers.get(d, ())]}
               for d in state.letters]
    accommodation = []
    for e in upto:
        if e.child_ref in party_refs and e.event in ("accommodate_s20", "object_to_accommodation", "withdraw_objection",
                                                      "remove_from_accommodation", "return_home"):
            who = e.consent_by if e.event == "accommodate_s20" else e.person_ref
            shown = domain_label(codes.CONSENT_BY[who]) if who in codes.CONSENT_BY else (label(who, names) if who else "")
            accommodation.append({"on": e.date, "child": e.child_ref, "what": wf.event_label(e.event, la.nation),
                                  "who": shown})
    return CourtSummary(
        family=family, nation=la.nation, proceedings=proceedings, children=children, people=people,
        genogram=_genogram(state, names, counts), letters=letters, accommodation=accommodation,
        fgc_answer=fgc_answer(state, issue),
    )  # fmt: skip
