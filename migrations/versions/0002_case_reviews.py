"""case reviews

Looked-after reviews, legal planning meetings and pre-proceedings review decisions, which the
pathway's event history (a fixed public CSV contract) does not record: one row per meeting,
added (never changed) with an audit entry, for the managers' queues.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_id', sa.Integer(), nullable=False),
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_case_reviews_child_id_children')),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_case_reviews_family_id_families')),
    sa.ForeignKeyConstraint(['la_id'], ['local_authorities.id'], name=op.f('fk_case_reviews_la_id_local_authorities')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_case_reviews_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_reviews'))
    )
    with op.batch_alter_table('case_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_case_reviews_child_kind_held', ['child_id', 'kind', 'held_on'], unique=False)
        batch_op.create_index('ix_case_reviews_la_id', ['la_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_case_reviews_la_id')
        batch_op.drop_index('ix_case_reviews_child_kind_held')

    op.drop_table('case_reviews')
