"""The adjudication procedure: every allowed and refused move, per role; the main path; suspension."""

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.operations import assign_staff
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import available, take, why_not
from ipcase.core.errors import DomainError
from ipcase.deadlines.models import Deadline, DeadlineState, ExcludedPeriod
from ipcase.extensions import db

ALL_STATES = [s.value for s in S]
ACTIONS = [t.action for t in WORKFLOW.transitions]


@pytest.fixture
def case(app, create_case, users):
    c = create_case(Channel.adjudication, actor=users["examiner"])
    assign_staff(c, users["director"], AssignmentRole.panel_leader, actor=users["director"])
    assign_staff(c, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    assign_staff(c, users["examiner3"], AssignmentRole.panel_member, actor=users["director"])
    return c


def put(case, state):
    case.state = state
    case.closed_at = case.received_at if state in WORKFLOW.closed else None
    case.state_before_suspension = S.evidence.value if state == S.suspended else None


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_move_from_every_state(case, users, state, action):
    put(case, state)
    t = WORKFLOW.by_action[action]
    actor = users["director"]
    allowed = state in WORKFLOW.sources_of(t)
    if not allowed:
        with pytest.raises(DomainError):
            take(WORKFLOW, case, action, actor=actor, reason="理由")
        assert case.state == state  # refused: nothing changed
        return
    if action == "defence_lapsed":
        return  # depends on the defence period; tested below
    take(WORKFLOW, case, action, actor=actor, reason="理由")
    expected = t.target or S.evidence.value  # resume returns to where the case was
    assert case.state == expected
    assert (case.closed_at is not None) == (t.closes or (case.state in WORKFLOW.closed and state in WORKFLOW.closed))


@pytest.mark.parametrize(
    ("username", "may"),
    [
        ("examiner", {"request_correction", "docket"}),
        ("director", {"request_correction", "refuse_docketing", "docket"}),
        ("mediator", set()),
        ("station", set()),
        ("expert", set()),
        ("party", set()),
        ("cqexaminer", set()),
    ],
)
def test_who_may_act_on_a_new_request(case, users, username, may):
    assert {t.action for t in available(WORKFLOW, case, users[username])} == may


def test_docketing_needs_a_valid_panel(app, create_case, users):
    c = create_case(Channel.adjudication, actor=users["examiner"])
    assert "panel" in str(why_not(WORKFLOW, c, "docket", users["examiner"])).lower() or why_not(
        WORKFLOW, c, "docket", users["examiner"]
    )
    with pytest.raises(DomainError):
        take(WORKFLOW, c, "docket", actor=users["examiner"])
    assert c.state == S.received


def test_reasons_required_where_the_rule_says(case, users):
    with pytest.raises(DomainError):
        take(WORKFLOW, case, "request_correction", actor=users["examiner"], reason="  ")
    assert case.state == S.received


def open_deadlines(case):
    return {
        d.rule_id
        for d in db.session.scalars(
            sa.select(Deadline).where(
                Deadline.case_id == case.id, Deadline.state.in_((DeadlineState.running, DeadlineState.suspended))
            )
        )
    }


def test_main_path_through_the_web(client, login_as, case, users):
    db.session.commit()
    examiner = login_as("examiner")
    steps = [
        ("docket", "examiner"),
        ("serve", "examiner"),
        ("receive_defence", "examiner"),
        ("deliberate", "examiner"),
        ("submit_for_closing", "examiner"),
    ]
    for action, _who in steps:
        r = examiner.post(f"/cases/{case.id}/actions/{action}", data={"reason": ""})
        assert r.status_code == 302, action
    db.session.refresh(case)
    assert case.state == S.closing_approval
    assert "adj.time_limit" in open_deadlines(case)
    # the examiner cannot approve: only the director
    r = examiner.post(f"/cases/{case.id}/actions/approve_decision", data={})
    assert r.status_code == 403
    examiner.post("/logout")
    director = login_as("director")
    assert director.post(f"/cases/{case.id}/actions/approve_decision", data={}).status_code == 302
    db.session.refresh(case)
    assert case.state == S.closed_decided and case.closed_at is not None
    assert "adj.time_limit" not in open_deadlines(case)  # met on closing
    assert "adj.publication" in open_deadlines(case)  # 20 working days to publish ([85]83)
    page = director.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "/actions/publish" in page


def test_refused_web_move_changes_nothing(client, login_as, case):
    db.session.commit()
    c = login_as("examiner")
    r = c.post(f"/cases/{case.id}/actions/serve", data={})
    assert r.status_code == 302
    db.session.refresh(case)
    assert case.state == S.received
    assert c.post(f"/cases/{case.id}/actions/no_such_step", data={}).status_code == 404


def test_suspension_pauses_the_time_limit_and_returns(case, users):
    take(WORKFLOW, case, "docket", actor=users["examiner"])
    take(WORKFLOW, case, "serve", actor=users["examiner"])
    take(WORKFLOW, case, "suspend", actor=users["examiner"], reason="无效宣告请求已受理")
    assert case.state == S.suspended and case.state_before_suspension == S.defence_period
    limit = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "adj.time_limit")
    ).one()
    assert limit.state == DeadlineState.suspended
    take(WORKFLOW, case, "resume", actor=users["examiner"])
    assert case.state == S.defence_period and case.state_before_suspension is None
    assert limit.state == DeadlineState.running
    period = db.session.scalars(sa.select(ExcludedPeriod).where(ExcludedPeriod.case_id == case.id)).one()
    assert period.ends_on is not None


def test_defence_lapsed_only_after_the_period(case, users):
    take(WORKFLOW, case, "docket", actor=users["examiner"])
    take(WORKFLOW, case, "serve", actor=users["examiner"])
    assert why_not(WORKFLOW, case, "defence_lapsed", users["examiner"])
    for d in db.session.scalars(sa.select(Deadline).where(Deadline.rule_id == "adj.defence")):
        d.state = DeadlineState.breached
    assert why_not(WORKFLOW, case, "defence_lapsed", users["examiner"]) is None
