"""Issue 12: each period added to the catalogue is started by the step that records its event, with
the due date the real calendar gives, and met by the step that answers it.

Time is frozen at Tuesday 2026-11-24 10:00 in China: +3 days is Friday 11-27, +5 days is Sunday
11-29 → Monday 11-30, +20 working days is 12-22."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.operations import add_party, assign_staff
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.states import DecisionOutcome
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.injunctions.states import InjunctionState as IS
from ipcase.channels.injunctions.workflow import WORKFLOW as INJUNCTIONS
from ipcase.channels.mediation.states import MediationState as MS
from ipcase.channels.mediation.workflow import WORKFLOW as MEDIATION
from ipcase.channels.workflow import take, why_not
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.operations import can_decide_extension, decide_extension, request_extension, start_deadline
from ipcase.deadlines.triggers import owned_events, recordable_events
from ipcase.documents import operations as doc_ops
from ipcase.documents.render import render_html
from tests import factories
from tests.cases.helpers import make_client_as

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in China
pytestmark = pytest.mark.frozen_at(NOW)


@pytest.fixture
def case(app, users):
    c = factories.create_case(Channel.adjudication, actor=users["examiner"], received_at=NOW - timedelta(days=1))
    assign_staff(c, users["director"], AssignmentRole.panel_leader, actor=users["director"])
    assign_staff(c, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    assign_staff(c, users["examiner3"], AssignmentRole.panel_member, actor=users["director"])
    db.session.commit()
    return c


def go(workflow, case, users, action, *, at=None, details=None, who="director"):
    return take(workflow, case, action, actor=users[who], reason="理由", at=at, details=details)


def periods(case, rule_id):
    db.session.flush()
    return list(
        db.session.scalars(
            sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id).order_by(Deadline.id)
        )
    )


def one(case, rule_id):
    found = periods(case, rule_id)
    assert len(found) == 1, (rule_id, found)
    return found[0]


def put(case, state, **attrs):
    case.state = state
    for k, v in attrs.items():
        setattr(case, k, v)
    db.session.flush()


# -- adjudication -----------------------------------------------------------------------------


def test_unsigned_defence_returned_gives_three_days_to_resubmit(case, users):
    go(WORKFLOW, case, users, "docket")
    go(WORKFLOW, case, users, "serve")
    go(WORKFLOW, case, users, "return_unsigned_defence")
    period = one(case, "adj.defence_resubmission")
    assert period.due_on == date(2026, 11, 27) and period.party.role == PartyRole.respondent
    assert period.tag == "V" and "办案指南" in period.basis
    go(WORKFLOW, case, users, "receive_defence")
    assert one(case, "adj.defence_resubmission").state == DeadlineState.met


def test_hearing_notice_starts_each_partys_reply_slip(case, users):
    put(case, S.evidence)
    go(
        WORKFLOW,
        case,
        users,
        "schedule_hearing",
        details={
            "hearing_at": datetime(2026, 12, 2, 9, 30),
            "place": "第一审理庭",
            "online": False,
            "publicity": "public",
        },
    )
    slips = periods(case, "adj.hearing_reply")
    assert {p.party.role for p in slips} == {PartyRole.requester, PartyRole.respondent}
    assert {p.due_on for p in slips} == {date(2026, 11, 27)}
    go(WORKFLOW, case, users, "receive_hearing_reply")
    assert {p.state for p in periods(case, "adj.hearing_reply")} == {DeadlineState.met}
    assert why_not(WORKFLOW, case, "receive_hearing_reply", users["director"])  # nothing awaited now


def test_release_of_preserved_evidence_starts_the_three_months_to_collect(case, users):
    put(case, S.evidence, is_evidence_preserved=True)
    go(WORKFLOW, case, users, "release_preservation", details={})
    period = one(case, "adj.collect_preserved")
    assert period.due_on == date(2027, 2, 24) and period.state == DeadlineState.running
    go(WORKFLOW, case, users, "record_collection")
    assert one(case, "adj.collect_preserved").state == DeadlineState.met


def test_assigning_a_technical_investigator_starts_the_three_days_to_tell_the_parties(case, users):
    put(case, S.evidence)
    assign_staff(
        case, users["expert"], AssignmentRole.tech_investigator, actor=users["director"], acknowledge_warnings=True
    )
    period = one(case, "adj.tech_investigator_notice")
    assert period.due_on == date(2026, 11, 27) and "技术调查官" in period.basis
    # the assignment owns its event: the raw recorder does not offer it
    assert "tech_investigator_assigned" in owned_events("adjudication")
    go(WORKFLOW, case, users, "notify_tech_investigator")
    assert one(case, "adj.tech_investigator_notice").state == DeadlineState.met


def test_a_change_by_the_court_is_published_within_twenty_working_days(case, users):
    put(case, S.litigated)
    assert why_not(WORKFLOW, case, "publish_change", users["director"])  # nothing to publish yet
    go(WORKFLOW, case, users, "record_court_change")
    assert one(case, "adj.publication_of_change").due_on == date(2026, 12, 22)
    go(WORKFLOW, case, users, "publish_change")
    assert one(case, "adj.publication_of_change").state == DeadlineState.met


def test_the_right_holders_six_months_follow_the_offices_three(case, users):
    """[85]80: the office's 3 months ended unmet on 2026-10-08; the sweep starts the right
    holder's 6 months from that day's end."""
    office = start_deadline(
        case, "adj.enforcement_application", started_at=datetime(2026, 7, 1, 2, 0, tzinfo=UTC), actor=users["director"]
    )
    assert office.due_on == date(2026, 10, 8)
    db.session.commit()
    assert sweep(NOW)["followed"] == 1
    period = one(case, "adj.rightholder_enforcement")
    assert period.due_on == date(2027, 4, 8) and period.state == DeadlineState.running
    assert sweep(NOW + timedelta(minutes=1))["breached"] == 0  # and never twice
    assert len(periods(case, "adj.rightholder_enforcement")) == 1
    put(case, S.closed_decided, outcome=DecisionOutcome.infringement_found)
    go(WORKFLOW, case, users, "record_rightholder_enforcement")
    assert one(case, "adj.rightholder_enforcement").state == DeadlineState.met


def test_the_defence_extension_is_decided_by_the_panel_leader(case, users):
    """A4: reasons and the panel's approval; the leader decides, a member does not."""
    go(WORKFLOW, case, users, "docket")
    go(WORKFLOW, case, users, "serve")
    defence = one(case, "adj.defence")
    assert defence.due_on == date(2026, 12, 9)
    with pytest.raises(DomainError):
        request_extension(defence, level="director", length=16, reason="需翻译证据", actor=users["examiner"])
    ext = request_extension(defence, level="director", length=10, reason="需翻译证据", actor=users["examiner"])
    assert not can_decide_extension(users["examiner2"], ext)  # a panel member
    assert can_decide_extension(users["director"], ext)  # the panel leader
    decide_extension(ext, approve=True, actor=users["director"])
    assert one(case, "adj.defence").due_on == date(2026, 12, 21)  # 12-19 is a Saturday


def test_the_defence_extension_form_names_the_panel_leader(app, case, users):
    go(WORKFLOW, case, users, "docket")
    go(WORKFLOW, case, users, "serve")
    defence, limit = one(case, "adj.defence"), one(case, "adj.time_limit")
    db.session.commit()
    client = make_client_as(app, "examiner")
    body = client.get(f"/deadlines/{defence.id}/extension").get_data(as_text=True)
    assert "Panel leader (at most 15 days)" in body and "Director (at most" not in body
    body = client.get(f"/deadlines/{limit.id}/extension").get_data(as_text=True)
    assert "Director (at most 1 month)" in body


def test_an_office_period_is_still_decided_by_the_director(case, users):
    go(WORKFLOW, case, users, "docket")
    limit = one(case, "adj.time_limit")
    ext = request_extension(limit, level="director", length=1, reason="案情复杂", actor=users["examiner"])
    assert not can_decide_extension(users["examiner2"], ext) and can_decide_extension(users["director"], ext)


def test_a_major_case_has_its_own_periods_and_restarts_on_a_change_of_request(case, users):
    go(WORKFLOW, case, users, "mark_major")
    assert one(case, "adj.docket").state == DeadlineState.cancelled
    assert one(case, "adj.major_docket").due_on == date(2026, 11, 30)  # 5 WD from the receipt on 11-23
    go(WORKFLOW, case, users, "docket", at=NOW - timedelta(hours=20))  # Monday 11-23 14:00
    assert one(case, "adj.major_docket").state == DeadlineState.met
    assert periods(case, "adj.time_limit") == []
    assert one(case, "adj.major_time_limit").due_on == date(2027, 2, 23)
    assert why_not(WORKFLOW, case, "mark_major", users["director"])
    go(WORKFLOW, case, users, "change_request_major")
    first, second = periods(case, "adj.major_time_limit")
    assert first.state == DeadlineState.cancelled
    assert second.state == DeadlineState.running and second.due_on == date(2027, 2, 24)


def test_an_ordinary_case_does_not_restart(case, users):
    go(WORKFLOW, case, users, "docket")
    assert why_not(WORKFLOW, case, "change_request_major", users["director"])
    assert one(case, "adj.time_limit").state == DeadlineState.running


def test_the_advisory_opinion_waits_for_the_right_holders_window(case, users):
    """[85]13: the demand's receipt gives the right holder 1 month, its sending 2 months; the
    opinion is asked only once a window passed unanswered, and then answered."""
    assert why_not(WORKFLOW, case, "request_advisory_opinion", users["director"])  # no demand yet
    go(WORKFLOW, case, users, "record_warning_demand_received")
    go(WORKFLOW, case, users, "record_warning_demand_sent", at=NOW - timedelta(hours=1))
    receipt = one(case, "adj.advisory_after_receipt")
    assert receipt.due_on == date(2026, 12, 24) and receipt.basis.endswith("第十三条")
    assert one(case, "adj.advisory_after_sending").due_on == date(2027, 1, 25)
    assert why_not(WORKFLOW, case, "request_advisory_opinion", users["director"])  # still running
    receipt.state = DeadlineState.breached  # the month ran out unanswered
    one(case, "adj.advisory_after_sending").state = DeadlineState.breached
    db.session.flush()
    go(WORKFLOW, case, users, "request_advisory_opinion")
    assert why_not(WORKFLOW, case, "request_advisory_opinion", users["director"])  # once
    go(WORKFLOW, case, users, "give_advisory_opinion")
    assert why_not(WORKFLOW, case, "give_advisory_opinion", users["director"])


def test_a_right_holder_who_answers_the_demand_meets_its_window(case, users):
    go(WORKFLOW, case, users, "record_warning_demand_received")
    go(WORKFLOW, case, users, "record_warning_answered")
    assert one(case, "adj.advisory_after_receipt").state == DeadlineState.met
    assert why_not(WORKFLOW, case, "request_advisory_opinion", users["director"])


@pytest.mark.parametrize("channel", ["adjudication", "mediation", "injunction"])
def test_every_new_event_has_its_step(app, channel):
    """Only the procedure stops a clock (issue 10): the recorder is offered on no case."""
    assert recordable_events(channel) == []


# -- mediation --------------------------------------------------------------------------------


@pytest.fixture
def mediation(app, users):
    c = factories.create_case(
        Channel.mediation, organisation="cdmed", actor=users["mediator"], received_at=NOW - timedelta(days=30)
    )
    db.session.commit()
    return c


def agreement(**extra):
    return {
        "amount": Decimal("30000.00"),
        "terms": "被请求人停止销售涉案产品",
        "due_on": date(2026, 12, 24),
        "instalments": 1,
        "enforcement_undertaking": True,
    } | extra


def test_silence_gives_the_office_five_working_days_to_refuse(mediation, users):
    """B4': the statement period ended unmet on 11-17; the refusal is due 5 WD after."""
    go(MEDIATION, mediation, users, "serve_notice", at=NOW - timedelta(days=22), who="mediator")
    assert one(mediation, "med.respondent_statement").due_on == date(2026, 11, 17)
    db.session.commit()
    sweep(NOW)
    period = one(mediation, "med.refusal_after_silence")
    assert period.due_on == date(2026, 11, 24) and period.started_at.date() == date(2026, 11, 17)
    go(MEDIATION, mediation, users, "statement_lapsed", who="mediator")
    assert one(mediation, "med.refusal_after_silence").state == DeadlineState.met


def test_an_ownership_agreement_starts_the_cnipa_duties(mediation, users):
    put(mediation, MS.statement_received)
    go(MEDIATION, mediation, users, "docket_ownership", details={"mediator": None}, who="mediator")
    put(mediation, MS.in_session)
    go(MEDIATION, mediation, users, "reach_agreement", details=agreement(), who="mediator")
    assert one(mediation, "med.ownership_resume_request").due_on == date(2026, 12, 9)
    assert one(mediation, "med.ownership_copy_documents").due_on == date(2026, 12, 1)
    assert one(mediation, "med.payment_due").due_on == date(2026, 12, 24)
    go(MEDIATION, mediation, users, "record_cnipa_suspension", who="mediator")
    assert one(mediation, "med.cnipa_resumption").due_on == date(2027, 11, 24)
    for action, rule_id in [
        ("record_cnipa_resumption_request", "med.ownership_resume_request"),
        ("copy_documents_to_cnipa", "med.ownership_copy_documents"),
        ("record_cnipa_resumed", "med.cnipa_resumption"),
        ("record_payment", "med.payment_due"),
    ]:
        go(MEDIATION, mediation, users, action, who="mediator")
        assert one(mediation, rule_id).state == DeadlineState.met, action
        assert why_not(MEDIATION, mediation, action, users["mediator"]), action  # answered: not again


def test_an_ordinary_agreement_without_payment_starts_no_reminder(mediation, users):
    put(mediation, MS.statement_received)
    go(MEDIATION, mediation, users, "docket", details={"mediator": None}, who="mediator")
    put(mediation, MS.in_session)
    details = agreement(amount=Decimal("0"), due_on=None, instalments=None)
    go(MEDIATION, mediation, users, "reach_agreement", details=details, who="mediator")
    assert periods(mediation, "med.payment_due") == []
    assert periods(mediation, "med.ownership_resume_request") == []
    assert why_not(MEDIATION, mediation, "record_cnipa_suspension", users["mediator"])  # not an ownership dispute


# -- injunctions ------------------------------------------------------------------------------


@pytest.fixture
def injunction(app, users):
    c = factories.create_case(
        Channel.injunction,
        actor=users["examiner"],
        received_at=NOW - timedelta(hours=6),
        channel_data={
            "urgency_facts": "展会明日闭幕",
            "requested_measures": "撤下展品",
            "bond_amount": Decimal("10000"),
        },
    )
    db.session.commit()
    return c


def test_the_grant_and_its_service_start_the_injunctions_periods(injunction, users):
    put(injunction, IS.under_review)
    go(
        INJUNCTIONS,
        injunction,
        users,
        "grant",
        at=NOW - timedelta(hours=4),
        details={"measures": "撤下展品", "duration_days": 30},
    )
    assert one(injunction, "inj.follow_on_filing").due_on == date(2026, 12, 24)
    renewal = one(injunction, "inj.renewal")
    assert renewal.due_on == injunction.expires_on == date(2026, 12, 24) and renewal.tag == "R"
    go(INJUNCTIONS, injunction, users, "serve", at=NOW - timedelta(hours=3), who="examiner")
    review = one(injunction, "inj.review_application")
    assert review.due_on == date(2026, 11, 30) and review.party.role == PartyRole.respondent
    respondent = review.party
    go(
        INJUNCTIONS,
        injunction,
        users,
        "apply_review",
        details={"party": respondent.id, "grounds": "专利稳定性存疑"},
        who="examiner",
    )
    assert one(injunction, "inj.review_application").state == DeadlineState.met
    put(injunction, IS.served)
    go(INJUNCTIONS, injunction, users, "record_follow_on_filing", who="examiner")
    go(INJUNCTIONS, injunction, users, "request_renewal", who="examiner")
    assert one(injunction, "inj.follow_on_filing").state == DeadlineState.met
    assert one(injunction, "inj.renewal").state == DeadlineState.met


# -- the 3-year limitation, as information on the case ([85]19) --------------------------------


def test_the_limitation_is_shown_from_the_day_the_right_holder_knew(app, users):
    c = factories.create_case(
        Channel.adjudication,
        actor=users["examiner"],
        received_at=NOW - timedelta(days=1),
        channel_data={"infringement_known_on": date(2024, 2, 29)},
    )
    db.session.commit()
    info = c.limitation
    # 29 February 2024 + 3 years: 28 February 2027, a Sunday → Monday 1 March (P1–P3)
    assert (info.due, info.tag) == (date(2027, 3, 1), "V") and info.basis.endswith("第十九条")
    assert periods(c, "adj.limitation") == []  # information, never a clock
    page = make_client_as(app, "examiner", "en").get(f"/cases/{c.id}").get_data(as_text=True)
    assert "Limitation of the request" in page and "2027-03-01" in page and "not a deadline" in page


def test_no_limitation_without_the_day(case):
    assert case.limitation is None


def test_the_advisory_window_does_not_hold_up_the_decision(case, users):
    """The warned person's route to an opinion is no window of the proceedings: a deciding step
    does not wait for it (the defence resubmission does)."""
    put(case, S.evidence)
    go(WORKFLOW, case, users, "record_warning_demand_received")
    assert why_not(WORKFLOW, case, "deliberate", users["director"]) is None


def test_the_catalogue_page_shows_the_new_rules_with_their_tag_and_kind(app):
    page = make_client_as(app, "admin", "en").get("/deadlines/admin/rules").get_data(as_text=True)
    for rule_id in ("adj.limitation", "adj.rightholder_enforcement", "inj.renewal", "med.payment_due"):
        assert f'id="rule-{rule_id}"' in page
    assert "information, never a clock on a case" in page
    assert "starts when adj.enforcement_application ends unmet" in page
    assert "runs to the day the step records" in page
    assert "Panel leader" in page and "《重大专利侵权纠纷行政裁决办法》" in page


def test_the_injunction_decision_announces_the_applicants_periods(injunction, users):
    put(injunction, IS.under_review)
    go(INJUNCTIONS, injunction, users, "grant", details={"measures": "撤下展品", "duration_days": 30})
    db.session.flush()
    fields = {"outcome": "granted", "reasons": "理由详述", "measures": "撤下展品", "valid_until": "2026-12-24"}
    doc = doc_ops.issue_document(injunction, "injunction_decision", fields, actor=users["director"])
    assert doc.snapshot["follow_on"]["length"] == 30
    html = render_html("injunction_decision", doc.snapshot)
    assert "三十日内就相关专利侵权纠纷提出处理请求或者提起诉讼" in html and "有效期届满前七日内提出申请" in html


def test_joinder_restarts_a_major_cases_time_limit(case, users):
    """P9 ([68]22): a co-respondent or third party added restarts the major case's time limit."""
    go(WORKFLOW, case, users, "mark_major")
    go(WORKFLOW, case, users, "docket", at=NOW - timedelta(hours=20))
    data = factories.party_data(PartyRole.third_party, "成都某某第三人有限公司")
    third = add_party(case, data, actor=users["examiner"])
    go(WORKFLOW, case, users, "record_joinder", details={"party": third.id, "basis": "third_party"})
    first, second = periods(case, "adj.major_time_limit")
    assert first.state == DeadlineState.cancelled and second.due_on == date(2027, 2, 24)
