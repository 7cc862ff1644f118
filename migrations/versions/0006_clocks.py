"""Every clock a child is on: emergency protection's end, interim orders, the looked-after period,
child protection conferences, and each child's own deadline

Revision ID: 0006
Revises: 0005

New projection columns are filled for existing families by `flask --app wsgi rebuild-projection`
(which replays every family's history), run by `make run` and `make serve` after upgrading.
"""
from alembic import op
import sqlalchemy as sa

from pathway import history_guard

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emergency_ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('interim_order', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('looked_after_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('strategy_discussion_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cp_plan_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('last_cp_review', sa.Date(), nullable=True))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_date', sa.Date(), nullable=True))

    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_extensions_child_id_children'), 'children', ['child_id'], ['id'])

    with op.batch_alter_table('proceedings_children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline', sa.Date(), nullable=True))

    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fdac', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table('hearing_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=8), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearings.id'], name=op.f('fk_hearing_outcomes_hearing_id_hearings')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_hearing_outcomes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing_outcomes')),
    sa.UniqueConstraint('hearing_id', name=op.f('uq_hearing_outcomes_hearing_id'))
    )
    history_guard.create_append_only_guard(op, "hearing_outcomes")
    op.create_table('diary_feeds',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_diary_feeds_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_diary_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_diary_feeds_token_hash'))
    )



def downgrade():
    op.drop_table('diary_feeds')
    history_guard.drop_append_only_guard(op, "hearing_outcomes")
    op.drop_table('hearing_outcomes')
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.drop_column('fdac')

    with op.batch_alter_table('proceedings_children', schema=None) as batch_op:
        batch_op.drop_column('deadline')

    with op.batch_alter_table('extensions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_extensions_child_id_children'), type_='foreignkey')
        batch_op.drop_column('child_id')

    if op.get_bind().dialect.name == "sqlite":
        history_guard.drop_append_only_guard(op, "events")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('end_date')
    if op.get_bind().dialect.name == "sqlite":  # the rebuilt table lost its triggers
        history_guard.create_append_only_guard(op, "events")

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('last_cp_review')
        batch_op.drop_column('cp_plan_since')
        batch_op.drop_column('strategy_discussion_on')
        batch_op.drop_column('looked_after_since')
        batch_op.drop_column('interim_order')
        batch_op.drop_column('emergency_ends_on')

