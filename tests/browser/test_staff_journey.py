"""The foundation's main journey, as a member of staff does it in a real browser.

Fields are found by their WTForms names (``requester-name``, ``right-number``) and pages by their
URLs, because the visible text is Chinese by default and comes from the translation catalog.
Where text matters, the expected string is taken from the live app's own catalog.
"""

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext
from playwright.sync_api import Locator, Page, expect

from ipcase.cases.models import Case
from ipcase.cases.validation import patent_number_error
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.identifiers import InvalidIdentifier
from ipcase.core.numbering import Counter
from tests import factories
from tests.browser.conftest import Problems, Seeded

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/ipcase-shots")  # noqa: S108  (a fixed place for people to look at the journey)
PATENT_TYPED = "2017 1 0601862.3"  # as a clerk copies it from the certificate
PATENT_CANONICAL = "ZL201710601862.3"
CDIP_NAME = "成都市知识产权局"
NAV_MSGIDS = [
    "Cases",
    "My open cases",
    "Open a case",
    "Credit records",
    "Expert pools",
    "My deadlines",
    "Deadline calculator",
]

#: Found by this journey (and by tests/cases/test_case_views.py): no case can be opened on the web.

# -- helpers ----------------------------------------------------------------------------------


def log_in(page: Page, username: str = "examiner") -> None:
    """Go to the site, get sent to the login page, and log in through the form."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login(\?|$)"))
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(factories.PASSWORD)
    form.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))


def main_nav(page: Page) -> Locator:
    return page.locator("header").get_by_role("navigation")


def fill_intake(page: Page, *, respondent: str, patent: str) -> None:
    """Fill the intake form for an adjudication case: two legal persons and one patent."""
    # the examiner opens several channels: choose one, then the form asks for that channel only
    page.locator("#choose-channel a[href$='channel=adjudication']").click()
    expect(page.locator("select[name=channel]")).to_have_value("adjudication")
    page.locator("select[name=organisation_id]").select_option(label=CDIP_NAME)
    page.locator("select[name=source]").select_option("walk_in")
    page.locator("select[name=jurisdiction_basis]").select_option("place_of_infringement")
    expect(page.locator("input[name=received_at]")).not_to_have_value("")  # today, filled in by the server
    page.locator("input[name=title]").fill("“一种折叠椅”发明专利侵权纠纷")
    page.locator("textarea[name=summary]").fill("请求人称被请求人在西部博览城展会上许诺销售侵权折叠椅。")
    # The adjudication fields are the ones the page shows for this channel.
    expect(page.locator("textarea[name=requests]")).to_be_visible()
    expect(page.locator("textarea[name=urgency_facts]")).to_be_hidden()
    page.locator("textarea[name=requests]").fill("1. 责令被请求人停止许诺销售侵权产品。")
    page.locator("input[name=accused_product]").fill("折叠椅 A-1")

    page.locator("select[name=requester-kind]").select_option("legal_person")
    page.locator("input[name=requester-name]").fill("成都椅乐科技有限公司")
    page.locator("input[name=requester-legal_rep_name]").fill("张三")
    page.locator("input[name=requester-legal_rep_title]").fill("执行董事")
    page.locator("input[name=requester-address]").fill("成都市高新区天府大道100号")

    page.locator("select[name=respondent-kind]").select_option("legal_person")
    page.locator("input[name=respondent-name]").fill(respondent)
    page.locator("input[name=respondent-legal_rep_name]").fill("李四")
    page.locator("input[name=respondent-address]").fill("成都市金牛区一环路北段8号")

    page.locator("select[name=right-right_type]").select_option("patent")
    page.locator("input[name=right-number]").fill(patent)
    page.locator("input[name=right-title]").fill("一种折叠椅")
    page.locator("input[name=right-holder]").fill("成都椅乐科技有限公司")


def submit_intake(page: Page) -> Any:
    """Press "Open the case"; returns the server's response to the POST."""
    with page.expect_response(lambda r: r.request.method == "POST" and urlsplit(r.url).path == "/cases/new") as info:
        page.locator("#open-case").get_by_role("button").click()
    return info.value


def search(page: Page, q: str) -> Locator:
    """Search the case list as typed into its search box; returns the result rows."""
    box = page.get_by_role("search")
    box.locator("input[name=q]").fill(q)
    box.get_by_role("button").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == [q])
    return page.locator("table tbody tr")


def adjudication_counter(app: Flask, year: int) -> int:
    """The last adjudication sequence number the examiner's office handed out in ``year``."""
    with app.app_context():
        value = db.session.scalar(
            sa.select(Counter.value).where(
                Counter.organisation_id == factories.org("cdip").id,
                Counter.kind == "case:adjudication",
                Counter.year == year,
            )
        )
        db.session.remove()
    return value or 0


def case_count(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
        db.session.remove()
    return count


def catalog_text(app: Flask, message: Any) -> str:
    """``message`` as the live app shows it by default (zh_CN), from whatever catalog it has."""
    with app.test_request_context():
        return str(message() if callable(message) else gettext(message))


@pytest.fixture
def shots(backend: str) -> Any:
    """``shots(page, "case-page")`` saves /tmp/ipcase-shots/case-page-<backend>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return lambda page, name: page.screenshot(path=str(SHOTS / f"{name}-{backend}.png"), full_page=True)


# -- tests ------------------------------------------------------------------------------------


def test_examiner_opens_a_case_and_finds_it_again(
    page: Page, live_app: Flask, page_problems: Problems, shots: Any
) -> None:
    respondent = "四川蜀椅家具有限公司"
    year = clock.to_local(clock.now()).year
    expected_number = f"成知裁字〔{year}〕{adjudication_counter(live_app, year) + 1}号"

    log_in(page)
    main_nav(page).locator("a[href='/cases/new']").click()
    expect(page).to_have_url(re.compile(r"/cases/new$"))

    fill_intake(page, respondent=respondent, patent=PATENT_TYPED)
    response = submit_intake(page)
    assert response.status == 302, f"intake answered {response.status}"
    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    case_url = page.url

    # The case page: its new number, the flash saying so, the canonical patent number, both parties.
    assert re.fullmatch(rf"成知裁字〔{year}〕\d+号", expected_number)
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_number)
    expect(page.get_by_role("status")).to_contain_text(expected_number)
    expect(page.locator("#rights").get_by_role("heading", level=3)).to_contain_text(PATENT_CANONICAL)
    expect(page.locator("#rights")).not_to_contain_text(PATENT_TYPED)
    parties = page.locator("#parties")
    expect(parties).to_contain_text("成都椅乐科技有限公司")
    expect(parties).to_contain_text(respondent)
    expect(parties).to_contain_text("李四")
    expect(page.locator("#staff")).to_contain_text("Examiner")  # the one who opened it handles it
    shots(page, "case-page")

    # Back to the list; find the case by the respondent's name, then by the patent number.
    main_nav(page).locator("a[href='/cases/']").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_role("link", name=expected_number)).to_be_visible()
    expect(page.locator("table tbody tr")).not_to_have_count(1)  # the seeded cases are listed too

    rows = search(page, respondent)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_text(expected_number)

    rows = search(page, "四川蜀椅")  # part of the name
    expect(rows).to_have_count(1)

    rows = search(page, PATENT_TYPED)  # any spelling of the number finds the canonical one
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(respondent)
    shots(page, "case-list")

    rows.first.get_by_role("link", name=expected_number).click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(expected_number)
    assert page_problems.all() == []


def test_invalid_patent_number_is_refused_on_the_form(page: Page, live_app: Flask, page_problems: Problems) -> None:
    respondent = "成都错号家具有限公司"
    wrong = "2017 1 0601862.4"  # the check digit should be 3
    year = clock.to_local(clock.now()).year
    cases_before, counter_before = case_count(live_app), adjudication_counter(live_app, year)

    log_in(page)
    page.goto("/cases/new")
    fill_intake(page, respondent=respondent, patent=wrong)
    response = submit_intake(page)
    assert response.status == 422

    # Still on the form, everything typed kept, the error beside the patent number.
    expect(page).to_have_url(re.compile(r"/cases/new\?channel=adjudication$"))
    number = page.locator("input[name=right-number]")
    expect(number).to_have_value(wrong)
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=respondent-name]")).to_have_value(respondent)
    expected = catalog_text(live_app, lambda: patent_number_error(InvalidIdentifier("check", "3")))
    error = page.locator(".field", has=number).get_by_role("alert")
    expect(error).to_have_text(expected)
    expect(page.locator("#open-case > [role=alert]")).to_be_visible()  # the summary above the form

    # Nothing was created, and no case number was used up.
    assert case_count(live_app) == cases_before
    assert adjudication_counter(live_app, year) == counter_before
    page.goto("/cases/")
    expect(search(page, respondent)).to_have_count(0)
    assert page_problems.all() == []


def test_language_switch_to_english_persists(
    page: Page, live_app: Flask, seeded: Seeded, page_problems: Problems
) -> None:
    default_nav = [catalog_text(live_app, m) for m in NAV_MSGIDS]
    assert default_nav != NAV_MSGIDS, "the zh_CN catalog is not compiled: pybabel compile -d ipcase/translations"

    log_in(page)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(main_nav(page).get_by_role("link")).to_have_text(default_nav)

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/cases/$"))  # back where the switch was pressed
    expect(main_nav(page).get_by_role("link")).to_have_text(NAV_MSGIDS)

    # It sticks: the next pages are in English too.
    main_nav(page).get_by_role("link", name="Open a case").click()
    expect(page).to_have_url(re.compile(r"/cases/new$"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")

    page.goto(f"/cases/{seeded.case_id}")
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("#h-details")).to_have_text("Details")

    # Even across logging out: the login page stays in English.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login(\?|$)"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")

    # And back to Chinese.
    page.get_by_role("button", name="中文").click()
    expect(html).to_have_attribute("lang", "zh-CN")
    assert page_problems.all() == []
