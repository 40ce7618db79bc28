"""The shared transition engine. Each channel declares one table of transitions; this module
executes any of them the same way: who may act, from which states, on which conditions, which
procedural event it records (meeting and starting deadlines), and which documents it calls for.

A refused move raises :class:`DomainError` with the reason, and changes nothing."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import CASE_HANDLERS, Role, User
from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.operations import lock_case
from ipcase.cases.permissions import visible_org_ids
from ipcase.cases.registry import get_channel
from ipcase.cases.timeline import enum_ref, record
from ipcase.channels.forms import to_json
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import OPEN_STATES, Deadline
from ipcase.deadlines.operations import cancel_deadline, cancel_open_deadlines, meet_deadlines, title_of
from ipcase.deadlines.rules import get_rule
from ipcase.deadlines.triggers import fire

#: a guard returns why the move is not possible now, or None
Guard = Callable[[Case], Any]

ANY_OPEN = "*open"


def period_over(rule_ids: Iterable[str], message: Any) -> Guard:
    """A guard: the move waits until none of these periods is still running on the case
    (silence or a missed answer counts only once its period has run out)."""
    ids = tuple(rule_ids)

    def guard(case: Case) -> Any:
        running = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Deadline)
            .where(Deadline.case_id == case.id, Deadline.rule_id.in_(ids), Deadline.state.in_(OPEN_STATES))
        )
        return message if running else None

    return guard


def period_running(rule_ids: Iterable[str], message: Any) -> Guard:
    """A guard: the step answers a period, so one of these must still be running on the case."""
    over = period_over(rule_ids, message)
    return lambda case: None if over(case) else message


def required_detail(details: dict[str, Any], key: str, message: Any) -> str:
    """A step's text detail that must not be blank (stripped in place), or a refusal on that field."""
    value = str(details.get(key) or "").strip()
    if not value:
        raise DomainError((key, message))
    details[key] = value
    return value


def choice_detail(details: dict[str, Any], key: str, enum: Any, message: Any) -> Any:
    """A step's detail as a member of ``enum``, or a refusal on that field."""
    try:
        return enum(details.get(key))
    except ValueError:
        raise DomainError((key, message)) from None


def records(*events: str) -> Callable[[Any], Any]:
    """Mark an effect or a step's ``apply`` that meets or starts the periods of ``events`` itself
    (not through the transition's ``event``): those events belong to the step, and the raw
    procedural-event recorder does not offer them (``deadlines.triggers.owned_events``)."""

    def mark(fn: Any) -> Any:
        fn.records_events = events
        return fn

    return mark


def _step_party(case: Case, details: dict[str, Any]) -> Any:
    """The party a step names in its details (``party``, kept as ``party_id`` once named), if any:
    the periods that run per party are then met for that party only."""
    ident = details.get("party_id", details.get("party"))
    if not isinstance(ident, int) or isinstance(ident, bool):
        return None
    return next((p for p in case.parties if p.id == ident), None)


# -- effects several channels share: f(case, actor, at, state_before) ----------------------------


def mark_docketed(case: Case, actor: User | None, at: datetime, before: str) -> None:
    case.docketed_at = at


@records("docketed")
def docketing_decided(case: Case, actor: User | None, at: datetime, before: str) -> None:
    """The docketing decision answers the docketing period, also when the step records another
    event: refusing to docket ([85]20), or docketing an ownership dispute ([85]66)."""
    meet_deadlines(case, "docketed", actor=actor, at=at)


@dataclass(frozen=True)
class Transition:
    """One move of a channel's workflow."""

    action: str
    label: Any
    sources: frozenset[str]
    #: the new state; ``None`` keeps the state (a step recorded without a change of state)
    target: str | None
    roles: frozenset[Role]
    #: procedural event recorded at the moment of the move (meets and starts deadlines)
    event: str | None = None
    guards: tuple[Guard, ...] = ()
    #: document kinds the move calls for (issued through the documents feature)
    documents: tuple[str, ...] = ()
    needs_reason: bool = False
    #: the move ends the case
    closes: bool = False
    #: kind of timeline entry
    kind: EntryKind = EntryKind.change
    #: shown to the parties on their status page
    is_public: bool = True
    #: further effects, run after the state changes: f(case, actor, at, state_before)
    effects: tuple[Callable[[Case, User | None, datetime, str], None], ...] = ()
    #: the step's form when it asks for structured details (a ``StepForm`` subclass)
    form: type | None = None
    #: applies the details: f(case, details, actor, at); may refuse with a DomainError
    apply: Callable[[Case, dict[str, Any], User | None, datetime], None] | None = None
    #: the move decides the matter (deliberation, closing approval, the decision): it is refused
    #: while a period runs for a party that it would cut short (:func:`party_period_cut_short`)
    decides: bool = False


@dataclass
class Workflow:
    """A channel's transition table with the states it uses."""

    states: type
    transitions: tuple[Transition, ...]
    closed: frozenset[str]
    by_action: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.by_action = {}
        valid = {s.value for s in self.states}
        for t in self.transitions:
            if t.action in self.by_action:
                raise ValueError(f"duplicate action {t.action}")
            unknown = (set(t.sources) - {ANY_OPEN} | ({t.target} if t.target else set())) - valid
            if unknown:
                raise ValueError(f"{t.action}: unknown states {unknown}")
            self.by_action[t.action] = t

    def sources_of(self, t: Transition) -> set[str]:
        if ANY_OPEN in t.sources:
            return {s.value for s in self.states} - set(self.closed)
        return set(t.sources)

    def edges(self) -> list[tuple[str, str, Transition]]:
        """(from, to, transition) for every state-changing move: what the diagram draws."""
        return [(s, t.target, t) for t in self.transitions if t.target for s in sorted(self.sources_of(t))]


def why_not(workflow: Workflow, case: Case, action: str, user: User | None) -> Any:
    """Why ``user`` cannot take ``action`` on ``case`` now (a message), or None if they can."""
    t = workflow.by_action.get(action)
    if t is None:
        return _l("This action does not exist in this procedure.")
    if case.state not in workflow.sources_of(t):
        return _l("This action is not possible while the case is “%(state)s”.", state=case.state_label)
    if user is not None:
        if user.role not in t.roles:
            return _l("Your role may not take this action.")
        # closed cases still move on (publication, lawsuit, enforcement): the sources decide that
        if user.role not in CASE_HANDLERS or case.organisation_id not in visible_org_ids(user):
            return _l("You may not act on this case.")
    for guard in t.guards:
        reason = guard(case)
        if reason:
            return reason
    return None


# -- one step at a time per case ------------------------------------------------------------------


def last_step(case: Case) -> Any:
    """The timeline entry of the case's newest step, or None."""
    return db.session.scalars(
        sa.select(TimelineEntry)
        .where(TimelineEntry.case_id == case.id, TimelineEntry.event == "case.transition")
        .order_by(TimelineEntry.id.desc())
        .limit(1)
    ).first()


def step_version(case: Case) -> str:
    """What a page offering steps saw of the case: its state and its last step's entry
    (``state:entry id``), sent back with the step (``StepForm.seen``) so that a step taken from
    a page the case has moved on from is refused (:func:`changed_meanwhile`)."""
    last = last_step(case)
    return f"{case.state}:{last.id if last is not None else 0}"


def changed_meanwhile(case: Case, seen: str | None) -> Any:
    """Why a step sent from a page that saw the case as ``seen`` (:func:`step_version`) must not
    be taken now (a message naming what happened since, and the case's state), or None when the
    case is as the page showed it. A form that sent no version is not checked here (``take``
    still checks the move against the case's current state)."""
    seen = (seen or "").strip()
    if not seen or seen == step_version(case):
        return None
    _, _, after = seen.partition(":")
    since = int(after) if after.isdigit() and len(after) < 19 else 0
    entry = last_step(case)
    if entry is not None and entry.id <= since:
        entry = None  # no step since the page: something else changed the state
    step = ((entry.data or {}).get("action") or {}).get("step") if entry is not None else None
    workflow = get_channel(case.channel).workflow
    t = workflow.by_action.get(step) if workflow is not None and isinstance(step, str) else None
    if entry is None or t is None:
        return _l("The case changed meanwhile: it is now “%(state)s”. Check it and try again.", state=case.state_label)
    return _l(
        "The case changed meanwhile: %(who)s took the step “%(step)s” at %(at)s; it is now “%(state)s”. "
        "Check it and try again.",
        who=entry.actor.display_name if entry.actor is not None else _l("the office"),
        step=t.label,
        at=clock.to_local(entry.at).strftime("%Y-%m-%d %H:%M"),
        state=case.state_label,
    )


def available(workflow: Workflow, case: Case, user: User) -> list[Transition]:
    """The moves ``user`` may take on ``case`` now."""
    return [t for t in workflow.transitions if why_not(workflow, case, t.action, user) is None]


def take(
    workflow: Workflow,
    case: Case,
    action: str,
    *,
    actor: User | None,
    reason: str = "",
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> Transition:
    """Take a move: check it, change the state, record the event and the timeline entry.

    The case's row is locked first (:func:`ipcase.cases.operations.lock_case`) and the move
    checked on what it holds then: of two people taking steps on the same case at once, the second
    waits for the first and is refused when the first moved the case on (its taker decided on a
    state that is gone)."""
    state_seen = case.state
    lock_case(case)
    if case.state != state_seen:
        # another step moved the case while this one waited: its taker decided on a state that
        # is gone, so the step is refused even where the new state would allow it
        raise DomainError(("action", changed_meanwhile(case, f"{state_seen}:")))
    problem = why_not(workflow, case, action, actor)
    if problem:
        raise DomainError(("action", problem))
    t = workflow.by_action[action]
    if t.decides:
        problem = party_period_cut_short(case, t)
        if problem:
            raise DomainError(("action", problem))
    reason = (reason or "").strip()
    if t.needs_reason and not reason:
        raise DomainError(("reason", _l("Give the reasons for this step.")))
    at = at or clock.now()
    if at > clock.now():
        raise DomainError(("at", _l("A step cannot be recorded in the future.")))
    if at < case.received_at:
        raise DomainError(("at", _l("A step cannot precede the case's receipt.")))
    before, closed_before = case.state, case.closed_at
    if t.target:
        case.state = t.target
    if t.closes:
        case.closed_at = at
    details = dict(details or {})
    try:
        for effect in t.effects:
            effect(case, actor, at, before)
        if t.apply is not None:
            t.apply(case, details, actor, at)
    except DomainError:
        # refused by its details: the case stays where it was (the caller rolls back the rest)
        case.state, case.closed_at = before, closed_before
        raise
    db.session.flush()
    states = workflow.states
    record(
        case,
        "case.transition",
        actor=actor,
        kind=t.kind,
        is_public=t.is_public,
        data={
            "action": {"step": t.action, "channel": str(case.channel)},
            "from": enum_ref(states(before)),
            "to": enum_ref(states(case.state)),
            "reason": reason,
            **({"details": {k: to_json(v) for k, v in details.items()}} if details else {}),
            **(data or {}),
        },
    )
    open_before = set(
        db.session.scalars(sa.select(Deadline.id).where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES)))
    )
    if t.event:
        meet_deadlines(case, t.event, actor=actor, at=at, party=_step_party(case, details))
        fire(case, t.event, at=at, actor=actor)
    if t.closes:
        meet_deadlines(case, "closed", actor=actor, at=at)
        # the office's periods end with the case; periods this move started (publication,
        # a party's lawsuit window) run on
        cancel_open_deadlines(case, only=open_before, actor=actor, reason=str(t.label))
    return t


# -- a party's running period is not cut short -----------------------------------------------------

#: the step that records a party's waiver of the rest of a period (:func:`waive_period`)
WAIVER_STEP = "waive_period"


def parties_of_period(case: Case, deadline: Any) -> list[Any]:
    """The parties a period runs for: its own party when it runs per party, else every party of
    the roles it runs for (all parties when the rule names none)."""
    if deadline.party_id is not None:
        return [p for p in case.parties if p.id == deadline.party_id]
    roles = get_rule(deadline.rule_id, deadline.rule_version).per_party
    return [p for p in case.parties if not roles or p.role.value in roles]


def waivers(case: Case, deadline_id: int) -> set[int]:
    """The ids of the parties whose waiver of the rest of this period is recorded."""
    found = set()
    for e in case.timeline:
        data = e.data or {}
        if e.event != "case.transition" or data.get("copied_from"):
            continue
        if not isinstance(data.get("action"), dict) or data["action"].get("step") != WAIVER_STEP:
            continue
        details = data.get("details") or {}
        if details.get("period_id") == deadline_id and isinstance(details.get("party_id"), int):
            found.add(details["party_id"])
    return found


def open_party_periods(case: Case) -> list[Any]:
    """The case's open periods that run for a party (``Rule.runs_for_party``), earliest end first."""
    rows = db.session.scalars(
        sa.select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.state.in_(OPEN_STATES))
        .order_by(Deadline.due_at, Deadline.id)
    )
    return [d for d in rows if get_rule(d.rule_id, d.rule_version).runs_for_party]


def party_period_cut_short(case: Case, t: Transition) -> Any:
    """Why the deciding move ``t`` would cut short a period that still runs for a party (named,
    with its end and basis), or None. A period the move itself fulfils (its purpose is the move's
    event, or the case's closing) is not cut short; nor one every party it runs for has waived
    (:func:`waive_period` then ends it). The office's own periods are not a party's."""
    db.session.flush()
    fulfilled = {t.event, "closed" if t.closes else None} - {None}
    for deadline in open_party_periods(case):
        if get_rule(deadline.rule_id, deadline.rule_version).purpose in fulfilled:
            continue
        waived = waivers(case, deadline.id)
        still = [p for p in parties_of_period(case, deadline) if p.id not in waived]
        if not still and parties_of_period(case, deadline):
            continue
        end = clock.to_local(deadline.due_at)
        return _l(
            "“%(period)s” still runs for %(parties)s until %(end)s (%(basis)s): this step would cut it short. "
            "Wait until it ends, or record the party's waiver of the rest of the period.",
            period=title_of(deadline),
            parties="、".join(p.name for p in still) or str(_l("the parties")),
            end=end.strftime("%Y-%m-%d %H:%M") if deadline.due_on is None else deadline.due_on.isoformat(),
            basis=deadline.basis,
        )
    return None


def waive_period(case: Case, details: dict[str, Any], actor: User | None, at: datetime) -> None:
    """A step's ``apply``: the party (``party``) waives the rest of a period running for it
    (``period``, a deadline id), recorded with its date on the timeline by the step. Once every
    party the period runs for has waived it, the period ends (cancelled, "waived")."""
    deadline = next((d for d in open_party_periods(case) if d.id == details.get("period")), None)
    if deadline is None:
        raise DomainError(("period", _l("Choose a period that is still running for a party.")))
    runs_for = parties_of_period(case, deadline)
    party = next((p for p in runs_for if p.id == details.get("party")), None)
    if party is None:
        raise DomainError(("party", _l("Choose a party the period runs for.")))
    if party.id in waivers(case, deadline.id):
        raise DomainError(("party", _l("This party has already waived this period.")))
    details["party"], details["party_id"] = party.name, party.id
    details["period"], details["period_id"] = title_of(deadline), deadline.id
    details["waived_on"] = clock.local_day(at).isoformat()
    if {p.id for p in runs_for} <= waivers(case, deadline.id) | {party.id} and actor is not None:
        cancel_deadline(deadline, actor=actor, reason=str(_l("Waived by every party it runs for")))


def refused_moves(workflow: Workflow, states: Iterable[str]) -> list[tuple[str, str]]:
    """(state, action) pairs the table does not allow: what the refusal tests walk."""
    return [(s, t.action) for s in states for t in workflow.transitions if s not in workflow.sources_of(t)]
