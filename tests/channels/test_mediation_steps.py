"""The details the mediation steps record: the mediator chosen at docketing, the sessions, the
agreement's terms, the follow-up and its result, and the referral to adjudication. Through the
web: a missing or invalid detail is refused with the field's message and changes nothing."""

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from ipcase.cases.enums import AssignmentRole, Channel, PartyRole
from ipcase.cases.models import Case, TimelineEntry
from ipcase.channels.mediation.models import MediationSession
from ipcase.channels.mediation.states import MediationState as S
from ipcase.channels.mediation.states import agreement_problems
from ipcase.channels.mediation.workflow import WORKFLOW
from ipcase.channels.receiving import receiving_organisations
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.deadlines.models import DeadlineState
from ipcase.organisations.models import Organisation, OrgKind
from tests.cases.helpers import make_client_as
from tests.channels.test_mediation import deadlines, details, form_data, form_value, local, put
from tests.factories import org

TODAY = date(2026, 11, 24)


# -- the agreement's terms: a pure rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "terms", "due_on", "instalments", "fields"),
    [
        (Decimal("30000"), "", TODAY + timedelta(days=30), 3, []),
        (Decimal("30000"), "", TODAY, None, []),  # due the day it is signed
        (Decimal("0"), "被请求人停止销售", None, None, []),
        (None, "停止销售", None, None, ["amount"]),
        (Decimal("-1"), "停止销售", None, None, ["amount"]),
        (Decimal("0"), "  ", None, None, ["terms"]),  # neither money nor other terms
        (Decimal("30000"), "", None, None, ["due_on"]),  # a payment needs its due date
        (Decimal("30000"), "", TODAY - timedelta(days=1), None, ["due_on"]),
        (Decimal("30000"), "", TODAY, 0, ["instalments"]),
        (Decimal("30000"), "", TODAY, 121, ["instalments"]),
        (Decimal("0"), "停止销售", None, 2, ["instalments"]),  # instalments of nothing
    ],
)
def test_agreement_problems(amount, terms, due_on, instalments, fields):
    assert [f for f, _ in agreement_problems(amount, terms, due_on, instalments, TODAY)] == fields


# -- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def case(app, create_case, users):
    return create_case(
        Channel.mediation, organisation="cdmed", actor=users["mediator"], received_at=clock.now() - timedelta(days=3)
    )


def state_of(case):
    """What a refused step must leave alone: state, dates, the case's follow-up columns, sessions,
    the timeline and the deadlines."""
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    entries = db.session.scalar(
        sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == c.id)
    )
    columns = (c.agreed_at, c.agreed_amount, c.payment_due_on, c.follow_up, c.follow_up_body, c.follow_up_result_no)
    return c.state, c.closed_at, c.docketed_at, columns, len(c.sessions), entries, deadlines(c)


def post(web, case, action, data):
    """Post a step and return the page it redirects to, unescaped."""
    r = web.post(f"/cases/{case.id}/actions/{action}", data=data, follow_redirects=True)
    assert r.status_code == 200
    return html.unescape(r.get_data(as_text=True))


def refused(app, case, action, data, message, username="mediator"):
    """The step is refused with ``message`` on the page, and nothing changed."""
    db.session.commit()
    before = state_of(case)
    page = post(make_client_as(app, username), case, action, data)
    assert message in page, page[page.find('role="status"') :][:600]
    assert state_of(case) == before


def docketed(case, users, hours_ago=5):
    at = clock.now() - timedelta(hours=hours_ago)
    put(case, S.statement_received)
    take(WORKFLOW, case, "docket", actor=users["mediator"], at=at, details={"mediator": None})
    return at


def session_data(**extra):
    data = form_data("hold_session")
    data["held_at"] = form_value(local(clock.now() - timedelta(hours=1)))
    return {k: v for k, v in (data | extra).items() if v is not None}


# -- docketing with a mediator from the pool -----------------------------------------------------


def test_docket_chooses_the_mediator_through_the_web(app, create_case, users):
    c = create_case(Channel.mediation, organisation="cdmed", actor=users["mediator"], assign_actor=False)
    put(c, S.statement_received)
    db.session.commit()
    web = make_client_as(app, "mediator")
    page = html.unescape(web.get(f"/cases/{c.id}").get_data(as_text=True))
    assert 'name="mediator"' in page and f'value="{users["mediator"].id}"' in page
    refused(app, c, "docket", {}, "Choose the mediator: nobody mediates this case yet.")
    page = post(web, c, "docket", {"mediator": str(users["mediator"].id)})
    db.session.expire_all()
    c = db.session.get(Case, c.id)
    assert c.state == S.docketed and c.assignees(AssignmentRole.mediator) == [users["mediator"]]
    assert "Mediator: Mediator" in page  # the choice is on the timeline


# -- sessions ([85]67) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_at": None}, "Session date and time (China time): This field is required."),
        ({"held_at": "yesterday"}, "Session date and time (China time): Not a valid datetime value."),
        ({"outcome": "settled"}, "Outcome: Not a valid choice."),
        ({"place": None}, "Give the place of the session, or mark it as held online."),
        ({"respondent_present": None, "outcome": "agreement_in_principle"}, "An agreement in principle needs both"),
        ("future", "A session is recorded once held: its time cannot be after the step's."),
        ("before_docketing", "Sessions are held after docketing"),
        ({"next_session_at": "2020-01-01T09:00"}, "The next session comes after this one."),
        ({"next_session_at": "2099-01-01T09:00", "outcome": "failed"}, "A failed session sets no next one"),
    ],
)
def test_session_details_refused(app, case, users, change, message):
    docketed_at = docketed(case, users)
    if change == "future":
        change = {"held_at": form_value(local(clock.now() + timedelta(hours=2)))}
    elif change == "before_docketing":
        change = {"held_at": form_value(local(docketed_at - timedelta(hours=1)))}
    data = session_data()
    for key, value in change.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    refused(app, case, "hold_session", data, message)


def test_sessions_are_recorded_and_shown(app, case, users):
    docketed(case, users)
    db.session.commit()
    web = make_client_as(app, "mediator")
    first = clock.now() - timedelta(hours=3)
    post(
        web,
        case,
        "hold_session",
        session_data(
            held_at=form_value(local(first)),
            outcome="adjourned",
            respondent_present=None,
            next_session_at=form_value(local(first + timedelta(minutes=150))),
        ),
    )
    page = post(web, case, "hold_session", session_data(online="y", place=None, outcome="agreement_in_principle"))
    db.session.expire_all()
    sessions = db.session.scalars(
        sa.select(MediationSession).where(MediationSession.case_id == case.id).order_by(MediationSession.held_at)
    ).all()
    assert [(s.outcome, s.online, s.place, s.respondent_present) for s in sessions] == [
        ("adjourned", False, "调解室一", False),
        ("agreement_in_principle", True, "", True),
    ]
    assert sessions[0].next_session_at == local_minute(first + timedelta(minutes=150))
    assert db.session.get(Case, case.id).state == S.in_session
    # the panel lists both sessions; the timeline shows the details with their labels
    panel = page[page.index('id="mediation"') :]
    assert "Adjourned" in panel and "Agreement in principle" in panel and "absent" in panel
    assert "Outcome: Adjourned" in page and "Place: 调解室一" in page


def local_minute(at):
    return at.replace(second=0, microsecond=0)


# -- the agreement ([85]69) -----------------------------------------------------------------------


def in_session(case, users):
    docketed(case, users)
    take(WORKFLOW, case, "hold_session", actor=users["mediator"], details=details("hold_session"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": None}, "Compensation agreed (yuan): This field is required."),
        ({"amount": "-5"}, "Compensation agreed (yuan): Number must be at least 0."),
        ({"amount": "lots"}, "Compensation agreed (yuan): Not a valid decimal value."),
        ({"due_on": None}, "Give the date by which the compensation is paid."),
        ({"due_on": "2020-01-01"}, "The payment cannot fall due before the agreement"),
        ({"amount": "0", "terms": None, "due_on": None}, "An agreement without compensation states its other terms."),
        ({"instalments": "0"}, "Number of instalments: Number must be between 1 and 120."),
    ],
)
def test_agreement_details_refused(app, case, users, change, message):
    in_session(case, users)
    data = form_data("reach_agreement")
    for key, value in change.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    refused(app, case, "reach_agreement", data, message)


def test_agreement_is_stored_and_starts_the_confirmation_window(app, case, users):
    in_session(case, users)
    db.session.commit()
    page = post(
        make_client_as(app, "mediator"),
        case,
        "reach_agreement",
        {"amount": "45000.50", "due_on": (clock.today() + timedelta(days=60)).isoformat(), "instalments": "3"},
    )
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    assert c.state == S.agreement_reached and c.agreed_at is not None
    assert (c.agreed_amount, c.instalments, c.enforcement_undertaking) == (Decimal("45000.50"), 3, False)
    assert deadlines(c)["med.judicial_confirmation"] == DeadlineState.running
    assert "¥45,000.50" in page[page.index('id="mediation"') :]
    # without the undertaking the agreement cannot be notarised ([85]69): not offered, and refused
    assert "/actions/apply_notarisation" not in page
    refused(app, c, "apply_notarisation", {"notary_office": "蜀都公证处"}, "Notarisation gives enforceability only")


def test_a_single_payment_is_one_instalment(case, users):
    in_session(case, users)
    take(
        WORKFLOW,
        case,
        "reach_agreement",
        actor=users["mediator"],
        details=details("reach_agreement") | {"instalments": None},
    )
    assert case.instalments == 1


# -- the follow-up (§4) ---------------------------------------------------------------------------


def agreed(case, users):
    in_session(case, users)
    take(WORKFLOW, case, "reach_agreement", actor=users["mediator"], details=details("reach_agreement"))


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("apply_confirmation", {}, "Court asked to confirm the agreement: This field is required."),
        ("apply_confirmation", {"court": "   "}, "Name the court asked to confirm the agreement."),
        ("apply_notarisation", {}, "Notary office: This field is required."),
        ("apply_award", {"form": "award"}, "Arbitration commission: This field is required."),
        ("apply_award", {"commission": "成都仲裁委员会", "form": "ruling"}, "Asked for: Not a valid choice."),
    ],
)
def test_follow_up_details_refused(app, case, users, action, data, message):
    agreed(case, users)
    refused(app, case, action, data, message)


@pytest.mark.parametrize(
    ("action", "data", "columns"),
    [
        (
            "apply_confirmation",
            {"court": "成都市中级人民法院", "court_case_no": "（2026）川01民特5号"},
            ("judicial_confirmation", "成都市中级人民法院", "（2026）川01民特5号"),
        ),
        ("apply_notarisation", {"notary_office": "蜀都公证处"}, ("notarisation", "蜀都公证处", "")),
        (
            "apply_award",
            {
                "commission": "成都仲裁委员会",
                "form": "mediation_statement",
                "arbitration_case_no": "（2026）成仲字第8号",
            },
            ("arbitral_award", "成都仲裁委员会", "（2026）成仲字第8号"),
        ),
    ],
)
def test_follow_up_and_its_result(app, case, users, action, data, columns):
    agreed(case, users)
    db.session.commit()
    web = make_client_as(app, "mediator")
    page = post(web, case, action, data)
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    assert c.state == S.confirmation_pending
    assert (c.follow_up, c.follow_up_body, c.follow_up_case_no) == columns
    assert data[next(iter(data))] in page  # on the timeline and in the panel
    refused(app, c, "follow_up_completed", {}, "Number of the ruling, notarial deed or award: This field is required.")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    refused(app, c, "follow_up_completed", {"number": "12号", "issued_on": tomorrow}, "cannot be issued after")
    post(web, c, "follow_up_completed", {"number": "（2026）川01民特12号"})
    db.session.expire_all()
    c = db.session.get(Case, case.id)
    assert c.state == S.closed_agreed and c.follow_up_result_no == "（2026）川01民特12号"


def test_failure_records_its_ground(app, case, users):
    in_session(case, users)
    refused(
        app, case, "mediation_failed", {"reason": "分歧大"}, "Why no agreement was reached: This field is required."
    )
    db.session.commit()
    page = post(make_client_as(app, "mediator"), case, "mediation_failed", {"reason": "分歧大", "ground": "amount"})
    assert db.session.get(Case, case.id).state == S.closed_failed
    assert "Why no agreement was reached: The parties disagree on the amount" in page


# -- referral to adjudication ---------------------------------------------------------------------


def test_offices_that_may_receive_a_referral(app, case, create_case, users):
    cdip, cdmed, cqip = org("cdip"), org("cdmed"), org("cqip")
    province = Organisation(
        code="scip",
        name="四川省知识产权局",
        abbr="川知",
        kind=OrgKind.ip_office,
        region_code="510000",
        region_name="四川省",
    )
    closed = Organisation(
        code="old", name="已撤销的局", abbr="旧", kind=OrgKind.ip_office, region_code="510100", region_name="成都市"
    )
    closed.is_active = False
    db.session.add_all([province, closed])
    db.session.flush()
    # the centre has no parent: the city's office first, then the province's; never another region
    assert receiving_organisations(case, Channel.adjudication) == [cdip, province]
    # at an office, a failed administrative mediation is adjudicated there first
    at_office = create_case(Channel.mediation, organisation="cdip", actor=users["examiner"])
    assert receiving_organisations(at_office, Channel.adjudication)[0] == cdip
    # a workstation's parent office comes first; mediation may also go to the centre
    station = create_case(Channel.station, organisation="cdexpo", actor=users["station"])
    assert receiving_organisations(station, Channel.mediation) == [cdip, cdmed, province]
    assert cqip not in receiving_organisations(station, Channel.adjudication)


def test_referral_opens_the_linked_adjudication_case(app, case, users):
    put(case, S.closed_failed)
    db.session.commit()
    web = make_client_as(app, "mediator")
    page = html.unescape(web.get(f"/cases/{case.id}").get_data(as_text=True))
    form = page[page.index("/actions/refer_to_adjudication") :]
    assert f'<option selected value="{org("cdip").id}">' in form  # the city's office by default
    # an office outside the region is not offered, and not taken
    refused(
        app,
        case,
        "refer_to_adjudication",
        {"organisation": str(org("cqip").id)},
        "Receiving office: Not a valid choice.",
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.referred_from_id == case.id)) == 0
    page = post(web, case, "refer_to_adjudication", {"organisation": str(org("cdip").id), "reason": "调解不成"})
    db.session.expire_all()
    original = db.session.get(Case, case.id)
    new = db.session.scalars(sa.select(Case).where(Case.referred_from_id == case.id)).one()
    assert original.state == S.referred
    assert (new.channel, new.organisation_id, new.state) == (Channel.adjudication, org("cdip").id, "received")
    assert [p.name for p in new.parties if p.role == PartyRole.respondent] == ["四川某某贸易有限公司"]
    assert [r.number for r in new.rights] == [r.number for r in original.rights]
    assert new.number in page  # the referral is on the original's timeline
    assert "Receiving office: 成都市知识产权局" in page
