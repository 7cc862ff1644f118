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
