"""Report facts kept, not recomputed (issue 17): each proceedings' duration, whether within 26
weeks and whether extended (for complexity); each child party's ethnicity group, age band at issue
and days to the final order; each child's FGC answer on entering care; each conference's working
days from referral; each child's outcome six months after a conference's plan was decided; and
each child's episodes of accommodation and emergency protection, returns home and re-entries

Revision ID: 0011
Revises: 0010

Filled for existing families by `flask --app wsgi rebuild-projection` (run by `make run` and
`make serve` after upgrading), and kept by every step after that.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proceedings") as batch:
        batch.add_column(sa.Column("duration_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("within_26_weeks", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("extended", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("complexity_extended", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.drop_index("ix_proceedings_concluded_la_issued")
        batch.create_index("ix_proceedings_concluded_la_facts",
                           ["concluded_on", "la_id", "duration_days", "extended", "complexity_extended"])
    with op.batch_alter_table("proceedings_children") as batch:
        batch.add_column(sa.Column("ethnicity_group", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("age_band", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("disposal_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("family_group_conferences") as batch:
        batch.add_column(sa.Column("referral_working_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("children") as batch:
        batch.add_column(sa.Column("fgc_offered_before_care", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("fgc_held_before_care", sa.Boolean(), nullable=True))
    op.create_table(
        "fgc_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("la_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("plan_decided_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"]),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"]),
        sa.ForeignKeyConstraint(["la_id"], ["local_authorities.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fgc_outcomes_due_la", "fgc_outcomes", ["due_on", "la_id", "outcome"])
    op.create_index("ix_fgc_outcomes_family_id", "fgc_outcomes", ["family_id"])
    op.create_table(
        "care_episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("la_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["children.id"]),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"]),
        sa.ForeignKeyConstraint(["la_id"], ["local_authorities.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_care_episodes_kind_started_la", "care_episodes", ["kind", "started_on", "la_id"])
    op.create_index("ix_care_episodes_family_id", "care_episodes", ["family_id"])


def downgrade():
    op.drop_index("ix_care_episodes_family_id", table_name="care_episodes")
    op.drop_index("ix_care_episodes_kind_started_la", table_name="care_episodes")
    op.drop_table("care_episodes")
    op.drop_index("ix_fgc_outcomes_family_id", table_name="fgc_outcomes")
    op.drop_index("ix_fgc_outcomes_due_la", table_name="fgc_outcomes")
    op.drop_table("fgc_outcomes")
    with op.batch_alter_table("family_group_conferences") as batch:
        batch.drop_column("referral_working_days")
    with op.batch_alter_table("children") as batch:
        batch.drop_column("fgc_held_before_care")
        batch.drop_column("fgc_offered_before_care")
    with op.batch_alter_table("proceedings_children") as batch:
        batch.drop_column("disposal_days")
        batch.drop_column("age_band")
        batch.drop_column("ethnicity_group")
    with op.batch_alter_table("proceedings") as batch:
        batch.drop_index("ix_proceedings_concluded_la_facts")
        batch.create_index("ix_proceedings_concluded_la_issued", ["concluded_on", "la_id", "issued_on"])
        batch.drop_column("complexity_extended")
        batch.drop_column("extended")
        batch.drop_column("within_26_weeks")
        batch.drop_column("duration_days")
