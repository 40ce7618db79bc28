"""An examiner issues a hearing notice for two cases at once and follows the batch to the end
(issue 15): the page's script polls the batch's progress and shows the result when the queue is
done (real browser, live server, CSRF on and the app's CSP)."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.cases.models import Case
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.documents import operations as ops
from ipcase.documents.models import DocumentBatch
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in_in_english

pytestmark = pytest.mark.browser

HEARING = {"hearing_at": "2027-03-01T09:30", "place": "第一审理庭", "is_online": False, "is_public": True, "bring": ""}


@pytest.fixture(scope="module")
def batch_cases(live_app: Flask) -> list[int]:
    """Two adjudication cases in the evidence stage: a hearing notice is called for."""
    with live_app.app_context():
        users = factories.base_users()
        ids = []
        for i in range(2):
            digits = f"20191{770 + i:07d}"  # a patent of their own: other journeys search by theirs
            case = factories.create_case(
                actor=users["examiner"],
                requester=f"成都批量甲{i}科技有限公司",
                patent=f"ZL{digits}.{patent_check_char(digits)}",
            )
            case.state = "evidence"
            db.session.flush()
            ids.append(case.id)
        db.session.commit()
        db.session.remove()
    return ids


def test_examiner_issues_a_batch_and_sees_it_complete(
    page: Page, live_app: Flask, batch_cases: list[int], page_problems: Problems
) -> None:
    log_in_in_english(page, "examiner")
    page.goto("/documents/batch/hearing_notice")
    choices = page.locator("[name='batch-cases']")
    if choices.first.evaluate("el => el.tagName") == "SELECT":
        choices.select_option([str(i) for i in batch_cases])
    else:
        for case_id in batch_cases:
            page.locator(f"[name='batch-cases'][value='{case_id}']").check()
    page.locator("[name='parts-hearing_at']").fill(HEARING["hearing_at"])
    page.locator("[name='parts-place']").fill(HEARING["place"])
    page.get_by_role("button", name="Issue the documents").click()
    # the tests' queue runs inline: the batch is complete when the progress page opens
    expect(page).to_have_url(re.compile(r"/documents/batches/\d+$"))
    expect(page.locator("h1")).to_contain_text("Documents issued")
    expect(page.locator("#batch-bar")).to_have_attribute("value", "2")
    expect(page.get_by_role("link", name="Download all as one PDF")).to_be_visible()
    assert page_problems.all() == []


def test_the_progress_page_follows_a_queued_batch(
    page: Page, live_app: Flask, batch_cases: list[int], page_problems: Problems
) -> None:
    with live_app.test_request_context():
        cases = db.session.scalars(sa.select(Case).where(Case.id.in_(batch_cases)).order_by(Case.id)).all()
        batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=None)
        db.session.commit()
        batch_id = batch.id
        db.session.remove()
    log_in_in_english(page, "examiner")
    page.goto(f"/documents/batches/{batch_id}")
    expect(page.locator("h1")).to_contain_text("Issuing the documents")
    expect(page.locator("#batch-bar")).to_have_attribute("value", "0")
    expect(page.locator("#batch-state")).to_contain_text("In progress")
    # the workers do the batch now (inline here); the page's script notices and shows the result
    with live_app.test_request_context():
        ops.start_batch(db.session.get(DocumentBatch, batch_id))
        db.session.remove()
    expect(page.locator("h1")).to_contain_text("Documents issued")
    expect(page.get_by_role("link", name="Download all as one PDF")).to_be_visible()
    assert page.locator("table.compact tbody tr").count() == 2
    assert page_problems.all() == []
