"""Database tables (SQLAlchemy 2 style).

The event history (`events`) is append-only and is the truth. Children's stages, proceedings,
extensions, orders and FGC records are a projection of it, kept for fast queues and reports and
rebuilt by the pathway service from the history whenever a family changes.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

ROLES = ("social_worker", "team_manager", "fjb_viewer", "admin", "fgc_coordinator")  # fgc_coordinator: issue 13


class LocalAuthority(db.Model):
    __tablename__ = "local_authorities"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    nation: Mapped[str] = mapped_column(String(7))  # england | wales
    dfj_area: Mapped[str] = mapped_column(String(120), index=True)


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("la_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    la_id: Mapped[int | None] = mapped_column(ForeignKey("local_authorities.id"), index=True)
    dfj_area: Mapped[str | None] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Moved on by signing out, by an administrator ending the sessions, deactivating the user or
    # resetting the password: a session made under an older generation is no longer accepted.
    session_generation: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # "en" or "cy" (issue 15): chosen with the header's Cymraeg / English link; until then None,
    # and the first sign-in sets it (Welsh for a Welsh authority's users, pathway.i18n).
    language: Mapped[str | None] = mapped_column(String(2))

    local_authority: Mapped[LocalAuthority | None] = relationship()
    team: Mapped[Team | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.active)


class SignInThrottle(db.Model):
    """Failed sign-ins per account and per address, and each account's usual places, keyed by
    keyed hashes (never an e-mail or IP address in clear): see pathway/auth/throttle.py."""

    __tablename__ = "sign_in_throttle"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Family(db.Model):
    __tablename__ = "families"
    __table_args__ = (UniqueConstraint("la_id", "reference"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    opened_on: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Bumped by every change to the family, its children or proceedings: the lost-update guard.
    version: Mapped[int] = mapped_column(Integer, default=1)

    local_authority: Mapped[LocalAuthority] = relationship()
    team: Mapped[Team | None] = relationship()
    worker: Mapped[User | None] = relationship()
    children: Mapped[list["Child"]] = relationship(back_populates="family", order_by="Child.id")


class Child(db.Model):
    __tablename__ = "children"
    __table_args__ = (
        UniqueConstraint("la_id", "reference"),
        Index("ix_children_la_stage", "la_id", "stage"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    dob: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    ethnicity: Mapped[str] = mapped_column(String(4))
    opened_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(32))
    stage_since: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    # First entry into care (section 20/76, emergency protection or a care application).
    entered_care_on: Mapped[date | None] = mapped_column(Date)
    entered_care_by: Mapped[str | None] = mapped_column(String(32))
    entered_care_in_emergency: Mapped[bool | None] = mapped_column(Boolean)
    returned_home_on: Mapped[date | None] = mapped_column(Date)
    # Set while the child is accommodated by agreement against a standing objection by a person
    # with parental responsibility: the day the authority's power to keep the child ended.
    must_leave_accommodation_since: Mapped[date | None] = mapped_column(Date)
    # Every clock the child is on (migration 0006).
    emergency_ends_on: Mapped[date | None] = mapped_column(Date)  # while under emergency protection
    interim_order: Mapped[str | None] = mapped_column(String(32))  # in open proceedings
    looked_after_since: Mapped[date | None] = mapped_column(Date)  # the current looked-after period
    strategy_discussion_on: Mapped[date | None] = mapped_column(Date)  # awaiting the initial conference
    cp_plan_since: Mapped[date | None] = mapped_column(Date)
    last_cp_review: Mapped[date | None] = mapped_column(Date)
    # Report facts (issue 17, migration 0011; `reports.facts`): None until the child enters care.
    fgc_offered_before_care: Mapped[bool | None] = mapped_column(Boolean)
    fgc_held_before_care: Mapped[bool | None] = mapped_column(Boolean)

    family: Mapped[Family] = relationship(back_populates="children")


class Proceedings(db.Model):
    __tablename__ = "proceedings"
    __table_args__ = (
        UniqueConstraint("la_id", "reference"),
        # Board reports select concluded proceedings by period, then authority, and read their
        # stored facts from the index alone (migration 0011; 0003 had issued_on in place of the facts).
        Index("ix_proceedings_concluded_la_facts", "concluded_on", "la_id", "duration_days", "extended",
              "complexity_extended", "fdac"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    reference: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)  # 26 weeks plus extensions
    concluded_on: Mapped[date | None] = mapped_column(Date, index=True)
    fdac: Mapped[bool] = mapped_column(Boolean, default=False)  # heard in a Family Drug and Alcohol Court (0006)
    # Report facts (issue 17, migration 0011; `reports.facts`): the first two None while open.
    duration_days: Mapped[int | None] = mapped_column(Integer)
    within_26_weeks: Mapped[bool | None] = mapped_column(Boolean)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    complexity_extended: Mapped[bool] = mapped_column(Boolean, default=False)

    parties: Mapped[list["ProceedingsChild"]] = relationship(back_populates="proceedings")
    extensions: Mapped[list["Extension"]] = relationship(order_by="Extension.granted_on")


class ProceedingsChild(db.Model):
    __tablename__ = "proceedings_children"
    proceedings_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True, index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    order_type: Mapped[str | None] = mapped_column(String(32))
    order_on: Mapped[date | None] = mapped_column(Date)
    # The family network on the day the child became a party (migration 0005).
    father_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    father_has_pr: Mapped[bool] = mapped_column(Boolean, default=False)
    relative_assessed: Mapped[bool] = mapped_column(Boolean, default=False)
    fgc_at_issue: Mapped[str] = mapped_column(String(24), default="not_offered")
    # This child's deadline: 26 weeks plus the extensions for every child and for this child (0006).
    deadline: Mapped[date | None] = mapped_column(Date)
    # Report facts (issue 17, migration 0011; `reports.facts`).
    ethnicity_group: Mapped[str | None] = mapped_column(String(16))
    age_band: Mapped[str | None] = mapped_column(String(8))  # on the day the application was issued
    disposal_days: Mapped[int | None] = mapped_column(Integer)  # issue to this child's final order
    # Returning to court: an earlier final order for the child within 3 years (migration 0012).
    returning_to_court: Mapped[bool] = mapped_column(Boolean, default=False)
    returning_after_fdac: Mapped[bool] = mapped_column(Boolean, default=False)
    # A parent with a child in earlier proceedings, in any family (`reports.sql.has_recurrent_parent`).
    recurrent_parent: Mapped[bool] = mapped_column(Boolean, default=False)

    proceedings: Mapped[Proceedings] = relationship(back_populates="parties")
    child: Mapped[Child] = relationship()


class Extension(db.Model):
    __tablename__ = "extensions"
    __table_args__ = (Index("ix_extensions_proceedings_category", "proceedings_id", "category"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    proceedings_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    granted_on: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"))  # None: every child (0006)


class Hearing(db.Model):
    """Hearing dates listed by the court (case management, issues resolution, final)."""

    __tablename__ = "hearings"
    id: Mapped[int] = mapped_column(primary_key=True)
    proceedings_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    listed_for: Mapped[date] = mapped_column(Date)


class HearingOutcome(db.Model):
    """What happened at a listed hearing: held, adjourned or vacated, with the court's code for the
    reason and the party responsible. One per listing; append-only like the listings (0006)."""

    __tablename__ = "hearing_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))  # codes.HEARING_OUTCOMES
    reason: Mapped[str | None] = mapped_column(String(8))  # codes.ADJOURNMENT_REASONS
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class FamilyGroupConference(db.Model):
    __tablename__ = "family_group_conferences"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    offered_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24))  # codes.FGC_STATUSES (24 from migration 0008)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    declined_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    offered_to: Mapped[str | None] = mapped_column(Text)  # ;-separated person references
    in_letter: Mapped[bool] = mapped_column(Boolean, default=False)
    # FGC service (issue 13, migration 0008).
    referred_on: Mapped[date | None] = mapped_column(Date, index=True)
    coordinator: Mapped[str | None] = mapped_column(String(254), index=True)  # the coordinator's email
    coordinator_allocated_on: Mapped[date | None] = mapped_column(Date)
    private_family_time: Mapped[bool | None] = mapped_column(Boolean)
    plan_decided_on: Mapped[date | None] = mapped_column(Date)
    plan_outcome: Mapped[str | None] = mapped_column(String(16))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(String(32))
    # Report facts (issue 17, migration 0011; `reports.facts`).
    referral_working_days: Mapped[int | None] = mapped_column(Integer)


class CareEpisode(db.Model):
    """Report facts (issue 17, migration 0011): each child's episodes of accommodation by
    agreement and emergency protection, returns home, returns that broke down and entries into
    care after a return (`reports.facts.care_episodes`); rewritten with the family's projection."""

    __tablename__ = "care_episodes"
    __table_args__ = (Index("ix_care_episodes_kind_started_la", "kind", "started_on", "la_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    kind: Mapped[str] = mapped_column(String(32))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class FgcOutcome(db.Model):
    """Report facts (issue 17, migration 0011): each child's outcome six months after a
    conference's plan was decided, as the history has it (`reports.facts.fgc_outcome_facts`);
    rewritten with the family's projection. Counted by a report once `due_on` has come."""

    __tablename__ = "fgc_outcomes"
    __table_args__ = (Index("ix_fgc_outcomes_due_la", "due_on", "la_id", "outcome"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    offered_on: Mapped[date] = mapped_column(Date)
    plan_decided_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(32))  # a code of codes.FGC_OUTCOMES_AT_6_MONTHS


class Person(db.Model):
    """Someone in a family network, known by a reference unique within the authority. The same
    person can be in more than one family of the authority: that is how a parent in earlier
    proceedings is found. What the history says of them is in `family_people`."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("la_id", "reference"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    reference: Mapped[str] = mapped_column(String(64))
    # Optional, entered in a form, never in the event file, a URL or a log line.
    name: Mapped[str | None] = mapped_column(String(120))
    # Report facts (issue 17, migration 0012): whether any family of the authority records the
    # person as having a learning disability, or as care experienced (`reports.sql.has_trait`).
    learning_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    care_experienced: Mapped[bool] = mapped_column(Boolean, default=False)


class FamilyPerson(db.Model):
    """A person in one family's network, as its history records them (projection)."""

    __tablename__ = "family_people"
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    added_on: Mapped[date] = mapped_column(Date)
    dob: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(4))
    characteristics: Mapped[str | None] = mapped_column(Text)  # ;-separated codes (special category data)
    # A mother or father placed apart from a child by a final order, with no post-removal
    # support recorded since: the earliest such order's date (support due within 3 months).
    support_due_from: Mapped[date | None] = mapped_column(Date, index=True)


class PartyParent(db.Model):
    """Report facts (issue 17, migration 0012): each parent (a mother or father) of each child
    party to care proceedings, with the day the child became a party and the proceedings'
    authority, so that the parents of the children entering proceedings are one narrow scan."""

    __tablename__ = "party_parents"
    __table_args__ = (Index("ix_party_parents_joined_la_person", "joined_on", "la_id", "person_id"),)
    proceedings_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True, index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    joined_on: Mapped[date] = mapped_column(Date)


class ChildRelation(db.Model):
    """How a person relates to a child today, and whether they hold parental responsibility."""

    __tablename__ = "child_relations"
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    relationship: Mapped[str] = mapped_column(String(32))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean)
    since: Mapped[date] = mapped_column(Date)
    objecting_since: Mapped[date | None] = mapped_column(Date)


class ExceptionDecision(db.Model):
    """Who decided an exception recorded without `decided_by` (imported rows), completed later by
    a manager. Append-only, like the history it completes."""

    __tablename__ = "exception_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), unique=True)
    decided_by: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Event(db.Model):
    """One step of a family's journey, as recorded. Append-only: never updated or deleted."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_family_order", "family_id", "occurred_on", "id"),
        Index("ix_events_la_event_date", "la_id", "event", "occurred_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    la_id: Mapped[int] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    proceedings_id: Mapped[int | None] = mapped_column(ForeignKey("proceedings.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16))  # form | import | demo
    consent_by: Mapped[str | None] = mapped_column(String(64))  # a code, or a person's reference
    emergency_type: Mapped[str | None] = mapped_column(String(24))
    exception: Mapped[str | None] = mapped_column(Text)
    weeks: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    order_type: Mapped[str | None] = mapped_column(String(32))
    # The family network (migration 0005).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    relation: Mapped[str | None] = mapped_column("relationship", String(32))  # the column is `relationship`
    parental_responsibility: Mapped[str | None] = mapped_column(String(3))
    characteristics: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    decided_by: Mapped[str | None] = mapped_column(Text)
    offered_to: Mapped[str | None] = mapped_column(Text)
    end_date: Mapped[date | None] = mapped_column(Date)  # an emergency protection order's end (0006)
    # FGC service (issue 13, migration 0008).
    invited: Mapped[str | None] = mapped_column(Text)  # ;-separated person references
    attended: Mapped[str | None] = mapped_column(Text)  # ;-separated person references
    private_family_time: Mapped[str | None] = mapped_column(String(3))  # yes | no
    coordinator: Mapped[str | None] = mapped_column(String(254))  # the coordinator's email address

    recorded_by: Mapped[User | None] = relationship()
    child: Mapped[Child | None] = relationship()
    proceedings: Mapped[Proceedings | None] = relationship()
    person: Mapped["Person | None"] = relationship()


class AuditEntry(db.Model):
    """Who changed what, when, with the record before and after. Append-only: the database
    refuses UPDATE and DELETE on this table (see the migration's triggers)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_family_at", "family_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    la_id: Mapped[int | None] = mapped_column(ForeignKey("local_authorities.id"))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


class DiaryFeed(db.Model):
    """The secret address of a user's calendar feed (issue 11), stored as a SHA-256 hash: making
    a new one replaces it, turning it off deletes it (0006)."""

    __tablename__ = "diary_feeds"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
