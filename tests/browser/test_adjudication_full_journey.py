"""An adjudication case from the staff intake to its closing, in a real browser, through the
"Next steps" panel only: docketing, service, the defence, the evidence notice (15 days), an
attempt to deliberate while the parties' evidence period runs — refused, naming the period and
its last day — the parties' waivers of the rest of the period (each recorded with its date),
deliberation, the panel's vote and the director's decision. Every step taken is one the rules
allow; the refused one changes nothing."""

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Case
from ipcase.cases.operations import assign_staff
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.deadlines.models import Deadline, DeadlineState
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in, log_in_in_english, log_out, step_form
from tests.browser.test_mediation_full_journey import take

pytestmark = pytest.mark.browser

DIGITS = "201920005301"
REQUESTER = "成都裁决全程甲科技有限公司"
RESPONDENT = "成都裁决全程乙贸易有限公司"


@pytest.fixture(scope="module")
def case_id(live_app: Flask) -> int:
    """The request as staff take it in at the counter, with its panel of three."""
    with live_app.app_context():
        users = factories.base_users()
        director = users["director"]
        case = factories.create_case(
            actor=users["examiner"],
            requester=REQUESTER,
            respondent=RESPONDENT,
            patent=f"ZL{DIGITS}.{patent_check_char(DIGITS)}",
        )
        assign_staff(case, director, AssignmentRole.panel_leader, actor=director)
        assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=director)
        assign_staff(case, users["examiner3"], AssignmentRole.panel_member, actor=director)
        db.session.commit()
        ident = case.id
        db.session.remove()
    return ident


def state(page: Page):
    return page.locator(".headstate .state")


def evidence_period(app: Flask, case_id: int) -> tuple[int, str, str]:
    with app.app_context():
        d = db.session.scalars(
            sa.select(Deadline).where(Deadline.case_id == case_id, Deadline.rule_id == "adj.evidence_period")
        ).one()
        result = (d.id, d.due_on.isoformat(), d.state.value)
        db.session.remove()
    return result


def case_state(app: Flask, case_id: int) -> tuple[str, int]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        result = (case.state, len(case.timeline))
        db.session.remove()
    return result


def test_adjudication_from_intake_to_decision(
    page: Page, live_app: Flask, case_id: int, page_problems: Problems
) -> None:
    log_in_in_english(page, "examiner")
    page.goto(f"/cases/{case_id}")
    expect(state(page)).to_have_text("Request received")
    take(page, case_id, "docket")
    take(page, case_id, "serve")
    expect(state(page)).to_have_text("Defence period")
    take(page, case_id, "receive_defence")
    take(page, case_id, "serve_evidence_notice", {"days": "15"})
    expect(state(page)).to_have_text("Evidence and fact-finding")
    period_id, last_day, running = evidence_period(live_app, case_id)
    assert running == "running"

    # deliberation while the parties may still bring evidence: refused, the period named
    before = case_state(live_app, case_id)
    form = step_form(page, "deliberate")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/actions/deliberate")):
        form.locator("button[type=submit]").click()
    flashes = page.locator(".flashes")
    expect(flashes).to_contain_text("举证期限")
    expect(flashes).to_contain_text(last_day)
    expect(flashes).to_contain_text("cut it short")
    expect(state(page)).to_have_text("Evidence and fact-finding")
    assert case_state(live_app, case_id) == before

    # both parties waive the rest of the period, each on the record with the day
    for name in (REQUESTER, RESPONDENT):
        form = step_form(page, "waive_period")
        party = form.locator("select[name=party] option", has_text=name).get_attribute("value")
        take(page, case_id, "waive_period", {"party": party, "period": str(period_id)})
    assert evidence_period(live_app, case_id)[2] == DeadlineState.cancelled.value
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(f"Party waiving: {REQUESTER}")
    expect(timeline).to_contain_text(f"Party waiving: {RESPONDENT}")

    take(page, case_id, "deliberate")
    expect(state(page)).to_have_text("Panel deliberation")
    take(page, case_id, "submit_for_closing", {"votes_for": "3", "votes_against": "0"})
    expect(state(page)).to_have_text("Awaiting closing approval")
    expect(step_form(page, "approve_decision")).to_have_count(0)  # the director decides
    log_out(page)

    log_in(page, "director")
    page.goto(f"/cases/{case_id}")
    form = step_form(page, "approve_decision")
    expect(form.locator("[name=amount]")).to_have_count(0)  # no damages in an adjudication ([PL]65)
    take(page, case_id, "approve_decision", {"outcome": "infringement_found", "orders": "stop_selling"})
    expect(state(page)).to_have_text("Closed by decision")
    # the decision's follow-up: served directly, the parties' windows to sue run; no demand yet
    take(page, case_id, "serve_decision", {"method": "direct"})
    # [85]80: no demand for performance while the windows to sue run
    expect(step_form(page, "serve_performance_demand")).to_have_count(0)
    assert case_state(live_app, case_id)[0] == "closed_decided"
    assert page_problems.all() == []
