"""job failures (issue 15): a task the queue gave up on, with its arguments and error

Revision ID: 6f1c2d3e4b5a
Revises: 5e0b1c2d3a4f
Create Date: 2026-12-04 19:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6f1c2d3e4b5a"
down_revision = "5e0b1c2d3a4f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("traceback", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_failures")),
    )
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_failures_failed_at"), ["failed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_failures_task_name"), ["task_name"], unique=False)


def downgrade():
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_failures_task_name"))
        batch_op.drop_index(batch_op.f("ix_job_failures_failed_at"))

    op.drop_table("job_failures")
