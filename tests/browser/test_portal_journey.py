"""The public portal in a real browser: a rights holder files an adjudication request online
with evidence, an examiner dockets it through the staff pages, issues the docketing notice and
records its service on the requester, then serves the request; the filer's status page shows the
new state and the respondent's defence deadline with its article, and the notice to download.

The journey runs on the live server of ``conftest.py`` (its own database per backend, CSRF
on), so every form is submitted with its real token and every page is checked for server
errors, JavaScript errors and CSP violations (no inline script or style may run)."""

import hashlib
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Case
from ipcase.cases.operations import assign_staff
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.documents.models import IssuedDocument
from tests import factories
from tests.browser.conftest import TIMEOUT_MS, Problems
from tests.browser.helpers import log_in_in_english, step_form

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
REQUESTER = "成都网上立案科技有限公司"
RESPONDENT = "四川网上被请求贸易有限公司"


def _patent() -> str:
    digits = "201920004001"
    return f"ZL{digits}.{patent_check_char(digits)}"


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f'[name="{name}"]').fill(value)


def save_and_continue(page: Page, next_path: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def file_request(page: Page, tmp_path: Path) -> tuple[str, str]:
    """Walk the filing steps as a member of the public would; returns (reference, code)."""
    page.goto("/portal/")
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    page.get_by_role("link", name="Patent infringement adjudication").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("administrative adjudication")
    page.locator("select[name=organisation_id]").select_option(label="cdip")
    save_and_continue(page, "/portal/file/adjudication/requester")

    page.locator("select[name=requester-kind]").select_option("legal_person")
    fill(
        page,
        {
            "requester-name": REQUESTER,
            "requester-legal_rep_name": "张三",
            "requester-address": "成都市高新区天府大道100号",
            "requester-phone": "028-12345678",
            "agent1-name": "李律师",
            "agent1-firm": "四川某律师事务所",
        },
    )
    save_and_continue(page, "/portal/file/adjudication/respondent")

    page.locator("select[name=respondent-kind]").select_option("legal_person")
    fill(
        page,
        {
            "respondent-name": RESPONDENT,
            "respondent-legal_rep_name": "王五",
            "respondent-address": "成都市武侯区某路1号",
        },
    )
    save_and_continue(page, "/portal/file/adjudication/right")

    # a mistyped check digit is caught at this step, with the reason
    fill(page, {"right-number": _patent()[:-1] + ("0" if _patent()[-1] != "0" else "1")})
    fill(page, {"right-title": "一种折叠椅", "right-holder": REQUESTER})
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".has-error .error").first).to_contain_text("check digit")
    fill(page, {"right-number": _patent()})
    save_and_continue(page, "/portal/file/adjudication/request")

    fill(
        page,
        {
            "requests": "责令被请求人停止销售侵权折叠椅",
            "facts": "被请求人在其门店销售的折叠椅落入专利权利要求1的保护范围。",
            "accused_product": "折叠椅 B-2",
        },
    )
    save_and_continue(page, "/portal/file/adjudication/evidence")

    fill(page, {"rows-0-title": "专利证书", "rows-0-purpose": "请求人是专利权人", "rows-0-pages": "2"})
    save_and_continue(page, "/portal/file/adjudication/review")

    # the review lists what was entered; the evidence file is attached here
    review = page.locator("main")
    for fragment in (REQUESTER, RESPONDENT, "李律师", "折叠椅 B-2", "专利证书"):
        expect(review).to_contain_text(fragment)
    evidence = tmp_path / "专利证书.pdf"
    evidence.write_bytes(PDF)
    page.locator("input[name=file-0]").set_input_files(str(evidence))
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Send the filing").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your filing has been received")
    reference = page.locator("#case-reference").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    return reference, code


def seat_panel(app: Flask, reference: str) -> int:
    """The collegial panel the case needs before docketing ([85]20), as the head would assign it."""
    with app.app_context():
        case = db.session.scalars(sa.select(Case).where(Case.number == reference)).one()
        users = factories.base_users()
        director = users["director"]
        assign_staff(case, director, AssignmentRole.panel_leader, actor=director)
        assign_staff(case, users["examiner2"], AssignmentRole.panel_member, actor=director)
        assign_staff(case, users["examiner3"], AssignmentRole.panel_member, actor=director)
        case_id = case.id
        db.session.commit()
        db.session.remove()
    return case_id


def take_step(page: Page, case_id: int, action: str, label: str) -> None:
    form = step_form(page, action)
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("status")).to_have_text(f"Done: {label}.")


def issue_and_serve_docketing_notice(examiner: Page) -> None:
    """The examiner issues the docketing notice the step calls for, and records its service on
    the requester (the documents feature's panel on the case page)."""
    wanted = examiner.locator("#documents li").filter(has_text="Docketing notice")
    wanted.get_by_role("link", name="Prepare").click()
    expect(examiner.get_by_role("heading", level=1)).to_have_text("Docketing notice (受理通知书)")
    examiner.get_by_role("button", name="Issue").click()
    expect(examiner.get_by_role("status")).to_contain_text("issued as")
    served = examiner.locator("#documents details").filter(has_text="受理通知书")
    served.locator("summary").click()
    served.locator("select[name=service-recipient]").select_option(label=f"{REQUESTER} (Requester)")
    served.locator("select[name=service-method]").select_option("direct")
    served.locator("input[name=service-served_on]").fill(clock.today().isoformat())
    served.get_by_role("button", name="Record the service").click()
    expect(examiner.get_by_role("status").first).to_contain_text("Service recorded.")


def test_file_online_docket_and_follow_the_case(
    page: Page, browser: Browser, live_server: str, live_app: Flask, page_problems: Problems, tmp_path: Path
) -> None:
    reference, code = file_request(page, tmp_path)

    # straight to the case page: received, the office examines it within 5 working days ([85]20)
    page.get_by_role("link", name="Go to my case").click()
    expect(page.locator("#public-state")).to_have_text("Request received: being checked")
    expect(page.locator("#next-steps")).to_contain_text("The office decides whether to docket the request")
    expect(page.locator("#next-steps")).to_contain_text("第二十条")

    # the filing is in the examiner's intake queue; the examiner dockets it and serves it
    case_id = seat_panel(live_app, reference)
    staff = browser.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    staff.set_default_timeout(TIMEOUT_MS)
    examiner = staff.new_page()
    examiner.on("response", page_problems.on_response)
    examiner.on("console", page_problems.on_console)
    try:
        log_in_in_english(examiner, "examiner")
        examiner.goto("/cases/?state=received&channel=adjudication")
        examiner.get_by_role("link", name=reference).click()
        expect(examiner).to_have_url(re.compile(rf"/cases/{case_id}$"))
        expect(examiner.locator("main")).to_contain_text("Filed online")
        take_step(examiner, case_id, "docket", "Docket the case (立案)")
        issue_and_serve_docketing_notice(examiner)
        take_step(examiner, case_id, "serve", "Serve the request on the respondent")
    finally:
        staff.close()

    # the filer's page shows the new state, who has the case, and the defence deadline
    page.reload()
    expect(page.locator("#public-state")).to_have_text("The respondent has been sent the request and may answer")
    expect(page.locator("#holder")).to_contain_text("The respondent")
    steps = page.locator("#next-steps")
    expect(steps).to_contain_text("The respondent files its defence")
    expect(steps).to_contain_text("第二十二条")
    expect(steps).to_contain_text(re.compile(r"by \d{4}-\d{2}-\d{2}"))
    expect(page.locator("#history")).to_contain_text("Accepted: the case is docketed (立案)")
    expect(page.locator("#own-evidence")).to_contain_text("专利证书")

    # the docketing notice served on the requester is there to download, as issued
    documents = page.locator("#documents")
    expect(documents).to_contain_text("受理通知书")
    with page.expect_download() as download:
        documents.get_by_role("link", name="受理通知书").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    with live_app.app_context():
        issued = db.session.scalars(
            sa.select(IssuedDocument).where(
                IssuedDocument.case_id == case_id, IssuedDocument.kind == "docketing_notice"
            )
        ).one()
        assert hashlib.sha256(content).hexdigest() == issued.sha256
        db.session.remove()

    # someone else's code gets the one uniform answer; the right one from a fresh browser works
    other = browser.new_context(base_url=live_server, locale="en-US")
    try:
        visitor = other.new_page()
        visitor.goto("/portal/status/access")
        visitor.locator("input[name=reference]").fill(reference)
        visitor.locator("input[name=code]").fill("AAAA-AAAA-AAAA-AAAA")
        visitor.locator("main form button[type=submit]").click()
        expect(visitor.locator(".form-errors")).to_be_visible()
        visitor.locator("input[name=code]").fill(code.lower())
        visitor.locator("main form button[type=submit]").click()
        expect(visitor.locator("#public-state")).to_be_visible()
    finally:
        other.close()

    assert page_problems.all() == []
