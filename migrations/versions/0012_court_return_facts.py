"""Report facts (issue 17): whether each child party is returning to court, that is had a final
order in other proceedings within 3 years before becoming a party, and whether one such order was
made in the FDAC; and whether a parent of the child had a child in earlier proceedings (in any
family: a recurrent parent)

Revision ID: 0012
Revises: 0011

Filled for existing families by `flask --app wsgi rebuild-projection` (run by `make run` and
`make serve` after upgrading), and kept by every step after that.
"""
from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proceedings_children") as batch:
        batch.add_column(sa.Column("returning_to_court", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("returning_after_fdac", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("recurrent_parent", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("proceedings_children") as batch:
        batch.drop_column("recurrent_parent")
        batch.drop_column("returning_after_fdac")
        batch.drop_column("returning_to_court")
