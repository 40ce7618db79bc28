"""years unit: periods may run in years ([85]19, 3-year limitation); the unit CHECK constraints
of deadlines and extensions allow 'years' (and are renamed ck_<table>_period_unit)

Revision ID: b7e4f2a91c3d
Revises: 5a7c1e9d2b40
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7e4f2a91c3d'
down_revision = '5a7c1e9d2b40'
branch_labels = None
depends_on = None

OLD = "unit IN ('working_days', 'days', 'months', 'hours')"
NEW = "unit IN ('working_days', 'days', 'months', 'years', 'hours')"


def upgrade():
    for table in ('deadlines', 'extensions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_unit'), type_='check')
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_period_unit'), NEW)


def downgrade():
    # A period stored in years has no place in the old schema: refuse rather than lose it.
    for table in ('deadlines', 'extensions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_period_unit'), type_='check')
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_unit'), OLD)
