"""Hardening (issue 10): session generations, sign-in throttling without lockout

Revision ID: 0007
Revises: 0006

- users.session_generation: moved on at sign-out and by an administrator, so that a copied
  session cookie stops working.
- sign_in_throttle replaces sign_in_attempts: one row per hashed account, address and usual
  place, locked while an attempt is decided (atomic counting).
- Append-only for real: SQLite's REPLACE path and PostgreSQL's TRUNCATE are refused on the
  history and audit tables too.
"""
import sqlalchemy as sa
from alembic import op

from pathway import history_guard

HISTORY = ("events", "audit_log", "case_reviews", "hearings", "exception_decisions", "hearing_outcomes")

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempts_key_at")
    op.drop_table("sign_in_attempts")
    for table in HISTORY:
        history_guard.create_replace_and_truncate_guard(op, table)


def downgrade():
    for table in HISTORY:
        history_guard.drop_replace_and_truncate_guard(op, table)
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_attempts_key_at", ["email_key", "at"], unique=False)
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
