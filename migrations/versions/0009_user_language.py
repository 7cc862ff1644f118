"""Languages: each user's choice of English or Cymraeg (issue 15)

Revision ID: 0009
Revises: 0008

Existing users have none yet: their next sign-in chooses one (Welsh for a Welsh authority's users).
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=2), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
