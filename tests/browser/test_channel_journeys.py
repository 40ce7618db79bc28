"""Each channel's main path, walked in a real browser through the case page's "Next steps" panel.

The journeys run on the live server of ``conftest.py`` (its own database per backend, CSRF on).
The cases they work on are seeded once per backend by ``channel_cases`` below, through the real
operations, straight into the live server's database. Every step is taken as staff take it: the
step's form in the panel (found by the URL it posts to), an optional reason typed into its
textarea, its button pressed. The browser switches to English on the login page (the choice
survives logging in and out) so that state labels, flashes and the timeline can be asserted.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from ipcase.cases.enums import AssignmentRole, Channel
from ipcase.cases.models import Case, TimelineEntry
from ipcase.cases.operations import assign_staff
from ipcase.core import clock
from ipcase.core.identifiers import patent_check_char
from ipcase.extensions import db
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in, log_in_in_english, log_out

pytestmark = pytest.mark.browser

INJUNCTION_FACTS = "被申请人将于展会闭幕前继续展出侵权产品"
INJUNCTION_MEASURES = "责令被申请人撤下展台上的侵权折叠椅"
LIFT_REASON = "主案已作出行政裁决，禁令无须继续维持。"
MEASURES = "主办方协调撤下5C-208展台涉嫌侵权展品，封存宣传册30份"
AGREEMENT = "双方签署调解协议：被请求人停止销售并赔偿3万元"


# -- seeded data --------------------------------------------------------------------------------


@dataclass
class ChannelCases:
    """One fresh case per journey, in the channel's first state."""

    adjudication: int
    mediation: int
    station: int
    injunction: int
    #: an injunction already served, for the refused lift
    served_injunction: int
    #: a workstation complaint, for reading a step in another language than it was taken in
    bilingual_station: int


def patent(serial: int) -> str:
    """A valid utility-model number no other browser test uses (their searches count rows)."""
    digits = f"20192{serial:07d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


@pytest.fixture(scope="module")
def channel_cases(live_app: Flask) -> ChannelCases:
    """Seed the journeys' cases into the live server's database, once per backend."""
    with live_app.app_context():
        users = factories.base_users()
        examiner, director = users["examiner"], users["director"]
        an_hour_ago = clock.now() - timedelta(hours=1)

        adjudication = factories.create_case(actor=examiner, respondent="成都渠道甲家具有限公司", patent=patent(3001))
        # A valid panel (a leader and two members), without which the case cannot be docketed.
        assign_staff(adjudication, director, AssignmentRole.panel_leader, actor=director)
        assign_staff(adjudication, users["examiner2"], AssignmentRole.panel_member, actor=director)
        assign_staff(adjudication, users["examiner3"], AssignmentRole.panel_member, actor=director)

        mediation = factories.create_case(
            Channel.mediation,
            organisation="cdmed",
            actor=users["mediator"],  # who opens it mediates it
            respondent="成都渠道乙灯饰有限公司",
            patent=patent(3002),
        )
        station = factories.create_case(
            Channel.station,
            organisation="cdexpo",
            actor=users["station"],
            respondent="成都渠道丙五金制品厂",
            patent=patent(3003),
            received_at=an_hour_ago,
            channel_data={"booth": "5C-208"},
        )
        application = {
            "urgency_facts": INJUNCTION_FACTS,
            "requested_measures": INJUNCTION_MEASURES,
            "bond_amount": Decimal("50000"),
            "bond_form": "银行保函",
        }
        injunction = factories.create_case(
            Channel.injunction,
            actor=examiner,
            respondent="成都渠道丁贸易有限公司",
            patent=patent(3004),
            received_at=an_hour_ago,
            channel_data=dict(application),
        )
        served = factories.create_case(
            Channel.injunction,
            actor=examiner,
            respondent="成都渠道戊贸易有限公司",
            patent=patent(3005),
            received_at=an_hour_ago,
            channel_data=dict(application),
            state="served",
        )
        bilingual = factories.create_case(
            Channel.station,
            organisation="cdexpo",
            actor=users["station"],
            respondent="成都渠道己五金制品厂",
            patent=patent(3006),
            received_at=an_hour_ago,
        )
        seeded = ChannelCases(adjudication.id, mediation.id, station.id, injunction.id, served.id, bilingual.id)
        db.session.commit()
        db.session.remove()
    return seeded


# -- helpers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a journey: the action, its label and the state it leads to (in English)."""

    action: str
    label: str
    state: str
    reason: str = ""


def open_case(page: Page, case_id: int) -> None:
    page.goto(f"/cases/{case_id}")
    expect(page.locator("#timeline")).to_be_visible()


def state_label(page: Page) -> Locator:
    return page.locator(".headstate .state")


def step_form(page: Page, action: str) -> Locator:
    return page.locator(f'#actions form.action-form[action$="/actions/{action}"]')


def submit_step(page: Page, case_id: int, action: str) -> None:
    """Press the step's button; the server must answer the POST with a redirect to the case."""
    path = f"/cases/{case_id}/actions/{action}"
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(path)) as info:
        step_form(page, action).locator("button[type=submit]").click()
    assert info.value.status == 302, f"{action} answered {info.value.status}"


def take(page: Page, case_id: int, step: Step) -> None:
    """Take one step through its form, and see it done: the flash, then the new state."""
    form = step_form(page, step.action)
    expect(form).to_be_visible()
    expect(form.get_by_role("heading", level=3)).to_have_text(step.label)
    expect(form.locator("p.muted")).to_have_text(f"→ {step.state}")  # where it leads
    if step.reason:
        form.locator("textarea[name=reason]").fill(step.reason)
    submit_step(page, case_id, step.action)
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}#actions$"))
    expect(page.get_by_role("status")).to_have_text(f"Done: {step.label}.")
    expect(state_label(page)).to_have_text(step.state)


def walk(page: Page, case_id: int, first_state: str, steps: list[Step]) -> None:
    expect(state_label(page)).to_have_text(first_state)
    for step in steps:
        take(page, case_id, step)


def transitions(page: Page) -> Locator:
    """The timeline's state changes ("step: from → to. reasons"), newest first."""
    return page.locator("#timeline .tl-text").filter(has_text="→")


def expect_timeline(page: Page, first_state: str, steps: list[Step]) -> None:
    """The timeline lists every step taken, with the states it moved between and its reasons."""
    lines, before = [], first_state
    for step in steps:
        lines.append(f"{step.label}: {before} → {step.state}. {step.reason}".strip())
        before = step.state
    expect(transitions(page)).to_have_text(list(reversed(lines)))


def expect_closed(page: Page, label: str) -> None:
    expect(state_label(page)).to_have_text(label)
    expect(state_label(page)).to_have_class(re.compile(r"\bstate-closed\b"))
    expect(page.locator("#h-details + dl.facts")).to_contain_text("Closed at")


def expect_diagram_at(page: Page, label: str, *, closed: bool) -> None:
    """Open the procedure diagram: exactly one stage is highlighted, the case's current one."""
    details = page.locator("section#workflow details")
    expect(details).not_to_have_attribute("open", "")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    current = details.locator("svg .wf-node.wf-current")
    expect(current).to_have_count(1)
    expect(current).to_be_visible()
    expect(current.locator("text")).to_have_text(label)
    if closed:
        expect(current).to_have_class(re.compile(r"\bwf-closed\b"))


def case_in_db(app: Flask, case_id: int) -> tuple[str, bool, int]:
    """(state, closed?, number of timeline entries) as the live server's database has them."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        entries = db.session.scalar(
            sa.select(sa.func.count()).select_from(TimelineEntry).where(TimelineEntry.case_id == case_id)
        )
        result = (case.state, case.closed_at is not None, entries)
        db.session.remove()
    return result


# -- journeys -----------------------------------------------------------------------------------

ADJUDICATION_STEPS = [
    Step("docket", "Docket the case (立案)", "Docketed"),
    Step("serve", "Serve the request on the respondent", "Defence period"),
    Step("receive_defence", "Defence received", "Evidence and fact-finding"),
    Step("deliberate", "Panel deliberation", "Panel deliberation"),
    Step("submit_for_closing", "Submit the draft decision for closing approval", "Awaiting closing approval"),
]
APPROVE = Step("approve_decision", "Approve and issue the decision (行政裁决书)", "Closed by decision")


def test_adjudication_examiner_hears_the_case_and_the_director_approves_the_decision(
    page: Page, live_app: Flask, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.adjudication
    log_in_in_english(page, "examiner")
    open_case(page, case_id)
    expect(page.locator("#staff")).to_contain_text("Panel leader")
    walk(page, case_id, "Request received", ADJUDICATION_STEPS)

    # Only the director approves: the examiner is offered no approval, and the diagram shows
    # the case waiting for it.
    expect(step_form(page, APPROVE.action)).to_have_count(0)
    expect_diagram_at(page, "Awaiting closing approval", closed=False)
    log_out(page)

    log_in(page, "director")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_case(page, case_id)
    expect(state_label(page)).to_have_text("Awaiting closing approval")
    take(page, case_id, APPROVE)

    expect_closed(page, "Closed by decision")
    steps = [*ADJUDICATION_STEPS, APPROVE]
    expect_timeline(page, "Request received", steps)
    expect(transitions(page).first.locator("xpath=..")).to_contain_text("— Director")
    expect(transitions(page).nth(1).locator("xpath=..")).to_contain_text("— Examiner")
    # A decided case still has its follow-up: publishing the decision.
    expect(step_form(page, "publish")).to_be_visible()
    expect_diagram_at(page, "Closed by decision", closed=True)

    state, closed, _ = case_in_db(live_app, case_id)
    assert (state, closed) == ("closed_decided", True)
    assert page_problems.all() == []


MEDIATION_STEPS = [
    Step(
        "serve_notice",
        "Serve the notice to state views (陈述意见通知书) on the respondent",
        "Awaiting respondent's statement",
    ),
    Step("receive_statement", "Respondent's statement received (意见陈述书)", "Statement received, docketing pending"),
    Step("docket", "Respondent consents: docket for mediation (立案)", "Docketed for mediation"),
    Step("hold_session", "Mediation session held", "In mediation sessions"),
    Step("reach_agreement", "Mediation agreement signed (调解协议书)", "Agreement reached", AGREEMENT),
    Step("close_agreed", "Close with the agreement, no follow-up sought", "Closed with agreement"),
]


def test_mediation_mediator_mediates_to_an_agreement_and_closes(
    page: Page, live_app: Flask, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.mediation
    log_in_in_english(page, "mediator")
    open_case(page, case_id)
    walk(page, case_id, "Request received", MEDIATION_STEPS)

    expect_closed(page, "Closed with agreement")
    expect_timeline(page, "Request received", MEDIATION_STEPS)
    expect(page.locator("section#actions")).to_have_count(0)  # nothing left to do
    expect_diagram_at(page, "Closed with agreement", closed=True)

    state, closed, _ = case_in_db(live_app, case_id)
    assert (state, closed) == ("closed_agreed", True)
    assert page_problems.all() == []


STATION_STEPS = [
    Step("forward", "Forward the complaint to the office", "Forwarded to the office"),
    Step("notify_respondent", "Notify the respondent", "Awaiting respondent's response"),
    Step("receive_response", "Respondent's response received", "Response stage over: under review"),
    Step("take_measures", "Take on-site measures", "On-site measures taken", MEASURES),
    Step("resolve", "Close as resolved", "Resolved"),
]


def test_workstation_officer_takes_measures_on_site_and_resolves_the_complaint(
    page: Page, live_app: Flask, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.station
    log_in_in_english(page, "station")
    open_case(page, case_id)
    # Measures need reasons (what was done): the form says so.
    walk(page, case_id, "Complaint received", STATION_STEPS[:3])
    expect(step_form(page, "take_measures").locator("textarea[name=reason]")).to_have_attribute("required", "")
    walk(page, case_id, STATION_STEPS[2].state, STATION_STEPS[3:])

    expect_closed(page, "Resolved")
    expect_timeline(page, "Complaint received", STATION_STEPS)
    expect(page.locator("#timeline")).to_contain_text("5C-208")  # the measures are on record
    expect(page.locator("section#actions")).to_have_count(0)
    expect_diagram_at(page, "Resolved", closed=True)

    state, closed, _ = case_in_db(live_app, case_id)
    assert (state, closed) == ("resolved", True)
    assert page_problems.all() == []


START_REVIEW = Step("start_review", "Start the urgent review", "Under urgent review")
GRANT = Step("grant", "Grant the injunction (行政禁令决定)", "Injunction granted")
SERVE = Step("serve", "Serve the injunction on the respondent", "Injunction served and in force")
LIFT = Step("lift", "Lift the injunction", "Lifted", LIFT_REASON)


def test_injunction_reviewed_granted_served_and_lifted(
    page: Page, live_app: Flask, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.injunction
    log_in_in_english(page, "examiner")
    open_case(page, case_id)
    details = page.locator("#h-details + dl.facts")
    expect(details).to_contain_text(INJUNCTION_FACTS)
    expect(details).to_contain_text(INJUNCTION_MEASURES)
    expect(details).to_contain_text("¥50,000.00（银行保函）")
    walk(page, case_id, "Application received", [START_REVIEW])
    expect(step_form(page, GRANT.action)).to_have_count(0)  # a director grants
    log_out(page)

    log_in(page, "director")
    open_case(page, case_id)
    walk(page, case_id, START_REVIEW.state, [GRANT])
    log_out(page)

    log_in(page, "examiner")
    open_case(page, case_id)
    walk(page, case_id, GRANT.state, [SERVE])
    expect(step_form(page, LIFT.action)).to_have_count(0)  # a director lifts
    log_out(page)

    log_in(page, "director")
    open_case(page, case_id)
    walk(page, case_id, SERVE.state, [LIFT])

    expect_closed(page, "Lifted")
    expect_timeline(page, "Application received", [START_REVIEW, GRANT, SERVE, LIFT])
    expect(page.locator("section#actions")).to_have_count(0)
    expect_diagram_at(page, "Lifted", closed=True)

    state, closed, _ = case_in_db(live_app, case_id)
    assert (state, closed) == ("lifted", True)
    assert page_problems.all() == []


def test_a_step_needing_reasons_is_refused_without_them(
    page: Page, live_app: Flask, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.served_injunction
    before = case_in_db(live_app, case_id)
    assert before[:2] == ("served", False)

    log_in_in_english(page, "director")
    open_case(page, case_id)
    expect(state_label(page)).to_have_text(SERVE.state)
    reason = step_form(page, LIFT.action).locator("textarea[name=reason]")
    expect(reason).to_have_attribute("required", "")
    # Past the browser's own check, so that the server's is the one tested.
    page.evaluate(
        "selector => document.querySelector(selector).removeAttribute('required')",
        f'#actions form[action$="/actions/{LIFT.action}"] textarea[name=reason]',
    )
    expect(reason).not_to_have_attribute("required", "")
    expect(reason).to_have_value("")
    submit_step(page, case_id, LIFT.action)

    expect(page).to_have_url(re.compile(rf"/cases/{case_id}#actions$"))
    flash = page.get_by_role("status")
    expect(flash).to_have_text("Give the reasons for this step.")
    expect(flash.locator(".flash")).to_have_class(re.compile(r"\bflash-danger\b"))
    expect(state_label(page)).to_have_text(SERVE.state)
    expect(state_label(page)).not_to_have_class(re.compile(r"\bstate-closed\b"))
    expect(step_form(page, LIFT.action)).to_be_visible()  # still to be done, with reasons
    expect(transitions(page)).to_have_count(0)
    assert case_in_db(live_app, case_id) == before  # nothing changed, nothing recorded
    assert page_problems.all() == []


def test_a_step_on_the_timeline_reads_in_the_readers_language(
    page: Page, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.bilingual_station
    log_in_in_english(page, "station")
    open_case(page, case_id)
    forward = STATION_STEPS[0]
    take(page, case_id, forward)
    expect_timeline(page, "Complaint received", [forward])

    page.locator("header").get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(state_label(page)).to_have_text("已移交知识产权管理部门")
    assert page_problems.all() == []
    # The whole line in Chinese: step, states and punctuation (read once, no waiting).
    assert transitions(page).first.inner_text().strip() == "将投诉移交主管部门：已收到投诉 → 已移交知识产权管理部门。"
