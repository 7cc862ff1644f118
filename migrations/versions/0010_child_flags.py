"""Queues: each open child's flags stored with the days they apply (issue 17)

Revision ID: 0010
Revises: 0009

Filled for existing families by `flask --app wsgi rebuild-projection` (run by `make run` and
`make serve` after upgrading), and kept by every step, review and allocation after that.
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "child_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("la_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"]),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"]),
        sa.ForeignKeyConstraint(["la_id"], ["local_authorities.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_child_flags_la_code", "child_flags", ["la_id", "code"])
    op.create_index("ix_child_flags_child_id", "child_flags", ["child_id"])
    op.create_index("ix_child_flags_family_id", "child_flags", ["family_id"])


def downgrade():
    op.drop_index("ix_child_flags_family_id", table_name="child_flags")
    op.drop_index("ix_child_flags_child_id", table_name="child_flags")
    op.drop_index("ix_child_flags_la_code", table_name="child_flags")
    op.drop_table("child_flags")
