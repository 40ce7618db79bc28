"""Read-only look-ups of issued documents."""

from typing import Any

import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.cases.models import Agent, Case, Party, TimelineEntry
from ipcase.core.extensions import db
from ipcase.documents.models import IssuedDocument, ServiceRecord


def issued_for_case(case: Case) -> list[IssuedDocument]:
    """The case's documents, oldest first."""
    return list(
        db.session.scalars(
            sa.select(IssuedDocument).where(IssuedDocument.case_id == case.id).order_by(IssuedDocument.id)
        )
    )


# -- what a party sees: one rule for the portal, the case page and the download -----------------


def served_on_parties(party_ids: Any) -> sa.Select[Any]:
    """(document, the day it was first served) for every document of a party's case with a
    service record on one of ``party_ids`` (a list or a subquery of party ids); never the
    office's internal forms, never a service on someone else. The one rule for what a party
    sees: the portal's list and download and, for party accounts, the case page and
    ``/documents/N/pdf`` all read it (no document is public before it is served)."""
    return (
        sa.select(IssuedDocument, sa.func.min(ServiceRecord.served_on))
        .join(ServiceRecord, ServiceRecord.document_id == IssuedDocument.id)
        .join(Party, Party.id == ServiceRecord.recipient_id)
        .where(
            ServiceRecord.recipient_id.in_(party_ids),
            IssuedDocument.case_id == Party.case_id,
            IssuedDocument.is_internal.is_(False),
        )
        .group_by(IssuedDocument.id)
    )


def parties_of_account(user: User, case: Case) -> sa.Select[Any]:
    """The ids of the parties of ``case`` a party account is, or is an agent of."""
    as_party = sa.select(Party.id).where(Party.case_id == case.id, Party.user_id == user.id)
    as_agent = (
        sa.select(Party.id)
        .join(Agent, Agent.party_id == Party.id)
        .where(Party.case_id == case.id, Agent.user_id == user.id)
    )
    return as_party.union(as_agent)


def _is_party_account(user: User) -> bool:
    return not user.is_authenticated or user.role == Role.party


def readable_for_case(case: Case, user: User) -> list[IssuedDocument]:
    """The case's documents ``user`` (who may see the case) may read, oldest first: staff every
    one (internal ones included), a party account only those served on its parties."""
    if not _is_party_account(user):
        return issued_for_case(case)
    rows = db.session.scalars(served_on_parties(parties_of_account(user, case)).order_by(IssuedDocument.id))
    return list(rows)


def may_read(user: User, document: IssuedDocument) -> bool:
    """Whether ``user``, who may see the document's case, may read the document itself."""
    if not _is_party_account(user):
        return True
    found = served_on_parties(parties_of_account(user, document.case)).where(IssuedDocument.id == document.id)
    return db.session.execute(found).first() is not None


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
