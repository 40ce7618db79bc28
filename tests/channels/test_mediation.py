"""The mediation procedure: every allowed and refused move, per role; the main path through the web;
the periods each step meets, starts or cancels. (The details each step records are tested in
``test_mediation_steps.py``.)"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.registry import get_channel
from ipcase.channels.mediation.states import MediationState as S
from ipcase.channels.mediation.workflow import WORKFLOW
from ipcase.channels.workflow import available, take, why_not
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.operations import start_deadline
from tests.factories import org

ALL_STATES = [s.value for s in S]
ACTIONS = [t.action for t in WORKFLOW.transitions]


def english(message):
    """The refusal in English (the default locale outside a request is Chinese)."""
    with force_locale("en"):
        return str(message)


@pytest.fixture
def case(app, create_case, users):
    c = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"])
    assert c.assignees(AssignmentRole.mediator) == [users["mediator"]]  # who opens it mediates it
    return c


def put(case, state):
    """Force a state, with an agreement that may be notarised (a payment and the undertaking)."""
    case.state = state
    case.closed_at = case.received_at if state in WORKFLOW.closed else None
    case.agreed_amount, case.enforcement_undertaking = Decimal("30000"), True
    db.session.flush()


def local(at):
    """An instant as a form's naive China-time value."""
    return clock.to_local(at).replace(tzinfo=None, second=0, microsecond=0)


def details(action, case=None):
    """Valid details for each step that asks for them (none for the others)."""
    now = clock.now()
    return {
        "docket": {"mediator": None},
        "docket_ownership": {"mediator": None},
        "hold_session": {
            "held_at": local(now - timedelta(minutes=30)),
            "online": False,
            "place": "调解室一",
            "requester_present": True,
            "respondent_present": True,
            "outcome": "progress",
            "next_session_at": None,
        },
        "reach_agreement": {
            "amount": Decimal("30000.00"),
            "terms": "被请求人停止销售涉案产品",
            "due_on": clock.today() + timedelta(days=30),
            "instalments": 1,
            "enforcement_undertaking": True,
        },
        "mediation_failed": {"ground": "amount"},
        "apply_confirmation": {"court": "成都市中级人民法院", "court_case_no": ""},
        "apply_notarisation": {"notary_office": "四川省成都市蜀都公证处"},
        "apply_award": {"commission": "成都仲裁委员会", "form": "award", "arbitration_case_no": ""},
        "follow_up_completed": {"number": "（2026）川01民特12号", "issued_on": None},
        "refer_to_adjudication": {"organisation": org("cdip").id},
    }.get(action, {})


def step(case, action, actor, reason="理由", **kw):
    return take(WORKFLOW, case, action, actor=actor, reason=reason, details=details(action), **kw)


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


#: the periods a step answers, started before it is taken (issue 12: it waits for them)
ANSWERED = {
    "record_cnipa_suspension": ("med.ownership_time_limit",),
    "record_cnipa_resumption_request": ("med.ownership_resume_request",),
    "copy_documents_to_cnipa": ("med.ownership_copy_documents",),
    "record_cnipa_resumed": ("med.cnipa_resumption",),
    "record_payment": ("med.payment_due",),
}


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
                    step(case, action, actor)
                assert snapshot(case) == before, action  # refused: nothing changed
                continue
            for rule_id in ANSWERED.get(action, ()):
                start_deadline(case, rule_id, started_at=case.received_at, actor=actor)
            step(case, action, actor)
            assert case.state == (t.target or state), action
            closed = t.closes or (state in WORKFLOW.closed and (t.target or state) in WORKFLOW.closed)
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


def last_step(case):
    """The data of the latest workflow step on the case's timeline."""
    db.session.flush()
    return [e.data for e in case.timeline if e.event == "case.transition"][-1]


def refusal(case, action, actor, details_):
    """Take a step that must be refused, in a savepoint rolled back afterwards; the message."""
    savepoint = db.session.begin_nested()
    try:
        with pytest.raises(DomainError) as info:
            take(WORKFLOW, case, action, actor=actor, details=details_)
    finally:
        savepoint.rollback()
    return " ".join(english(m) for _, m in info.value.reasons)


def test_docketing_needs_a_mediator(app, create_case, users):
    c = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"], assign_actor=False)
    put(c, S.statement_received)
    mediator = users["mediator"]
    # nobody mediates the case yet, but the centre's pool offers one: docketing chooses them
    assert why_not(WORKFLOW, c, "docket", mediator) is None
    assert "choose the mediator" in refusal(c, "docket", mediator, {"mediator": None}).lower()
    # only the pool of the case's organisation (and the office above it) may be chosen
    assert "pool" in refusal(c, "docket", mediator, {"mediator": users["cqexaminer"].id}).lower()
    assert c.state == S.statement_received and c.assignees(AssignmentRole.mediator) == []
    take(WORKFLOW, c, "docket", actor=mediator, details={"mediator": mediator.id})
    assert c.state == S.docketed and c.docketed_at is not None
    assert c.assignees(AssignmentRole.mediator) == [mediator]
    assert last_step(c)["details"]["mediator"] == mediator.display_name


def test_no_docketing_without_anyone_to_mediate(app, create_case, users):
    c = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"], assign_actor=False)
    put(c, S.statement_received)
    users["mediator"].is_active = False  # the centre's only mediator leaves: the pool is empty
    db.session.flush()
    for action in ("docket", "docket_ownership"):
        assert "assign a mediator" in english(why_not(WORKFLOW, c, action, None)).lower()
        with pytest.raises(DomainError):
            take(WORKFLOW, c, action, actor=None)
        assert c.state == S.statement_received and c.docketed_at is None


def test_an_assigned_mediator_is_kept(case, users):
    put(case, S.statement_received)
    other = users["examiner"]
    assert "already assigned" in refusal(case, "docket", users["mediator"], {"mediator": other.id})
    take(WORKFLOW, case, "docket", actor=users["mediator"], details={"mediator": None})
    assert case.assignees(AssignmentRole.mediator) == [users["mediator"]]
    assert last_step(case)["details"]["mediator"] == users["mediator"].display_name


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
    take(WORKFLOW, case, "refer_to_adjudication", actor=mediator, details={"organisation": org("cdip").id})
    assert case.state == S.referred and case.closed_at == closed_at


def test_referral_needs_a_patent(case, users):
    put(case, S.closed_failed)
    case.rights.clear()
    db.session.flush()
    assert why_not(WORKFLOW, case, "refer_to_adjudication", users["mediator"])
    with pytest.raises(DomainError):
        step(case, "refer_to_adjudication", users["mediator"])
    assert case.state == S.closed_failed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.referred_from_id == case.id)) == 0


def test_withdrawal_cancels_the_periods_that_no_longer_apply(case, users):
    take(WORKFLOW, case, "serve_notice", actor=users["mediator"])
    take(WORKFLOW, case, "withdraw", actor=users["mediator"], reason="请求人书面撤回调解请求")
    assert case.state == S.withdrawn and case.closed_at is not None
    assert deadlines(case)["med.respondent_statement"] == DeadlineState.cancelled


def test_ownership_dispute_runs_on_the_two_month_limit(case, users):
    mediator = users["mediator"]
    take(WORKFLOW, case, "serve_notice", actor=mediator)
    take(WORKFLOW, case, "receive_statement", actor=mediator)
    step(case, "docket_ownership", mediator)
    got = deadlines(case)
    assert case.state == S.docketed and case.docketed_at is not None
    assert got["med.docket"] == DeadlineState.met
    assert got["med.ownership_time_limit"] == DeadlineState.running
    assert "med.time_limit" not in got
    take(
        WORKFLOW,
        case,
        "hold_session",
        actor=mediator,
        details=details("hold_session") | {"held_at": local(clock.now())},
    )
    step(case, "mediation_failed", mediator, reason="双方分歧较大")
    assert deadlines(case)["med.ownership_time_limit"] == DeadlineState.met


def test_agreement_starts_the_30_day_confirmation_window(app, create_case, users, frozen_now):
    mediator = users["mediator"]
    frozen_now(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))  # 10:00 China time, a Tuesday
    c = create_case(
        Channel.mediation, organisation="cdmed", actor=mediator, received_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    )
    for action in ("serve_notice", "receive_statement"):
        take(WORKFLOW, c, action, actor=mediator)
    take(WORKFLOW, c, "docket", actor=mediator, at=datetime(2026, 3, 9, 2, 0, tzinfo=UTC), details=details("docket"))
    step(c, "hold_session", mediator)
    assert deadlines(c)["med.time_limit"] == DeadlineState.running
    step(c, "reach_agreement", mediator)
    assert c.state == S.agreement_reached and c.closed_at is None
    assert c.agreed_at == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    window = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == c.id, Deadline.rule_id == "med.judicial_confirmation")
    ).one()
    assert window.state == DeadlineState.running and window.length == 30
    assert window.started_at == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    assert window.due_on == date(2026, 4, 9)  # 30 calendar days from the day after signature
    assert deadlines(c)["med.time_limit"] == DeadlineState.met  # the agreement ends the mediation
    step(c, "apply_confirmation", mediator)
    assert window.state == DeadlineState.met


def test_notarisation_or_award_sets_the_confirmation_window_aside(case, users):
    mediator = users["mediator"]
    for action in ("serve_notice", "receive_statement", "docket"):
        take(WORKFLOW, case, action, actor=mediator, at=clock.now() - timedelta(hours=2), details=details(action))
    for action in ("hold_session", "reach_agreement"):
        step(case, action, mediator)
    step(case, "apply_notarisation", mediator, reason="含给付内容，申请公证赋强")
    assert deadlines(case)["med.judicial_confirmation"] == DeadlineState.cancelled
    assert case.follow_up == "notarisation" and case.follow_up_body == "四川省成都市蜀都公证处"
    take(WORKFLOW, case, "follow_up_refused", actor=mediator, reason="公证机构不予办理")
    assert case.state == S.agreement_reached and case.follow_up is None
    take(WORKFLOW, case, "close_agreed", actor=mediator, reason="协议已自动履行")
    assert case.state == S.closed_agreed and case.closed_at is not None


def form_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, bool):
        return "y" if value else None
    return None if value is None else str(value)


def form_data(action, **extra):
    """A step's details as its form posts them (unchecked boxes and empty choices left out)."""
    data = {k: form_value(v) for k, v in details(action).items()}
    return {k: v for k, v in (data | extra).items() if v is not None}


def test_main_path_through_the_web(client, login_as, case, users):
    db.session.commit()
    web = login_as("mediator")
    start = clock.now() - timedelta(hours=20)
    steps = [
        ("serve_notice", S.awaiting_statement, "med.respondent_statement"),
        ("receive_statement", S.statement_received, "med.docket"),
        ("docket", S.docketed, "med.time_limit"),
        ("hold_session", S.in_session, None),
        ("reach_agreement", S.agreement_reached, "med.judicial_confirmation"),
        ("apply_confirmation", S.confirmation_pending, None),
        ("follow_up_completed", S.closed_agreed, None),
    ]
    for i, (action, state, started) in enumerate(steps):
        page = web.get(f"/cases/{case.id}").get_data(as_text=True)
        assert f"/actions/{action}" in page, action
        at = start + timedelta(hours=3 * i)
        extra = {"held_at": form_value(local(at - timedelta(minutes=30)))} if action == "hold_session" else {}
        data = form_data(action, at=form_value(local(at)), reason="", **extra)
        r = web.post(f"/cases/{case.id}/actions/{action}", data=data)
        assert r.status_code == 302, action
        db.session.refresh(case)
        assert case.state == state, action
        if started:
            assert deadlines(case)[started] == DeadlineState.running, action
    assert case.closed_at is not None and case.docketed_at is not None
    got = deadlines(case)
    assert got["med.time_limit"] == DeadlineState.met
    assert got["med.judicial_confirmation"] == DeadlineState.met
    assert case.agreed_amount == Decimal("30000.00") and case.enforcement_undertaking
    assert (case.follow_up, case.follow_up_body) == ("judicial_confirmation", "成都市中级人民法院")
    assert case.follow_up_result_no == "（2026）川01民特12号"
    assert [s.outcome for s in case.sessions] == ["progress"]


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
