"""The details the injunction steps record: the measures ordered and the duration (which sets the
expiry day), the compliance checks (and the credit record of a failed one), the review
application, its decision's reasons and the ground for lifting. Through the web: a missing or
invalid detail is refused with the field's message and changes nothing."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import Channel, PartyRole
from ipcase.cases.models import Case, TimelineEntry
from ipcase.channels.injunctions.models import InjunctionCheck
from ipcase.channels.injunctions.states import InjunctionState as S
from ipcase.channels.injunctions.states import expiry_day
from ipcase.channels.injunctions.workflow import WORKFLOW
from ipcase.channels.workflow import take, why_not
from ipcase.core.extensions import db
from ipcase.credit.models import CreditEvent, CreditEventKind
from tests.cases.helpers import make_client_as
from tests.channels.test_injunctions import APPLICATION, english, form_data, step

#: 10:00 in Chengdu on Tuesday 24 November 2026
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("granted", "days", "expires"),
    [
        (date(2026, 11, 24), 1, date(2026, 11, 25)),
        (date(2026, 11, 24), 30, date(2026, 12, 24)),
        (date(2026, 9, 30), 7, date(2026, 10, 7)),  # holidays do not move it (National Day week)
        (date(2028, 2, 28), 2, date(2028, 3, 1)),  # a leap year
    ],
)
def test_expiry_day(granted, days, expires):
    assert expiry_day(granted, days) == expires


@pytest.fixture
def case(app, create_case, users, frozen_now):
    frozen_now(NOW)
    return create_case(
        Channel.injunction,
        actor=users["examiner"],
        received_at=NOW - timedelta(hours=6),
        channel_data=dict(APPLICATION),
    )


def state_of(case):
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    entries = db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == c.id)
    )
    credit = db.session.scalar(sa.select(sa.func.count()).select_from(CreditEvent).where(CreditEvent.case_id == c.id))
    granted = (c.ordered_measures, c.granted_at, c.duration_days, c.expires_on)
    return c.state, c.closed_at, granted, len(c.checks), entries, credit


def post(web, case, action, data):
    r = web.post(f"/cases/{case.id}/actions/{action}", data=data, follow_redirects=True)
    assert r.status_code == 200
    return html.unescape(r.get_data(as_text=True))


def refused(app, case, action, data, message, username="director"):
    db.session.commit()
    before = state_of(case)
    page = post(make_client_as(app, username), case, action, data)
    assert message in page, page[page.find('role="status"') :][:600]
    assert state_of(case) == before


def granted(case, users, days=30):
    take(WORKFLOW, case, "start_review", actor=users["examiner"], at=NOW - timedelta(hours=5))
    take(
        WORKFLOW,
        case,
        "grant",
        actor=users["director"],
        at=NOW - timedelta(hours=4),
        details={"measures": "撤下展品", "duration_days": days},
    )


def served(case, users):
    granted(case, users)
    take(WORKFLOW, case, "serve", actor=users["examiner"], at=NOW - timedelta(hours=3))


def respondent(case):
    return next(p for p in case.parties if p.role == PartyRole.respondent)


# -- the grant ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"duration_days": "30"}, "Measures ordered: This field is required."),
        ({"measures": "撤展"}, "Duration (days): This field is required."),
        ({"measures": "撤展", "duration_days": "0"}, "Duration (days): Number must be between 1 and 730."),
        ({"measures": "撤展", "duration_days": "-3"}, "Duration (days): Number must be between 1 and 730."),
        ({"measures": "撤展", "duration_days": "731"}, "Duration (days): Number must be between 1 and 730."),
        ({"measures": "撤展", "duration_days": "a month"}, "Duration (days): Not a valid integer value."),
        ({"measures": "   ", "duration_days": "30"}, "State the measures ordered."),
    ],
)
def test_grant_refused(app, case, users, data, message):
    take(WORKFLOW, case, "start_review", actor=users["examiner"])
    refused(app, case, "grant", data, message)


def test_grant_sets_the_expiry_day(app, case, users):
    take(WORKFLOW, case, "start_review", actor=users["examiner"])
    db.session.commit()
    web = make_client_as(app, "director")
    page = html.unescape(web.get(f"/cases/{case.id}").get_data(as_text=True))
    grant_form = page[page.index("/actions/grant") :]
    assert "撤下展品" in grant_form[: grant_form.index("</textarea>")]  # prefilled with the measures asked for
    page = post(web, case, "grant", {"measures": "责令撤下A-102展台全部涉案产品", "duration_days": "30"})
    c = db.session.get(Case, case.id)
    assert c.state == S.granted
    assert (c.ordered_measures, c.granted_at, c.duration_days) == ("责令撤下A-102展台全部涉案产品", NOW, 30)
    assert c.expires_on == date(2026, 12, 24)
    panel = page[page.index('id="injunction"') :]
    assert "Expires on" in panel and "2026-12-24" in panel and "30 days" in panel
    assert "Duration (days): 30" in page  # on the timeline


# -- expiry ---------------------------------------------------------------------------------------


def test_expiry_waits_for_the_day(app, case, users, frozen_now):
    served(case, users)
    assert case.expires_on == date(2026, 12, 24)
    assert "2026-12-24" in english(why_not(WORKFLOW, case, "expire", users["examiner"]))
    refused(app, case, "expire", {}, "The injunction is in force until 2026-12-24.", username="examiner")
    frozen_now(datetime(2026, 12, 23, 16, 0, tzinfo=UTC))  # 00:00 on the 24th in Chengdu
    assert why_not(WORKFLOW, case, "expire", users["examiner"]) is None
    savepoint = db.session.begin_nested()
    with pytest.raises(Exception, match="2026-12-24"):  # recorded as of the day before
        take(WORKFLOW, case, "expire", actor=users["examiner"], at=datetime(2026, 12, 23, 10, 0, tzinfo=UTC))
    savepoint.rollback()
    take(WORKFLOW, case, "expire", actor=users["examiner"])
    assert case.state == S.expired and case.closed_at is not None


def test_an_injunction_without_an_expiry_day_is_lifted_not_expired(case, users):
    case.state = S.served
    case.expires_on = None
    assert "lift it instead" in english(why_not(WORKFLOW, case, "expire", users["examiner"]))


# -- compliance checks ----------------------------------------------------------------------------


def check_data(**change):
    data = {"checked_on": "2026-11-24", "checked_by": "王五、赵六", "complied": "not_complied", "findings": "仍在展出"}
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"checked_on": None}, "Checked on: This field is required."),
        ({"checked_by": None}, "Checked by: This field is required."),
        ({"complied": "mostly"}, "Compliance: Not a valid choice."),
        ({"findings": None}, "Findings: This field is required."),
        ({"checked_on": "2026-11-25"}, "its day cannot be after the step's"),
        ({"checked_on": "2026-11-23"}, "The injunction was granted on 2026-11-24: a check comes after."),
        ({"complied": "complied", "record_credit": "y"}, "The respondent complied: there is nothing to record"),
    ],
)
def test_compliance_check_refused(app, case, users, change, message):
    served(case, users)
    refused(app, case, "check_compliance", check_data(**change), message, username="examiner")


def test_compliance_checks_are_recorded_and_a_failure_goes_on_the_credit_record(app, case, users):
    served(case, users)
    db.session.commit()
    web = make_client_as(app, "examiner")
    post(web, case, "check_compliance", check_data(complied="complied", findings="展品已撤下"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CreditEvent)) == 0
    page = post(
        web, case, "check_compliance", check_data(complied="partly", record_credit="y", findings="网店链接仍在")
    )
    db.session.expire_all()
    checks = db.session.scalars(sa.select(InjunctionCheck).where(InjunctionCheck.case_id == case.id)).all()
    assert [(c.complied, c.findings) for c in checks] == [("complied", "展品已撤下"), ("partly", "网店链接仍在")]
    c = db.session.get(Case, case.id)
    assert c.state == S.served  # a check does not change the state
    [event] = db.session.scalars(sa.select(CreditEvent).where(CreditEvent.case_id == c.id)).all()
    assert (event.kind, event.party_id, event.note) == (
        CreditEventKind.decision_unperformed,
        respondent(c).id,
        "网店链接仍在",
    )
    panel = page[page.index('id="injunction"') :]
    assert "Partly complied" in panel and "王五、赵六" in panel


def test_the_parties_do_not_see_the_checks(app, case, users):
    served(case, users)
    respondent(case).user = users["party"]
    step(case, "check_compliance", users["examiner"])
    db.session.commit()
    page = make_client_as(app, "party").get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="injunction"' in page and "Expires on" in page
    assert "Compliance checks" not in page and "王五、赵六" not in page


# -- review and lifting ---------------------------------------------------------------------------


def test_review_application_refused_without_its_details(app, case, users):
    served(case, users)
    requester = next(p for p in case.parties if p.role == PartyRole.requester)
    refused(app, case, "apply_review", {"grounds": "x"}, "Applicant for review: This field is required.", "examiner")
    data = {"party": str(requester.id), "grounds": "x"}
    refused(app, case, "apply_review", data, "Applicant for review: Not a valid choice.", "examiner")
    data = {"party": str(respondent(case).id)}
    refused(app, case, "apply_review", data, "Grounds for review: This field is required.", "examiner")


def test_review_decided_with_reasons(app, case, users):
    served(case, users)
    step(case, "apply_review", users["examiner"])
    refused(app, case, "uphold_on_review", {"reason": ""}, "Give the reasons for this step.")
    page = post(make_client_as(app, "director"), case, "uphold_on_review", {"reason": "申请人担保充分，维持禁令"})
    assert db.session.get(Case, case.id).state == S.served
    assert "申请人担保充分，维持禁令" in page


def test_lifting_records_its_ground(app, case, users):
    served(case, users)
    refused(app, case, "lift", {"reason": "主案已裁决"}, "Ground for lifting: This field is required.")
    refused(app, case, "lift", {"reason": "主案已裁决", "ground": "whim"}, "Ground for lifting: Not a valid choice.")
    page = post(
        make_client_as(app, "director"),
        case,
        "lift",
        form_data("lift", case, reason="主案已作出裁决"),
    )
    assert db.session.get(Case, case.id).state == S.lifted
    assert "Ground for lifting: The main case has been decided" in page
