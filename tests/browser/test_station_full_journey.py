"""A workstation complaint in a real browser, from the station officer's on-site registration
(the intake goes straight to the workstation form: the only channel the officer opens) through
the "Next steps" panel: forwarding to the office, notifying the respondent, the response, then
either on-site measures after an admission and closing as resolved, or — after a denial within
the 24 hours, when the panel does not offer measures ([EXPO-G]14) — referral for adjudication.
Every step is one the panel offers and the server accepts."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.credit.models import CreditEvent
from tests.browser.conftest import Problems
from tests.browser.helpers import (
    fill_parties_and_patent,
    fill_select,
    log_in_in_english,
    step_form,
    submit_intake,
    take,
)

pytestmark = pytest.mark.browser

DIGITS = "201920005301"
PATENT = f"ZL{DIGITS}.{patent_check_char(DIGITS)}"
REQUESTER = "成都展会全程甲科技有限公司"


def register_on_site(page: Page, respondent: str) -> int:
    page.locator("header").get_by_role("navigation").get_by_role("link", name="Open a case").click()
    expect(page).to_have_url(re.compile(r"/cases/new\?channel=station$"))  # the officer's only channel
    expect(page.locator("select[name=channel] option")).to_have_count(1)
    expect(page.locator("textarea[name=requests]")).to_have_count(0)  # no other channel's fields
    expect(page.locator("select[name=mediation_type]")).to_have_count(0)
    fill_select(page, "source", "exhibition")
    page.locator("input[name=title]").fill("展会参展商品涉嫌侵犯“一种折叠椅”实用新型专利权投诉")
    page.locator("textarea[name=summary]").fill("投诉人称被投诉人在展位上展出侵权折叠椅。")
    page.locator("input[name=booth]").fill("5号馆 5C-208")
    fill_parties_and_patent(page, requester=REQUESTER, respondent=respondent, patent=PATENT, patent_title="一种折叠椅")
    return submit_intake(page)


def state_of(app: Flask, case_id: int) -> tuple[str, bool, int, int]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        credit = db.session.scalar(
            sa.select(sa.func.count()).select_from(CreditEvent).where(CreditEvent.case_id == case_id)
        )
        linked = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.referred_from_id == case_id))
        result = (case.state, case.closed_at is not None, credit, linked)
        db.session.remove()
    return result


def forward_and_notify(page: Page, case_id: int) -> None:
    expect(page.locator(".headstate .state")).to_have_text("Complaint received")
    take(page, case_id, "forward")  # the parent office is chosen by default
    expect(page.locator(".headstate .state")).to_have_text("Forwarded to the office")
    take(page, case_id, "notify_respondent", {"method": "in_person", "received_by": "展位负责人李某"})
    expect(page.locator(".headstate .state")).to_have_text("Awaiting respondent's response")
    expect(step_form(page, "take_measures")).to_have_count(0)
    expect(step_form(page, "response_lapsed")).to_have_count(0)  # the 24 hours run


def test_admission_then_measures_then_resolved(page: Page, live_app: Flask, page_problems: Problems) -> None:
    log_in_in_english(page, "station")
    case_id = register_on_site(page, "成都展会全程乙家具有限公司")
    forward_and_notify(page, case_id)
    take(page, case_id, "receive_response", {"position": "admits", "summary": "被投诉人承认侵权，同意撤展。"})
    expect(page.locator("#onsite")).to_contain_text("Admits the infringement")
    take(
        page,
        case_id,
        "take_measures",
        {"measures": "withdraw_exhibits", "items": "5C-208展台折叠椅2把", "respondent_complied": True},
        reason="被投诉人承认侵权（《展会知识产权保护指引》第十四条）。",
    )
    expect(page.locator(".headstate .state")).to_have_text("On-site measures taken")
    expect(step_form(page, "record_ruling")).to_have_count(0)  # the office's finding, not the officer's
    take(page, case_id, "resolve")
    expect(page.locator(".headstate .state")).to_have_text("Resolved")
    expect(page.locator("section#actions")).to_have_count(0)
    assert state_of(live_app, case_id) == ("resolved", True, 0, 0)  # measures write no credit record
    assert page_problems.all() == []


def test_denial_in_time_then_referral(page: Page, live_app: Flask, page_problems: Problems) -> None:
    log_in_in_english(page, "station")
    case_id = register_on_site(page, "成都展会全程丙贸易有限公司")
    forward_and_notify(page, case_id)
    take(page, case_id, "receive_response", {"position": "denies", "summary": "被投诉人称其结构不同，提交了设计图。"})
    expect(page.locator(".headstate .state")).to_have_text("Response stage over: under review")
    expect(page.locator("#onsite")).to_contain_text("within the 24 hours")
    expect(step_form(page, "take_measures")).to_have_count(0)  # [EXPO-G]14: no measures after a timely denial
    take(page, case_id, "refer_to_adjudication")  # the parent office is chosen by default
    expect(page.locator(".headstate .state")).to_have_text("Referred to another channel")
    expect(page.locator("section#actions")).to_have_count(0)
    assert state_of(live_app, case_id) == ("referred", True, 0, 1)
    assert page_problems.all() == []
