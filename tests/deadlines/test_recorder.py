"""Only the procedure stops a statutory clock: the raw procedural-event recorder offers and
accepts only the events no step records (issue 10). A step records its event with the checks and
details it asks for; the recorder must not meet a period for it."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import Channel
from ipcase.cases.models import TimelineEntry
from ipcase.cases.registry import all_channels, get_channel
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines import triggers
from ipcase.deadlines.models import Deadline, DeadlineState
from tests.cases.helpers import make_client_as

CHANNELS = [d.key.value for d in all_channels()]
SOURCE = Path(__file__).resolve().parents[2] / "ipcase"


def now_field() -> str:
    """The form's "when": now, in China time, as the datetime-local field sends it."""
    return clock.to_local(clock.now()).strftime("%Y-%m-%dT%H:%M")


def period(case, rule_id):
    return db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)).one()


def entries(case):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == case.id)
    )


@pytest.fixture
def injunction(app, create_case, users):
    """An injunction under urgent review: its 48-hour decision period runs."""
    case = create_case(Channel.injunction, actor=users["examiner"])
    take(get_channel(case.channel).workflow, case, "start_review", actor=users["examiner"])
    db.session.commit()
    return case


# -- which events are whose ---------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_recorder_offers_no_event_a_step_records(app, channel):
    owned = triggers.owned_events(channel)
    offered = triggers.recordable_events(channel)
    assert not set(offered) & set(owned)
    assert set(offered) | set(owned) >= set(triggers.channel_events(channel))
    # every step-owned event names where to record it instead
    assert all(owners for owners in owned.values())


@pytest.mark.parametrize("channel", CHANNELS)
def test_today_every_event_of_the_four_procedures_has_its_step(app, channel):
    """Each procedure's steps, the referral to the police and the service records cover every
    event its periods know: the recorder is offered on no case (see the view tests below)."""
    assert triggers.recordable_events(channel) == []


def test_the_steps_own_what_their_effects_record(app):
    with force_locale("en"):
        _effects_owned()


def _effects_owned():
    adjudication = triggers.owned_events("adjudication")
    assert "Docket the case (立案)" in {str(o.step) for o in adjudication["docketed"]}
    assert "Refuse to docket (不予立案)" in {str(o.step) for o in adjudication["docketed"]}  # an effect
    assert "Evidence notice served (举证通知书)" in {str(o.step) for o in adjudication["evidence_notice_received"]}
    assert any("Approve and issue the decision" in str(o.step) for o in adjudication["closed"])  # closing moves
    assert {str(o.place) for o in adjudication["crime_suspected"]} == {"Referral of suspected crime"}
    assert "Official documents" in {str(o.place) for o in adjudication["decision_served"]}
    assert "Grant the injunction (行政禁令决定)" in {
        str(o.step) for o in triggers.owned_events("injunction")["decided"]
    }


def test_every_event_the_code_records_belongs_to_its_step(app):
    """Whatever meets or starts periods by a literal event outside the recorder (a step's effect,
    the referral, the engine) is among the owned events of every channel the event applies to.
    Guards against a new effect that records an event without ``channels.workflow.records``."""
    call = re.compile(r"\b(?:meet_deadlines|fire)\(\s*case,\s*\"([a-z_]+)\"")
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        if path.parts[-2] == "demo":  # demo data replays history, it takes no step
            continue
        for event in call.findall(path.read_text(encoding="utf-8")):
            found.setdefault(event, set()).add(str(path.relative_to(SOURCE)))
    assert "evidence_notice_received" in found and "crime_suspected" in found  # the scan sees them
    for event, paths in found.items():
        for channel in CHANNELS:
            if event in triggers.channel_events(channel):
                assert event in triggers.owned_events(channel), (event, channel, paths)


# -- the operation ------------------------------------------------------------------------------


def test_the_injunction_decision_period_is_not_met_by_the_recorder(injunction, users):
    """The reported fault: "作出决定" recorded on an injunction under urgent review met the 48-hour
    decision period although no decision exists and the state did not change."""
    before = entries(injunction)
    with force_locale("en"), pytest.raises(DomainError) as refused:
        triggers.record_event(injunction, "decided", at=injunction.received_at, actor=users["examiner"])
    message = str(refused.value)
    assert "Grant the injunction (行政禁令决定)" in message and "Refuse the application" in message
    assert period(injunction, "inj.decision").state == DeadlineState.running
    assert injunction.state == "under_review"
    assert entries(injunction) == before


# -- the view -----------------------------------------------------------------------------------


def test_a_post_of_an_owned_event_is_refused_and_changes_nothing(app, injunction):
    client = make_client_as(app, "examiner")
    before = entries(injunction)
    response = client.post(
        f"/deadlines/case/{injunction.id}/events",
        data={"event": "decided", "at": now_field()},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Grant the injunction (行政禁令决定)" in body and "take that step instead" in body
    db.session.expire_all()
    assert period(injunction, "inj.decision").state == DeadlineState.running
    assert injunction.state == "under_review"
    assert entries(injunction) == before


def test_the_refusal_is_in_chinese_for_a_chinese_reader(app, injunction):
    client = make_client_as(app, "examiner", lang="zh_CN")
    response = client.post(
        f"/deadlines/case/{injunction.id}/events",
        data={"event": "decided", "at": now_field()},
    )
    assert response.status_code == 422
    assert "请改为执行该步骤" in response.get_data(as_text=True)


def test_the_recorder_is_not_offered_where_the_steps_record_everything(app, injunction):
    client = make_client_as(app, "examiner")
    case_page = client.get(f"/cases/{injunction.id}").get_data(as_text=True)
    assert f"/deadlines/case/{injunction.id}/events" not in case_page
    assert 'name="event"' not in case_page
    page = client.get(f"/deadlines/case/{injunction.id}/events")
    assert page.status_code == 404
    body = page.get_data(as_text=True)
    assert "recorded by one of its steps" in body
    assert "<option" not in body and 'name="event"' not in body


def test_the_recorder_offers_and_records_only_events_no_step_records(app, injunction, users, monkeypatch):
    """Were an event left to no step, the recorder would offer that one, and only that one."""
    real = triggers.owned_events

    def owned_but_decision(channel):
        return {e: o for e, o in real(channel).items() if not (channel == "injunction" and e == "decided")}

    monkeypatch.setattr(triggers, "owned_events", owned_but_decision)
    client = make_client_as(app, "examiner")
    page = client.get(f"/deadlines/case/{injunction.id}/events")
    assert page.status_code == 200
    assert re.findall(r'<option value="([a-z_]+)"', page.get_data(as_text=True)) == ["decided"]
    refused = client.post(
        f"/deadlines/case/{injunction.id}/events",
        data={"event": "review_applied", "at": now_field()},
    )
    assert refused.status_code == 422
    ok = client.post(
        f"/deadlines/case/{injunction.id}/events",
        data={"event": "decided", "at": now_field()},
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert period(injunction, "inj.decision").state == DeadlineState.met
