"""Steps the browser journeys share: logging in and out through the real forms, filling the intake
form's parties and right, taking a step from the "Next steps" panel, opening a document form."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from tests import factories


def log_in(page: Page, username: str) -> None:
    """Log in through the login form (in whatever language the session has chosen)."""
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(factories.PASSWORD)
    form.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/cases/$"))


def log_in_in_english(page: Page, username: str) -> None:
    """Switch the session to English with the header button, then log in."""
    page.goto("/login")
    page.locator("header").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    log_in(page, username)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login(\?|$)"))


def step_form(page: Page, action: str) -> Locator:
    """The case page's form for a workflow step, opened (each step folds away until chosen)."""
    form = page.locator(f'#actions form.action-form[action$="/actions/{action}"]')
    if form.count() == 0:
        return form  # not offered: callers check that with to_have_count(0)
    if form.locator("details.step").get_attribute("open") is None:
        form.locator("summary").click()
    expect(form.locator("button[type=submit]")).to_be_visible()
    return form


def fill_select(page: Page, name: str, value: str) -> None:
    """Choose ``value`` in a select the form shows (intake forms leave out other channels' fields)."""
    field = page.locator(f"select[name={name}]")
    if field.count() and field.is_visible():
        field.select_option(value)


def fill_parties_and_patent(
    page: Page,
    *,
    requester: str,
    respondent: str,
    patent: str,
    patent_title: str,
    addresses: tuple[str, str] = ("", ""),
) -> None:
    """The intake form's requester and respondent (companies) and the patent the requester holds."""
    for prefix, name, legal_rep, address in (
        ("requester", requester, "张三", addresses[0]),
        ("respondent", respondent, "李四", addresses[1]),
    ):
        page.locator(f"select[name={prefix}-kind]").select_option("legal_person")
        page.locator(f"input[name={prefix}-name]").fill(name)
        page.locator(f"input[name={prefix}-legal_rep_name]").fill(legal_rep)
        if address:
            page.locator(f"input[name={prefix}-address]").fill(address)
    page.locator("select[name=right-right_type]").select_option("patent")
    page.locator("input[name=right-number]").fill(patent)
    page.locator("input[name=right-title]").fill(patent_title)
    page.locator("input[name=right-holder]").fill(requester)


def submit_intake(page: Page) -> int:
    """Send the intake form; it must answer with a redirect to the new case, whose id is returned."""
    with page.expect_response(lambda r: r.request.method == "POST" and urlsplit(r.url).path == "/cases/new") as info:
        page.locator("main form").filter(has=page.locator("input[name=title]")).locator(
            "button[type=submit]"
        ).last.click()
    if info.value.status != 302:
        errors = page.locator(".errors, .field-error, .form-errors, [role=alert]").all_inner_texts()
        raise AssertionError(f"intake answered {info.value.status}: {errors}")
    match = re.search(r"/cases/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def take(page: Page, case_id: int, action: str, fields: dict[str, object] | None = None, reason: str = "") -> None:
    """Take a step the panel offers, through its form; the server redirects back to the case."""
    form = step_form(page, action)
    expect(form).to_have_count(1)
    for name, value in (fields or {}).items():
        field = form.locator(f'[name="{name}"]')
        if value is True:
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    path = f"/cases/{case_id}/actions/{action}"
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(path)) as info:
        form.locator("button[type=submit]").click()
    assert info.value.status == 302, f"{action} answered {info.value.status}"
    expect(page.get_by_role("status")).to_contain_text("Done:")


def open_document(page: Page, case_id: int, kind: str) -> None:
    """Open the form of a document the case's steps call for, from the case page's documents panel."""
    page.goto(f"/cases/{case_id}")
    page.locator("#documents").locator(f"a[href='/cases/{case_id}/documents/{kind}']").first.click()
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}/documents/{kind}$"))


def press(page: Page, name: str) -> None:
    """Press a button of the document form (Preview, Issue)."""
    page.locator("form.docform").get_by_role("button", name=name).click()
