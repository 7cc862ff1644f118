"""FGC service: the referral, the coordinator, who was invited and came, private family time, the
authority's decision on the family's plan, the review, and closing a conference with a reason

Revision ID: 0008
Revises: 0007

New projection columns are filled for existing families by `flask --app wsgi rebuild-projection`
(which replays every family's history), run by `make run` and `make serve` after upgrading.
"""
from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('attended', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('private_family_time', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('coordinator', sa.String(length=254), nullable=True))

    with op.batch_alter_table('family_group_conferences', schema=None) as batch_op:
        # "coordinator_allocated" is longer than the 16 characters the status had.
        batch_op.alter_column('status', existing_type=sa.String(length=16), type_=sa.String(length=24),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('referred_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('coordinator', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('coordinator_allocated_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('private_family_time', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('plan_decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('plan_outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('reviewed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_reason', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_family_group_conferences_referred_on'), ['referred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_group_conferences_coordinator'), ['coordinator'], unique=False)


def downgrade():
    with op.batch_alter_table('family_group_conferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_group_conferences_coordinator'))
        batch_op.drop_index(batch_op.f('ix_family_group_conferences_referred_on'))
        for column in ('closed_reason', 'closed_on', 'reviewed_on', 'plan_outcome', 'plan_decided_on',
                       'private_family_time', 'coordinator_allocated_on', 'coordinator', 'referred_on'):
            batch_op.drop_column(column)
        batch_op.alter_column('status', existing_type=sa.String(length=24), type_=sa.String(length=16),
                              existing_nullable=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        for column in ('coordinator', 'private_family_time', 'attended', 'invited'):
            batch_op.drop_column(column)
