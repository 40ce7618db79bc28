"""The adjudication procedure: every allowed and refused move, per role; the main path; suspension.

The steps with structured details and their branches are walked through the web in
``test_adjudication_steps.py``; the pure rules (hearing notice, majority) in
``test_adjudication_rules.py``."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.operations import add_party, assign_staff
from ipcase.cases.timeline import record
from ipcase.channels.adjudication.stages import DIRECTOR
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.states import AppraisalStage, DecisionOutcome
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import available, take, why_not
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.credit.models import CreditEventKind
from ipcase.credit.operations import history_of_case, record_event
from ipcase.deadlines.models import Deadline, DeadlineState, ExcludedPeriod, ExclusionKind
from ipcase.deadlines.operations import start_deadline, start_exclusion
from ipcase.deadlines.triggers import fire
from tests import factories

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


# -- what each guarded step needs, and the details each step with a form is given -----------------


def _start(case, users, rule_id):
    return start_deadline(case, rule_id, started_at=clock.now(), actor=users["director"])


def _exclusion(case, users, kind):
    start_exclusion(case, kind, clock.today(), actor=users["director"], reason="测试")


def _as_if_taken(case, users, action):
    """A step recorded on the timeline, for a state the table test puts the case in directly."""
    step = {"action": {"step": action, "channel": "adjudication"}}
    record(case, "case.transition", actor=users["examiner"], data=step)


def _objection(case, users, state):
    _as_if_taken(case, users, "receive_jurisdiction_objection")
    fire(case, "jurisdiction_objection_received", at=clock.now(), actor=users["director"])
    _exclusion(case, users, ExclusionKind.jurisdiction_objection)


def _defence_in(case, users, state):
    _as_if_taken(case, users, "receive_defence")
    fire(case, "defence_received", at=clock.now(), actor=users["director"])


def _preservation_requested(case, users, state):
    _as_if_taken(case, users, "request_preservation")
    _start(case, users, "adj.preservation_decision")


def _docketed_then_party_added(case, users, state):
    _as_if_taken(case, users, "docket")
    add_party(case, factories.party_data(PartyRole.third_party, "成都某某第三人有限公司"), actor=users["examiner"])


def _decided(case, users, state):
    case.outcome = DecisionOutcome.infringement_found


def _decision_served(case, users, state):
    _decided(case, users, state)
    take(WORKFLOW, case, "serve_decision", actor=users["examiner"], details={"method": "direct"})


def _windows_passed(case, users, state):
    """The decision served, and every window to sue passed without suit ([85]80)."""
    _decision_served(case, users, state)
    for window in db.session.scalars(sa.select(Deadline).where(Deadline.rule_id == "adj.lawsuit_window")):
        window.state = DeadlineState.breached


def _demand_run_out(case, users, state):
    _windows_passed(case, users, state)
    take(WORKFLOW, case, "serve_performance_demand", actor=users["examiner"])
    _latest(case, "adj.performance_demand").state = DeadlineState.breached


def _advisory_window_passed(case, users, state):
    _start(case, users, "adj.advisory_after_receipt").state = DeadlineState.breached


def _advisory_requested(case, users, state):
    _advisory_window_passed(case, users, state)
    _as_if_taken(case, users, "request_advisory_opinion")


def _rightholder_may_apply(case, users, state):
    _decided(case, users, state)
    _start(case, users, "adj.rightholder_enforcement")


def _set(**values):
    def arrange(case, users, state):
        for name, value in values.items():
            setattr(case, name, value)

    return arrange


#: the warned person's demand to the right holder, recorded in any open state ([85]13)
WARNING_DEMAND = {"record_warning_demand_received", "record_warning_demand_sent"}

#: how to meet each guarded step's condition, which the test first sees refused
ARRANGE = {
    "forward_defence": _defence_in,
    "receive_jurisdiction_objection": lambda c, u, s: fire(c, "request_served", at=clock.now(), actor=u["director"]),
    "dismiss_jurisdiction_objection": _objection,
    "transfer_on_objection": _objection,
    "decide_recusal": lambda c, u, s: setattr(c, "recusal_official_id", u["examiner2"].id),
    "extend_evidence_period": lambda c, u, s: _start(c, u, "adj.evidence_period"),
    "close_evidence": lambda c, u, s: _start(c, u, "adj.evidence_period"),
    "decide_appraisal": _set(appraisal_stage=AppraisalStage.requested),
    "commission_appraisal": _set(appraisal_stage=AppraisalStage.needed),
    "abandon_appraisal": _set(appraisal_stage=AppraisalStage.needed),
    "receive_appraisal_opinion": _set(appraisal_stage=AppraisalStage.commissioned),
    "decide_preservation": _preservation_requested,
    "release_preservation": _set(is_evidence_preserved=True),
    "receive_tech_opinion": lambda c, u, s: assign_staff(
        c, u["expert"], AssignmentRole.tech_investigator, actor=u["director"]
    ),
    "record_joinder": _docketed_then_party_added,
    # issue 12: steps that answer a period wait for it
    "record_warning_answered": lambda c, u, s: _start(c, u, "adj.advisory_after_receipt"),
    "request_advisory_opinion": _advisory_window_passed,
    "give_advisory_opinion": _advisory_requested,
    "change_request_major": _set(is_major=True),
    "record_collection": lambda c, u, s: _start(c, u, "adj.collect_preserved"),
    "notify_tech_investigator": lambda c, u, s: assign_staff(
        c, u["expert"], AssignmentRole.tech_investigator, actor=u["director"]
    ),
    "receive_hearing_reply": lambda c, u, s: _start(c, u, "adj.hearing_reply"),
    "publish_change": lambda c, u, s: _start(c, u, "adj.publication_of_change"),
    "record_rightholder_enforcement": _rightholder_may_apply,
    "end_settlement": lambda c, u, s: _exclusion(c, u, ExclusionKind.settlement),
    "serve_performance_demand": _windows_passed,
    "waive_period": lambda c, u, s: _start(c, u, "adj.evidence_period"),
    "record_performance": _decided,
    "record_nonperformance": _demand_run_out,
    "request_enforcement": _demand_run_out,
}


def _latest(case, rule_id):
    return db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id).order_by(Deadline.id.desc())
    ).first()


def _party_id(case, role=PartyRole.respondent):
    return case.parties_in(role)[0].id


def _local_in(days, hour=9):
    return (clock.to_local(clock.now()) + timedelta(days=days)).replace(hour=hour, minute=30, tzinfo=None)


def details_for(case, users, action):
    """Valid details for each step with a form."""
    cq = factories.org("cqip").id
    return {
        "receive_jurisdiction_objection": {"party": _party_id(case), "grounds": "侵权行为地与住所地均在重庆"},
        "transfer_on_objection": {"organisation": cq},
        "notify_officials": {"method": "docketing_notice"},
        "apply_recusal": {
            "party": _party_id(case),
            "official": users["examiner2"].id,
            "ground": "party_or_relative",
            "facts": "系请求人法定代表人之子",
        },
        "decide_recusal": {"decision": "refused", "replacement": None},
        "serve_evidence_notice": {"days": 20},
        "extend_evidence_period": {"party": _party_id(case), "days": 10},
        "request_appraisal": {"party": _party_id(case), "matters": "被控产品是否落入权利要求1的保护范围"},
        "decide_appraisal": {"decision": "needed"},
        "commission_appraisal": {
            "appraiser": "四川某某司法鉴定所",
            "chosen_by": "parties",
            "cost": Decimal("8000"),
            "cost_agreed": True,
            "due_on": None,
        },
        "receive_appraisal_opinion": {"conclusion": "落入保护范围"},
        "request_preservation": {"party": None, "items": "仓库内XD-08折叠椅"},
        "decide_preservation": {"decision": "granted", "items": "XD-08折叠椅120把", "keeper": "被请求人仓库"},
        "record_sampling": {"items": "XD-08折叠椅2把", "place": "金牛区家具城B区126号"},
        "request_assistance": {"organisation": cq, "request": "调取被请求人在渝销售记录"},
        "release_preservation": {"items": "XD-08折叠椅120把", "collect_by": None},
        "receive_tech_opinion": {"investigator": users["expert"].id, "summary": "技术特征相同"},
        "record_joinder": {
            "party": next((p.id for p in case.parties if p.role == PartyRole.third_party), 0),
            "basis": "third_party",
        },
        "schedule_hearing": {
            "hearing_at": _local_in(14),
            "place": "第一审理庭",
            "online": False,
            "publicity": "public",
            "closed_reason": "",
        },
        "reschedule_hearing": {
            "party": _party_id(case),
            "requested_on": clock.today(),
            "hearing_at": _local_in(21),
            "place": "第一审理庭",
            "online": False,
            "publicity": "public",
            "closed_reason": "",
        },
        "hold_hearing": {"attendance": "both", "attendees": "请求人代理人张某；被请求人李某"},
        "submit_for_closing": {"votes_for": 3, "votes_against": 0, "dissent": ""},
        "approve_decision": {"outcome": "infringement_found", "orders": ["stop_selling"]},
        "request_correction": {"cure_by": clock.today() + timedelta(days=15)},
        "refuse_docketing": {"ground": "in_court"},
        "suspend": {"ground": "force_majeure"},
        "refuse_suspension": {"party": _party_id(case), "requested_on": clock.today(), "ground": "invention_patent"},
        "waive_period": {
            "party": _party_id(case),
            "period": (_latest(case, "adj.evidence_period").id if _latest(case, "adj.evidence_period") else 0),
        },
        "start_settlement": {"requested_by": "both"},
        "end_settlement": {"result": "no_settlement"},
        "serve_decision": {"method": "direct"},
        "record_performance": {"how": "已停止销售并销毁库存"},
        "record_correction": {"decision_date": clock.today(), "corrections": "第3页“XD-80”更正为“XD-08”"},
        "revoke_after_invalidation": {
            "invalidation_no": "第561234号无效宣告请求审查决定",
            "final_on": clock.today(),
            "effect": "revoked",
            "performed": "",
        },
    }.get(action)


def snapshot(case):
    return (case.state, case.closed_at, len(case.timeline))


#: every (action, state) pair the table allows
ALLOWED = [(t.action, s) for t in WORKFLOW.transitions for s in sorted(WORKFLOW.sources_of(t))]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_refused_move(case, users, action):
    """From every state the table does not list, the move is refused and changes nothing."""
    t = WORKFLOW.by_action[action]
    refused = [s for s in ALL_STATES if s not in WORKFLOW.sources_of(t)]
    for state in refused:
        put(case, state)
        with pytest.raises(DomainError):
            take(
                WORKFLOW, case, action, actor=users["director"], reason="理由", details=details_for(case, users, action)
            )
        assert case.state == state, (action, state)  # refused: nothing changed


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_every_allowed_move(case, users, state, action):
    put(case, state)
    t = WORKFLOW.by_action[action]
    actor = users["director"]
    if action in ARRANGE:
        # the step waits for its condition, and says so without changing anything
        before = snapshot(case)
        assert why_not(WORKFLOW, case, action, actor)
        with pytest.raises(DomainError):
            take(WORKFLOW, case, action, actor=actor, reason="理由", details=details_for(case, users, action))
        assert snapshot(case) == before
        ARRANGE[action](case, users, state)
    take(WORKFLOW, case, action, actor=actor, reason="理由", details=details_for(case, users, action))
    expected = t.target or (S.evidence.value if action == "resume" else state)
    assert case.state == expected
    assert (case.closed_at is not None) == (t.closes or (case.state in WORKFLOW.closed and state in WORKFLOW.closed))


@pytest.mark.parametrize(
    ("username", "may"),
    [
        ("examiner", {"request_correction", "docket"} | WARNING_DEMAND),
        ("director", {"request_correction", "refuse_docketing", "docket", "mark_major"} | WARNING_DEMAND),
        ("mediator", set()),
        ("station", set()),
        ("expert", set()),
        ("party", set()),
        ("cqexaminer", set()),
    ],
)
def test_who_may_act_on_a_new_request(case, users, username, may):
    assert {t.action for t in available(WORKFLOW, case, users[username])} == may


#: what the examiner may do once the defence is in (the evidence stage, nothing pending)
EXAMINER_IN_EVIDENCE = WARNING_DEMAND | {
    "forward_defence",
    "receive_jurisdiction_objection",
    "notify_officials",
    "apply_recusal",
    "serve_evidence_notice",
    "request_appraisal",
    "request_preservation",
    "record_sampling",
    "request_assistance",
    "schedule_hearing",
    "deliberate",
    "start_settlement",
    "close_by_mediation",
    "suspend",
    "refuse_suspension",
}


@pytest.mark.parametrize(
    ("username", "may"),
    [
        ("examiner", EXAMINER_IN_EVIDENCE),
        ("director", EXAMINER_IN_EVIDENCE | {"cancel_case", "mark_major"}),
        ("mediator", set()),
        ("station", set()),
        ("expert", set()),
        ("party", set()),
        ("cqexaminer", set()),
    ],
)
def test_who_may_act_in_the_evidence_stage(case, users, username, may):
    for action in ("docket", "serve", "receive_defence"):
        take(WORKFLOW, case, action, actor=users["examiner"])
    assert case.state == S.evidence
    assert {t.action for t in available(WORKFLOW, case, users[username])} == may


@pytest.mark.parametrize(
    ("username", "may"),
    [
        ("examiner", {"serve_decision", "publish", "record_lawsuit", "record_performance", "record_correction"}),
        (
            "director",
            {
                "serve_decision",
                "publish",
                "record_lawsuit",
                "record_performance",
                "record_correction",
                "revoke_after_invalidation",
            },
        ),
        ("mediator", set()),
        ("expert", set()),
        ("cqexaminer", set()),
    ],
)
def test_who_may_act_after_a_decision_finding_infringement(case, users, username, may):
    put(case, S.closed_decided)
    case.outcome = DecisionOutcome.infringement_found
    assert {t.action for t in available(WORKFLOW, case, users[username])} == may


@pytest.mark.parametrize("action", sorted(t.action for t in WORKFLOW.transitions if t.roles == DIRECTOR))
def test_only_the_director_decides(case, users, action):
    t = WORKFLOW.by_action[action]
    put(case, sorted(WORKFLOW.sources_of(t))[0])
    assert str(why_not(WORKFLOW, case, action, users["examiner"])) == str(_l("Your role may not take this action."))


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
        ("docket", {}),
        ("serve", {}),
        ("receive_defence", {}),
        ("deliberate", {}),
        ("submit_for_closing", {"votes_for": "3", "votes_against": "0"}),
    ]
    for action, data in steps:
        r = examiner.post(f"/cases/{case.id}/actions/{action}", data={"reason": "", **data})
        assert r.status_code == 302, action
        db.session.refresh(case)
    assert case.state == S.closing_approval
    assert "adj.time_limit" in open_deadlines(case)
    # the examiner cannot approve: only the director
    r = examiner.post(f"/cases/{case.id}/actions/approve_decision", data={})
    assert r.status_code == 403
    examiner.post("/logout")
    director = login_as("director")
    decision = {"outcome": "not_found"}
    assert director.post(f"/cases/{case.id}/actions/approve_decision", data=decision).status_code == 302
    db.session.refresh(case)
    assert case.state == S.closed_decided and case.closed_at is not None
    assert case.outcome == DecisionOutcome.not_found
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
    take(
        WORKFLOW,
        case,
        "suspend",
        actor=users["examiner"],
        reason="无效宣告请求已受理",
        details={"ground": "force_majeure"},
    )
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


def test_closing_ends_excluded_time_still_running(case, users):
    take(WORKFLOW, case, "docket", actor=users["examiner"])
    take(WORKFLOW, case, "start_settlement", actor=users["examiner"], details={"requested_by": "both"})
    period = db.session.scalars(sa.select(ExcludedPeriod).where(ExcludedPeriod.case_id == case.id)).one()
    assert period.kind == ExclusionKind.settlement and period.ends_on is None
    take(WORKFLOW, case, "close_by_mediation", actor=users["examiner"])
    assert period.ends_on == clock.today()


def test_the_transferred_state_is_closed_and_labelled():
    assert S.transferred in WORKFLOW.closed
    assert S.transferred.label == _l("Transferred to the competent office")


# -- [85]33: the patent invalidated after the decision ---------------------------------------------


def _decided_with_finding(case, users):
    put(case, S.published)
    case.outcome = DecisionOutcome.infringement_found
    for party in case.respondents:
        record_event(case, party, CreditEventKind.infringement_found, actor=users["director"], at=clock.now())
    return CreditEventKind


def _revoke(case, users, **changes):
    details = details_for(case, users, "revoke_after_invalidation") | changes
    take(
        WORKFLOW,
        case,
        "revoke_after_invalidation",
        actor=users["director"],
        reason="专利权被宣告全部无效",
        details=details,
    )


def test_a_revoked_decision_no_longer_counts_against_the_respondent(case, users):
    _decided_with_finding(case, users)
    _revoke(case, users)
    assert case.state == S.decision_revoked and case.closed_at is not None
    events = history_of_case(case)
    assert events and all(e.is_removed for e in events)


def test_a_changed_decision_keeps_its_finding(case, users):
    _decided_with_finding(case, users)
    _revoke(case, users, effect="changed")
    assert case.state == S.decision_revoked
    assert not any(e.is_removed for e in history_of_case(case))


@pytest.mark.parametrize(
    ("final_on", "message"),
    [
        (lambda: clock.today() + timedelta(days=1), "already be final"),
        (lambda: date(2020, 1, 1), "before the decision"),
    ],
)
def test_revocation_needs_an_invalidation_final_after_the_decision(case, users, final_on, message):
    _decided_with_finding(case, users)
    with pytest.raises(DomainError) as info, force_locale("en"):
        _revoke(case, users, final_on=final_on())
    with force_locale("en"):
        assert message in " ".join(str(m) for _, m in info.value.reasons)
    assert case.state == S.published
