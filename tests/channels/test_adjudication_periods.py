"""The adjudication procedure does not cut a party's period short (issue 12): deciding while a
party's period runs is refused with the period named and its end, unless every party it runs
for waived it; the period to cure a deficiency; refusal to docket on its ground; suspension on
its [85]28 ground and the [85]29 refusal; the decision served by public notice; no damages.

Time is frozen at Tuesday 2026-11-24 10:00 China time."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.models import TimelineEntry
from ipcase.cases.operations import assign_staff
from ipcase.cases.timeline import record, render_entry
from ipcase.channels.adjudication import forms as f
from ipcase.channels.adjudication.states import REFUSAL_LAWSUIT_DAYS
from ipcase.channels.adjudication.states import AdjudicationState as S
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.forms import detail_names
from ipcase.channels.workflow import party_period_cut_short, take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, DeadlineState
from ipcase.deadlines.rules import RULES, get_rule
from ipcase.documents import forms as docs
from ipcase.documents.chinese import chinese_number as cn_number
from ipcase.documents.registry import get_kind
from ipcase.documents.render import render_html
from ipcase.documents.snapshots import build_snapshot
from tests import factories

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in China
pytestmark = pytest.mark.frozen_at(NOW)


@pytest.fixture(autouse=True)
def english():
    with force_locale("en"):
        yield


@pytest.fixture
def case(app, frozen_now, users):
    c = factories.create_case(Channel.adjudication, actor=users["examiner"], received_at=NOW - timedelta(days=30))
    assign_staff(c, users["director"], AssignmentRole.panel_leader, actor=users["director"])
    assign_staff(c, users["examiner2"], AssignmentRole.panel_member, actor=users["director"])
    assign_staff(c, users["examiner3"], AssignmentRole.panel_member, actor=users["director"])
    db.session.commit()
    return c


def go(case, users, action, *, at=None, **details):
    return take(WORKFLOW, case, action, actor=users["director"], reason="理由", at=at, details=details or None)


def refused(case, users, action, **details):
    before = (case.state, case.closed_at, len(case.timeline))
    with pytest.raises(DomainError) as exc:
        go(case, users, action, **details)
    db.session.rollback()
    db.session.expire_all()
    assert (case.state, case.closed_at, len(case.timeline)) == before
    return " ".join(str(m) for m in exc.value.messages)


def latest(case, rule_id, party=None):
    stmt = sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)
    if party is not None:
        stmt = stmt.where(Deadline.party_id == party.id)
    return db.session.scalars(stmt.order_by(Deadline.id.desc())).first()


def in_evidence(case, users):
    at = NOW - timedelta(days=20)
    for action in ("docket", "serve", "receive_defence"):
        go(case, users, action, at=at)
    db.session.commit()


# -- a party's running period is not cut short ------------------------------------------------


def test_every_party_window_in_the_catalogue_is_marked_as_one():
    party = {r.id for r in RULES if r.runs_for_party}
    assert {"adj.defence", "adj.evidence_period", "adj.recusal_application", "adj.cure"} <= party
    assert not {"adj.time_limit", "adj.docket", "adj.publication"} & party
    assert get_rule("adj.lawsuit_window").runs_for_party


def test_deliberation_is_refused_while_the_evidence_period_runs(case, users):
    in_evidence(case, users)
    go(case, users, "serve_evidence_notice", days=15)
    db.session.commit()
    message = refused(case, users, "deliberate")
    assert "举证期限" in message and "2026-12-09" in message and "第五十四条" in message
    assert case.state == S.evidence


def test_the_decision_is_refused_while_the_recusal_window_runs(case, users):
    in_evidence(case, users)
    go(case, users, "deliberate")
    go(case, users, "submit_for_closing", votes_for=3, votes_against=0, dissent="")
    go(case, users, "notify_officials", method="separate_notice") if False else None
    # the parties learn who the officials are: 3 working days to apply for recusal ([85]5)
    case.state = S.evidence
    go(case, users, "notify_officials", method="separate_notice")
    case.state = S.closing_approval
    db.session.commit()
    window = latest(case, "adj.recusal_application")
    assert window.state == DeadlineState.running
    message = refused(case, users, "approve_decision", outcome="not_found", orders=[])
    assert "申请回避期限" in message and window.due_on.isoformat() in message
    assert latest(case, "adj.recusal_application").state == DeadlineState.running  # not cancelled


def test_a_waiver_by_every_party_ends_the_period_and_the_case_goes_on(case, users):
    in_evidence(case, users)
    go(case, users, "serve_evidence_notice", days=15)
    period = latest(case, "adj.evidence_period")
    requester, respondent = case.parties_in(PartyRole.requester)[0], case.parties_in(PartyRole.respondent)[0]
    go(case, users, "waive_period", party=requester.id, period=period.id)
    db.session.commit()
    assert period.state == DeadlineState.running  # still runs for the respondent
    message = refused(case, users, "deliberate")
    assert respondent.name in message and requester.name not in message
    assert "already waived" in refused(case, users, "waive_period", party=requester.id, period=period.id)
    go(case, users, "waive_period", party=respondent.id, period=period.id)
    db.session.commit()
    assert period.state == DeadlineState.cancelled
    waivers = [
        e.data["details"]
        for e in case.timeline
        if e.event == "case.transition" and e.data["action"]["step"] == "waive_period"
    ]
    assert [(w["party"], w["waived_on"]) for w in waivers] == [
        (requester.name, "2026-11-24"),
        (respondent.name, "2026-11-24"),
    ]
    go(case, users, "deliberate")
    assert case.state == S.deliberation


def test_a_party_waives_only_a_period_that_runs_for_it(case, users):
    in_evidence(case, users)
    go(case, users, "notify_officials", method="separate_notice")
    db.session.commit()
    window = latest(case, "adj.recusal_application")
    assert "Choose a period" in refused(case, users, "waive_period", party=case.parties[0].id, period=0)
    limit = latest(case, "adj.time_limit")  # the office's own period is no party's to waive
    assert "Choose a period" in refused(case, users, "waive_period", party=case.parties[0].id, period=limit.id)
    assert window.state == DeadlineState.running


def test_the_office_periods_still_end_with_the_decision(case, users):
    in_evidence(case, users)
    go(case, users, "deliberate")
    go(case, users, "submit_for_closing", votes_for=3, votes_against=0, dissent="")
    assert party_period_cut_short(case, WORKFLOW.by_action["approve_decision"]) is None
    go(case, users, "approve_decision", outcome="not_found", orders=[])
    assert case.state == S.closed_decided
    assert latest(case, "adj.time_limit").state == DeadlineState.met
    assert latest(case, "adj.publication").state == DeadlineState.running


# -- the period to cure a deficiency and the refusal to docket ([85]16, [85]20) ------------------


def test_a_deficiency_notice_starts_the_period_to_cure(case, users):
    go(case, users, "request_correction", cure_by=date(2026, 12, 9))
    db.session.commit()
    requester = case.parties_in(PartyRole.requester)[0]
    period = latest(case, "adj.cure", requester)
    assert period.state == DeadlineState.running and period.due_on == date(2026, 12, 9)
    assert period.basis.endswith("第十六条") and period.tag == "V"
    case.state = S.received
    db.session.commit()
    assert "after the notice" in refused(case, users, "request_correction", cure_by=date(2026, 11, 24))


def test_refusal_for_want_of_correction_waits_for_the_period_to_cure(case, users, frozen_now):
    go(case, users, "request_correction", cure_by=date(2026, 12, 9))
    db.session.commit()
    assert "Choose the ground" in refused(case, users, "refuse_docketing", ground="")
    message = refused(case, users, "refuse_docketing", ground="not_cured")
    assert "2026-12-09" in message and "[85]16" in message
    frozen_now(datetime(2026, 12, 10, 2, 0, tzinfo=UTC))
    latest(case, "adj.cure").state = DeadlineState.breached  # what the sweep does
    go(case, users, "refuse_docketing", ground="not_cured")
    assert case.state == S.rejected


def test_refusal_on_another_ground_needs_no_wait(case, users):
    go(case, users, "request_correction", cure_by=date(2026, 12, 9))
    go(case, users, "refuse_docketing", ground="in_court")
    assert case.state == S.rejected


def test_no_refusal_for_want_of_correction_without_a_deficiency_notice(case, users):
    assert "No deficiency notice" in refused(case, users, "refuse_docketing", ground="not_cured")


def test_the_correction_meets_the_period_to_cure(case, users):
    go(case, users, "request_correction", cure_by=date(2026, 12, 9))
    go(case, users, "cure")
    assert latest(case, "adj.cure").state == DeadlineState.met
    assert latest(case, "adj.docket").state == DeadlineState.running


# -- suspension ([85]28, [85]29) ---------------------------------------------------------------


def test_suspension_needs_its_ground(case, users):
    in_evidence(case, users)
    assert "Choose the ground" in refused(case, users, "suspend", ground="")
    go(case, users, "suspend", ground="other_case")
    assert case.state == S.suspended
    entry = [e for e in case.timeline if e.event == "case.transition"][-1]
    assert entry.data["details"]["ground"] == "other_case"
    assert "Depends on another pending case" in render_entry(entry)


def test_invalidation_suspends_only_a_utility_model_or_design(case, users):
    in_evidence(case, users)
    case.rights[0].patent_type = "invention"
    db.session.commit()
    assert "[85]29" in refused(case, users, "suspend", ground="invalidation")


def test_a_request_to_suspend_is_refused_on_its_ground(case, users):
    in_evidence(case, users)
    respondent = case.parties_in(PartyRole.respondent)[0]
    assert "Choose the ground" in refused(
        case, users, "refuse_suspension", party=respondent.id, requested_on=date(2026, 11, 23), ground="x"
    )
    go(
        case,
        users,
        "refuse_suspension",
        party=respondent.id,
        requested_on=date(2026, 11, 23),
        ground="invention_patent",
    )
    assert case.state == S.evidence
    entry = [e for e in case.timeline if e.event == "case.transition"][-1]
    assert entry.data["details"]["party"] == respondent.name
    assert "suspension_refusal_notice" in WORKFLOW.by_action["refuse_suspension"].documents


# -- the decision served by public notice (P10) -------------------------------------------------


def decided(case, users):
    in_evidence(case, users)
    go(case, users, "deliberate")
    go(case, users, "submit_for_closing", votes_for=3, votes_against=0, dissent="")
    go(case, users, "approve_decision", at=NOW - timedelta(days=10), outcome="not_found", orders=[])
    db.session.commit()


def test_a_decision_served_by_public_notice_counts_from_60_days_after_publication(case, users, frozen_now):
    decided(case, users)
    assert "2027-01-23" in refused(case, users, "serve_decision", method="public_notice")
    assert latest(case, "adj.lawsuit_window") is None
    frozen_now(datetime(2027, 1, 25, 2, 0, tzinfo=UTC))
    go(case, users, "serve_decision", at=NOW, method="public_notice")  # published on 2026-11-24
    windows = db.session.scalars(sa.select(Deadline).where(Deadline.rule_id == "adj.lawsuit_window")).all()
    # each party's window runs from the day of service, 2027-01-23: 15 days (and the holidays, P3)
    assert windows and {clock.local_day(w.started_at) for w in windows} == {date(2027, 1, 23)}
    assert all(w.due_on >= date(2027, 2, 7) for w in windows)


def test_a_decision_is_not_served_electronically(case, users):
    decided(case, users)
    assert "cannot be served this way" in refused(case, users, "serve_decision", method="electronic")


# -- no damages in an adjudication ([PL]65) ------------------------------------------------------


def test_the_decision_step_orders_no_amount(case, users):
    assert "amount" not in detail_names(f.DecisionForm)


def test_an_old_decision_with_an_amount_still_reads(case, users):
    data = {
        "action": {"step": "approve_decision", "channel": "adjudication"},
        "from": {"enum": "AdjudicationState", "value": "closing_approval"},
        "to": {"enum": "AdjudicationState", "value": "closed_decided"},
        "reason": "",
        "details": {"outcome": "not_found", "orders": [], "amount": "5000.00"},
    }
    entry = record(case, "case.transition", actor=users["director"], data=data)
    db.session.flush()
    assert db.session.get(TimelineEntry, entry.id) is not None
    assert "Infringement not established" in render_entry(entry)


# -- the documents of these steps -----------------------------------------------------------------


def _form(cls, case):
    with current_app.test_request_context():
        form = cls(meta={"csrf": False})
        form.prepare(case)
        return form.defaults(case)


def test_the_refusal_notice_prints_the_remedy_the_rules_give(case, users):
    go(case, users, "refuse_docketing", ground="in_court")
    fields = _form(docs.RefusalForm, case) | {"reasons": "已起诉"}
    assert fields["grounds"] == ["in_court"]  # the step's ground
    kind = get_kind("refusal_notice")
    html = render_html(kind.template_file, build_snapshot(case, kind, fields, issued_on=date(2026, 11, 24)))
    assert f"{cn_number(REFUSAL_LAWSUIT_DAYS)}日内依法向人民法院提起行政诉讼" in html
    assert "六个月" not in html and "民事诉讼" in html


def test_the_suspension_and_deficiency_notices_start_from_their_steps(case, users):
    go(case, users, "request_correction", cure_by=date(2026, 12, 9))
    assert _form(docs.DeficiencyForm, case)["cure_by"] == "2026-12-09"
    go(case, users, "cure")
    in_evidence(case, users)
    go(case, users, "suspend", ground="death")
    assert _form(docs.SuspensionForm, case)["ground"] == "death"
