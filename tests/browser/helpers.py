"""Steps the browser journeys share: logging in and out through the real forms."""

import re

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
