"""An examiner prepares, previews and issues a docketing notice from the case page, downloads
the PDF, and anyone can verify it on the public page (real browser, live server, CSRF on)."""

import hashlib
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.cases.enums import AssignmentRole
from ipcase.cases.operations import assign_staff
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.documents.models import IssuedDocument
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in_in_english, log_out

pytestmark = pytest.mark.browser

NOTE = "请于立案后按时参加口头审理。"


@pytest.fixture(scope="module")
def docs_case(live_app: Flask) -> int:
    """A fresh adjudication case with a valid panel: the docket step (and its notice) is open."""
    with live_app.app_context():
        users = factories.base_users()
        digits = "201920003101"
        case = factories.create_case(
            actor=users["examiner"],
            requester="成都文书甲科技有限公司",
            respondent="成都文书乙贸易有限公司",
            patent=f"ZL{digits}.{patent_check_char(digits)}",
        )
        director = users["director"]
        assign_staff(case, director, AssignmentRole.panel_leader, actor=director)
        assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=director)
        assign_staff(case, users["examiner3"], AssignmentRole.panel_member, actor=director)
        db.session.commit()
        case_id = case.id
        db.session.remove()
    return case_id


def test_examiner_issues_a_docketing_notice_and_downloads_it(
    page: Page, live_app: Flask, docs_case: int, page_problems: Problems
) -> None:
    log_in_in_english(page, "examiner")
    page.goto(f"/cases/{docs_case}")
    panel = page.locator("#documents")
    expect(panel).to_contain_text("Docketing notice")
    panel.locator(f"a[href='/cases/{docs_case}/documents/docketing_notice']").click()
    expect(page.locator("h1")).to_contain_text("Docketing notice")

    form = page.locator("form.docform")
    form.locator("textarea[name=note]").fill(NOTE)
    form.get_by_role("button", name="Preview").click()
    preview = page.locator(".gw-preview")
    expect(preview).to_contain_text("受理通知书")
    expect(preview).to_contain_text("成都文书甲科技有限公司")
    expect(preview).to_contain_text(NOTE)
    expect(preview).to_contain_text("（文号待定）")

    page.locator("form.docform").get_by_role("button", name="Issue").click()
    expect(page).to_have_url(re.compile(rf"/cases/{docs_case}#documents$"))
    expect(page.locator(".flashes")).to_contain_text("issued as")
    with live_app.app_context():
        doc = db.session.scalars(sa.select(IssuedDocument).where(IssuedDocument.case_id == docs_case)).one()
        number, digest, code = doc.number, doc.sha256, doc.verification_code
        db.session.remove()
    link = page.locator("#documents").get_by_role("link", name=number)
    expect(link).to_be_visible()

    with page.expect_download() as info:
        link.click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == digest
    log_out(page)

    # the public verification page, without logging in
    page.goto("/verify")
    page.locator("input[name=number]").fill(number)
    page.locator("input[name=code]").fill(code)
    page.locator("main form").get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict")).to_contain_text("Authentic issued document")
    expect(page.locator(".verdict")).to_contain_text(number)
    assert page_problems.all() == []
