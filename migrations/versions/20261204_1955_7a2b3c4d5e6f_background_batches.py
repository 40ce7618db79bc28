"""background batches (issue 15): a batch's status, progress, cases, numbers and fields; one notice per case

Revision ID: 7a2b3c4d5e6f
Revises: 6f1c2d3e4b5a
Create Date: 2026-12-04 19:55:00.000000

Batches issued before this revision were issued whole inside their request: they are complete,
with every notice done.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7a2b3c4d5e6f"
down_revision = "6f1c2d3e4b5a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "queued",
                    "complete",
                    "failed",
                    name="batchstatus",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="complete",
            )
        )
        batch_op.add_column(sa.Column("done", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("case_ids", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("serials", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("fields", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE document_batches SET done = count, completed_at = issued_at")
    with op.batch_alter_table("document_batches", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_document_batches_done_in_range"), "done >= 0 AND done <= count")
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f("uq_issued_documents_batch_id_case_id"), ["batch_id", "case_id"])


def downgrade():
    with op.batch_alter_table("issued_documents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_issued_documents_batch_id_case_id"), type_="unique")
    # a batch that never completed has no combined PDF: an empty one stands in (its notices stay)
    op.get_bind().execute(
        sa.text("UPDATE document_batches SET pdf = :pdf, sha256 = '', size = 0 WHERE pdf IS NULL"), {"pdf": b""}
    )
    with op.batch_alter_table("document_batches", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_document_batches_done_in_range"), type_="check")
        batch_op.drop_constraint(op.f("ck_document_batches_batchstatus"), type_="check")
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("completed_at")
        batch_op.drop_column("error")
        batch_op.drop_column("fields")
        batch_op.drop_column("serials")
        batch_op.drop_column("case_ids")
        batch_op.drop_column("done")
        batch_op.drop_column("status")
