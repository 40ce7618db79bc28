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
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in, log_in_in_english, log_out, step_form

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
    # a step that keeps the state; not the evidence notice, whose period would have to run out (or
    # be waived) before deliberation (test_adjudication_full_journey.py walks that)
    Step("forward_defence", "Defence forwarded to the requester", "Evidence and fact-finding"),
    Step("deliberate", "Panel deliberation", "Panel deliberation"),
    Step("submit_for_closing", "Submit the draft decision for closing approval", "Awaiting closing approval"),
]
APPROVE = Step("approve_decision", "Approve and issue the decision (行政裁决书)", "Closed by decision")
#: what the examiner and the director record at the steps that ask for details, as typed in the
#: step's form and as the timeline then reads it
ADJUDICATION_DETAILS: dict[str, tuple[dict[str, str | list[str]], str]] = {
    "submit_for_closing": (
        {"votes_for": "3", "votes_against": "0"},
        "Votes for the draft decision: 3; Votes against: 0",
    ),
    "approve_decision": (
        {"outcome": "infringement_found", "orders": ["stop_selling", "ecommerce"]},
        "Outcome: Infringement established (侵权成立); Cessation orders: "
        "Stop selling; do not put stocks of infringing products on the market、"
        "Online: the platform is told to delete, block or disconnect the links",
    ),
}


def fill_details(page: Page, action: str) -> None:
    """Type a step's details into its form: selects by value, the rest as text."""
    form = step_form(page, action)
    for name, value in ADJUDICATION_DETAILS[action][0].items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(str(value))


def take_adjudication_step(page: Page, case_id: int, step: Step) -> None:
    """One step of the adjudication journey: its details typed in first, where it asks for any.
    A step that keeps the state shows no "→ state" in its form, so it is checked here."""
    if step.action in ADJUDICATION_DETAILS:
        fill_details(page, step.action)
    if step.action == "forward_defence":
        form = step_form(page, step.action)
        expect(form.get_by_role("heading", level=3)).to_have_text(step.label)
        expect(form.locator("p.muted")).to_have_count(0)
        submit_step(page, case_id, step.action)
        expect(page.get_by_role("status")).to_have_text(f"Done: {step.label}.")
        expect(state_label(page)).to_have_text(step.state)
    else:
        take(page, case_id, step)


def expect_adjudication_timeline(page: Page, steps: list[Step]) -> None:
    """Every step on the timeline with the states it moved between and its recorded details."""
    lines, before = [], "Request received"
    for step in steps:
        details = ADJUDICATION_DETAILS.get(step.action, ({}, ""))[1]
        lines.append(f"{step.label}: {before} → {step.state}. {details}".strip())
        before = step.state
    expect(transitions(page)).to_have_text(list(reversed(lines)))


def test_adjudication_examiner_hears_the_case_and_the_director_approves_the_decision(
    page: Page, live_app: Flask, channel_cases: ChannelCases, page_problems: Problems
) -> None:
    case_id = channel_cases.adjudication
    log_in_in_english(page, "examiner")
    open_case(page, case_id)
    expect(page.locator("#staff")).to_contain_text("Panel leader")
    expect(state_label(page)).to_have_text("Request received")
    for step in ADJUDICATION_STEPS:
        take_adjudication_step(page, case_id, step)

    # Only the director approves: the examiner is offered no approval, and the diagram shows
    # the case waiting for it.
    expect(step_form(page, APPROVE.action)).to_have_count(0)
    expect_diagram_at(page, "Awaiting closing approval", closed=False)
    log_out(page)

    log_in(page, "director")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_case(page, case_id)
    expect(state_label(page)).to_have_text("Awaiting closing approval")
    take_adjudication_step(page, case_id, APPROVE)

    expect_closed(page, "Closed by decision")
    expect_adjudication_timeline(page, [*ADJUDICATION_STEPS, APPROVE])
    expect(transitions(page).first.locator("xpath=..")).to_contain_text("— Director")
    expect(transitions(page).nth(1).locator("xpath=..")).to_contain_text("— Examiner")
    # Infringement established: it counts against the respondent's credit ([85]34).
    expect(page.locator("#timeline")).to_contain_text("Credit record for 成都渠道甲家具有限公司: Infringement found")
    # A decided case still has its follow-up: serving and publishing the decision.
    expect(step_form(page, "serve_decision")).to_be_visible()
    expect(step_form(page, "publish")).to_be_visible()
    expect_diagram_at(page, "Closed by decision", closed=True)

    state, closed, _ = case_in_db(live_app, case_id)
    assert (state, closed) == ("closed_decided", True)
    assert page_problems.all() == []


# -- mediation, workstation and injunction journeys: the steps that ask for details ----------------

#: what staff record at the steps that ask for details: per action, the fields as typed into the
#: step's form (a select by value, a list for a multiple select, True to tick a box, a callable for
#: a value computed when the step is taken) and, as a regular expression, how the timeline then
#: reads them after the step's reasons
Details = dict[str, tuple[dict[str, object], str]]

PAYMENT_DUE = (clock.today() + timedelta(days=30)).isoformat()
RESPONSE = "被投诉人称其折叠椅的锁紧结构与专利不同"
MEASURE_ITEMS = "5C-208展台折叠椅2把，宣传册30份"


def minute_now() -> str:
    """The current minute in China time, as a datetime-local field takes it."""
    return clock.to_local(clock.now()).strftime("%Y-%m-%dT%H:%M")


MEDIATION_DETAILS: Details = {
    "docket": ({}, re.escape("Mediator: Mediator")),
    "hold_session": (
        {
            "held_at": minute_now,
            "place": "调解室一",
            "requester_present": True,
            "respondent_present": True,
            "outcome": "progress",
        },
        r"Session date and time \(China time\): \d{4}-\d\d-\d\d \d\d:\d\d; "
        + re.escape(
            "Held online: no; Place: 调解室一; Requester present: yes; Respondent present: yes; "
            "Outcome: Progress made, mediation continues"
        ),
    ),
    "reach_agreement": (
        {"amount": "30000", "due_on": PAYMENT_DUE, "enforcement_undertaking": True},
        re.escape(
            f"Compensation agreed (yuan): 30000; Payment due by: {PAYMENT_DUE}; Number of instalments: 1; "
            "The respondent undertakes to accept enforcement (承诺接受强制执行): yes"
        ),
    ),
}
STATION_DETAILS: Details = {
    "forward": ({}, re.escape("Receiving office: 成都市知识产权局")),
    "notify_respondent": ({}, re.escape("How the respondent was notified: In person at the booth or shop")),
    "receive_response": (
        {"position": "admits", "summary": RESPONSE},  # measures follow an admission ([EXPO-G]14)
        re.escape(
            "Respondent's position: Admits the infringement; "
            f"Summary of the response and the evidence offered: {RESPONSE}"
        ),
    ),
    "take_measures": (
        {"measures": ["withdraw_exhibits", "seal_materials"], "items": MEASURE_ITEMS, "respondent_complied": True},
        re.escape(
            "Measures taken: Withdraw the exhibits (撤展)、Seal brochures and promotional material (封存宣传资料); "
            f"Exhibits, materials or links concerned: {MEASURE_ITEMS}; The respondent complied: yes"
        ),
    ),
}
INJUNCTION_DETAILS: Details = {
    "grant": ({"duration_days": "30"}, re.escape(f"Measures ordered: {INJUNCTION_MEASURES}; Duration (days): 30")),
    "lift": ({}, re.escape("Ground for lifting: The main case has been decided")),
}


def fill_step(page: Page, action: str, fields: dict[str, object]) -> None:
    """Type a step's details into its form."""
    form = step_form(page, action)
    for name, value in fields.items():
        field = form.locator(f'[name="{name}"]')
        value = value() if callable(value) else value
        if value is True:
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def walk_with_details(page: Page, case_id: int, first_state: str, steps: list[Step], details: Details) -> None:
    expect(state_label(page)).to_have_text(first_state)
    for step in steps:
        if step.action in details:
            fill_step(page, step.action, details[step.action][0])
        take(page, case_id, step)


def expect_timeline_with_details(page: Page, first_state: str, steps: list[Step], details: Details) -> None:
    """Every step on the timeline with the states it moved between, its reasons and its details."""
    lines, before = [], first_state
    for step in steps:
        line = re.escape(f"{step.label}: {before} → {step.state}. {step.reason}".strip())
        recorded = details.get(step.action, ({}, ""))[1]
        lines.append(re.compile(rf"^{line} {recorded}\s*$" if recorded else rf"^{line}\s*$"))
        before = step.state
    expect(transitions(page)).to_have_text(list(reversed(lines)))


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
    walk_with_details(page, case_id, "Request received", MEDIATION_STEPS, MEDIATION_DETAILS)

    expect_closed(page, "Closed with agreement")
    expect_timeline_with_details(page, "Request received", MEDIATION_STEPS, MEDIATION_DETAILS)
    # the session and the agreement's terms are on the case page
    panel = page.locator("section#mediation")
    expect(panel).to_contain_text("¥30,000.00")
    expect(panel).to_contain_text("Progress made, mediation continues")
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
    walk_with_details(page, case_id, "Complaint received", STATION_STEPS[:3], STATION_DETAILS)
    expect(step_form(page, "take_measures").locator("textarea[name=reason]")).to_have_attribute("required", "")
    walk_with_details(page, case_id, STATION_STEPS[2].state, STATION_STEPS[3:], STATION_DETAILS)

    expect_closed(page, "Resolved")
    expect_timeline_with_details(page, "Complaint received", STATION_STEPS, STATION_DETAILS)
    expect(page.locator("#timeline")).to_contain_text("5C-208")  # the measures are on record
    expect(page.locator("section#onsite")).to_contain_text("Withdraw the exhibits (撤展)")
    # the measures count against the exhibitor's credit (repeat exhibitors are flagged)
    expect(page.locator("#timeline")).to_contain_text("成都渠道丙五金制品厂")
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
    # the measures ordered start as the measures asked for
    expect(step_form(page, GRANT.action).locator("textarea[name=measures]")).to_have_value(INJUNCTION_MEASURES)
    walk_with_details(page, case_id, START_REVIEW.state, [GRANT], INJUNCTION_DETAILS)
    expires_on = (clock.today() + timedelta(days=30)).isoformat()
    expect(page.locator("section#injunction")).to_contain_text(expires_on)
    log_out(page)

    log_in(page, "examiner")
    open_case(page, case_id)
    walk(page, case_id, GRANT.state, [SERVE])
    expect(step_form(page, LIFT.action)).to_have_count(0)  # a director lifts
    expect(step_form(page, "expire")).to_have_count(0)  # it has 30 days to run
    log_out(page)

    log_in(page, "director")
    open_case(page, case_id)
    walk_with_details(page, case_id, SERVE.state, [LIFT], INJUNCTION_DETAILS)

    expect_closed(page, "Lifted")
    steps = [START_REVIEW, GRANT, SERVE, LIFT]
    expect_timeline_with_details(page, "Application received", steps, INJUNCTION_DETAILS)
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
    walk_with_details(page, case_id, "Complaint received", [forward], STATION_DETAILS)
    expect_timeline_with_details(page, "Complaint received", [forward], STATION_DETAILS)

    page.locator("header").get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(state_label(page)).to_have_text("已移交知识产权管理部门")
    assert page_problems.all() == []
    # The whole line in Chinese: step, states and punctuation (read once, no waiting), then the
    # details the step recorded (the office it went to).
    line = transitions(page).first.inner_text().strip()
    assert line.startswith("将投诉移交主管部门：已收到投诉 → 已移交知识产权管理部门。"), line
    assert line.endswith("：成都市知识产权局"), line
