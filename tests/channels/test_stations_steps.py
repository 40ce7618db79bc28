"""The details the workstation steps record: where the complaint is forwarded, how the respondent
was told, the response, the measures taken on site (and the exhibitor's credit record), and the
referrals and transfer that open a linked case. Through the web: a missing or invalid detail is
refused with the field's message and changes nothing."""

import html
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel, PartyRole
from ipcase.cases.models import Case, TimelineEntry
from ipcase.channels.stations.models import StationMeasure
from ipcase.channels.stations.states import StationState as S
from ipcase.channels.stations.states import measures_refusal
from ipcase.channels.stations.workflow import WORKFLOW
from ipcase.channels.workflow import available, take, why_not
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.credit.models import CreditEvent, CreditEventKind
from ipcase.credit.operations import CreditFlag, flags
from ipcase.deadlines.jobs import sweep
from ipcase.deadlines.models import Deadline
from tests.cases.helpers import make_client_as
from tests.channels.test_mediation import english
from tests.channels.test_stations import deadlines, details, form_data, put, step
from tests.factories import org


@pytest.fixture
def case(app, create_case, users):
    return create_case(Channel.station, organisation="cdexpo", actor=users["station"], respondent="成都展具有限公司")


def state_of(case):
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    entries = db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == c.id)
    )
    linked = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.referred_from_id == c.id))
    credit = db.session.scalar(sa.select(sa.func.count()).select_from(CreditEvent).where(CreditEvent.case_id == c.id))
    return c.state, c.closed_at, c.forwarded_to_id, len(c.measures), entries, linked, credit, deadlines(c)


def post(web, case, action, data):
    r = web.post(f"/cases/{case.id}/actions/{action}", data=data, follow_redirects=True)
    assert r.status_code == 200
    return html.unescape(r.get_data(as_text=True))


def refused(app, case, action, data, message, username="station"):
    db.session.commit()
    before = state_of(case)
    page = post(make_client_as(app, username), case, action, data)
    assert message in page, page[page.find('role="status"') :][:600]
    assert state_of(case) == before


def walk(case, users, *actions):
    for action in actions:
        step(case, action, users["station"], reason="理由")


# -- forwarding, notice, response -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Receiving office: This field is required."),
        ({"organisation": "cqip"}, "Receiving office: Not a valid choice."),  # another region
        ({"organisation": "cdmed"}, "Receiving office: Not a valid choice."),  # does not adjudicate
    ],
)
def test_forwarding_refused(app, case, data, message):
    data = {k: str(org(v).id) for k, v in data.items()}
    refused(app, case, "forward", data, message)


def test_forwarding_goes_to_the_parent_office_by_default(app, case):
    db.session.commit()
    web = make_client_as(app, "station")
    page = html.unescape(web.get(f"/cases/{case.id}").get_data(as_text=True))
    form = page[page.index("/actions/forward") :]
    assert f'<option selected value="{org("cdip").id}">' in form
    page = post(web, case, "forward", form_data("forward"))
    assert db.session.get(Case, case.id).forwarded_to_id == org("cdip").id
    assert "Receiving office: 成都市知识产权局" in page
    assert "Forwarded to" in page[page.index('id="onsite"') :]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"received_by": "展位负责人李某"}, "How the respondent was notified: This field is required."),
        ({"method": "pigeon"}, "How the respondent was notified: Not a valid choice."),
    ],
)
def test_notice_refused(app, case, users, data, message):
    walk(case, users, "forward")
    refused(app, case, "notify_respondent", data, message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"position": "denies"}, "Summary of the response and the evidence offered: This field is required."),
        ({"position": "denies", "summary": "  "}, "Summarise the response."),
        ({"summary": "不侵权"}, "Respondent's position: This field is required."),
    ],
)
def test_response_refused(app, case, users, data, message):
    walk(case, users, "forward", "notify_respondent")
    refused(app, case, "receive_response", data, message)


# -- measures on site ([EXPO-G]14) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"measures": None}, "Measures taken: This field is required."),
        ({"measures": ["withdraw_exhibits", "confiscate"]}, "Measures taken: Choose only among the options offered."),
        ({"items": None}, "Exhibits, materials or links concerned: This field is required."),
        ({"reason": None}, "Give the reasons for this step."),
    ],
)
def test_measures_refused(app, case, users, change, message):
    walk(case, users, "forward", "notify_respondent", "receive_response")
    data = form_data("take_measures", reason="主办方协调撤展")
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    refused(app, case, "take_measures", data, message)


def test_measures_are_recorded_without_a_credit_record(app, case, users):
    """A measure is no finding: the credit history stays empty ([EXPO-G]14 measures, issue 12)."""
    walk(case, users, "forward", "notify_respondent", "receive_response")
    db.session.commit()
    web = make_client_as(app, "station")
    page = post(web, case, "take_measures", form_data("take_measures", reason="主办方协调撤展"))
    db.session.expire_all()
    rows = db.session.scalars(sa.select(StationMeasure).where(StationMeasure.case_id == case.id)).all()
    assert sorted((m.kind, m.respondent_complied) for m in rows) == [
        ("seal_materials", True),
        ("withdraw_exhibits", True),
    ]
    assert {m.items for m in rows} == {"5C-208展台折叠椅2把，宣传册30份"}
    assert (
        "Measures taken: Withdraw the exhibits (撤展)、Seal brochures and promotional material (封存宣传资料)" in page
    )
    panel = page[page.index('id="onsite"') :]
    assert "Withdraw the exhibits (撤展)" in panel and "5C-208展台折叠椅2把" in panel
    assert "Admits the infringement" in panel
    c = db.session.get(Case, case.id)
    post(web, c, "record_further_measures", form_data("record_further_measures", reason="网店链接已断开"))
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(StationMeasure).where(StationMeasure.case_id == c.id))
        == 3
    )
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(CreditEvent).where(CreditEvent.case_id == c.id)) == 0
    )


def credit_events(case):
    db.session.expire_all()
    return db.session.scalars(sa.select(CreditEvent).where(CreditEvent.case_id == case.id)).all()


def test_a_final_ruling_is_the_finding_that_counts_against_the_exhibitor(app, case, users):
    walk(case, users, "forward", "notify_respondent", "receive_response", "take_measures")
    assert credit_events(case) == []
    db.session.commit()
    data = form_data("record_ruling")
    station = make_client_as(app, "station")  # the finding is the office's
    assert station.post(f"/cases/{case.id}/actions/record_ruling", data=data).status_code == 403
    assert credit_events(case) == []
    refused(
        app,
        case,
        "record_ruling",
        {"ruled_on": "2025-06-01"},
        "Number of the final ruling: This field is required.",
        "examiner",
    )
    refused(
        app,
        case,
        "record_ruling",
        data | {"ruled_on": "2099-01-01"},
        "The ruling cannot be dated after this step.",
        "examiner",
    )
    page = post(make_client_as(app, "examiner"), case, "record_ruling", data)
    assert "（2026）川01知民初123号" in page[page.index('id="onsite"') :]
    c = db.session.get(Case, case.id)
    respondent = next(p for p in c.parties if p.role == PartyRole.respondent)
    assert [(e.kind, e.party_id, e.note) for e in credit_events(c)] == [
        (CreditEventKind.exhibitor_violation, respondent.id, "（2026）川01知民初123号")
    ]


def test_no_measures_after_a_denial_in_time(app, case, users):
    """[EXPO-G]14: a denial within the 24 hours leaves measures to an admission or a final ruling."""
    walk(case, users, "forward", "notify_respondent")
    take(
        WORKFLOW,
        case,
        "receive_response",
        actor=users["station"],
        details={"position": "denies", "summary": "被投诉人称其产品采用不同结构"},
    )
    c = db.session.get(Case, case.id)
    assert (c.response_position, c.response_in_time, c.response_at is not None) == ("denies", True, True)
    assert why_not(WORKFLOW, c, "take_measures", users["station"])
    assert "take_measures" not in {t.action for t in available(WORKFLOW, c, users["station"])}
    refused(
        app,
        case,
        "take_measures",
        form_data("take_measures", reason="主办方协调撤展"),
        "The respondent answered within the 24-hour period without admitting the infringement",
    )
    assert credit_events(case) == []
    # a final ruling recorded by the office opens the way
    take(WORKFLOW, c, "record_ruling", actor=users["examiner"], details=details("record_ruling"))
    assert why_not(WORKFLOW, c, "take_measures", users["station"]) is None
    take(WORKFLOW, c, "take_measures", actor=users["station"], reason="撤展", details=details("take_measures"))
    assert c.state == S.measures_taken


def test_measures_after_a_late_denial_or_silence(case, create_case, users, frozen_now):
    walk(case, users, "forward", "notify_respondent")
    late = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "sta.respondent_response")
    ).one()
    frozen_now(late.due_at + timedelta(hours=2))
    take(
        WORKFLOW,
        case,
        "receive_response",
        actor=users["station"],
        details={"position": "denies", "summary": "逾期提交的不侵权说明"},
    )
    assert case.response_in_time is False
    assert why_not(WORKFLOW, case, "take_measures", users["station"]) is None
    other = create_case(Channel.station, organisation="cdexpo", actor=users["station"])
    walk(other, users, "forward", "notify_respondent")
    period = db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == other.id, Deadline.rule_id == "sta.respondent_response")
    ).one()
    assert why_not(WORKFLOW, other, "response_lapsed", users["station"])  # still running
    frozen_now(period.due_at + timedelta(minutes=1))
    sweep()
    take(WORKFLOW, other, "response_lapsed", actor=users["station"])
    assert why_not(WORKFLOW, other, "take_measures", users["station"]) is None


@pytest.mark.parametrize(
    ("position", "in_time", "running", "ruling", "allowed"),
    [
        (None, None, True, False, False),  # waiting for the 24 hours
        (None, None, False, False, True),  # no statement in time
        ("denies", True, False, False, False),
        ("licensed", True, False, False, False),
        ("invalidation", True, False, False, False),
        ("denies", False, False, False, True),  # late
        ("admits", True, False, False, True),
        ("admits", True, True, False, True),
        ("denies", True, False, True, True),  # final ruling
        (None, None, True, True, True),
    ],
)
def test_measures_rule(position, in_time, running, ruling, allowed):
    reason = measures_refusal(
        response_position=position, response_in_time=in_time, response_period_running=running, ruling_recorded=ruling
    )
    assert (reason is None) == allowed


def test_a_second_violation_flags_a_repeat_exhibitor(case, create_case, users):
    walk(case, users, "forward", "notify_respondent", "receive_response", "take_measures")
    respondent = next(p for p in case.parties if p.role == PartyRole.respondent)
    assert CreditFlag.repeat_exhibitor not in flags(respondent)
    take(WORKFLOW, case, "record_ruling", actor=users["examiner"], details=details("record_ruling"))
    other = create_case(Channel.station, organisation="cdexpo", actor=users["station"], respondent="成都展具有限公司")
    walk(other, users, "forward", "notify_respondent", "receive_response", "take_measures")
    assert CreditFlag.repeat_exhibitor not in flags(respondent)  # measures are no finding
    take(WORKFLOW, other, "record_ruling", actor=users["examiner"], details=details("record_ruling"))
    assert CreditFlag.repeat_exhibitor in flags(respondent)


# -- referral and transfer --------------------------------------------------------------------------


def test_referral_to_mediation_through_the_web(app, case, users):
    walk(case, users, "forward", "notify_respondent", "receive_response")
    data = {"organisation": str(org("cdmed").id), "mediation_type": "commercial", "reason": "双方同意调解"}
    refused(
        app, case, "refer_to_mediation", data | {"mediation_type": "friendly"}, "Mediation type: Not a valid choice."
    )
    refused(app, case, "refer_to_mediation", data | {"organisation": str(org("cqip").id)}, "Not a valid choice.")
    page = post(make_client_as(app, "examiner"), case, "refer_to_mediation", data)
    db.session.expire_all()
    new = db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id)).one()
    assert (new.channel, new.organisation_id, new.mediation_type) == (Channel.mediation, org("cdmed").id, "commercial")
    assert db.session.get(Case, case.id).state == S.referred
    assert new.number in page


def test_transfer_defaults_to_the_office_forwarded_to(app, case, users):
    walk(case, users, "forward", "notify_respondent")
    take(WORKFLOW, case, "exhibition_closed", actor=users["station"])
    db.session.commit()
    web = make_client_as(app, "station")
    page = html.unescape(web.get(f"/cases/{case.id}").get_data(as_text=True))
    assert f'<option selected value="{org("cdip").id}">' in page[page.index("/actions/transfer") :]
    post(web, case, "transfer", {"organisation": str(org("cdip").id)})
    db.session.expire_all()
    new = db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id)).one()
    assert (new.channel, new.organisation_id) == (Channel.adjudication, org("cdip").id)
    assert db.session.get(Case, case.id).state == S.transferred


def test_a_referral_outside_the_web_is_checked_the_same_way(case, users):
    put(case, S.under_review)
    savepoint = db.session.begin_nested()
    with pytest.raises(DomainError) as info:
        take(WORKFLOW, case, "refer_to_adjudication", actor=users["station"], details={"organisation": org("cqip").id})
    savepoint.rollback()
    assert info.value.reasons[0][0] == "organisation"
    assert "Choose an active office of the region" in english(info.value.reasons[0][1])
