"""The recusal check in a real browser: a director assigns a technical investigator whose pool
profile declares a former employment with the requester, reads the warning, confirms it, and
finds the assignment and the warning on the case's timeline.

The case and the declaration are seeded here, through the real operations, straight into the
live server's database; the requester's name is used by no other browser test, so the
declaration warns on this case only. The browser works in English so the texts can be read."""

import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Assignment, TimelineEntry
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.pools import operations as pools
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in_in_english

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/ipcase-shots")  # noqa: S108  (a fixed place for people to look at the journey)

REQUESTER = "成都椅乐家具有限公司"
WARNING = (
    "An interest in the patent or the case ([85]5) — declared: employed by or worked for "
    f"{REQUESTER} (Requester in this case), ended 2020-12-31"
)


@pytest.fixture(scope="module")
def journey_case(live_app: Flask) -> tuple[int, int]:
    """(case id, expert's user id): a fresh case, and the expert's declaration about its requester."""
    digits = "201920003001"
    with live_app.app_context():
        users = factories.base_users()
        case = factories.create_case(
            actor=users["examiner"],
            requester=REQUESTER,
            respondent="绵阳某某椅业有限公司",
            patent=f"ZL{digits}.{patent_check_char(digits)}",
        )
        pools.add_declaration(
            users["expert"],
            {
                "kind": "employed_by",
                "counterpart": "成都椅乐家具股份有限公司",  # another company form: still the requester
                "since_on": date(2016, 1, 1),
                "until_on": date(2020, 12, 31),
            },
            actor=users["expert"],
        )
        db.session.commit()
        ids = (case.id, users["expert"].id)
        db.session.remove()
    return ids


def test_director_confirms_a_recusal_warning(
    page: Page, live_app: Flask, journey_case: tuple[int, int], page_problems: Problems
) -> None:
    case_id, expert_id = journey_case
    log_in_in_english(page, "director")
    page.goto(f"/cases/{case_id}")
    staff = page.locator("#staff")
    staff.locator("select[name=user_id]").select_option(str(expert_id))
    staff.locator("select[name=role]").select_option("tech_investigator")
    staff.get_by_role("button", name="Assign").click()

    # the warning, naming the match; nobody is assigned yet
    expect(page.get_by_role("heading", name="Recusal warnings")).to_be_visible()
    warnings = page.locator("#recusal-warnings")
    expect(warnings).to_contain_text(WARNING)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "pools-recusal-warning.png"), full_page=True)
    assert _assigned(live_app, case_id, expert_id) is False

    # assigning again without ticking the box only shows the warning again
    confirm = page.locator("#confirm-assignment")
    confirm.get_by_role("button", name="Assign").click()
    expect(page.locator("#recusal-warnings")).to_contain_text(WARNING)
    assert _assigned(live_app, case_id, expert_id) is False

    page.get_by_label("I have read the warnings and assign anyway").check()
    page.locator("#confirm-assignment").get_by_role("button", name="Assign").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}(#staff)?$"))
    expect(page.locator(".flashes")).to_contain_text("Staff assigned.")
    expect(page.locator("#staff table")).to_contain_text("Technical investigator")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(
        "Expert assigned as Technical investigator; the assigner read the recusal warnings and confirmed: " + WARNING
    )
    assert _assigned(live_app, case_id, expert_id) is True
    with live_app.app_context():
        entry = db.session.scalars(
            sa.select(TimelineEntry)
            .where(TimelineEntry.case_id == case_id, TimelineEntry.event.like("assignment.%"))
            .order_by(TimelineEntry.id.desc())
        ).first()
        assert entry.event == "assignment.added_with_warnings"
        db.session.remove()
    assert page_problems.all() == []


def _assigned(app: Flask, case_id: int, user_id: int) -> bool:
    with app.app_context():
        found = db.session.scalar(
            sa.select(Assignment.id).where(
                Assignment.case_id == case_id,
                Assignment.user_id == user_id,
                Assignment.role == AssignmentRole.tech_investigator,
            )
        )
        db.session.remove()
    return found is not None
