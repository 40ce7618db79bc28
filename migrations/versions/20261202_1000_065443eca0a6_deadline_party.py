"""deadline party: periods that run once per party, each from the service on that party

Revision ID: 065443eca0a6
Revises: 22c870cb6800
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '065443eca0a6'
down_revision = '22c870cb6800'
branch_labels = None
depends_on = None


def upgrade():
    # Existing periods keep party_id NULL: they run for the case, as they did.
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('party_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deadlines_party_id'), ['party_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_deadlines_party_id_parties'), 'parties', ['party_id'], ['id'], ondelete='CASCADE'
        )


def downgrade():
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deadlines_party_id_parties'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deadlines_party_id'))
        batch_op.drop_column('party_id')
