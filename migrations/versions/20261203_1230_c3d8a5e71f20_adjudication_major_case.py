"""adjudication: the major-case (national-impact) flag, §2.3 / [68]: its own periods and the restart
of the time limit on a change of request (P9); the day the right holder knew of the infringement,
from which the 3-year limitation ([85]19) is shown

Revision ID: c3d8a5e71f20
Revises: b7e4f2a91c3d
Create Date: 2026-12-03 12:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3d8a5e71f20"
down_revision = "b7e4f2a91c3d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("adjudication_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_major", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("infringement_known_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("adjudication_cases", schema=None) as batch_op:
        batch_op.drop_column("infringement_known_on")
        batch_op.drop_column("is_major")
