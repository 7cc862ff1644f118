"""Portable SQL for dates (SQLite stores dates as ISO text, PostgreSQL as dates), and the scope of a report."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, case, exists, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from .. import codes
from ..models import ChildRelation, FamilyPerson, LocalAuthority, Proceedings, ProceedingsChild


class days_between(FunctionElement):
    """(later - earlier) in whole days."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)")  # fmt: skip


class date_num(FunctionElement):
    """A date as the number YYYYMMDD (see `date_number`)."""

    type = Integer()
    inherit_cache = True
    name = "date_num"


@compiles(date_num)
def _date_num(element, compiler, **kw):
    day = compiler.process(list(element.clauses)[0], **kw)
    return (f"CAST(date_part('year', {day}) * 10000 + date_part('month', {day}) * 100 "
            f"+ date_part('day', {day}) AS INTEGER)")  # fmt: skip


@compiles(date_num, "sqlite")
def _date_num_sqlite(element, compiler, **kw):
    (day,) = list(element.clauses)  # stored as 'YYYY-MM-DD' text
    return f"CAST(replace({compiler.process(day, **kw)}, '-', '') AS INTEGER)"


class age_years(FunctionElement):
    """Age in whole years on a day, from a date of birth: the YYYYMMDD difference // 10000, so a
    birthday on 29 February falls on 1 March in common years, as `timescales.age_on` has it.
    PostgreSQL's age() gives the same (and is quicker there than taking dates apart)."""

    type = Integer()
    inherit_cache = True
    name = "age_years"


@compiles(age_years)
def _age_years(element, compiler, **kw):
    on, dob = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(date_part('year', age({on}, {dob})) AS INTEGER)"


@compiles(age_years, "sqlite")
def _age_years_sqlite(element, compiler, **kw):
    on, dob = list(element.clauses)
    return f"(({compiler.process(date_num(on), **kw)} - {compiler.process(date_num(dob), **kw)}) / 10000)"


class earlier_of(FunctionElement):
    """The earlier of two dates."""

    inherit_cache = True
    name = "earlier_of"


@compiles(earlier_of)
def _earlier_of(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(earlier_of, "sqlite")
def _earlier_of_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"  # ISO dates compare as text


def has_recurrent_parent(child_id, issued_on):
    """Whether a parent (a mother or father) of the child is a parent of a child, this one or
    another, in any of the authority's families, made party to proceedings issued before
    `issued_on`: the family network's recurrent parent. It crosses families (people are the
    authority's), so `services` stores it on each party row with this condition, for every row a
    batch's people can change."""
    parent, other = aliased(ChildRelation), aliased(ChildRelation)
    earlier_party, earlier = aliased(ProceedingsChild), aliased(Proceedings)
    return exists(
        select(parent.person_id)
        .join(other, other.person_id == parent.person_id)
        .join(earlier_party, earlier_party.child_id == other.child_id)
        .join(earlier, earlier.id == earlier_party.proceedings_id)
        .where(parent.child_id == child_id, parent.relationship.in_(codes.PARENTS),
               other.relationship.in_(codes.PARENTS), earlier.issued_on < issued_on)
    )  # fmt: skip


def has_trait(person_id, code: str):
    """Whether any family records the person with the characteristic `code` (a code of
    `codes.CHARACTERISTICS`, such as learning_disability or care_experienced). Stored on each
    person by `services`, for everyone in a batch's families."""
    return exists(select(FamilyPerson.person_id).where(
        FamilyPerson.person_id == person_id, FamilyPerson.characteristics.like(f"%{code}%")
    ))  # fmt: skip


def _sum(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --------------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    la_code: str | None = None
    dfj_area: str | None = None
    nation: str | None = None

    @property
    def everywhere(self) -> bool:
        return not (self.la_code or self.dfj_area or self.nation)


class Authorities(tuple):
    """The ids of the authorities in scope. `.everywhere` when that is every authority: then
    queries on the projection leave out the (costly, pointless) test of the authority."""

    everywhere = False

    def where(self, column):
        return true() if self.everywhere else column.in_(self)


def scope_la_ids(session: Session, scope: Scope) -> Authorities:
    """The ids of the authorities in scope; LookupError for an unknown authority code."""
    query = select(LocalAuthority.id).order_by(LocalAuthority.id)
    if scope.la_code:
        query = query.where(LocalAuthority.code == scope.la_code)
    if scope.dfj_area:
        query = query.where(LocalAuthority.dfj_area == scope.dfj_area)
    if scope.nation:
        query = query.where(LocalAuthority.nation == scope.nation)
    ids = list(session.scalars(query))
    if scope.la_code and not ids and not session.scalar(
        select(LocalAuthority.id).where(LocalAuthority.code == scope.la_code)
    ):
        raise LookupError(f"local authority '{scope.la_code}' has not been added")
    found = Authorities(ids)
    found.everywhere = scope.everywhere
    return found

