"""workstation response and ruling, mediation subject ([85]63-64), online request to its step

Revision ID: 5a7c1e9d2b40
Revises: 065443eca0a6
Create Date: 2026-12-03 11:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c1e9d2b40'
down_revision = '065443eca0a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('station_complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_position', sa.Enum('denies', 'admits', 'invalidation', 'licensed', 'other', name='responseposition', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('response_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('response_in_time', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('ruling_reference', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('ruling_on', sa.Date(), nullable=True))

    with op.batch_alter_table('mediation_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.Enum('ownership', 'inventorship', 'inventor_reward', 'interim_use', 'damages', 'other', name='mediationsubject', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('infringement_decision_no', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('infringement_decision_on', sa.Date(), nullable=True))

    with op.batch_alter_table('portal_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timeline_entry_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_portal_requests_timeline_entry_id'), ['timeline_entry_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_portal_requests_timeline_entry_id_timeline_entries'), 'timeline_entries',
            ['timeline_entry_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('portal_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_portal_requests_timeline_entry_id_timeline_entries'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_portal_requests_timeline_entry_id'))
        batch_op.drop_column('timeline_entry_id')

    with op.batch_alter_table('mediation_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_mediation_cases_mediationsubject'), type_='check')
        batch_op.drop_column('infringement_decision_on')
        batch_op.drop_column('infringement_decision_no')
        batch_op.drop_column('subject')

    with op.batch_alter_table('station_complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_station_complaints_responseposition'), type_='check')
        batch_op.drop_column('ruling_on')
        batch_op.drop_column('ruling_reference')
        batch_op.drop_column('response_in_time')
        batch_op.drop_column('response_at')
        batch_op.drop_column('response_position')
