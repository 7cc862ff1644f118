"""The queue's own records: decisions and reviews the pathway's event history does not hold.

The CSV event format is a fixed public contract, so looked-after reviews, legal planning meetings
and pre-proceedings review decisions are kept here, one row per meeting, each written with an
entry in the audit trail (see `pathway.queues.records`). Rows are only ever added.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class CaseReview(db.Model):
    __tablename__ = "case_reviews"
    __table_args__ = (
        Index("ix_case_reviews_child_kind_held", "child_id", "kind", "held_on"),
        Index("ix_case_reviews_la_id", "la_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    # looked_after_review | legal_planning_meeting | pre_proceedings_review (see rules.REVIEW_KINDS)
    kind: Mapped[str] = mapped_column(String(32))
    held_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(32))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChildFlag(db.Model):
    """The projection's queue flags: for each open child, each flag that can apply to it
    (`rules.windows`), with the days it applies (`starts_on` to `ends_on`, None: unbounded) and
    the date it is tied to (`on`, which orders a list by urgency). Rewritten for a family's
    children in the same transaction as anything that changes them (pathway.queues.stored), so
    a list for today is a date comparison: `starts_on <= today <= ends_on`."""

    __tablename__ = "child_flags"
    __table_args__ = (
        Index("ix_child_flags_la_code", "la_id", "code"),
        Index("ix_child_flags_child_id", "child_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    code: Mapped[str] = mapped_column(String(40))
    on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
