"""Tasks that failed for good: one ``job_failures`` row per task the queue gave up on (no retry
left), with its name, arguments and error, for the admin to see and act on (the outbox parks its
own messages, ``ipcase.core.outbox``; this table is for every other task)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ipcase.core import clock
from ipcase.core.db import UTCDateTime
from ipcase.core.extensions import db

#: how much of an error, a traceback or the arguments is kept
TEXT_MAX = 4000


class JobFailure(db.Model):
    """A task the queue gave up on."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    task_id: Mapped[str] = mapped_column(sa.String(64))
    arguments: Mapped[str] = mapped_column(sa.Text, default="")
    error: Mapped[str] = mapped_column(sa.Text)
    traceback: Mapped[str] = mapped_column(sa.Text, default="")
    attempts: Mapped[int] = mapped_column(default=1)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)

    def __repr__(self) -> str:
        return f"<JobFailure {self.id} {self.task_name} {self.task_id}>"


def recent_failures(limit: int = 100) -> list[JobFailure]:
    """The latest failures, newest first."""
    return list(db.session.scalars(sa.select(JobFailure).order_by(JobFailure.failed_at.desc()).limit(limit)))


def failure_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(JobFailure)) or 0
