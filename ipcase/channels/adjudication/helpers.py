"""What the guards, effects and steps of the adjudication procedure share: reading the case (its
newest period of a rule, an open excluded period, the steps taken and the matters still pending,
the parties joined since docketing), naming a chosen party in a step's details, and starting and
ending time excluded from the time limit ([85]37)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import User
from ipcase.cases.enums import PartyRole
from ipcase.cases.models import Case, Party
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, ExcludedPeriod, ExclusionKind
from ipcase.deadlines.operations import end_exclusion, start_exclusion


def _latest(case: Case, *rule_ids: str) -> Deadline | None:
    return db.session.scalars(
        sa.select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.rule_id.in_(rule_ids))
        .order_by(Deadline.id.desc())
        .limit(1)
    ).first()


def _open_exclusion(case: Case, kind: ExclusionKind) -> ExcludedPeriod | None:
    return db.session.scalars(
        sa.select(ExcludedPeriod).where(
            ExcludedPeriod.case_id == case.id, ExcludedPeriod.kind == kind, ExcludedPeriod.ends_on.is_(None)
        )
    ).first()


def _steps_taken(case: Case, action: str) -> list[dict[str, Any]]:
    """The recorded details of every time ``action`` was taken on this case, oldest first (not
    the history copied from a case this one was transferred from)."""
    return [
        (e.data or {}).get("details") or {} for e in _own_transitions(case) if e.data["action"].get("step") == action
    ]


def _own_transitions(case: Case) -> list[Any]:
    return [
        e
        for e in case.timeline
        if e.event == "case.transition"
        and isinstance((e.data or {}).get("action"), dict)
        and not e.data.get("copied_from")
    ]


def _pending(case: Case, opened_by: tuple[str, ...], answered_by: tuple[str, ...]) -> bool:
    """Whether a matter raised by one of ``opened_by`` still awaits one of ``answered_by``: a
    request, objection or defence awaits its answer even once the office's period for it has
    been missed (the period's state then no longer says)."""
    opened = sum(len(_steps_taken(case, a)) for a in opened_by)
    answered = sum(len(_steps_taken(case, a)) for a in answered_by)
    return opened > answered


OBJECTION = (("receive_jurisdiction_objection",), ("dismiss_jurisdiction_objection", "transfer_on_objection"))


PRESERVATION = (("request_preservation",), ("decide_preservation",))


DEFENCE = (("receive_defence",), ("forward_defence",))


def _party(case: Case, party_id: Any, *roles: PartyRole) -> Party:
    party = next((p for p in case.parties if p.id == party_id), None)
    if party is None or (roles and party.role not in roles):
        raise DomainError(("party", _l("Choose a party of this case.")))
    return party


def _detail_name(details: dict[str, Any], key: str, name: str, ident: int) -> None:
    """Keep a chosen party, official or office on the timeline by name (and its id, unshown)."""
    details[key] = name
    details[f"{key}_id"] = ident


def parties_joined(case: Case) -> list[int]:
    """Parties added to the case after it was docketed whose joinder is not yet recorded."""
    db.session.flush()
    docketed = next((e.id for e in _own_transitions(case) if e.data["action"].get("step") == "docket"), None)
    if docketed is None:
        return []
    added = {
        (e.data.get("name"), (e.data.get("role") or {}).get("value"))
        for e in case.timeline
        if e.event == "party.added" and e.id is not None and e.id > docketed
    }
    recorded = {d.get("party_id") for d in _steps_taken(case, "record_joinder")}
    return [p.id for p in case.parties if (p.name, p.role.value) in added and p.id not in recorded]


def _start_exclusion(case: Case, kind: ExclusionKind, actor: User | None, at: datetime, reason: Any) -> None:
    if actor is not None:
        start_exclusion(case, kind, clock.local_day(at), actor=actor, reason=str(reason)[:500])


def _end_exclusion(case: Case, kind: ExclusionKind, actor: User | None, at: datetime) -> None:
    period = _open_exclusion(case, kind)
    if period is not None and actor is not None:
        end_exclusion(period, max(period.starts_on, clock.local_day(at)), actor=actor)
