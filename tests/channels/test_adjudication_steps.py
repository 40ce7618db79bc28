"""The adjudication steps with structured details, walked through the web: each main branch, and
each refusal, which must say why and change nothing.

Time is frozen at Tuesday 2026-11-24 10:00 in China (``frozen_now``) so that the working-day
arithmetic can be checked against the calendar: +3 working days is Friday 2026-11-27."""

import html
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from ipcase.auth.models import Role, User
from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.operations import add_party, assign_staff
from ipcase.channels.adjudication.guards import no_objection_pending, request_served
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.states import AppraisalStage, DecisionOutcome
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take, why_not
from ipcase.core.extensions import db
from ipcase.credit.models import CreditEvent, CreditEventKind
from ipcase.deadlines.models import Deadline, DeadlineState, ExcludedPeriod, ExclusionKind
from tests import factories
from tests.cases.helpers import make_client_as

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in China
#: the tests' dates, numbers and due dates are written for Tuesday 2026-11-24 10:00 China time
pytestmark = pytest.mark.frozen_at(NOW)


@pytest.fixture
def client_as(app):
    """A logged-in client reading the site in English (refusals are matched on their text)."""
    return lambda username: make_client_as(app, username, "en")


@pytest.fixture
def case(app, frozen_now, users):
    c = factories.create_case(Channel.adjudication, actor=users["examiner"], received_at=NOW - timedelta(days=1))
    assign_staff(c, users["director"], AssignmentRole.panel_leader, actor=users["director"])
    assign_staff(c, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    assign_staff(c, users["examiner3"], AssignmentRole.panel_member, actor=users["director"])
    db.session.commit()
    return c


def walk(case, users, *actions, **details):
    """Set the case up through the engine (the steps under test are then taken on the web)."""
    for action in actions:
        take(WORKFLOW, case, action, actor=users["director"], reason="理由", details=details.get(action))
    db.session.commit()


def step(client, case, action, **data):
    """Post a step's form; the case page it returns to, as text."""
    response = client.post(f"/cases/{case.id}/actions/{action}", data=data, follow_redirects=True)
    assert response.status_code == 200, action
    db.session.expire_all()
    return html.unescape(response.get_data(as_text=True))


def snapshot(case):
    db.session.expire_all()
    return (
        case.state,
        case.closed_at,
        db.session.scalar(
            sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == case.id)
        ),
        db.session.scalar(sa.select(sa.func.count()).select_from(Deadline).where(Deadline.case_id == case.id)),
        db.session.scalar(
            sa.select(sa.func.count()).select_from(ExcludedPeriod).where(ExcludedPeriod.case_id == case.id)
        ),
    )


def deadline(case, rule_id):
    return db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id).order_by(Deadline.id.desc())
    ).first()


def exclusion(case, kind):
    return db.session.scalars(
        sa.select(ExcludedPeriod).where(ExcludedPeriod.case_id == case.id, ExcludedPeriod.kind == kind)
    ).first()


def respondent(case):
    return case.parties_in(PartyRole.respondent)[0]


def last_transition(case):
    db.session.expire_all()
    return [e for e in db.session.get(Case, case.id).timeline if e.event == "case.transition"][-1]


# -- jurisdiction objection ([85]9) ---------------------------------------------------------------


def objection(case, **extra):
    return {"party": respondent(case).id, "grounds": "侵权行为地与被请求人住所地均在重庆", **extra}


def test_objection_dismissed_the_case_goes_on(client_as, case, users):
    walk(case, users, "docket", "serve")
    examiner = client_as("examiner")
    page = step(examiner, case, "receive_jurisdiction_objection", **objection(case))
    assert "Done: Jurisdiction objection received" in page
    period = exclusion(case, ExclusionKind.jurisdiction_objection)
    assert period.starts_on.isoformat() == "2026-11-24" and period.ends_on is None
    decision = deadline(case, "adj.jurisdiction_objection")
    assert decision.state == DeadlineState.running and decision.due_on.isoformat() == "2026-12-01"  # 5 WD
    entry = last_transition(case)
    assert entry.data["details"]["party"] == respondent(case).name
    # only the director decides, and not while the objection is pending does the panel deliberate
    assert examiner.post(f"/cases/{case.id}/actions/dismiss_jurisdiction_objection", data={}).status_code == 403
    director = client_as("director")
    before = snapshot(case)
    assert "Give the reasons" in step(director, case, "dismiss_jurisdiction_objection", reason="")
    assert snapshot(case) == before
    page = step(director, case, "dismiss_jurisdiction_objection", reason="本案侵权行为地在成都市金牛区")
    assert "Done: Jurisdiction objection dismissed" in page
    assert exclusion(case, ExclusionKind.jurisdiction_objection).ends_on.isoformat() == "2026-11-24"
    assert deadline(case, "adj.jurisdiction_objection").state == DeadlineState.met
    assert case.state == S.defence_period and case.closed_at is None


def test_objection_upheld_transfers_the_case_to_the_competent_office(client_as, case, users):
    walk(case, users, "docket", "serve")
    step(client_as("examiner"), case, "receive_jurisdiction_objection", **objection(case))
    director = client_as("director")
    before = snapshot(case)
    cdip, cqip = factories.org("cdip").id, factories.org("cqip").id
    page = step(director, case, "transfer_on_objection", organisation=cdip, reason="异议成立")
    assert "Not a valid choice" in page  # the case's own office is not offered
    assert snapshot(case) == before
    page = step(director, case, "transfer_on_objection", organisation=cqip, reason="侵权行为地与住所地均在重庆")
    assert "Done: Objection upheld" in page
    assert case.state == S.transferred and case.closed_at is not None
    new = db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id)).one()
    assert new.organisation_id == cqip and new.channel == Channel.adjudication
    assert {p.name for p in new.parties} == {p.name for p in case.parties}
    assert exclusion(case, ExclusionKind.jurisdiction_objection).ends_on is not None
    assert deadline(case, "adj.jurisdiction_objection").state == DeadlineState.met
    details = last_transition(case).data["details"]
    assert details["organisation"] == factories.org("cqip").name and details["new_case"] == new.number
    assert 'id="actions"' not in page  # closed here: no step is left
    # the competent office takes it from the start: the history travels, the pending objection does not
    assert any(e.data.get("copied_from") == case.number for e in new.timeline)
    assert no_objection_pending(new) is None and request_served(new)


def test_objection_after_the_defence_period_is_refused(client_as, case, users, frozen_now):
    walk(case, users, "docket", "serve")  # served on 2026-11-24: 15 days, to 2026-12-09
    frozen_now(NOW + timedelta(days=20))
    examiner = client_as("examiner")
    before = snapshot(case)
    page = step(examiner, case, "receive_jurisdiction_objection", **objection(case))
    assert "The defence period ended on 2026-12-09" in page
    assert snapshot(case) == before
    # one received within the period and recorded late is accepted
    page = step(examiner, case, "receive_jurisdiction_objection", **objection(case, at="2026-12-08T16:00"))
    assert "Done: Jurisdiction objection received" in page
    assert exclusion(case, ExclusionKind.jurisdiction_objection).starts_on.isoformat() == "2026-12-08"


# -- recusal ([85]5) ------------------------------------------------------------------------------


def recusal(case, users):
    return {
        "party": respondent(case).id,
        "official": users["examiner2"].id,
        "ground": "prior_involvement",
        "facts": "该审查员曾为涉案专利的代理人",
    }


def test_recusal_granted_the_official_leaves_and_a_replacement_takes_over(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    newcomer = User(
        username="examiner4", display_name="Examiner4", role=Role.examiner, organisation=factories.org("cdip")
    )
    newcomer.set_password(factories.PASSWORD)
    db.session.add(newcomer)
    db.session.commit()
    examiner = client_as("examiner")
    page = step(examiner, case, "apply_recusal", **recusal(case, users))
    assert "Done: Recusal application received" in page
    assert "Examiner2 stops work on the case until the recusal application is decided" in page
    assert case.recusal_official_id == users["examiner2"].id
    assert "Examiner2 stops work on the case until the director decides." in page  # on the case's details
    # the official stops work: the panel does not deliberate meanwhile
    before = snapshot(case)
    assert "A recusal application is awaiting the director's decision" in step(examiner, case, "deliberate")
    assert snapshot(case) == before
    assert examiner.post(f"/cases/{case.id}/actions/decide_recusal", data={}).status_code == 403
    page = step(
        client_as("director"), case, "decide_recusal", decision="granted", replacement=newcomer.id, reason="理由成立"
    )
    assert "Done: Recusal application decided" in page
    roles = {(a.user.username, a.role) for a in case.assignments}
    assert ("examiner2", AssignmentRole.panel_member) not in roles
    assert ("examiner4", AssignmentRole.panel_member) in roles
    assert case.recusal_official_id is None
    assert "Examiner2 is no longer Panel member" in page
    assert "until the director decides" not in page
    assert "Done: Panel deliberation" in step(examiner, case, "deliberate")


def test_recusal_refused_the_official_stays(client_as, case, users):
    walk(case, users, "docket", "serve")
    step(client_as("examiner"), case, "apply_recusal", **recusal(case, users))
    director = client_as("director")
    before = snapshot(case)
    page = step(
        director, case, "decide_recusal", decision="refused", replacement=users["expert"].id, reason="理由不成立"
    )
    assert "A replacement is named only when the recusal is granted" in page
    assert snapshot(case) == before and case.recusal_official_id == users["examiner2"].id
    page = step(director, case, "decide_recusal", decision="refused", replacement="", reason="理由不成立")
    assert "Done: Recusal application decided" in page
    assert case.recusal_official_id is None
    assert users["examiner2"].id in {a.user_id for a in case.assignments}


def test_no_recusal_application_once_the_hearing_is_over(client_as, case, users):
    walk(case, users, "docket")
    case.state = S.heard
    db.session.commit()
    before = snapshot(case)
    page = step(client_as("examiner"), case, "apply_recusal", **recusal(case, users))
    assert "This action is not possible while the case is “Hearing held”" in page
    assert snapshot(case) == before


def test_officials_notified_starts_the_recusal_window(client_as, case, users):
    walk(case, users, "docket")
    page = step(client_as("examiner"), case, "notify_officials", method="docketing_notice")
    assert "Done: Parties told who the officials are" in page
    window = deadline(case, "adj.recusal_application")
    assert window.due_on.isoformat() == "2026-11-27"  # 3 working days
    step(client_as("examiner"), case, "apply_recusal", **recusal(case, users))
    assert deadline(case, "adj.recusal_application").state == DeadlineState.met


# -- the oral hearing ([85]26–27) -----------------------------------------------------------------


def hearing(**extra):
    return {"hearing_at": "2026-11-27T09:30", "place": "成都市知识产权局第一审理庭", "publicity": "public", **extra}


def test_a_hearing_notified_less_than_3_working_days_ahead_is_refused(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    before = snapshot(case)
    page = step(examiner, case, "schedule_hearing", **hearing(hearing_at="2026-11-26T09:30"))
    assert "for a notice given on 2026-11-24 the earliest hearing date is 2026-11-27" in page
    assert snapshot(case) == before and case.hearing_at is None
    # closed without a reason, or neither a place nor online: refused too
    assert "Say why the hearing is not public" in step(
        examiner, case, "schedule_hearing", **hearing(publicity="closed")
    )
    assert "Give the place of the hearing" in step(examiner, case, "schedule_hearing", **hearing(place=""))
    assert snapshot(case) == before
    page = step(examiner, case, "schedule_hearing", **hearing(publicity="closed", closed_reason="trade_secret"))
    assert "Done: Schedule the oral hearing" in page
    assert case.state == S.hearing_scheduled
    assert case.hearing_at == datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
    assert case.hearing_place == "成都市知识产权局第一审理庭" and case.is_hearing_public is False
    assert "Hearing date and time (China time): 2026-11-27 09:30" in page
    assert "2026-11-27 09:30 · 成都市知识产权局第一审理庭 · not public" in page  # on the case's details


def test_an_online_hearing_needs_no_place(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    page = step(client_as("examiner"), case, "schedule_hearing", **hearing(place="", online="y"))
    assert "Done: Schedule the oral hearing" in page
    assert case.is_hearing_online is True


def test_hearing_held_by_default_when_the_respondent_is_absent(client_as, case, users, frozen_now):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    step(examiner, case, "schedule_hearing", **hearing())
    absent = {"attendance": "respondent_absent", "attendees": "请求人委托代理人王某"}
    before = snapshot(case)
    assert "The hearing is scheduled for 2026-11-27 09:30" in step(examiner, case, "hold_hearing", **absent)
    assert snapshot(case) == before
    frozen_now(datetime(2026, 11, 27, 4, 0, tzinfo=UTC))
    examiner = client_as("examiner")  # three days on, the first login session has expired
    page = step(examiner, case, "hold_hearing", **absent)
    assert "Done: Oral hearing held" in page
    assert case.state == S.heard
    assert "Respondent absent: heard by default (缺席审理)" in page


def test_rescheduling_at_a_party_request_at_least_3_days_ahead(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    step(examiner, case, "schedule_hearing", **hearing(hearing_at="2026-12-01T09:30"))
    later = hearing(hearing_at="2026-12-04T14:00", party=respondent(case).id)
    before = snapshot(case)
    page = step(examiner, case, "reschedule_hearing", **later, requested_on="2026-11-29")
    assert "for the hearing on 2026-12-01, by 2026-11-28" in page
    assert snapshot(case) == before
    page = step(examiner, case, "reschedule_hearing", **later, requested_on="2026-11-24")
    assert "Done: Hearing rescheduled" in page
    assert case.hearing_at == datetime(2026, 12, 4, 6, 0, tzinfo=UTC) and case.state == S.hearing_scheduled


# -- deliberation and decision ([85]25, [85]31–34) ------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "message"),
    [
        ({"votes_for": "1", "votes_against": "2", "dissent": "不构成侵权"}, "needs a majority of the panel"),
        ({"votes_for": "2", "votes_against": "0"}, "The panel has 3 members: count 3 votes (2 counted)"),
        ({"votes_for": "3", "votes_against": "2", "dissent": "x"}, "count 3 votes (5 counted)"),
        ({"votes_for": "2", "votes_against": "1"}, "Record the dissenting opinion"),
    ],
)
def test_the_draft_goes_to_approval_only_with_a_majority_of_the_whole_panel(client_as, case, users, votes, message):
    walk(case, users, "docket", "serve", "receive_defence", "deliberate")
    examiner = client_as("examiner")
    before = snapshot(case)
    assert message in step(examiner, case, "submit_for_closing", **votes)
    assert snapshot(case) == before
    page = step(examiner, case, "submit_for_closing", votes_for="2", votes_against="1", dissent="应认定不侵权")
    assert "Done: Submit the draft decision" in page
    assert case.state == S.closing_approval


def closing(case, users):
    walk(
        case,
        users,
        "docket",
        "serve",
        "receive_defence",
        "deliberate",
        "submit_for_closing",
        submit_for_closing={"votes_for": 3, "votes_against": 0},
    )


def credit_events(case):
    return db.session.scalars(sa.select(CreditEvent).where(CreditEvent.case_id == case.id)).all()


def test_a_decision_finding_infringement_records_a_credit_event_for_the_respondent(client_as, case, users):
    closing(case, users)
    director = client_as("director")
    before = snapshot(case)
    page = step(director, case, "approve_decision", outcome="infringement_found")
    assert "Order the measures that stop the infringement" in page
    page = step(director, case, "approve_decision", outcome="not_found", orders=["stop_selling"])
    assert "orders no measures" in page
    assert snapshot(case) == before and credit_events(case) == []
    page = step(
        director, case, "approve_decision", outcome="infringement_found", orders=["stop_making", "stop_selling"]
    )
    assert "Done: Approve and issue the decision" in page
    assert case.state == S.closed_decided and case.outcome == DecisionOutcome.infringement_found
    assert "<dt>Decision</dt><dd>Infringement established (侵权成立)</dd>" in page
    [event] = credit_events(case)
    assert (event.kind, event.party_id) == (CreditEventKind.infringement_found, respondent(case).id)
    assert last_transition(case).data["details"]["orders"] == ["stop_making", "stop_selling"]


def test_a_decision_finding_no_infringement_records_nothing(client_as, case, users):
    closing(case, users)
    page = step(client_as("director"), case, "approve_decision", outcome="not_found")
    assert "Done: Approve and issue the decision" in page
    assert case.outcome == DecisionOutcome.not_found and credit_events(case) == []
    assert "/actions/serve_performance_demand" not in page and "/actions/record_performance" not in page


def test_service_demand_and_enforcement_after_the_decision(client_as, case, users, frozen_now):
    closing(case, users)
    walk(case, users, "approve_decision", approve_decision={"outcome": "partly_found", "orders": ["ecommerce"]})
    examiner, director = client_as("examiner"), client_as("director")
    before = snapshot(case)
    assert "Serve a demand for performance first" in step(director, case, "request_enforcement")
    assert "Serve the decision first" in step(examiner, case, "serve_performance_demand")
    assert snapshot(case) == before
    assert "Done: Decision served" in step(examiner, case, "serve_decision", method="direct")
    assert deadline(case, "adj.lawsuit_window").due_on.isoformat() == "2026-12-09"  # 15 days ([PL]65)
    # [85]80: no demand while the respondent may still sue
    before = snapshot(case)
    page = step(examiner, case, "serve_performance_demand")
    assert "may still sue until 2026-12-09" in page and "[85]80" in page
    assert snapshot(case) == before
    frozen_now(NOW + timedelta(days=16))  # 2026-12-10: the windows passed without suit
    for window in db.session.scalars(sa.select(Deadline).where(Deadline.rule_id == "adj.lawsuit_window")):
        window.state = DeadlineState.breached  # what the sweep does
    db.session.commit()
    examiner, director = client_as("examiner"), client_as("director")  # new logins, days later
    assert "Done: Demand for performance served" in step(examiner, case, "serve_performance_demand")
    assert deadline(case, "adj.performance_demand").due_on.isoformat() == "2026-12-21"  # 10 days ([85]80), P3
    assert "still running" in step(director, case, "request_enforcement")
    frozen_now(NOW + timedelta(days=28))
    examiner, director = client_as("examiner"), client_as("director")  # new logins, days later
    deadline(case, "adj.performance_demand").state = DeadlineState.breached  # what the sweep does
    db.session.commit()
    assert "Done: Not performed" in step(examiner, case, "record_nonperformance")
    assert deadline(case, "adj.enforcement_application").state == DeadlineState.running  # 3 months ([85]80)
    page = step(director, case, "request_enforcement")
    assert "Done: Court enforcement requested" in page
    assert case.state == S.enforcement_requested
    assert deadline(case, "adj.enforcement_application").state == DeadlineState.met
    kinds = {(e.kind, e.party_id) for e in credit_events(case)}
    assert (CreditEventKind.decision_unperformed, respondent(case).id) in kinds


def test_performance_meets_the_demand(client_as, case, users):
    closing(case, users)
    walk(
        case,
        users,
        "approve_decision",
        "serve_decision",
        approve_decision={"outcome": "infringement_found", "orders": ["stop_selling"]},
        serve_decision={"method": "post"},
    )
    # the respondent says it will not sue: its waiver of the window, recorded, lets the demand come
    window = db.session.scalars(
        sa.select(Deadline).where(Deadline.rule_id == "adj.lawsuit_window", Deadline.party_id == respondent(case).id)
    ).one()
    walk(
        case,
        users,
        "waive_period",
        "serve_performance_demand",
        waive_period={"party": respondent(case).id, "period": window.id},
    )
    assert window.state == DeadlineState.cancelled
    page = step(client_as("examiner"), case, "record_performance", how="被请求人已下架全部链接")
    assert "Done: Decision performed" in page
    assert deadline(case, "adj.performance_demand").state == DeadlineState.met
    assert "The decision has been performed" in step(client_as("director"), case, "request_enforcement")


def test_a_correction_notice_after_closing(client_as, case, users):
    closing(case, users)
    walk(case, users, "approve_decision", approve_decision={"outcome": "not_found"})
    page = step(
        client_as("examiner"), case, "record_correction", decision_date="2026-11-24", corrections="第2页笔误更正"
    )
    assert "Done: Correction notice issued" in page
    assert "Corrections: 第2页笔误更正" in page
    assert case.state == S.closed_decided


# -- evidence, appraisal, preservation, investigator ([85]44–54) ---------------------------------


def test_the_evidence_notice_sets_a_period_of_at_least_15_days_and_extensions_are_excluded(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    before = snapshot(case)
    assert "Number must be between 15 and 365" in step(examiner, case, "serve_evidence_notice", days="14")
    assert snapshot(case) == before
    assert "Done: Evidence notice served" in step(examiner, case, "serve_evidence_notice", days="30")
    period = deadline(case, "adj.evidence_period")
    assert (period.length, period.due_on.isoformat()) == (30, "2026-12-24")
    limit_before = deadline(case, "adj.time_limit").due_on
    page = step(examiner, case, "extend_evidence_period", party=respondent(case).id, days="10")
    assert "Done: Evidence period extended" in page
    excluded = exclusion(case, ExclusionKind.evidence_extension)
    assert (excluded.starts_on.isoformat(), excluded.ends_on.isoformat()) == ("2026-12-25", "2027-01-03")
    assert deadline(case, "adj.evidence_period").due_on.isoformat() == "2027-01-04"  # 01-03 is a Sunday
    assert deadline(case, "adj.time_limit").due_on >= limit_before + timedelta(days=10)
    assert "Done: Evidence period closed" in step(examiner, case, "close_evidence")
    assert deadline(case, "adj.evidence_period").state == DeadlineState.met


def test_an_appraisal_needs_the_cost_agreed_and_its_time_is_excluded(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    page = step(examiner, case, "request_appraisal", party=respondent(case).id, matters="被控产品与权利要求1是否相同")
    assert "Done: Appraisal requested" in page
    step(examiner, case, "decide_appraisal", decision="needed")
    assert case.appraisal_stage == AppraisalStage.needed
    commission = {"appraiser": "四川某某司法鉴定所", "chosen_by": "parties", "cost": "8000"}
    before = snapshot(case)
    assert "there is no appraisal" in step(examiner, case, "commission_appraisal", **commission)
    assert snapshot(case) == before
    page = step(examiner, case, "commission_appraisal", **commission, cost_agreed="y", due_on="2026-12-20")
    assert "Done: Appraisal commissioned" in page
    assert exclusion(case, ExclusionKind.appraisal).ends_on is None
    assert deadline(case, "adj.time_limit").state == DeadlineState.suspended
    assert "Done: Appraisal opinion received" in step(
        examiner, case, "receive_appraisal_opinion", conclusion="被控产品落入权利要求1的保护范围"
    )
    assert exclusion(case, ExclusionKind.appraisal).ends_on is not None
    assert case.appraisal_stage is None
    assert deadline(case, "adj.time_limit").state == DeadlineState.running


def test_no_appraisal_request_after_the_evidence_period(client_as, case, users, frozen_now):
    walk(case, users, "docket", "serve", "receive_defence", "serve_evidence_notice", serve_evidence_notice={"days": 15})
    frozen_now(NOW + timedelta(days=20))
    before = snapshot(case)
    page = step(client_as("examiner"), case, "request_appraisal", party=respondent(case).id, matters="技术特征比对")
    assert "The evidence period ended on 2026-12-09" in page
    assert snapshot(case) == before


def test_preservation_is_decided_by_the_director_within_7_days_with_its_list(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner, director = client_as("examiner"), client_as("director")
    page = step(examiner, case, "request_preservation", party=case.requesters[0].id, items="被请求人仓库内库存折叠椅")
    assert "Done: Evidence preservation requested" in page
    assert deadline(case, "adj.preservation_decision").due_on.isoformat() == "2026-12-01"
    assert examiner.post(f"/cases/{case.id}/actions/decide_preservation", data={}).status_code == 403
    before = snapshot(case)
    assert "List the items placed under preservation" in step(director, case, "decide_preservation", decision="granted")
    assert snapshot(case) == before
    page = step(director, case, "decide_preservation", decision="granted", items="XD-08折叠椅120把", keeper="仓库")
    assert "Done: Evidence preservation decided" in page
    assert deadline(case, "adj.preservation_decision").state == DeadlineState.met
    assert case.is_evidence_preserved is True
    assert "Done: Preserved evidence released" in step(examiner, case, "release_preservation", items="XD-08折叠椅120把")
    assert case.is_evidence_preserved is False


def test_sampling_and_a_request_for_help_to_another_office(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    page = step(examiner, case, "record_sampling", items="XD-08折叠椅2把，单价199元", place="金牛区家具城B区126号")
    assert "Done: Samples taken" in page
    page = step(
        examiner, case, "request_assistance", organisation=factories.org("cqip").id, request="调取被请求人在渝销售记录"
    )
    assert "Done: Another office asked for help" in page
    assert f"Office asked for help: {factories.org('cqip').name}" in page


def test_the_technical_investigator_s_opinion_is_not_shown_to_the_parties(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    assert "/actions/receive_tech_opinion" not in step(examiner, case, "record_sampling", items="x", place="y")
    assign_staff(case, users["expert"], AssignmentRole.tech_investigator, actor=users["director"])
    db.session.commit()
    page = step(examiner, case, "receive_tech_opinion", investigator=users["expert"].id, summary="技术特征相同")
    assert "Done: Technical investigator" in page
    entry = last_transition(case)
    assert entry.is_public is False and entry.data["details"]["investigator"] == users["expert"].display_name


def test_joinder_of_a_party_added_since_docketing_before_the_hearing(client_as, case, users):
    walk(case, users, "docket", "serve")
    examiner = client_as("examiner")
    before = snapshot(case)
    # not offered, and refused when posted anyway, while no party has been added since docketing
    assert "Add the party to the case first" in str(why_not(WORKFLOW, case, "record_joinder", users["examiner"]))
    page = step(examiner, case, "record_joinder", party=respondent(case).id, basis="mandatory")
    assert "/actions/record_joinder" not in page and "Not a valid choice" in page
    assert snapshot(case) == before
    joined = add_party(
        case, factories.party_data(PartyRole.respondent, "成都某某五金店（个体工商户）"), actor=users["examiner"]
    )
    db.session.commit()
    page = step(examiner, case, "record_joinder", party=joined.id, basis="mandatory")
    assert "Done: Party added by joinder" in page
    assert "Party joined: 成都某某五金店（个体工商户）" in page
    assert "/actions/record_joinder" not in page  # recorded once
    assert why_not(WORKFLOW, case, "record_joinder", users["examiner"])


def test_settlement_talks_are_excluded_time(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    examiner = client_as("examiner")
    assert "Done: Settlement talks begin" in step(examiner, case, "start_settlement", requested_by="both")
    assert exclusion(case, ExclusionKind.settlement).ends_on is None
    assert "Done: Settlement talks end" in step(examiner, case, "end_settlement", result="no_settlement")
    assert exclusion(case, ExclusionKind.settlement).ends_on is not None
    assert case.state == S.evidence


def test_an_objection_decided_late_is_no_longer_pending(client_as, case, users, frozen_now):
    walk(case, users, "docket", "serve")
    step(client_as("examiner"), case, "receive_jurisdiction_objection", **objection(case))
    frozen_now(NOW + timedelta(days=10))
    deadline(case, "adj.jurisdiction_objection").state = DeadlineState.breached  # the 5 WD were missed
    db.session.commit()
    walk(case, users, "receive_defence")
    examiner = client_as("examiner")
    assert "A jurisdiction objection is awaiting decision" in step(examiner, case, "deliberate")
    page = step(client_as("director"), case, "dismiss_jurisdiction_objection", reason="本案由本局管辖")
    assert "Done: Jurisdiction objection dismissed" in page
    assert deadline(case, "adj.jurisdiction_objection").state == DeadlineState.breached  # stays missed
    assert "/actions/dismiss_jurisdiction_objection" not in page
    assert "Done: Panel deliberation" in step(examiner, case, "deliberate")


def test_the_defence_is_forwarded_once(client_as, case, users):
    walk(case, users, "docket", "serve", "receive_defence")
    assert deadline(case, "adj.forward_defence").due_on.isoformat() == "2026-12-01"  # 5 working days
    page = step(client_as("examiner"), case, "forward_defence")
    assert "Done: Defence forwarded to the requester" in page
    assert deadline(case, "adj.forward_defence").state == DeadlineState.met
    assert "/actions/forward_defence" not in page
