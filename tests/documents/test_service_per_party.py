"""A party's window runs from that party's service (issue 10): each party's lawsuit window, and
each respondent's defence and performance periods, start from the service of the document on
that party, once per party; meeting them meets the right party's one where the party is known."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.operations import add_party, assign_staff
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import _step_party, take
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.operations import meet_deadlines
from ipcase.documents import operations as ops
from ipcase.documents.models import ServiceMethod
from tests import factories

#: Tuesday 2026-11-24, 10:00 in China: the decision is issued then; no holiday within the periods
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
DECISION = {"requester_claims": "请求停止侵权", "findings": "查明", "reasoning": "认为", "order": "停止制造"}


@pytest.fixture
def case(app, create_case, users, frozen_now):
    frozen_now(NOW)
    c = create_case(Channel.adjudication, actor=users["examiner"], received_at=NOW - timedelta(days=4))
    for user, role in (
        (users["director"], AssignmentRole.panel_leader),
        (users["examiner2"], AssignmentRole.panel_member),
        (users["examiner3"], AssignmentRole.panel_member),
    ):
        assign_staff(c, user, role, actor=users["director"])
    return c


@pytest.fixture
def decision(case, users):
    return ops.issue_document(case, "adjudication_decision", DECISION, actor=users["director"])


def windows(case, rule_id="adj.lawsuit_window"):
    """{party name: (due day, state)} of the case's periods of ``rule_id``."""
    rows = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id).order_by(Deadline.id)
    ).all()
    return {(d.party.name if d.party else None): (d.due_on, d.state) for d in rows}


def serve(document, party, day, users):
    return ops.record_service(
        document, recipient=party, method=ServiceMethod.direct, served_on=day, actor=users["examiner"]
    )


def test_each_party_s_lawsuit_window_runs_from_its_own_service(case, decision, users, frozen_now):
    requester, respondent = case.requesters[0], case.respondents[0]
    first = serve(decision, respondent, date(2026, 11, 24), users)
    frozen_now(NOW + timedelta(days=2))
    second = serve(decision, requester, date(2026, 11, 26), users)
    assert first.event == second.event == "decision_served"
    # 15 days from each service ([PL]65), the day of service not counted (P1)
    assert windows(case) == {
        respondent.name: (date(2026, 12, 9), DeadlineState.running),
        requester.name: (date(2026, 12, 11), DeadlineState.running),
    }


def test_serving_the_same_party_twice_starts_no_second_window(case, decision, users, frozen_now):
    respondent = case.respondents[0]
    serve(decision, respondent, date(2026, 11, 24), users)
    frozen_now(NOW + timedelta(days=2))
    again = serve(decision, respondent, date(2026, 11, 26), users)
    assert again.event == ""
    assert windows(case) == {respondent.name: (date(2026, 12, 9), DeadlineState.running)}


def test_the_step_serves_every_party_and_later_services_start_nothing(case, decision, users, frozen_now):
    case.state = "closed_decided"
    case.closed_at = NOW
    take(WORKFLOW, case, "serve_decision", actor=users["examiner"], details={"method": "direct"})
    requester, respondent = case.requesters[0], case.respondents[0]
    both = {
        requester.name: (date(2026, 12, 9), DeadlineState.running),
        respondent.name: (date(2026, 12, 9), DeadlineState.running),
    }
    assert windows(case) == both
    frozen_now(NOW + timedelta(days=2))
    assert serve(decision, requester, date(2026, 11, 26), users).event == ""
    assert windows(case) == both


def test_a_step_after_one_service_starts_only_the_others_windows(case, decision, users, frozen_now):
    requester, respondent = case.requesters[0], case.respondents[0]
    serve(decision, respondent, date(2026, 11, 24), users)
    frozen_now(NOW + timedelta(days=2))
    case.state = "closed_decided"
    case.closed_at = NOW
    take(WORKFLOW, case, "serve_decision", actor=users["examiner"], details={"method": "direct"})
    assert windows(case) == {
        respondent.name: (date(2026, 12, 9), DeadlineState.running),
        requester.name: (date(2026, 12, 11), DeadlineState.running),
    }


def test_a_lawsuit_meets_the_window_of_the_party_that_filed_it_or_all(case, decision, users):
    requester, respondent = case.requesters[0], case.respondents[0]
    serve(decision, respondent, date(2026, 11, 24), users)
    serve(decision, requester, date(2026, 11, 24), users)
    met = meet_deadlines(case, "lawsuit_filed", actor=users["examiner"], party=requester)
    assert [d.party_id for d in met] == [requester.id]
    assert windows(case)[respondent.name][1] == DeadlineState.running
    # the step "Administrative lawsuit filed" names no party: every window is met
    case.state = "closed_decided"
    case.closed_at = NOW
    take(WORKFLOW, case, "record_lawsuit", actor=users["examiner"])
    assert {state for _due, state in windows(case).values()} == {DeadlineState.met}


def test_each_respondent_s_performance_period_runs_from_its_own_demand(case, decision, users, frozen_now):
    second = add_party(case, factories.party_data(PartyRole.respondent, "成都某某第二被请求人有限公司"), actor=None)
    first = case.respondents[0]
    fields = {"decision_number": decision.number, "obligations": "停止制造"}
    demands = [
        ops.issue_document(case, "performance_demand", fields | {"addressee": p.id}, actor=users["examiner"])
        for p in (first, second)
    ]
    serve(demands[0], first, date(2026, 11, 24), users)
    frozen_now(NOW + timedelta(days=2))
    serve(demands[1], second, date(2026, 11, 26), users)
    assert serve(demands[0], case.requesters[0], date(2026, 11, 26), users).event == ""  # not the requester's
    # 10 days after each demand is served ([85]80); 2026-12-06 is a Sunday, so the second runs
    # to the next working day (P3)
    assert windows(case, "adj.performance_demand") == {
        first.name: (date(2026, 12, 4), DeadlineState.running),
        second.name: (date(2026, 12, 7), DeadlineState.running),
    }


def test_each_respondent_gets_its_own_defence_period_abroad_or_not(case, users):
    abroad = add_party(
        case,
        factories.party_data(PartyRole.respondent, "香港某某贸易有限公司", has_domestic_domicile=False),
        actor=None,
    )
    case.state = "docketed"
    take(WORKFLOW, case, "serve", actor=users["examiner"])
    assert windows(case, "adj.defence") == {case.respondents[0].name: (date(2026, 12, 9), DeadlineState.running)}
    assert windows(case, "adj.defence_abroad") == {abroad.name: (date(2026, 12, 24), DeadlineState.running)}


def test_a_step_that_names_a_party_meets_only_that_party_s_periods(case, users):
    """The engine hands the party a step's details name (``party``, kept as ``party_id`` once
    named on the timeline) to the meeting of its event's periods."""
    requester = case.requesters[0]
    assert _step_party(case, {"party": requester.id}) is requester
    assert _step_party(case, {"party": requester.name, "party_id": requester.id}) is requester
    assert _step_party(case, {"party": True}) is None
    assert _step_party(case, {"party": 10**9}) is None
    assert _step_party(case, {}) is None
