"""Recorded reviews and hearing listings are append-only

Revision ID: 0004
Revises: 0003

Looked-after reviews, legal planning meetings, pre-proceedings reviews and hearing listings are
records of what happened: corrections are new rows, and the database refuses UPDATE and DELETE.
"""
from alembic import op

from pathway import history_guard

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("case_reviews", "hearings")


def upgrade():
    for table in TABLES:
        history_guard.create_append_only_guard(op, table)


def downgrade():
    for table in TABLES:
        history_guard.drop_append_only_guard(op, table)
