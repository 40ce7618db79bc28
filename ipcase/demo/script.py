"""How a demo case is written and played: a scenario is the intake and the steps of one case, each
at so many working days before the demo day, within office hours; the player takes every step
through the real operations and the channel's workflow engine at its simulated instant, the
clock moved for each one, so timelines, procedural events and statutory periods are those of
real use. Between steps, periods that ran out are marked missed, as the sweep would have done.

The demo day is today when it is a working day and the office has opened; otherwise the last
working day before. Steps planned for the demo day are kept before the moment of seeding."""

import heapq
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict

from ipcase.auth.models import User
from ipcase.cases import operations as ops
from ipcase.cases.enums import AssignmentRole, CaseSource, Channel, JurisdictionBasis, PartyRole, RightType
from ipcase.cases.models import Case
from ipcase.cases.registry import get_channel
from ipcase.channels.injunctions.workflow import link_main_case
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import WorkCalendar
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.rules import get_rule
from ipcase.organisations.models import Organisation

#: the office opens at 09:00; a demo day counts once it has been open half an hour
OPENS, COUNTS_FROM, CLOSES = time(9, 0), time(9, 30), time(17, 30)
#: the sweep marks a period missed within minutes of its end
SWEEP_DELAY = timedelta(minutes=5)
#: the office's periods missed within so many working days before the demo day stay for the sweep
FRESH_DAYS = 2

# -- the calendar of the demo --------------------------------------------------------------------


def demo_day(now: datetime, cal: WorkCalendar) -> date:
    """The working day the demo is built around (see the module docstring)."""
    local = clock.to_local(now)
    day = local.date()
    if cal.is_workday(day) and local.time() >= COUNTS_FROM:
        return day
    return shift_working_days(cal, day, 1)


def shift_working_days(cal: WorkCalendar, day: date, back: int) -> date:
    """The working day ``back`` working days before ``day`` (after it when negative); ``back``
    0 is ``day`` itself when it is a working day, else the working day before it."""
    step = -1 if back >= 0 else 1
    if back == 0:
        while not cal.is_workday(day):
            day -= timedelta(days=1)
        return day
    remaining = abs(back)
    while remaining:
        day += timedelta(days=step)
        if cal.is_workday(day):
            remaining -= 1
    return day


def working_days_between(cal: WorkCalendar, earlier: date, later: date) -> int:
    """Working days after ``earlier`` up to and including ``later`` (negative if ``later`` comes first)."""
    if later < earlier:
        return -working_days_between(cal, later, earlier)
    return sum(1 for i in range(1, (later - earlier).days + 1) if cal.is_workday(earlier + timedelta(days=i)))


# -- how scenarios are written -------------------------------------------------------------------


@dataclass(frozen=True)
class AfterDue:
    """So many working days after the last day of the case's latest period ``rule_id`` (0: on it)."""

    rule_id: str
    wd: int = 0


@dataclass(frozen=True)
class At:
    """A date and time typed into a form: ``wd`` working days before the demo day (negative: after)."""

    wd: int
    at: str = "09:30"


@dataclass(frozen=True)
class On:
    """A date typed into a form: ``wd`` working days before the demo day, plus ``days`` calendar days."""

    wd: int
    days: int = 0


@dataclass(frozen=True)
class PartyOf:
    """The first party of the case in this role (its id in the form)."""

    role: PartyRole = PartyRole.respondent


@dataclass(frozen=True)
class Staff:
    """A demo account (its id in the form)."""

    username: str


@dataclass(frozen=True)
class Office:
    """An organisation by code (its id in the form)."""

    code: str


@dataclass(frozen=True)
class Step:
    """One thing done on a case: a workflow action, or one of the operations ``assign``,
    ``agent``, ``update``, ``account``, ``main_case``."""

    action: str
    wd: int | AfterDue
    at: str = "10:00"
    by: str = ""
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def step(action: str, wd: int | AfterDue, at: str = "10:00", by: str = "", reason: str = "", **details: Any) -> Step:
    return Step(action, wd, at, by, reason, details)


def assign(wd: int, at: str, username: str, role: AssignmentRole, *, ack: bool = False) -> Step:
    """The director puts ``username`` on the case ([85]5 checks run; ``ack`` confirms the warnings)."""
    return Step("assign", wd, at, "director", details={"user": username, "role": role, "ack": ack})


def panel(wd: int, at: str, leader: str, *members: str) -> tuple[Step, ...]:
    """A collegial panel of at least three, an odd number, with its leader ([85]20)."""
    first = assign(wd, at, leader, AssignmentRole.panel_leader)
    return (first, *(assign(wd, at, m, AssignmentRole.panel_member) for m in members))


@dataclass(frozen=True)
class Scenario:
    """One demo case: who opened it where, its parties and right, and every step taken since."""

    key: str
    channel: Channel
    org: str
    actor: str
    source: CaseSource
    title: str
    #: received so many working days before the demo day, at this local time
    received: tuple[int, str]
    requester: str
    respondent: str
    right: dict[str, Any]
    #: the state the steps lead to (checked once the demo is played)
    state: str
    steps: tuple[Step, ...] = ()
    summary: str = ""
    channel_data: dict[str, Any] = field(default_factory=dict)
    jurisdiction: JurisdictionBasis | None = None
    #: (party role, agent key), added at intake
    agents: tuple[tuple[PartyRole, str], ...] = ()
    #: the ``party`` demo account is the requester's own account
    party_account: bool = False
    #: the case is not received at a desk: the referral step of that scenario opens it (its
    #: parties, right and receipt then come from the referral; the fields here document them)
    opened_by: str = ""


# -- playing them ----------------------------------------------------------------------------------


class DemoClock:
    """A clock the demo moves by hand; ``clock.now()`` and every column default read it."""

    def __init__(self, at: datetime) -> None:
        self.at = at


@contextmanager
def simulated_clock(start: datetime) -> Iterator[DemoClock]:
    """Replace the app's clock by one the demo moves, and restore it afterwards. Column defaults
    (``default=clock.now``) hold the original function, which reads ``clock.datetime``: both are
    replaced."""
    sim = DemoClock(start)
    real_datetime = clock.datetime

    class _SimulatedDatetime(real_datetime):  # type: ignore[misc, valid-type]
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return sim.at.astimezone(tz) if tz is not None else sim.at.astimezone().replace(tzinfo=None)

    saved_now = clock.now
    clock.now = lambda: sim.at  # type: ignore[assignment]
    clock.datetime = _SimulatedDatetime  # type: ignore[misc]
    try:
        yield sim
    finally:
        clock.now = saved_now  # type: ignore[assignment]
        clock.datetime = real_datetime  # type: ignore[misc]


class SeedError(RuntimeError):
    """A demo scenario that the workflow refused, or that did not end where it says."""


@dataclass
class Player:
    """Plays scenarios in the order their steps happened, across cases."""

    cal: WorkCalendar
    now: datetime
    parties: dict[str, dict[str, Any]]
    agents: dict[str, dict[str, Any]]
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.day0 = demo_day(self.now, self.cal)
        self.latest = min(self.now - SWEEP_DELAY, self.instant(0, CLOSES.strftime("%H:%M")))
        self.fresh_from = self.instant(FRESH_DAYS, OPENS.strftime("%H:%M"))

    # -- time --------------------------------------------------------------------------------------

    def day(self, wd: int) -> date:
        return shift_working_days(self.cal, self.day0, wd)

    def instant(self, wd: int, at: str) -> datetime:
        hour, minute = (int(x) for x in at.split(":"))
        return clock.from_local(datetime.combine(self.day(wd), time(hour, minute)))

    def _planned(self, case: Case | None, s: Step) -> datetime:
        if isinstance(s.wd, int):
            return self.instant(s.wd, s.at)
        assert case is not None
        due = db.session.scalars(
            sa.select(Deadline.due_on)
            .where(Deadline.case_id == case.id, Deadline.rule_id == s.wd.rule_id)
            .order_by(Deadline.id.desc())
            .limit(1)
        ).first()
        if due is None:
            raise SeedError(f"{case.title}: {s.action} waits for {s.wd.rule_id}, which never started")
        day = shift_working_days(self.cal, due, -s.wd.wd) if s.wd.wd else shift_working_days(self.cal, due, 0)
        hour, minute = (int(x) for x in s.at.split(":"))
        return clock.from_local(datetime.combine(day, time(hour, minute)))

    def _fit(self, planned: datetime, remaining: int, previous: datetime) -> datetime:
        """Keep a step planned for later today before the moment of seeding, leaving a minute
        for each step still to come, and after the step before it."""
        at = min(planned, self.latest - timedelta(minutes=2 * remaining))
        if at <= previous:
            at = previous + timedelta(minutes=1)
        if at > self.latest:
            raise SeedError(f"a demo step planned for {planned.isoformat()} does not fit before {self.latest}")
        return at

    # -- the play ----------------------------------------------------------------------------------

    def play(self, scenarios: list[Scenario]) -> None:
        by_key = {s.key: s for s in scenarios}
        waiting = {s.opened_by: s for s in scenarios if s.opened_by}
        queue: list[tuple[datetime, int, str, int]] = []
        previous: dict[str, datetime] = {}
        order = {s.key: i for i, s in enumerate(scenarios)}

        def push(scenario: Scenario, index: int) -> None:
            """Queue step ``index`` of the scenario (-1: its intake)."""
            if index >= len(scenario.steps):
                return
            if index < 0:
                planned = self.instant(*scenario.received)
            else:
                planned = self._planned(self.cases.get(scenario.key), scenario.steps[index])
            last = previous.get(scenario.key, datetime.min.replace(tzinfo=planned.tzinfo))
            at = self._fit(planned, len(scenario.steps) - index - 1, last)
            heapq.heappush(queue, (at, order[scenario.key], scenario.key, index))

        with simulated_clock(self.latest) as sim:
            for scenario in scenarios:
                if not scenario.opened_by:
                    push(scenario, -1)
            while queue:
                at, _, key, index = heapq.heappop(queue)
                scenario = by_key[key]
                sim.at = at
                previous[key] = at
                self._lapse(at)
                try:
                    if index < 0:
                        self._open(scenario, at)
                    else:
                        self._take(scenario, scenario.steps[index], at)
                except DomainError as exc:
                    action = "intake" if index < 0 else scenario.steps[index].action
                    raise SeedError(f"{scenario.key}: {action} at {at.isoformat()} refused: {exc.messages}") from exc
                db.session.flush()  # column defaults (``at``, ``created_at``) read the clock now
                push(scenario, index + 1)
                follower = waiting.get(key)
                if follower is not None and follower.key not in self.cases:
                    opened = db.session.scalars(
                        sa.select(Case).where(Case.referred_from_id == self.cases[key].id).order_by(Case.id.desc())
                    ).first()
                    if opened is not None:
                        self.cases[follower.key] = opened
                        previous[follower.key] = at
                        push(follower, 0)
            sim.at = self.latest
            self._lapse(self.now)
            db.session.flush()
        for scenario in scenarios:
            case = self.cases.get(scenario.key)
            if case is None:
                raise SeedError(f"{scenario.key}: never opened")
            if case.state != str(scenario.state):
                raise SeedError(f"{scenario.key}: ended in {case.state}, not {scenario.state}")

    def _lapse(self, at: datetime) -> None:
        """What the sweep would have done by ``at``: periods that ran out are missed. The
        office's own periods missed in the last working days are left for the app's first sweep
        to announce, so the staff find fresh alerts."""
        with db.session.no_autoflush:  # every step flushes what it changed
            lapsed = db.session.scalars(
                sa.select(Deadline).where(Deadline.state == DeadlineState.running, Deadline.due_at < at - SWEEP_DELAY)
            ).all()
        for deadline in lapsed:
            if (
                deadline.due_at >= self.fresh_from
                and not get_rule(deadline.rule_id, deadline.rule_version).is_party_period
            ):
                continue
            swept = min(deadline.due_at + SWEEP_DELAY, self.now)
            deadline.state = DeadlineState.breached
            deadline.breach_sent_at = deadline.closed_at = swept

    def _open(self, s: Scenario, at: datetime) -> None:
        right = dict(s.right)
        if right["right_type"] == RightType.patent:
            # the register extract (专利登记簿副本) is dated shortly before filing, as [85]14 expects
            right["status_checked_on"] = clock.local_day(at) - timedelta(days=3)
        actor = self.users[s.actor]
        case = ops.open_case(
            channel=s.channel,
            organisation=self.orgs[s.org],
            actor=actor,
            source=s.source,
            title=s.title,
            received_at=at,
            summary=s.summary,
            jurisdiction_basis=s.jurisdiction,
            channel_data={k: _dated(v, at) for k, v in s.channel_data.items()},
            parties=[
                {"role": PartyRole.requester, **self.parties[s.requester]},
                {"role": PartyRole.respondent, **self.parties[s.respondent]},
            ],
            rights=[right],
        )
        for role, agent in s.agents:
            ops.add_agent(case.parties_in(role)[0], dict(self.agents[agent]), actor=actor)
        if s.party_account:
            case.requesters[0].user = self.users["party"]
        self.cases[s.key] = case

    def _take(self, s: Scenario, st: Step, at: datetime) -> None:
        case = self.cases[s.key]
        actor = self.users[st.by or s.actor]
        d = st.details
        if st.action == "assign":
            user = self.users[d["user"]]
            ops.assign_staff(case, user, d["role"], actor=actor, acknowledge_warnings=d.get("ack", False))
        elif st.action == "agent":
            ops.add_agent(case.parties_in(d["role"])[0], dict(self.agents[d["agent"]]), actor=actor)
        elif st.action == "update":
            ops.update_case(case, dict(d), actor=actor)
        elif st.action == "account":
            case.requesters[0].user = self.users["party"]
        elif st.action == "main_case":
            link_main_case(case, self.cases[d["case"]], actor)  # type: ignore[arg-type]
        else:
            workflow = get_channel(case.channel).workflow
            details = self._details(case, workflow.by_action[st.action], d)
            take(workflow, case, st.action, actor=actor, reason=st.reason, at=at, details=details)

    def _details(self, case: Case, transition: Any, raw: dict[str, Any]) -> dict[str, Any] | None:
        """The step's details as its form posts them, validated by that form."""
        if transition.form is None:
            if raw:
                raise SeedError(f"{transition.action} has no form for {sorted(raw)}")
            return None
        posted: MultiDict[str, str] = MultiDict()
        for name, value in raw.items():
            for item in value if isinstance(value, list | tuple) else [value]:
                text = self._form_value(case, item)
                if text is not None:
                    posted.add(name, text)
        with current_app.test_request_context(method="POST"):
            form = transition.form(formdata=posted, meta={"csrf": False})
            form.prepare(case)
            if not form.validate():
                raise SeedError(f"{case.title}: {transition.action}: {form.errors}")
            return form.details()

    def _form_value(self, case: Case, value: Any) -> str | None:
        if isinstance(value, At):
            return datetime.combine(self.day(value.wd), time.fromisoformat(value.at)).strftime("%Y-%m-%dT%H:%M")
        if isinstance(value, On):
            return (self.day(value.wd) + timedelta(days=value.days)).isoformat()
        if isinstance(value, PartyOf):
            return str(case.parties_in(value.role)[0].id)
        if isinstance(value, Staff):
            return str(self.users[value.username].id)
        if isinstance(value, Office):
            return str(self.orgs[value.code].id)
        if value is True:
            return "y"
        if value is False or value is None:
            return None
        if isinstance(value, str):
            return _dated(value, clock.now())
        if isinstance(value, Decimal | int):
            return str(value)
        return str(getattr(value, "value", value))


def _dated(value: Any, at: datetime) -> Any:
    """``{year}`` in a demo text is the year of the step (court and arbitration case numbers)."""
    return value.replace("{year}", str(clock.local_day(at).year)) if isinstance(value, str) else value


__all__ = [
    "AfterDue",
    "At",
    "Office",
    "On",
    "PartyOf",
    "Player",
    "Scenario",
    "SeedError",
    "Staff",
    "Step",
    "assign",
    "demo_day",
    "panel",
    "shift_working_days",
    "simulated_clock",
    "step",
    "working_days_between",
]
