"""The family network: people, their relationships to each child, and what the law asks of them

Revision ID: 0005
Revises: 0004

People (a reference unique within the authority), each family's network as its history records
it, each child's relationships and parental responsibility, the new event columns, the facts kept
on each party to proceedings for boards, and completions of imported exceptions (append-only).
On SQLite the events table is rebuilt (a new foreign key, a wider consent_by), so its append-only
triggers are created again afterwards.
"""
from alembic import op
import sqlalchemy as sa

from pathway import history_guard

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('la_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['la_id'], ['local_authorities.id'], name=op.f('fk_people_la_id_local_authorities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('la_id', 'reference', name=op.f('uq_people_la_id'))
    )
    op.create_table('family_people',
    sa.Column('family_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('dob', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('ethnicity', sa.String(length=4), nullable=True),
    sa.Column('characteristics', sa.Text(), nullable=True),
    sa.Column('support_due_from', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_people_family_id_families')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_family_people_person_id_people')),
    sa.PrimaryKeyConstraint('family_id', 'person_id', name=op.f('pk_family_people'))
    )
    with op.batch_alter_table('family_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_people_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_people_support_due_from'), ['support_due_from'], unique=False)

    op.create_table('child_relations',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('relationship', sa.String(length=32), nullable=False),
    sa.Column('parental_responsibility', sa.Boolean(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('objecting_since', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_relations_child_id_children')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_child_relations_person_id_people')),
    sa.PrimaryKeyConstraint('child_id', 'person_id', name=op.f('pk_child_relations'))
    )
    with op.batch_alter_table('child_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_relations_person_id'), ['person_id'], unique=False)

    op.create_table('exception_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_exception_decisions_event_id_events')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_exception_decisions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exception_decisions')),
    sa.UniqueConstraint('event_id', name=op.f('uq_exception_decisions_event_id'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_leave_accommodation_since', sa.Date(), nullable=True))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('relationship', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('parental_responsibility', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('characteristics', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('decided_by', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('offered_to', sa.Text(), nullable=True))
        batch_op.alter_column('consent_by',
               existing_type=sa.VARCHAR(length=16),
               type_=sa.String(length=64),
               existing_nullable=True)
        batch_op.create_index(batch_op.f('ix_events_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_person_id_people'), 'people', ['person_id'], ['id'])
    if _sqlite():  # the rebuilt table lost its triggers
        history_guard.create_append_only_guard(op, "events")
    history_guard.create_append_only_guard(op, "exception_decisions")

    with op.batch_alter_table('family_group_conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offered_to', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('in_letter', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('proceedings_children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('father_recorded', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('father_has_pr', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('relative_assessed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('fgc_at_issue', sa.String(length=24), nullable=False,
                                      server_default="not_offered"))



def downgrade():
    with op.batch_alter_table('proceedings_children', schema=None) as batch_op:
        batch_op.drop_column('fgc_at_issue')
        batch_op.drop_column('relative_assessed')
        batch_op.drop_column('father_has_pr')
        batch_op.drop_column('father_recorded')

    with op.batch_alter_table('family_group_conferences', schema=None) as batch_op:
        batch_op.drop_column('in_letter')
        batch_op.drop_column('offered_to')

    history_guard.drop_append_only_guard(op, "exception_decisions")
    if _sqlite():
        history_guard.drop_append_only_guard(op, "events")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_person_id_people'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_person_id'))
        batch_op.alter_column('consent_by',
               existing_type=sa.String(length=64),
               type_=sa.VARCHAR(length=16),
               existing_nullable=True)
        batch_op.drop_column('offered_to')
        batch_op.drop_column('decided_by')
        batch_op.drop_column('outcome')
        batch_op.drop_column('characteristics')
        batch_op.drop_column('parental_responsibility')
        batch_op.drop_column('relationship')
        batch_op.drop_column('person_id')
    if _sqlite():
        history_guard.create_append_only_guard(op, "events")

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('must_leave_accommodation_since')

    op.drop_table('exception_decisions')
    with op.batch_alter_table('child_relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_relations_person_id'))

    op.drop_table('child_relations')
    with op.batch_alter_table('family_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_people_support_due_from'))
        batch_op.drop_index(batch_op.f('ix_family_people_person_id'))

    op.drop_table('family_people')
    op.drop_table('people')
