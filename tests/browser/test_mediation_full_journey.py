"""A people's mediation at the linkage centre, from the mediator's intake to its close, in a real
browser: the intake form, every step through the case page's "Next steps" panel, the agreement
issued from the agreement step (its amount, payment date and terms read-only, the centre
speaking as 本中心 under the People's Mediation Law, the typed term numbers dropped), the joint
application for judicial confirmation naming the court the step named, and the ruling obtained
that closes the case. No step is taken that the rules refuse: each one is offered by the panel
and the server answers it with a redirect."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.cases.models import Case
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.documents.models import IssuedDocument
from tests.browser.conftest import Problems
from tests.browser.helpers import (
    fill_parties_and_patent,
    fill_select,
    log_in_in_english,
    open_document,
    press,
    submit_intake,
    take,
)

pytestmark = pytest.mark.browser

DIGITS = "201920004101"
PATENT = f"ZL{DIGITS}.{patent_check_char(DIGITS)}"
REQUESTER = "成都调解全程甲科技有限公司"
RESPONDENT = "成都调解全程乙灯饰有限公司"
COURT = "成都市中级人民法院"
TERMS = "一、被请求人停止销售涉案灯具\n2. 被请求人销毁库存"


def open_mediation(page: Page) -> int:
    """The intake form for a mediation: the centre, a people's mediation, two companies, one patent."""
    page.goto("/cases/new?channel=mediation")
    fill_select(page, "channel", "mediation")  # the one-form intake picks the channel here
    fill_select(page, "source", "walk_in")
    page.locator("input[name=title]").fill("“一种吊灯”实用新型专利侵权纠纷")
    page.locator("textarea[name=summary]").fill("请求人请求就被请求人销售涉嫌侵权吊灯一事进行人民调解。")
    page.locator("select[name=mediation_type]").select_option("peoples")
    fill_select(page, "subject", "interim_use")
    fill_parties_and_patent(
        page,
        requester=REQUESTER,
        respondent=RESPONDENT,
        patent=PATENT,
        patent_title="一种吊灯",
        addresses=("成都市高新区天府大道200号", "成都市金牛区一环路北段9号"),
    )
    return submit_intake(page)


def state_of(app: Flask, case_id: int) -> tuple[str, bool, list[str]]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        kinds = list(
            db.session.scalars(
                sa.select(IssuedDocument.kind).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id)
            )
        )
        result = (case.state, case.closed_at is not None, kinds)
        db.session.remove()
    return result


def test_peoples_mediation_from_intake_to_confirmation(page: Page, live_app: Flask, page_problems: Problems) -> None:
    log_in_in_english(page, "mediator")
    case_id = open_mediation(page)
    expect(page.locator(".headstate .state")).to_have_text("Request received")

    take(page, case_id, "serve_notice")
    take(page, case_id, "receive_statement")
    take(page, case_id, "docket")
    now = clock.to_local(clock.now()).strftime("%Y-%m-%dT%H:%M")
    take(
        page,
        case_id,
        "hold_session",
        {
            "held_at": now,
            "place": "调解室二",
            "requester_present": True,
            "respondent_present": True,
            "outcome": "progress",
        },
    )
    due = (clock.today() + timedelta(days=30)).isoformat()
    take(
        page,
        case_id,
        "reach_agreement",
        {"amount": "30000", "terms": TERMS, "due_on": due, "instalments": "3", "enforcement_undertaking": True},
    )
    expect(page.locator(".headstate .state")).to_have_text("Agreement reached")

    # the agreement: prefilled from the step, its recorded values read-only
    open_document(page, case_id, "mediation_agreement")
    form = page.locator("form.docform")
    expect(form.locator("input[name=amount]")).to_have_value("30000.00")
    expect(form.locator("input[name=amount]")).to_have_attribute("readonly", "")
    expect(form.locator("input[name=due_on]")).to_have_value(due)
    expect(form.locator("textarea[name=terms]")).to_have_attribute("readonly", "")
    press(page, "Preview")
    preview = page.locator(".gw-preview")
    expect(preview).to_contain_text("本中心")
    expect(preview).not_to_contain_text("本局")
    expect(preview).to_contain_text("《中华人民共和国人民调解法》第二十八条")
    expect(preview).not_to_contain_text("专利纠纷行政裁决和调解办法")
    expect(preview).to_contain_text("人民币30,000.00元，分三期支付")
    expect(preview.locator("ol.terms li")).to_have_text(
        [re.compile(r"^一、.*支付人民币30,000\.00元"), "二、被请求人停止销售涉案灯具", "三、被请求人销毁库存"]
    )
    press(page, "Issue")
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}#documents$"))
    expect(page.locator(".flashes")).to_contain_text("issued as")

    # the joint application for judicial confirmation, to the court the step named
    take(page, case_id, "apply_confirmation", {"court": COURT})
    open_document(page, case_id, "judicial_confirmation_application")
    form = page.locator("form.docform")
    expect(form.locator("input[name=body]")).to_have_value(COURT)
    expect(form.locator("input[name=body]")).to_have_attribute("readonly", "")
    press(page, "Preview")
    expect(page.locator(".gw-preview")).to_contain_text("《中华人民共和国人民调解法》第三十三条")
    press(page, "Issue")
    expect(page.locator(".flashes")).to_contain_text("issued as")

    take(page, case_id, "follow_up_completed", {"number": "（2026）川01民特88号"})
    expect(page.locator(".headstate .state")).to_have_text("Closed with agreement")
    expect(page.locator("section#actions")).to_have_count(0)

    state, closed, kinds = state_of(live_app, case_id)
    assert (state, closed) == ("closed_agreed", True)
    assert kinds == ["mediation_agreement", "judicial_confirmation_application"]
    assert page_problems.all() == []
