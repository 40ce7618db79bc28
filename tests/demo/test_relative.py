"""The demo is built around the day it is seeded: seeded on different days (a Tuesday in 2026, a
Monday in 2027, the last evening before the National Day holidays, and the suite's own instant)
it has the same shape relative to each day, and no case has an impossible history — every step
on a working day in office hours, nothing in the future, assignments before the steps that need
them, every state reached by the steps on the timeline, closed cases with their closing step,
and at least one period missed and one due soon.

Each instant gets its own fresh database; time is moved with time-machine, never read from the
wall clock."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from flask_migrate import upgrade

from ipcase.cases.enums import PANEL_ROLES, AssignmentRole, Channel
from ipcase.cases.models import Case
from ipcase.cases.registry import get_channel
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.rules import get_rule
from ipcase.deadlines.service import sync_calendar
from ipcase.deadlines.views import countdown
from ipcase.demo.script import demo_day, working_days_between
from ipcase.demo.seed import seed_demo
from tests.conftest import database_config, drop_database, make_app

#: (label, instant); "suite" is whatever instant the suite runs at (``--at``)
INSTANTS = {
    "tuesday-2026": "2026-11-24T02:00:00+00:00",  # 10:00 in China
    "monday-2027": "2027-03-15T02:00:00+00:00",
    "national-day-eve": "2026-09-30T15:30:00+00:00",  # 23:30 in China, holidays from tomorrow
}
#: the periods intake starts, and the states in which they may still run
INTAKE = {
    "adj.docket": {"received"},
    "med.serve_statement_notice": {"received"},
    "sta.forward": {"received"},
    "inj.decision": {"received", "under_review"},
}
OPENS, CLOSES = time(9, 0), time(17, 30)


@dataclass
class Seeded:
    """What a seeding left, read at the instant it ran."""

    now: datetime
    signature: dict[str, dict[str, Any]]
    problems: list[str]
    urgencies: list[str]
    missed: int
    #: the demo day is today (a working day, the office open): deadlines count down from it
    on_demo_day: bool


def _seed_at(backend: str, tmp_path_factory: pytest.TempPathFactory, label: str, instant: str | None) -> Seeded:
    config = database_config(backend, tmp_path_factory, f"demo{label.replace('-', '')}")
    app = make_app(config)
    travel = time_machine.travel(datetime.fromisoformat(instant), tick=False) if instant else None
    try:
        if travel is not None:
            travel.start()
        with app.app_context():
            upgrade()
            sync_calendar()  # as `bash .ci/setup.sh serve` does before seeding
            assert seed_demo() > 25
            db.session.commit()
            db.session.expire_all()
            return _read(clock.now())
    finally:
        if travel is not None:
            travel.stop()
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        drop_database(config)


def _read(now: datetime) -> Seeded:
    cal = load_calendar()
    day0 = demo_day(now, cal)
    problems: list[str] = []
    signature: dict[str, dict[str, Any]] = {}
    urgencies: list[str] = []
    missed = 0
    for case in db.session.scalars(sa.select(Case).order_by(Case.id)):
        key = f"{case.organisation.code}·{case.title}"
        own = [e for e in case.timeline if not (e.data or {}).get("copied_from")]
        steps = [e for e in own if e.event == "case.transition"]
        deadlines = list(db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id)))
        open_now = []
        hour_rules = {d.rule_id for d in deadlines if d.unit == Unit.hours}
        for d in deadlines:
            left = countdown(d, now=now, cal=cal)
            if d.is_open:
                open_now.append((d.rule_id, d.state.value, left.urgency if left else ""))
                urgencies.append(left.urgency if left else "")
            if d.state == DeadlineState.breached or (d.is_open and left is not None and left.urgency == "overdue"):
                missed += 1
        signature[key] = {
            "channel": case.channel,
            "state": case.state,
            # a recomputation is noted only when it moves the due day, which depends on the weekends
            "entries": sum(e.event != "deadline.moved" for e in case.timeline),
            "steps": [e.data["action"]["step"] for e in steps],
            "offsets": [
                working_days_between(cal, clock.local_day(at), day0)
                for at in [case.received_at, *(e.at for e in steps)]
            ],
            "deadlines": sorted((d.rule_id, d.state.value) for d in deadlines if d.unit != Unit.hours),
            "open": sorted(o for o in open_now if o[0] not in hour_rules),
            # periods in hours started on the demo day have run out when it is not today
            "hours": sorted((d.rule_id, d.state.value) for d in deadlines if d.unit == Unit.hours),
            "open_hours": sorted(o for o in open_now if o[0] in hour_rules),
        }
        problems += [f"{key}: {p}" for p in _history_problems(case, own, steps, deadlines, now, cal)]
    return Seeded(now, signature, problems, urgencies, missed, day0 == clock.local_day(now))


def _history_problems(case: Case, own: list, steps: list, deadlines: list, now: datetime, cal: Any) -> Iterator[str]:
    defn = get_channel(case.channel)
    workflow = defn.workflow
    # nothing in the future
    for e in case.timeline:
        if e.at > now:
            yield f"{e.event} in the future ({e.at})"
    for d in deadlines:
        if d.started_at > now:
            yield f"{d.rule_id} starts in the future"
    # every step on a working day, in office hours
    for e in own:
        local = clock.to_local(e.at)
        if not cal.is_workday(local.date()) or not OPENS <= local.time() <= CLOSES:
            yield f"{e.event} at {local:%Y-%m-%d %H:%M}, outside a working day's office hours"
    # the state is reached by the steps on the timeline, from the channel's first state
    state = defn.initial_state.value
    for e in steps:
        t = workflow.by_action[e.data["action"]["step"]]
        before, after = e.data["from"]["value"], e.data["to"]["value"]
        if before != state or state not in workflow.sources_of(t):
            yield f"{t.action} taken in {before}, the case was in {state}"
        if t.target is not None and after != t.target:
            yield f"{t.action} led to {after}, not {t.target}"
        state = after
    if state != case.state:
        yield f"the steps lead to {state}, the case is {case.state}"
    # closed cases have their closing step, at the time they closed
    closing = [e for e in steps if workflow.by_action[e.data["action"]["step"]].closes]
    if case.is_closed != (defn.states(case.state) in defn.closed_states):
        yield "closed_at does not match the state"
    if case.is_closed and (not closing or closing[-1].at != case.closed_at):
        yield "closed without its closing step"
    # assignments before the steps that need them
    for a in case.assignments:
        if not case.received_at <= a.created_at <= now:
            yield f"{a.role} assigned at {a.created_at}, outside the case's life"
        needs = {
            **dict.fromkeys(PANEL_ROLES, ("docket",)),
            AssignmentRole.tech_investigator: ("receive_tech_opinion",),
            AssignmentRole.mediator: ("docket", "docket_ownership", "hold_session"),
        }.get(a.role, ())
        for e in steps:
            if e.data["action"]["step"] in needs and e.at < a.created_at:
                yield f"{e.data['action']['step']} at {e.at} before the {a.role} was assigned ({a.created_at})"
    # deadlines in line with the state
    for d in deadlines:
        if not d.is_open:
            continue
        if case.is_closed and d.started_at < case.closed_at:
            yield f"{d.rule_id} still runs although the case closed"
        if d.rule_id in INTAKE and case.state not in INTAKE[d.rule_id]:
            yield f"{d.rule_id} still runs in {case.state}"
        if get_rule(d.rule_id, d.rule_version).is_party_period and d.due_at < now - timedelta(minutes=10):
            yield f"the party period {d.rule_id} ran out and is still open"


@pytest.fixture(scope="module")
def seeded(backend: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Seeded]:
    found = {label: _seed_at(backend, tmp_path_factory, label, at) for label, at in INSTANTS.items()}
    found["suite"] = _seed_at(backend, tmp_path_factory, "suite", None)
    return found


@pytest.mark.parametrize("label", [*INSTANTS, "suite"])
def test_no_demo_case_has_an_impossible_history(seeded: dict[str, Seeded], label: str) -> None:
    assert seeded[label].problems == []


@pytest.mark.parametrize("label", [*INSTANTS, "suite"])
def test_the_demo_has_a_period_missed_and_one_due_soon(seeded: dict[str, Seeded], label: str) -> None:
    found = seeded[label]
    assert "overdue" in found.urgencies  # missed recently, left for the sweep to announce
    assert found.urgencies.count("soon") >= 2
    assert found.missed >= 2
    assert {s["channel"] for s in found.signature.values()} == set(Channel)


@pytest.mark.parametrize("label", [label for label in INSTANTS if label != "tuesday-2026"] + ["suite"])
def test_seeded_on_another_day_the_demo_has_the_same_shape(seeded: dict[str, Seeded], label: str) -> None:
    """Same cases, states, steps, timeline lengths and periods; steps as many working days before
    the demo day, except steps that wait for a period in calendar days (shifted by holidays)."""
    reference, other = seeded["tuesday-2026"].signature, seeded[label].signature
    # seeded on a rest day or before the office opens, the countdowns run from a later today
    ignored = {"offsets"} if seeded[label].on_demo_day else {"offsets", "open", "hours", "open_hours"}
    assert other.keys() == reference.keys()
    shifted = 0
    for key, expected in reference.items():
        got = other[key]
        assert {k: v for k, v in got.items() if k not in ignored} == {
            k: v for k, v in expected.items() if k not in ignored
        }, key
        for a, b in zip(got["offsets"], expected["offsets"], strict=True):
            assert abs(a - b) <= 6, key
            shifted += a != b
    assert shifted <= 4
