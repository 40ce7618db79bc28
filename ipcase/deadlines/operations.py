"""Deadline use cases: start, meet, pause for excluded time, extend, recompute. None commits."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole, EntryKind
from ipcase.cases.models import Agent, Case, Party
from ipcase.cases.timeline import record
from ipcase.core import clock
from ipcase.core.db import lock_row
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Result, Unit, WorkCalendar
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.engine import Interval, due_instant, due_result, end_of_day, local_date
from ipcase.deadlines.models import (
    OPEN_STATES,
    Deadline,
    DeadlineEvent,
    DeadlineState,
    ExcludedPeriod,
    ExclusionKind,
    Extension,
    ExtensionState,
    RuleSetting,
)
from ipcase.deadlines.notify import insert_ignore, notify_case_staff
from ipcase.deadlines.rules import Rule, UnknownRule, get_rule


def rule_length(rule: Rule, organisation_id: int) -> int:
    """The rule's length, or the organisation's own setting for a configurable rule."""
    if rule.is_configurable:
        setting = db.session.scalar(
            sa.select(RuleSetting.length).where(
                RuleSetting.organisation_id == organisation_id, RuleSetting.rule_id == rule.id
            )
        )
        if setting:
            return setting
    return rule.length


def _rule(deadline: Deadline) -> Rule:
    return get_rule(deadline.rule_id, deadline.rule_version)


def _exclusions(case_id: int) -> list[Interval]:
    rows = db.session.scalars(sa.select(ExcludedPeriod).where(ExcludedPeriod.case_id == case_id))
    return [Interval(r.starts_on, r.ends_on, str(r.kind.label)) for r in rows]


def explain(deadline: Deadline, cal: WorkCalendar | None = None) -> Result:
    """Recompute the deadline's due date from scratch, with its explanation."""
    return due_result(
        cal or load_calendar(),
        _rule(deadline),
        started_at=deadline.started_at,
        length=deadline.length,
        extended_by=deadline.extended_by,
        exclusions=_exclusions(deadline.case_id),
        today=clock.today(),
    )


def start_deadline(
    case: Case,
    rule_id: str,
    *,
    started_at: datetime,
    actor: User | None,
    note: str = "",
    party: Party | None = None,
) -> Deadline:
    """Start the period ``rule_id`` on ``case`` from the triggering event at ``started_at``;
    for ``party`` alone when given (a rule that runs once per party, ``Rule.per_party``).

    The rule version in force on the day the period started applies for its whole life."""
    try:
        rule = get_rule(rule_id, local_date(started_at))
    except UnknownRule as exc:
        raise DomainError(("rule", _l("Unknown time limit: %(rule)s", rule=rule_id))) from exc
    if party is not None and party.case_id != case.id:
        raise DomainError(("party", _l("Choose a party of this case.")))
    if started_at.tzinfo is None:
        raise DomainError(("started_at", _l("The start needs a date and a time.")))
    if started_at > clock.now():
        raise DomainError(("started_at", _l("A period cannot start in the future.")))
    deadline = Deadline(
        case_id=case.id,
        party_id=party.id if party is not None else None,
        rule_id=rule.id,
        rule_version=rule.effective_from,
        title=rule.title,
        basis=rule.basis,
        tag=rule.tag,
        unit=rule.unit,
        length=rule_length(rule, case.organisation_id),
        started_at=started_at,
        due_at=started_at,  # set from the computation below
        extended_by=0,
        state=DeadlineState.running,
    )
    result = explain(deadline)
    if result.is_provisional and current_app.config["UNCONFIRMED_YEAR_POLICY"] == "refuse":
        years = ", ".join(str(y) for y in result.provisional_years)
        raise DomainError(_l("The official holiday schedule for %(years)s is not confirmed yet.", years=years))
    deadline.due_on, deadline.due_at = due_instant(result)
    deadline.is_provisional = result.is_provisional
    if _has_open_exclusion(case.id) and rule.is_pausable:
        deadline.state = DeadlineState.suspended
    deadline.case = case
    deadline.party = party
    db.session.add(deadline)
    db.session.flush()
    _event(deadline, "started", actor, new=deadline.due_at, note=note)
    record(
        case,
        "deadline.started",
        actor=actor,
        is_public=rule.is_party_period,
        data={"title": title_of(deadline), "due": _due_text(deadline)},
    )
    return deadline


def title_of(deadline: Deadline) -> str:
    """The period's title, with the party's name when it runs for one party."""
    return f"{deadline.title}（{deadline.party.name}）" if deadline.party is not None else deadline.title


def meet_deadlines(
    case: Case, purpose: str, *, actor: User | None, at: datetime | None = None, party: Party | None = None
) -> list[Deadline]:
    """The purpose is fulfilled (the case docketed, the defence filed): its open deadlines are met,
    whatever the clock says. Given the party that fulfilled it, only that party's own periods
    are met among those that run per party (and every period of the case's)."""
    at = at or clock.now()
    met = []
    for deadline in _open_deadlines(case.id):
        if party is not None and deadline.party_id is not None and deadline.party_id != party.id:
            continue
        if _rule(deadline).purpose == purpose:
            deadline.state = DeadlineState.met
            deadline.met_at = at
            deadline.closed_at = at
            _event(deadline, "met", actor)
            record(case, "deadline.met", actor=actor, kind=EntryKind.positive, data={"title": title_of(deadline)})
            met.append(deadline)
    db.session.flush()
    return met


def cancel_deadline(deadline: Deadline, *, actor: User, reason: str) -> None:
    lock_row(deadline.case)  # every check-then-change of a case's periods holds the case's row
    if not deadline.is_open:
        raise DomainError(_l("This deadline is no longer running."))
    deadline.state = DeadlineState.cancelled
    deadline.closed_at = clock.now()
    _event(deadline, "cancelled", actor, note=reason)
    record(
        deadline.case,
        "deadline.cancelled",
        actor=actor,
        kind=EntryKind.negative,
        data={"title": title_of(deadline), "reason": reason},
    )
    db.session.flush()


def cancel_open_deadlines(case: Case, *, only: set[int], actor: User | None, reason: str) -> list[Deadline]:
    """Cancel the case's open periods among ``only`` (the case has closed: they no longer run)."""
    cancelled = []
    for deadline in _open_deadlines(case.id):
        if deadline.id in only:
            deadline.state = DeadlineState.cancelled
            deadline.closed_at = clock.now()
            _event(deadline, "cancelled", actor, note=reason[:500])
            cancelled.append(deadline)
    db.session.flush()
    return cancelled


# -- excluded time ([85]37) -------------------------------------------------------------------


def start_exclusion(case: Case, kind: ExclusionKind, first_day: date, *, actor: User, reason: str) -> ExcludedPeriod:
    """Time from ``first_day`` on no longer counts towards the case's time limit."""
    lock_row(case)
    if first_day > clock.today():
        raise DomainError(("first_day", _l("Excluded time cannot start in the future.")))
    if db.session.scalar(
        sa.select(ExcludedPeriod.id).where(
            ExcludedPeriod.case_id == case.id, ExcludedPeriod.kind == kind, ExcludedPeriod.ends_on.is_(None)
        )
    ):
        raise DomainError(("kind", _l("This kind of excluded time is already running on the case.")))
    period = ExcludedPeriod(case_id=case.id, kind=kind, starts_on=first_day, reason=reason, created_by_id=actor.id)
    db.session.add(period)
    db.session.flush()
    for deadline in _open_deadlines(case.id):
        # a period whose last day passed before the excluded time began is not paused: it was
        # missed, and the sweep must still say so (excluded time counts only while a period runs)
        if _rule(deadline).is_pausable and not _ended_before(deadline, first_day):
            deadline.state = DeadlineState.suspended
            _event(deadline, "paused", actor, note=str(kind.label))
            recompute_deadline(deadline, actor=actor, reason=str(kind.label), notify=False)
    record(
        case,
        "deadline.paused",
        actor=actor,
        data={"kind": str(kind.label), "from": first_day.isoformat()},
        is_public=True,
    )
    return period


def end_exclusion(period: ExcludedPeriod, last_day: date, *, actor: User) -> None:
    """The excluded time ended on ``last_day`` (inclusive); the clock runs again from the next day."""
    lock_row(db.session.get(Case, period.case_id))
    if period.ends_on is not None:
        raise DomainError(_l("This excluded time has already ended."))
    if last_day < period.starts_on or last_day > clock.today():
        raise DomainError(("last_day", _l("The last excluded day must be between its first day and today.")))
    period.ends_on = last_day
    db.session.flush()
    still_open = _has_open_exclusion(period.case_id)
    case = db.session.get(Case, period.case_id)
    for deadline in _open_deadlines(period.case_id):
        if _rule(deadline).is_pausable:
            if not still_open and deadline.state == DeadlineState.suspended:
                deadline.state = DeadlineState.running
                _event(deadline, "resumed", actor)
            recompute_deadline(deadline, actor=actor, reason=str(period.kind.label))
    record(
        case,
        "deadline.resumed",
        actor=actor,
        data={"kind": str(period.kind.label), "to": last_day.isoformat()},
        is_public=True,
    )


# -- extensions -------------------------------------------------------------------------------


def request_extension(deadline: Deadline, *, level: str, length: int, reason: str, actor: User) -> Extension:
    """An examiner asks for more time, with reasons ([85]37: director ≤1 month, superior ≤2 more)."""
    lock_row(deadline.case)  # two requests at once must not both fit under the limit
    rule = _rule(deadline)
    if not deadline.is_open:
        raise DomainError(_l("This deadline is no longer running."))
    limit = {"director": rule.director_extension, "superior": rule.superior_extension}.get(level)
    if not limit:
        raise DomainError(("level", _l("This time limit cannot be extended at that level.")))
    if not isinstance(length, int) or length < 1:
        raise DomainError(("length", _l("An extension must be at least 1.")))
    granted = sum(e.length for e in deadline.extensions if e.level == level and e.state == ExtensionState.approved)
    if length + granted > limit:
        raise DomainError(("length", _l("At this level at most %(n)d more can be granted.", n=limit - granted)))
    if level == "superior" and not any(
        e.level == "director" and e.state == ExtensionState.approved for e in deadline.extensions
    ):
        raise DomainError(("level", _l("A superior office extends only after the director's extension.")))
    if any(e.state == ExtensionState.requested for e in deadline.extensions):
        raise DomainError(_l("An extension request is already awaiting a decision."))
    if not reason.strip():
        raise DomainError(("reason", _l("Give the reasons for the extension.")))
    ext = Extension(
        deadline=deadline,
        level=level,
        length=length,
        unit=rule.extension_unit or rule.unit,
        reason=reason.strip(),
        requested_by_id=actor.id,
    )
    db.session.add(ext)
    db.session.flush()
    _event(deadline, "extension_requested", actor, note=f"{level} +{length}")
    record(
        deadline.case,
        "deadline.extension_requested",
        actor=actor,
        data={"title": title_of(deadline), "length": length, "unit": _unit_ref(rule.extension_unit or rule.unit)},
    )
    notify_case_staff(
        deadline.case,
        deadline,
        "extension_requested",
        key=f"ext-req:{ext.id}",
        roles=None if rule.extension_approver == "panel_leader" else {Role.director},
        data={"title": title_of(deadline)},
    )
    return ext


def can_decide_extension(user: User, ext: Extension) -> bool:
    case = ext.deadline.case
    if ext.level == "director" and _rule(ext.deadline).extension_approver == "panel_leader":
        # A4: the defence period is extended with the panel's approval, given by its leader
        return any(a.user_id == user.id and a.role == AssignmentRole.panel_leader for a in case.assignments)
    if user.role != Role.director or user.organisation_id is None:
        return False
    if ext.level == "director":
        return user.organisation_id == case.organisation_id
    return case.organisation.parent_id is not None and user.organisation_id == case.organisation.parent_id


def decide_extension(ext: Extension, *, approve: bool, actor: User, note: str = "") -> None:
    """Approve or refuse; either way it is audited, and an approval moves the due date."""
    lock_row(ext.deadline.case)  # decided twice at once: the second sees the first's decision
    if ext.state != ExtensionState.requested:
        raise DomainError(_l("This request has already been decided."))
    if not can_decide_extension(actor, ext):
        raise DomainError(_l("You may not decide this extension."))
    deadline = ext.deadline
    ext.state = ExtensionState.approved if approve else ExtensionState.refused
    ext.decided_by_id = actor.id
    ext.decided_at = clock.now()
    ext.decision_note = note
    if approve:
        deadline.extended_by += ext.length
        _event(deadline, "extended", actor, note=f"+{ext.length} {ext.unit.value}")
        recompute_deadline(deadline, actor=actor, reason=str(_l("Extension approved")))
    else:
        _event(deadline, "extension_refused", actor, note=note)
    record(
        deadline.case,
        "deadline.extension_approved" if approve else "deadline.extension_refused",
        actor=actor,
        kind=EntryKind.change if approve else EntryKind.negative,
        data={"title": title_of(deadline), "length": ext.length, "unit": _unit_ref(ext.unit)},
    )
    notify_case_staff(
        deadline.case,
        deadline,
        "extension_decided",
        key=f"ext-dec:{ext.id}",
        data={"title": title_of(deadline), "approved": approve},
    )
    db.session.flush()


# -- recomputation ----------------------------------------------------------------------------


def recompute_deadline(
    deadline: Deadline, *, actor: User | None, reason: str, notify: bool = True, cal: WorkCalendar | None = None
) -> bool:
    """Recompute from scratch; if the due date moved, audit old and new and tell the staff."""
    result = explain(deadline, cal)
    due_on, due_at = due_instant(result)
    moved = due_at != deadline.due_at
    old = deadline.due_at
    deadline.is_provisional = result.is_provisional
    if moved:
        if due_at > old:
            deadline.reminder_sent_at = None  # moved later: remind again when it comes near
        deadline.due_on, deadline.due_at = due_on, due_at
        event = _event(deadline, "moved", actor, old=old, new=due_at, note=reason)
        db.session.flush()
        record(
            deadline.case,
            "deadline.moved",
            actor=actor,
            data={
                "title": title_of(deadline),
                "old": _fmt(old, deadline.unit),
                "new": _due_text(deadline),
                "reason": reason,
            },
            is_public=_rule(deadline).is_party_period,
        )
        if notify:
            data = {"title": title_of(deadline), "old": _fmt(old, deadline.unit), "new": _due_text(deadline)}
            notify_case_staff(deadline.case, deadline, "moved", key=f"moved:{event.id}", data=data)
            if _rule(deadline).is_party_period:
                _notify_parties(deadline, "moved", key=f"moved:{event.id}", data=data)
    db.session.flush()
    return moved


def _notify_parties(deadline: Deadline, kind: str, *, key: str, data: dict[str, Any]) -> int:
    """Tell the parties a party period concerns — its own party, or every party of the case —
    through their accounts and their agents' accounts (in-app, and e-mail when configured)."""
    parties = sa.select(Party.id).where(Party.case_id == deadline.case_id)
    if deadline.party_id is not None:
        parties = parties.where(Party.id == deadline.party_id)
    user_ids = set(
        db.session.scalars(sa.select(Party.user_id).where(Party.id.in_(parties), Party.user_id.is_not(None)))
    ) | set(db.session.scalars(sa.select(Agent.user_id).where(Agent.party_id.in_(parties), Agent.user_id.is_not(None))))
    number = deadline.case.number or ""
    rows = [
        {
            "user_id": uid,
            "key": key,
            "kind": kind,
            "case_id": deadline.case_id,
            "deadline_id": deadline.id,
            "data": dict(data, number=number),
            "created_at": clock.now(),
        }
        for uid in sorted(user_ids)
    ]
    return insert_ignore(rows)


def recompute_open_deadlines(
    *,
    actor: User | None,
    reason: str,
    rule_ids: Iterable[str] | None = None,
    organisation_id: int | None = None,
    touching: tuple[date, date] | None = None,
    ranges: Sequence[tuple[date, date]] | None = None,
) -> int:
    """After a calendar or rule change: recompute every open deadline it may touch. Returns how many moved.

    ``touching`` (one stretch of days) or ``ranges`` (several) limit it, in the query, to the
    deadlines whose computation window meets a changed day."""
    if touching is not None:
        ranges = [*(ranges or ()), touching]
    stmt = sa.select(Deadline).where(Deadline.state.in_(OPEN_STATES))
    if rule_ids is not None:
        stmt = stmt.where(Deadline.rule_id.in_(list(rule_ids)))
    else:
        # Only a rule change moves an hour period: the calendar never does (P6).
        stmt = stmt.where(Deadline.unit != Unit.hours)
    if organisation_id is not None:
        stmt = stmt.join(Case).where(Case.organisation_id == organisation_id)
    if ranges is not None:
        if not ranges:
            return 0
        # a deadline can only move if the changed days lie between its start and its due day (+ slack
        # for the rest-day shift); started_at ≤ last and due_on ≥ first - 14 days is a safe superset
        stmt = stmt.where(
            sa.or_(
                *(
                    sa.and_(Deadline.started_at <= _end(last), Deadline.due_on >= first - timedelta(days=14))
                    for first, last in ranges
                )
            )
        )
    stmt = stmt.order_by(Deadline.id)
    cal = load_calendar()
    moved = 0
    for deadline in db.session.scalars(stmt):
        if rule_ids is not None and organisation_id is not None:
            deadline.length = rule_length(_rule(deadline), deadline.case.organisation_id)
        moved += recompute_deadline(deadline, actor=actor, reason=reason, cal=cal)
    return moved


# -- helpers ----------------------------------------------------------------------------------


def _unit_ref(unit: Unit) -> dict[str, str]:
    return {"enum": "UnitLabel", "value": unit.value}


def _open_deadlines(case_id: int) -> list[Deadline]:
    return list(
        db.session.scalars(
            sa.select(Deadline)
            .where(Deadline.case_id == case_id, Deadline.state.in_(OPEN_STATES))
            .order_by(Deadline.id)
        )
    )


def _ended_before(deadline: Deadline, day: date) -> bool:
    """Did the period's last day (or instant) pass before ``day`` began (China time)?"""
    if deadline.due_on is not None:
        return deadline.due_on < day
    return local_date(deadline.due_at) < day


def _has_open_exclusion(case_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ExcludedPeriod)
            .where(ExcludedPeriod.case_id == case_id, ExcludedPeriod.ends_on.is_(None))
        )
        > 0
    )


def _event(
    deadline: Deadline,
    kind: str,
    actor: User | None,
    *,
    old: datetime | None = None,
    new: datetime | None = None,
    note: str = "",
) -> DeadlineEvent:
    if len(note) > NOTE_MAX:
        # A refusal note may be 1000 characters (kept whole on the Extension); the history keeps its start.
        note = note[: NOTE_MAX - 1] + "…"
    event = DeadlineEvent(deadline=deadline, kind=kind, actor=actor, old_due_at=old, new_due_at=new, note=note)
    db.session.add(event)
    return event


#: the length of DeadlineEvent.note
NOTE_MAX = 500


def _fmt(instant: datetime | None, unit: Unit) -> str:
    if instant is None:
        return ""
    local = clock.to_local(instant)
    return local.strftime("%Y-%m-%d %H:%M") if unit == Unit.hours else local.date().isoformat()


def _due_text(deadline: Deadline) -> str:
    return _fmt(deadline.due_at, deadline.unit)


def _end(day: date) -> datetime:
    return end_of_day(day)


def data_for(deadline: Deadline) -> dict[str, Any]:
    return {"title": title_of(deadline), "due": _due_text(deadline)}
