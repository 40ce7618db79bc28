"""Read-only look-ups of issued documents."""

from typing import Any

import sqlalchemy as sa

from ipcase.cases.models import Case
from ipcase.documents.models import IssuedDocument
from ipcase.extensions import db


def issued_for_case(case: Case) -> list[IssuedDocument]:
    """The case's documents, oldest first."""
    return list(
        db.session.scalars(
            sa.select(IssuedDocument).where(IssuedDocument.case_id == case.id).order_by(IssuedDocument.id)
        )
    )


def latest_issued(case: Case, kind: str) -> IssuedDocument | None:
    """The case's newest document of ``kind`` that no correction replaced."""
    docs = [d for d in issued_for_case(case) if d.kind == kind and not d.corrections]
    return docs[-1] if docs else None


def by_number(number: str) -> IssuedDocument | None:
    return db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.number == number))


def by_sha256(digest: str) -> IssuedDocument | None:
    return db.session.scalar(sa.select(IssuedDocument).where(IssuedDocument.sha256 == digest).limit(1))


def taken_steps(case: Case) -> list[str]:
    """The workflow actions already taken on the case, in order (from its timeline)."""
    from ipcase.cases.models import TimelineEntry

    steps: list[str] = []
    for data in db.session.scalars(
        sa.select(TimelineEntry.data)
        .where(TimelineEntry.case_id == case.id, TimelineEntry.event == "case.transition")
        .order_by(TimelineEntry.id)
    ):
        action: Any = (data or {}).get("action")
        if isinstance(action, dict) and action.get("step"):
            steps.append(action["step"])
    return steps
