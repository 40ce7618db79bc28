"""Deadlines on cases: start, meet, excluded time, extensions, recomputation, the sweep."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines import operations as ops
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.models import Deadline, DeadlineEvent, DeadlineState, ExclusionKind, Notification
from ipcase.deadlines.service import sync_calendar
from ipcase.deadlines.triggers import record_event, record_service_event
from tests.cases.helpers import make_client_as

CN = timedelta(hours=8)


def at_cn(y: int, m: int, d: int, hh: int = 10) -> datetime:
    """A China-time instant as UTC."""
    return datetime(y, m, d, hh, tzinfo=UTC) - CN


@pytest.fixture
def calendar(app):
    sync_calendar()


@pytest.fixture
def case(create_case, users, calendar, frozen_now):
    frozen_now(at_cn(2026, 11, 24))
    c = create_case(Channel.adjudication, received_at=at_cn(2026, 9, 30), actor=users["examiner"])
    return c


def deadline(case, rule_id):
    return db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)).one()


def test_intake_starts_the_docketing_period(case):
    d = deadline(case, "adj.docket")
    assert d.due_on == date(2026, 10, 13)  # 5 working days over National Day
    assert d.basis == "《专利纠纷行政裁决和调解办法》第二十条"
    assert d.due_at == datetime(2026, 10, 13, 15, 59, 59, tzinfo=UTC)  # end of the day in China
    assert d.state == DeadlineState.running and not d.is_provisional
    assert [e.kind for e in d.events] == ["started"]


def test_met_by_purpose_not_by_clock(case, users):
    met = ops.meet_deadlines(case, "docketed", actor=users["examiner"])
    assert [m.rule_id for m in met] == ["adj.docket"]
    assert deadline(case, "adj.docket").state == DeadlineState.met
    assert ops.meet_deadlines(case, "docketed", actor=users["examiner"]) == []


def test_time_limit_pauses_for_suspension_across_a_holiday(case, users, frozen_now):
    frozen_now(at_cn(2026, 9, 30, 12))
    limit = ops.start_deadline(case, "adj.time_limit", started_at=at_cn(2026, 9, 1), actor=users["examiner"])
    assert limit.due_on == date(2026, 12, 1)
    frozen_now(at_cn(2026, 10, 20))
    period = ops.start_exclusion(
        case, ExclusionKind.suspension, date(2026, 9, 28), actor=users["examiner"], reason="无效宣告请求已受理"
    )
    assert limit.state == DeadlineState.suspended
    ops.end_exclusion(period, date(2026, 10, 8), actor=users["examiner"])  # 11 days incl. National Day
    assert limit.state == DeadlineState.running
    assert limit.due_on == date(2026, 12, 14)  # 12-01 + 11 = 12-12 (Saturday) → Monday 12-14
    moved = [e for e in limit.events if e.kind == "moved"]
    assert moved and moved[-1].new_due_at == limit.due_at


def test_excluded_time_after_a_missed_limit_leaves_it_missed(case, users, frozen_now):
    """A suspension recorded after the limit passed neither pauses it nor moves it into the
    future; the sweep still reports it missed ([85]37 counts excluded time while a period runs)."""
    frozen_now(at_cn(2026, 9, 30, 12))
    limit = ops.start_deadline(case, "adj.time_limit", started_at=at_cn(2026, 9, 1), actor=users["examiner"])
    assert limit.due_on == date(2026, 12, 1)
    due_at = limit.due_at
    frozen_now(at_cn(2026, 12, 10))
    period = ops.start_exclusion(
        case, ExclusionKind.suspension, date(2026, 12, 5), actor=users["examiner"], reason="无效宣告请求已受理"
    )
    assert limit.state == DeadlineState.running
    assert limit.due_at == due_at and not [e for e in limit.events if e.kind in ("paused", "moved")]
    frozen_now(at_cn(2026, 12, 20))
    ops.end_exclusion(period, date(2026, 12, 18), actor=users["examiner"])
    assert limit.due_at == due_at and not [e for e in limit.events if e.kind in ("resumed", "moved")]
    sweep()
    db.session.refresh(limit)
    assert limit.state == DeadlineState.breached


def test_extension_caps_and_approval(case, users, frozen_now):
    frozen_now(at_cn(2026, 10, 10))
    limit = ops.start_deadline(case, "adj.time_limit", started_at=at_cn(2026, 9, 1), actor=users["examiner"])
    with pytest.raises(DomainError) as too_long:
        ops.request_extension(limit, level="director", length=2, reason="案情复杂", actor=users["examiner"])
    assert too_long.value.reasons[0][0] == "length"
    with pytest.raises(DomainError):
        ops.request_extension(limit, level="superior", length=1, reason="案情复杂", actor=users["examiner"])
    ext = ops.request_extension(limit, level="director", length=1, reason="案情复杂", actor=users["examiner"])
    with pytest.raises(DomainError):
        ops.decide_extension(ext, approve=True, actor=users["examiner2"])
    ops.decide_extension(ext, approve=True, actor=users["director"], note="同意")
    assert limit.extended_by == 1 and limit.due_on == date(2027, 1, 4)  # 2027-01-01 New Year → 01-04
    assert limit.is_provisional  # 2027 not confirmed yet
    with pytest.raises(DomainError):
        ops.decide_extension(ext, approve=False, actor=users["director"])


def test_refused_extension_is_audited(case, users, frozen_now):
    frozen_now(at_cn(2026, 10, 10))
    limit = ops.start_deadline(case, "adj.time_limit", started_at=at_cn(2026, 9, 1), actor=users["examiner"])
    ext = ops.request_extension(limit, level="director", length=1, reason="x", actor=users["examiner"])
    ops.decide_extension(ext, approve=False, actor=users["director"], note="理由不足")
    assert limit.extended_by == 0 and limit.due_on == date(2026, 12, 1)
    assert any(e.kind == "extension_refused" for e in limit.events)


def test_bad_input_changes_nothing(case, users):
    with pytest.raises(DomainError):
        ops.start_deadline(case, "no.such.rule", started_at=at_cn(2026, 10, 1), actor=users["examiner"])
    with pytest.raises(DomainError):
        ops.start_deadline(case, "adj.docket", started_at=at_cn(2027, 1, 1), actor=users["examiner"])
    d = deadline(case, "adj.docket")
    with pytest.raises(DomainError):
        ops.request_extension(d, level="director", length=-1, reason="x", actor=users["examiner"])


def test_hours_run_through_the_night(create_case, users, calendar, frozen_now):
    frozen_now(at_cn(2026, 10, 2, 23))
    c = create_case(Channel.injunction, received_at=at_cn(2026, 10, 1, 22), actor=users["examiner"])
    d = deadline(c, "inj.decision")
    assert d.due_on is None and d.due_at == at_cn(2026, 10, 3, 22)


def test_sweep_reminds_once_and_flags_breaches(case, users, frozen_now, app):
    assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    frozen_now(at_cn(2026, 10, 12, 9))  # the docketing period is due 10-13: within 2 working days
    first = sweep()
    assert first["reminded"] == 1
    keys = db.session.scalars(sa.select(Notification.key).where(Notification.kind == "due_soon")).all()
    recipients = {"examiner", "examiner2", "director"}
    assert len(keys) == len(recipients)
    assert sweep()["reminded"] == 0
    frozen_now(at_cn(2026, 10, 14, 9))
    third = sweep()
    assert third["breached"] == 1 and deadline(case, "adj.docket").state == DeadlineState.breached
    assert sweep()["breached"] == 0


def test_recompute_audits_moves(case, users):
    d = deadline(case, "adj.docket")
    old = d.due_at
    d.length = 6
    assert ops.recompute_deadline(d, actor=users["admin"], reason="test") is True
    event = db.session.scalars(sa.select(DeadlineEvent).where(DeadlineEvent.kind == "moved")).one()
    assert event.old_due_at == old and event.new_due_at == d.due_at


def _panel(case, users):
    for user, role in (
        (users["director"], AssignmentRole.panel_leader),
        (users["examiner2"], AssignmentRole.panel_member),
        (users["examiner3"], AssignmentRole.panel_member),
    ):
        assign_staff(case, user, role, actor=users["director"])


def test_docketing_step_meets_and_starts_periods(case, users, frozen_now):
    frozen_now(at_cn(2026, 10, 20))
    _panel(case, users)
    take(WORKFLOW, case, "docket", actor=users["examiner"], at=at_cn(2026, 10, 12, 15))
    assert deadline(case, "adj.docket").state == DeadlineState.met
    assert deadline(case, "adj.docket").met_at == at_cn(2026, 10, 12, 15)
    assert deadline(case, "adj.serve_request").state == DeadlineState.running
    assert deadline(case, "adj.time_limit").due_on == date(2027, 1, 12)


def test_service_abroad_starts_the_30_day_defence(case, users, frozen_now):
    respondent = case.respondents[0]
    respondent.has_domestic_domicile = False
    frozen_now(at_cn(2026, 11, 3))
    _, started = record_service_event(
        case, "request_served", party=respondent, at=at_cn(2026, 11, 2), actor=users["examiner"]
    )
    assert [(d.rule_id, d.party_id) for d in started] == [("adj.defence_abroad", respondent.id)]
    assert started[0].due_on == date(2026, 12, 2)


def test_event_refused_for_other_channel_owned_or_out_of_time(case, users, frozen_now):
    frozen_now(at_cn(2026, 10, 20))
    with force_locale("en"), pytest.raises(DomainError, match="does not apply"):
        record_event(case, "agreement_effective", at=at_cn(2026, 10, 12), actor=users["examiner"])
    with force_locale("en"), pytest.raises(DomainError, match="Docket the case"):
        record_event(case, "docketed", at=at_cn(2026, 10, 12), actor=users["examiner"])
    respondent = case.respondents[0]
    with force_locale("en"), pytest.raises(DomainError, match="future"):
        record_service_event(case, "request_served", party=respondent, at=at_cn(2026, 10, 21), actor=None)
    with force_locale("en"), pytest.raises(DomainError, match="precede"):
        record_service_event(case, "request_served", party=respondent, at=at_cn(2026, 9, 1), actor=None)


def test_record_event_view_refuses_an_event_a_step_records(app, case, frozen_now):
    frozen_now(at_cn(2026, 10, 20))
    db.session.commit()
    client = make_client_as(app, "examiner")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/deadlines/case/{case.id}/events" not in page  # every event has its step: no recorder
    bad = client.post(f"/deadlines/case/{case.id}/events", data={"event": "nonsense", "at": "2026-10-12T15:00"})
    assert bad.status_code == 422
    refused = client.post(f"/deadlines/case/{case.id}/events", data={"event": "docketed", "at": "2026-10-12T15:00"})
    assert refused.status_code == 422
    assert "Docket the case (立案)" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert deadline(case, "adj.docket").state == DeadlineState.running
    assert case.state == "received"
