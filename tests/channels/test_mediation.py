"""The mediation procedure: every allowed and refused move, per role; the main path through the web;
the periods each step meets, starts or cancels."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.models import TimelineEntry
from ipcase.cases.operations import assign_staff
from ipcase.channels.mediation.states import MediationState as S
from ipcase.channels.mediation.workflow import WORKFLOW
from ipcase.channels.registry import get_channel
from ipcase.channels.workflow import available, take, why_not
from ipcase.core.errors import DomainError
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.extensions import db

ALL_STATES = [s.value for s in S]
ACTIONS = [t.action for t in WORKFLOW.transitions]


def english(message):
    """The refusal in English (the default locale outside a request is Chinese)."""
    from flask_babel import force_locale

    with force_locale("en"):
        return str(message)


@pytest.fixture
def case(app, create_case, users):
    c = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"])
    assert c.assignees(AssignmentRole.mediator) == [users["mediator"]]  # who opens it mediates it
    return c


def put(case, state):
    case.state = state
    case.closed_at = case.received_at if state in WORKFLOW.closed else None
    db.session.flush()


def deadlines(case):
    """rule id → state of its latest deadline on the case."""
    rows = db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id))
    return {d.rule_id: d.state for d in rows}


def snapshot(case):
    entries = db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == case.id)
    )
    return case.state, case.closed_at, case.docketed_at, entries, deadlines(case)


def test_the_table_is_registered():
    assert get_channel(Channel.mediation).workflow is WORKFLOW


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_move_from_every_state(case, users, state):
    """Each action from this state, in a savepoint rolled back afterwards: allowed moves reach their
    target, refused ones raise and change nothing."""
    put(case, state)
    actor = users["mediator"]
    for action in ACTIONS:
        t = WORKFLOW.by_action[action]
        allowed = state in WORKFLOW.sources_of(t)
        savepoint = db.session.begin_nested()
        try:
            before = snapshot(case)
            if not allowed:
                with pytest.raises(DomainError):
                    take(WORKFLOW, case, action, actor=actor, reason="理由")
                assert snapshot(case) == before, action  # refused: nothing changed
                continue
            take(WORKFLOW, case, action, actor=actor, reason="理由")
            assert case.state == t.target, action
            closed = t.closes or (state in WORKFLOW.closed and t.target in WORKFLOW.closed)
            assert (case.closed_at is not None) == closed, action
            if state in WORKFLOW.closed and not t.closes:
                assert case.closed_at == case.received_at, action  # a follow-up keeps the closing date
        finally:
            savepoint.rollback()
        assert case.state == state


def test_every_state_is_reachable_and_every_open_state_has_a_way_out():
    targets = {t.target for t in WORKFLOW.transitions if t.target}
    assert set(ALL_STATES) - {S.received.value} <= targets
    for state in set(ALL_STATES) - WORKFLOW.closed:
        assert any(state in WORKFLOW.sources_of(t) for t in WORKFLOW.transitions), state
    # reasons where the procedure ends against the requester's wish, or turns back
    for t in WORKFLOW.transitions:
        if t.target in {S.refused, S.closed_failed, S.withdrawn}:
            assert t.needs_reason, t.action


def test_who_may_act_on_a_new_request(app, create_case, users, case):
    at_centre = {"mediator": {"serve_notice", "withdraw"}}
    for username, user in users.items():
        got = {t.action for t in available(WORKFLOW, case, user)}
        assert got == at_centre.get(username, set()), username
    # administrative mediation at the IP office: its examiners and director act, the centre's mediator cannot
    office_case = create_case(Channel.mediation, organisation="cdip", actor=users["examiner"])
    at_office = {"examiner": {"serve_notice", "withdraw"}, "examiner2": {"serve_notice", "withdraw"}}
    at_office |= {"examiner3": {"serve_notice", "withdraw"}, "director": {"serve_notice", "withdraw"}}
    for username, user in users.items():
        got = {t.action for t in available(WORKFLOW, office_case, user)}
        assert got == at_office.get(username, set()), username


def test_reasons_required_where_the_rule_says(case, users):
    for t in WORKFLOW.transitions:
        if not t.needs_reason:
            continue
        put(case, sorted(WORKFLOW.sources_of(t))[0])
        state = case.state
        with pytest.raises(DomainError):
            take(WORKFLOW, case, t.action, actor=users["mediator"], reason="  ")
        assert case.state == state and (case.closed_at is not None) == (state in WORKFLOW.closed), t.action


def test_docketing_needs_a_mediator(app, create_case, users):
    c = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"], assign_actor=False)
    put(c, S.statement_received)
    for action in ("docket", "docket_ownership"):
        assert "mediator" in english(why_not(WORKFLOW, c, action, users["mediator"])).lower()
        with pytest.raises(DomainError):
            take(WORKFLOW, c, action, actor=users["mediator"])
        assert c.state == S.statement_received and c.docketed_at is None
    assign_staff(c, users["mediator"], AssignmentRole.mediator, actor=users["mediator"])
    take(WORKFLOW, c, "docket", actor=users["mediator"])
    assert c.state == S.docketed and c.docketed_at is not None


def test_silence_counts_only_after_the_statement_period(case, users):
    mediator = users["mediator"]
    take(WORKFLOW, case, "serve_notice", actor=mediator)
    assert deadlines(case)["med.serve_statement_notice"] == DeadlineState.met
    assert deadlines(case)["med.respondent_statement"] == DeadlineState.running
    assert why_not(WORKFLOW, case, "statement_lapsed", mediator)
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "statement_lapsed", actor=mediator, reason="逾期未陈述意见")
    assert case.state == S.awaiting_statement
    for d in db.session.scalars(sa.select(Deadline).where(Deadline.rule_id == "med.respondent_statement")):
        d.state = DeadlineState.breached
    take(WORKFLOW, case, "statement_lapsed", actor=mediator, reason="被请求人逾期未提交意见陈述书")
    assert case.state == S.refused and case.closed_at is not None


def test_refusal_answers_the_docketing_period_and_may_be_referred(case, users):
    mediator = users["mediator"]
    take(WORKFLOW, case, "serve_notice", actor=mediator)
    take(WORKFLOW, case, "receive_statement", actor=mediator)
    assert deadlines(case)["med.respondent_statement"] == DeadlineState.met
    assert deadlines(case)["med.docket"] == DeadlineState.running
    take(WORKFLOW, case, "refuse_docketing", actor=mediator, reason="被请求人不同意调解")
    assert case.state == S.refused
    assert deadlines(case)["med.docket"] == DeadlineState.met
    closed_at = case.closed_at
    take(WORKFLOW, case, "refer_to_adjudication", actor=mediator)
    assert case.state == S.referred and case.closed_at == closed_at


def test_referral_needs_a_patent(case, users):
    put(case, S.closed_failed)
    case.rights.clear()
    db.session.flush()
    assert why_not(WORKFLOW, case, "refer_to_adjudication", users["mediator"])
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "refer_to_adjudication", actor=users["mediator"])
    assert case.state == S.closed_failed


def test_withdrawal_cancels_the_periods_that_no_longer_apply(case, users):
    take(WORKFLOW, case, "serve_notice", actor=users["mediator"])
    take(WORKFLOW, case, "withdraw", actor=users["mediator"], reason="请求人书面撤回调解请求")
    assert case.state == S.withdrawn and case.closed_at is not None
    assert deadlines(case)["med.respondent_statement"] == DeadlineState.cancelled


def test_ownership_dispute_runs_on_the_two_month_limit(case, users):
    mediator = users["mediator"]
    take(WORKFLOW, case, "serve_notice", actor=mediator)
    take(WORKFLOW, case, "receive_statement", actor=mediator)
    take(WORKFLOW, case, "docket_ownership", actor=mediator)
    got = deadlines(case)
    assert case.state == S.docketed and case.docketed_at is not None
    assert got["med.docket"] == DeadlineState.met
    assert got["med.ownership_time_limit"] == DeadlineState.running
    assert "med.time_limit" not in got
    take(WORKFLOW, case, "hold_session", actor=mediator)
    take(WORKFLOW, case, "mediation_failed", actor=mediator, reason="双方分歧较大")
    assert deadlines(case)["med.ownership_time_limit"] == DeadlineState.met


def test_agreement_starts_the_30_day_confirmation_window(app, create_case, users, frozen_now):
    mediator = users["mediator"]
    frozen_now(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))  # 10:00 China time, a Tuesday
    c = create_case(
        Channel.mediation, organisation="cdmed", actor=mediator, received_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    )
    for action in ("serve_notice", "receive_statement", "docket", "hold_session"):
        take(WORKFLOW, c, action, actor=mediator)
    assert deadlines(c)["med.time_limit"] == DeadlineState.running
    take(WORKFLOW, c, "reach_agreement", actor=mediator)
    assert c.state == S.agreement_reached and c.closed_at is None
    window = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == c.id, Deadline.rule_id == "med.judicial_confirmation")
    ).one()
    assert window.state == DeadlineState.running and window.length == 30
    assert window.started_at == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    assert window.due_on == date(2026, 4, 9)  # 30 calendar days from the day after signature
    assert deadlines(c)["med.time_limit"] == DeadlineState.met  # the agreement ends the mediation
    take(WORKFLOW, c, "apply_confirmation", actor=mediator)
    assert window.state == DeadlineState.met


def test_notarisation_or_award_sets_the_confirmation_window_aside(case, users):
    mediator = users["mediator"]
    for action in ("serve_notice", "receive_statement", "docket", "hold_session", "reach_agreement"):
        take(WORKFLOW, case, action, actor=mediator)
    take(WORKFLOW, case, "apply_notarisation", actor=mediator, reason="含给付内容，申请公证赋强")
    assert deadlines(case)["med.judicial_confirmation"] == DeadlineState.cancelled
    take(WORKFLOW, case, "follow_up_refused", actor=mediator, reason="公证机构不予办理")
    assert case.state == S.agreement_reached
    take(WORKFLOW, case, "close_agreed", actor=mediator, reason="协议已自动履行")
    assert case.state == S.closed_agreed and case.closed_at is not None


def test_main_path_through_the_web(client, login_as, case, users):
    db.session.commit()
    web = login_as("mediator")
    steps = [
        ("serve_notice", S.awaiting_statement, "med.respondent_statement"),
        ("receive_statement", S.statement_received, "med.docket"),
        ("docket", S.docketed, "med.time_limit"),
        ("hold_session", S.in_session, None),
        ("reach_agreement", S.agreement_reached, "med.judicial_confirmation"),
        ("apply_confirmation", S.confirmation_pending, None),
        ("follow_up_completed", S.closed_agreed, None),
    ]
    for action, state, started in steps:
        page = web.get(f"/cases/{case.id}").get_data(as_text=True)
        assert f"/actions/{action}" in page, action
        r = web.post(f"/cases/{case.id}/actions/{action}", data={"reason": ""})
        assert r.status_code == 302, action
        db.session.refresh(case)
        assert case.state == state, action
        if started:
            assert deadlines(case)[started] == DeadlineState.running, action
    assert case.closed_at is not None and case.docketed_at is not None
    got = deadlines(case)
    assert got["med.time_limit"] == DeadlineState.met
    assert got["med.judicial_confirmation"] == DeadlineState.met


def test_refused_web_moves_change_nothing(client, login_as, case, users):
    db.session.commit()
    web = login_as("mediator")
    assert web.post(f"/cases/{case.id}/actions/docket", data={}).status_code == 302  # not from "received"
    db.session.refresh(case)
    assert case.state == S.received
    assert web.post(f"/cases/{case.id}/actions/withdraw", data={"reason": ""}).status_code == 302  # no reason
    db.session.refresh(case)
    assert case.state == S.received and case.closed_at is None
    assert web.post(f"/cases/{case.id}/actions/no_such_step", data={}).status_code == 404
    web.post("/logout")
    # the IP office's examiner may mediate, but not the centre's cases
    assert login_as("examiner").post(f"/cases/{case.id}/actions/serve_notice", data={}).status_code in (403, 404)
    db.session.refresh(case)
    assert case.state == S.received
