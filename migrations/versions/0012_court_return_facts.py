"""Report facts (issue 17): whether each child party is returning to court, that is had a final
order in other proceedings within 3 years before becoming a party, and whether one such order was
made in the FDAC; and whether a parent of the child had a child in earlier proceedings (in any
family: a recurrent parent); each parent of each child party, and whether any family records a
person as having a learning disability or as care experienced; the FDAC in the index of concluded
proceedings' facts (the children's breakdowns read it with the order types)

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
    with op.batch_alter_table("proceedings") as batch:
        batch.drop_index("ix_proceedings_concluded_la_facts")
        batch.create_index("ix_proceedings_concluded_la_facts",
                           ["concluded_on", "la_id", "duration_days", "extended", "complexity_extended", "fdac"])
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("learning_disability", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("care_experienced", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "party_parents",
        sa.Column("proceedings_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("la_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"]),
        sa.ForeignKeyConstraint(["la_id"], ["local_authorities.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["proceedings_id"], ["proceedings.id"]),
        sa.PrimaryKeyConstraint("proceedings_id", "child_id", "person_id"),
    )
    op.create_index("ix_party_parents_joined_la_person", "party_parents", ["joined_on", "la_id", "person_id"])
    op.create_index("ix_party_parents_child_id", "party_parents", ["child_id"])


def downgrade():
    with op.batch_alter_table("proceedings") as batch:
        batch.drop_index("ix_proceedings_concluded_la_facts")
        batch.create_index("ix_proceedings_concluded_la_facts",
                           ["concluded_on", "la_id", "duration_days", "extended", "complexity_extended"])
    op.drop_index("ix_party_parents_child_id", table_name="party_parents")
    op.drop_index("ix_party_parents_joined_la_person", table_name="party_parents")
    op.drop_table("party_parents")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("care_experienced")
        batch.drop_column("learning_disability")
    with op.batch_alter_table("proceedings_children") as batch:
        batch.drop_column("recurrent_parent")
        batch.drop_column("returning_after_fdac")
        batch.drop_column("returning_to_court")
