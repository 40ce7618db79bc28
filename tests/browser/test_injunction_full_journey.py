"""An administrative injunction from the examiner's intake to its lifting, in a real browser:
the intake form with the urgency facts, measures and bond, the urgent review, the director's
grant for 90 days, the decision issued from the grant (outcome, measures and expiry day
read-only, the grant's reasons to complete; the printed validity is the grant's 90 days to its
expiry day, not "until the dispute ends"), service, and the director's lifting with its
decision. Every step is one the "Next steps" panel offers and the server accepts."""

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.core import clock
from ipcase.core.identifiers import patent_check_char
from ipcase.documents.chinese import chinese_date
from tests.browser.conftest import Problems
from tests.browser.helpers import (
    fill_parties_and_patent,
    fill_select,
    log_in,
    log_in_in_english,
    log_out,
    open_document,
    press,
    step_form,
    submit_intake,
    take,
)
from tests.browser.test_mediation_full_journey import state_of

pytestmark = pytest.mark.browser

DIGITS = "201920004201"
PATENT = f"ZL{DIGITS}.{patent_check_char(DIGITS)}"
REQUESTER = "成都禁令全程甲科技有限公司"
RESPONDENT = "成都禁令全程乙贸易有限公司"
MEASURES = "责令被申请人撤下展台上的侵权折叠椅"
GRANT_REASONS = "申请人已提供银行保函，展会明日闭幕，情况紧急。"


def open_injunction(page: Page) -> int:
    page.goto("/cases/new?channel=injunction")
    fill_select(page, "channel", "injunction")
    fill_select(page, "source", "walk_in")
    page.locator("input[name=title]").fill("“一种折叠椅”实用新型专利行政禁令申请")
    page.locator("textarea[name=summary]").fill("申请人称被申请人在展会上展出侵权折叠椅，申请行政禁令。")
    page.locator("textarea[name=urgency_facts]").fill("展会明日闭幕，被申请人将继续展出并接受订单")
    page.locator("textarea[name=requested_measures]").fill(MEASURES)
    page.locator("input[name=bond_amount]").fill("50000")
    page.locator("input[name=bond_form]").fill("银行保函")
    fill_parties_and_patent(
        page,
        requester=REQUESTER,
        respondent=RESPONDENT,
        patent=PATENT,
        patent_title="一种折叠椅",
        addresses=("成都市高新区天府大道300号", "成都市金牛区一环路北段10号"),
    )
    return submit_intake(page)


def test_injunction_from_intake_to_lifting(page: Page, live_app: Flask, page_problems: Problems) -> None:
    log_in_in_english(page, "examiner")
    case_id = open_injunction(page)
    expect(page.locator(".headstate .state")).to_have_text("Application received")
    take(page, case_id, "start_review")
    expect(step_form(page, "grant")).to_have_count(0)  # a director decides
    log_out(page)

    log_in(page, "director")
    page.goto(f"/cases/{case_id}")
    take(page, case_id, "grant", {"measures": MEASURES, "duration_days": "90"}, reason=GRANT_REASONS)
    expect(page.locator(".headstate .state")).to_have_text("Injunction granted")
    expires_on = clock.today() + timedelta(days=90)

    # the decision writes down the grant
    open_document(page, case_id, "injunction_decision")
    form = page.locator("form.docform")
    expect(form.locator("select[name=outcome] option")).to_have_count(1)
    expect(form.locator("input[name=valid_until]")).to_have_value(expires_on.isoformat())
    expect(form.locator("input[name=valid_until]")).to_have_attribute("readonly", "")
    expect(form.locator("textarea[name=measures]")).to_have_value(MEASURES)
    expect(form.locator("textarea[name=reasons]")).to_have_value(GRANT_REASONS)
    form.locator("textarea[name=reasons]").fill(GRANT_REASONS + "\n被申请人的展出行为可能造成难以弥补的损害。")
    press(page, "Preview")
    preview = page.locator(".gw-preview")
    expect(preview).to_contain_text(
        f"有效期九十日，自{chinese_date(clock.today() + timedelta(days=1))}起至{chinese_date(expires_on)}止"
    )
    expect(preview).not_to_contain_text("处理终结")
    expect(preview).to_contain_text(f"一、{MEASURES}")
    expect(preview).to_contain_text("被申请人的展出行为可能造成难以弥补的损害。")
    press(page, "Issue")
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}#documents$"))
    expect(page.locator(".flashes")).to_contain_text("issued as")
    log_out(page)

    log_in(page, "examiner")
    page.goto(f"/cases/{case_id}")
    take(page, case_id, "serve")
    expect(page.locator(".headstate .state")).to_have_text("Injunction served and in force")
    expect(step_form(page, "expire")).to_have_count(0)  # 90 days to run
    log_out(page)

    log_in(page, "director")
    page.goto(f"/cases/{case_id}")
    take(page, case_id, "lift", {"ground": "main_case_decided"}, reason="主案已作出行政裁决，禁令无须继续维持。")
    expect(page.locator(".headstate .state")).to_have_text("Lifted")
    open_document(page, case_id, "lifting_decision")
    press(page, "Issue")
    expect(page.locator(".flashes")).to_contain_text("issued as")
    expect(page.locator("section#actions")).to_have_count(0)

    state, closed, kinds = state_of(live_app, case_id)
    assert (state, closed) == ("lifted", True)
    assert kinds == ["injunction_decision", "lifting_decision"]
    assert page_problems.all() == []
