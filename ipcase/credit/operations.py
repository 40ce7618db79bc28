"""Recording credit events, reading a subject's history and the flags it raises.

A subject is matched by its identity document where one is known (``id:<type>:<number>``), and
by its normalised name otherwise; an event recorded without a document also matches a subject of
the same name that has one, and the other way round, since the same company often appears once
with and once without its credit code."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case, Party
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.timeline import enum_ref, record
from ipcase.cases.transfers import dispute_ids
from ipcase.core import clock
from ipcase.core.db import conflict_insert
from ipcase.core.enums import LabelledEnum
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.credit.models import (
    MANUAL_KINDS,
    CreditEvent,
    CreditEventKind,
    normalise_name,
    party_subject_key,
    subject_key,
)


class CreditFlag(LabelledEnum):
    repeat_infringer = "repeat_infringer"
    unperformed_decision = "unperformed_decision"
    repeat_exhibitor = "repeat_exhibitor"
    false_complainant = "false_complainant"
    seriously_dishonest = "seriously_dishonest"


CreditFlag.set_labels(
    {
        CreditFlag.repeat_infringer: _l("Repeat infringer"),
        CreditFlag.unperformed_decision: _l("Has not performed a decision"),
        CreditFlag.repeat_exhibitor: _l("Exhibitor with two or more violations"),
        CreditFlag.false_complainant: _l("Made a false complaint"),
        CreditFlag.seriously_dishonest: _l("On the serious-dishonesty list"),
    }
)


@dataclass(frozen=True)
class Subject:
    """Who the history is about: a key and, when known, the normalised name."""

    key: str
    name_key: str | None = None

    @classmethod
    def of(cls, party_or_key: "Party | Subject | str") -> "Subject":
        if isinstance(party_or_key, Subject):
            return party_or_key
        if isinstance(party_or_key, Party):
            return cls(party_subject_key(party_or_key), normalise_name(party_or_key.name))
        key = str(party_or_key)
        if key.startswith("name:"):
            return cls(key, key.removeprefix("name:"))
        if key.startswith("id:"):
            return cls(key)
        return cls(subject_key(key), normalise_name(key))

    def clause(self) -> sa.ColumnElement[bool]:
        if self.key.startswith("id:"):
            same = CreditEvent.subject_key == self.key
            if self.name_key:
                # the same name recorded without a document
                return sa.or_(
                    same, sa.and_(CreditEvent.name_key == self.name_key, CreditEvent.subject_key.startswith("name:"))
                )
            return same
        return CreditEvent.name_key == (self.name_key or "")


# -- recording ----------------------------------------------------------------------------------


def record_event(
    case: Case,
    party: Party,
    kind: CreditEventKind | str,
    *,
    actor: User | None,
    at: datetime,
    note: str = "",
) -> CreditEvent | None:
    """Record that ``kind`` happened to ``party`` on ``case``; None if it is already recorded
    (safe to call twice, even concurrently: INSERT … ON CONFLICT DO NOTHING).

    An infringement found against a subject that already had one found on an earlier, other case
    is also recorded as a repeat infringement ([85]34)."""
    kind = CreditEventKind(kind)
    if party.case_id != case.id:
        raise DomainError(("party", _l("Choose a party of this case.")))
    if at > clock.now():
        raise DomainError(("at", _l("A credit event cannot be recorded in the future.")))
    db.session.flush()
    now = clock.now()
    values = {
        "subject_key": party_subject_key(party),
        "name_key": normalise_name(party.name),
        "subject_name": party.name,
        "case_id": case.id,
        "party_id": party.id,
        "kind": kind,
        "at": at,
        "note": (note or "").strip(),
        "recorded_by_id": actor.id if actor is not None else None,
        "removal_reason": "",
        "created_at": now,
        "updated_at": now,
    }
    stmt = (
        conflict_insert(db.session, CreditEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["case_id", "party_id", "kind"])
        .returning(CreditEvent.id)
    )
    new_id = db.session.execute(stmt).scalar_one_or_none()
    if new_id is None:
        return None
    event = db.session.get(CreditEvent, new_id)
    assert event is not None
    record(
        case,
        "credit.recorded",
        actor=actor,
        kind=EntryKind.negative,
        data={"name": party.name, "kind": enum_ref(kind), **({"note": event.note} if event.note else {})},
    )
    if kind == CreditEventKind.infringement_found and _found_before(party, case, at):
        record_event(case, party, CreditEventKind.repeat_infringement, actor=actor, at=at)
    return event


def _found_before(party: Party, case: Case, at: datetime) -> bool:
    """Whether the subject already had an infringement found on another dispute (not this case
    nor a case it was referred from or to), at or before ``at``."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CreditEvent)
            .where(
                Subject.of(party).clause(),
                CreditEvent.kind == CreditEventKind.infringement_found,
                CreditEvent.case_id.not_in(dispute_ids(case)),
                CreditEvent.at <= at,
                CreditEvent.removed_at.is_(None),
            )
        )
    )


def record_manual(
    case: Case, party: Party, kind: CreditEventKind | str, *, actor: User, reason: str, at: datetime | None = None
) -> CreditEvent:
    """A director's own entry: a false complaint or listing as seriously dishonest, with reasons."""
    kind = CreditEventKind(kind)
    if actor.role != Role.director:
        raise DomainError(_l("Only the head of the office records this."))
    if kind not in MANUAL_KINDS:
        raise DomainError(("kind", _l("This kind of event is recorded by the procedure itself.")))
    if not (reason or "").strip():
        raise DomainError(("reason", _l("Give the reasons.")))
    _check_office(case, actor)
    event = record_event(case, party, kind, actor=actor, at=at or clock.now(), note=reason)
    if event is None:
        raise DomainError(("kind", _l("This is already recorded for this party on this case.")))
    return event


def remove_event(event: CreditEvent, *, actor: User, reason: str) -> None:
    """Withdraw an event (entered in error, or the subject's credit repaired): kept with who
    removed it, when and why, and recorded on the case's timeline; it no longer counts."""
    if actor.role != Role.director:
        raise DomainError(_l("Only the head of the office removes a credit record."))
    if event.is_removed:
        raise DomainError(_l("This record has already been removed."))
    if not (reason or "").strip():
        raise DomainError(("reason", _l("Give the reasons for removing the record.")))
    _check_office(event.case, actor)
    event.removed_at = clock.now()
    event.removed_by = actor
    event.removal_reason = reason.strip()
    db.session.flush()
    record(
        event.case,
        "credit.removed",
        actor=actor,
        kind=EntryKind.change,
        data={"name": event.subject_name, "kind": enum_ref(event.kind), "reason": event.removal_reason},
    )


def _check_office(case: Case, actor: User) -> None:
    if case.organisation_id not in visible_org_ids(actor):
        raise DomainError(_l("You may not act on this case."))


# -- reading ------------------------------------------------------------------------------------


def history(
    party_or_subject: "Party | Subject | str",
    *,
    exclude_case_id: int | None = None,
    include_removed: bool = False,
) -> list[CreditEvent]:
    """The subject's events, newest first."""
    stmt = sa.select(CreditEvent).where(Subject.of(party_or_subject).clause())
    if exclude_case_id is not None:
        stmt = stmt.where(CreditEvent.case_id != exclude_case_id)
    if not include_removed:
        stmt = stmt.where(CreditEvent.removed_at.is_(None))
    return list(db.session.scalars(stmt.order_by(CreditEvent.at.desc(), CreditEvent.id.desc())))


def history_of_case(case: Case) -> list[CreditEvent]:
    """The events recorded on ``case``, removed ones included, oldest first."""
    return list(
        db.session.scalars(
            sa.select(CreditEvent).where(CreditEvent.case_id == case.id).order_by(CreditEvent.at, CreditEvent.id)
        )
    )


def flags_of(events: list[Any]) -> list[CreditFlag]:
    """The warnings a history raises (removed events do not count). Events on cases of one
    referral chain count as one dispute."""
    cases: dict[CreditEventKind, set[int]] = {}
    for e in events:
        if not e.is_removed:
            cases.setdefault(e.kind, set()).add(e.dispute_id)
    found = []
    if cases.get(CreditEventKind.repeat_infringement) or len(cases.get(CreditEventKind.infringement_found, ())) >= 2:
        found.append(CreditFlag.repeat_infringer)
    if cases.get(CreditEventKind.decision_unperformed):
        found.append(CreditFlag.unperformed_decision)
    if len(cases.get(CreditEventKind.exhibitor_violation, ())) >= 2:
        found.append(CreditFlag.repeat_exhibitor)
    if cases.get(CreditEventKind.false_complaint):
        found.append(CreditFlag.false_complainant)
    if cases.get(CreditEventKind.serious_dishonesty_listed):
        found.append(CreditFlag.seriously_dishonest)
    return found


def flags(party_or_subject: "Party | Subject | str", *, exclude_case_id: int | None = None) -> list[CreditFlag]:
    return flags_of(history(party_or_subject, exclude_case_id=exclude_case_id))


def search(query: str, limit: int = 50) -> list[tuple[str, str, list[CreditEvent]]]:
    """Subjects whose name contains ``query`` or whose document number is ``query``:
    (key, a name, events) for each, most recent first."""
    query = (query or "").strip()
    if not query:
        return []
    number = "".join(query.upper().split())
    name = normalise_name(query)
    stmt = (
        sa.select(CreditEvent)
        .where(
            sa.or_(
                CreditEvent.name_key.contains(name, autoescape=True),
                CreditEvent.subject_key.endswith(":" + number, autoescape=True),
            ),
            CreditEvent.removed_at.is_(None),
        )
        .order_by(CreditEvent.at.desc(), CreditEvent.id.desc())
        .limit(500)
    )
    grouped: dict[str, tuple[str, list[CreditEvent]]] = {}
    for event in db.session.scalars(stmt):
        grouped.setdefault(event.subject_key, (event.subject_name, []))[1].append(event)
    return [(key, label, events) for key, (label, events) in list(grouped.items())[:limit]]


def summary_of(events: list[CreditEvent]) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for e in events:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    return counts
