"""The deadline engine's main journeys, as staff do them in a real browser.

Each journey runs on the live server of ``conftest.py`` (its own database per backend, CSRF on).
The cases it needs are seeded once per backend by ``deadline_cases`` below, through the real
operations, straight into the live server's database. Pages are reached by their URLs and forms
by their field names; the browser switches to English on the login page (the choice survives
logging in and out) wherever visible text is asserted. Expected dates are computed here from the
live app's own calendar, because the journeys run on today's date.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from ipcase.cases.enums import AssignmentRole
from ipcase.cases.models import Case
from ipcase.cases.operations import assign_staff
from ipcase.channels.adjudication.workflow import WORKFLOW
from ipcase.channels.workflow import take
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.deadlines import calendar_admin
from ipcase.deadlines.calendar import DayKind, WorkCalendar, add_months, add_working_days
from ipcase.deadlines.calendar_store import load_calendar
from ipcase.deadlines.models import CalendarDay, Deadline
from ipcase.deadlines.notify import unread_count
from ipcase.deadlines.operations import explain
from tests import factories
from tests.browser.conftest import Problems
from tests.browser.helpers import log_in, log_in_in_english, log_out, step_form

pytestmark = pytest.mark.browser

DOCKET_BASIS = "《专利纠纷行政裁决和调解办法》第二十条"
TIME_LIMIT_BASIS = "《专利纠纷行政裁决和调解办法》第三十七条"
TIME_LIMIT_TITLE = "办案期限（结案）"
SERVICE_TITLE = "送达请求书副本期限"
CORRECTION_NAME = "临时闭馆"
DOCKET_STEP = "Docket the case (立案)"


# -- seeded data --------------------------------------------------------------------------------


@dataclass
class DeadlineCases:
    """The cases these journeys work on, each with the deadline the journey is about."""

    #: an adjudication case whose docketing period (立案审查期限, 5 working days) is running
    docket_case: int
    docket_deadline: int
    #: a docketed case whose 3-month time limit (办案期限) is running, nothing extended yet
    extension_case: int
    extension_deadline: int
    #: another case with a running docketing period, for the calendar correction
    calendar_case: int
    calendar_deadline: int


def patent(serial: int) -> str:
    """A valid utility-model number no other browser test uses (their searches count rows)."""
    digits = f"20192{serial:07d}"
    return f"ZL{digits}.{patent_check_char(digits)}"


def deadline_of(case_id: int, rule_id: str) -> Deadline:
    return db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case_id, Deadline.rule_id == rule_id)).one()


@pytest.fixture(scope="module")
def deadline_cases(live_app: Flask) -> Iterator[DeadlineCases]:
    """Seed the journeys' cases into the live server's database (once per backend); afterwards
    undo the calendar correction of the calendar journey, so later tests see the real calendar."""
    with live_app.app_context():
        users = factories.base_users()
        examiner, director = users["examiner"], users["director"]
        now = clock.now()

        def case(respondent: str, serial: int, days_ago: int) -> Case:
            received = now - timedelta(days=days_ago)
            number = patent(serial)
            created = factories.create_case(actor=examiner, respondent=respondent, patent=number, received_at=received)
            # A valid panel (a leader and two members), without which the case cannot be docketed.
            assign_staff(created, director, AssignmentRole.panel_leader, actor=director)
            assign_staff(created, users["examiner2"], AssignmentRole.panel_member, actor=director)
            assign_staff(created, users["examiner3"], AssignmentRole.panel_member, actor=director)
            return created

        docket = case("成都期限甲贸易有限公司", 2001, days_ago=2)
        extension = case("成都期限乙贸易有限公司", 2002, days_ago=10)
        # Docketed by its step, as staff do it: the step meets the docketing period and starts the rest.
        take(WORKFLOW, extension, "docket", actor=examiner, at=now - timedelta(days=9))
        calendar = case("成都期限丙贸易有限公司", 2003, days_ago=1)
        seeded = DeadlineCases(
            docket_case=docket.id,
            docket_deadline=deadline_of(docket.id, "adj.docket").id,
            extension_case=extension.id,
            extension_deadline=deadline_of(extension.id, "adj.time_limit").id,
            calendar_case=calendar.id,
            calendar_deadline=deadline_of(calendar.id, "adj.docket").id,
        )
        db.session.commit()
        db.session.remove()
    yield seeded
    with live_app.app_context():
        corrected = db.session.scalars(sa.select(CalendarDay).where(CalendarDay.name == CORRECTION_NAME)).all()
        admin = factories.base_users()["admin"]
        for day in [row.day for row in corrected]:
            try:
                calendar_admin.correct_day(day, day.weekday() < 5, "", actor=admin, reason="测试结束，恢复日历")
            except DomainError:
                db.session.rollback()
            else:
                db.session.commit()
        db.session.remove()


# -- helpers ------------------------------------------------------------------------------------


def open_case(page: Page, case_id: int) -> None:
    page.goto(f"/cases/{case_id}")
    expect(page.locator("#deadlines")).to_be_visible()


def case_url(case_id: int) -> re.Pattern[str]:
    return re.compile(rf"/cases/{case_id}(#deadlines)?$")


def item(page: Page, deadline_id: int) -> Locator:
    """One deadline in the case page's time-limits panel."""
    return page.locator(f"#deadlines #deadline-{deadline_id}")


def due_of(deadline_item: Locator) -> Locator:
    return deadline_item.locator(".dl-facts time")


def open_details(container: Locator, css: str) -> Locator:
    """Open a <details> (by clicking its summary, as a person would) and return it."""
    details = container.locator(css)
    details.locator("summary").first.click()
    expect(details).to_have_attribute("open", "")
    return details


def calendar_of(app: Flask) -> WorkCalendar:
    with app.app_context():
        cal = load_calendar()
        db.session.remove()
    return cal


def today_in_china() -> date:
    return clock.to_local(clock.now()).date()


def countdown_text(cal: WorkCalendar, due: date) -> str:
    """What a working-day countdown says today, in English."""
    today = today_in_china()
    if due == today:
        return "Due today"
    left = sum(1 for n in range(1, (due - today).days + 1) if cal.is_workday(today + timedelta(days=n)))
    return f"{left} working day{'' if left == 1 else 's'} left"


def next_workday(cal: WorkCalendar, day: date) -> date:
    day += timedelta(days=1)
    while not cal.is_workday(day):
        day += timedelta(days=1)
    return day


# -- journeys -----------------------------------------------------------------------------------


def test_examiner_dockets_the_case_and_the_next_time_limits_start(
    page: Page, live_app: Flask, deadline_cases: DeadlineCases, page_problems: Problems
) -> None:
    cases = deadline_cases
    with live_app.app_context():
        docket_due = db.session.get(Deadline, cases.docket_deadline).due_on
        db.session.remove()
    cal = calendar_of(live_app)
    assert docket_due is not None and docket_due >= today_in_china()

    log_in_in_english(page, "examiner")
    open_case(page, cases.docket_case)

    # The docketing period runs: its legal basis, its due date, and how much of it is left.
    docket = item(page, cases.docket_deadline)
    expect(docket).to_have_class(re.compile(r"\bdl-item-running\b"))
    expect(docket.locator(".dl-basis")).to_contain_text(DOCKET_BASIS)
    expect(docket.locator(".dl-state")).to_have_text("Running")
    expect(due_of(docket)).to_have_text(docket_due.isoformat())
    countdown = docket.locator(".dl-countdown")
    expect(countdown).to_be_visible()
    expect(countdown).to_have_text(countdown_text(cal, docket_due))
    expect(countdown).to_have_attribute("data-unit", "working_days")

    # Only the procedure stops the clock: no raw event recorder is offered, docketing is a step.
    expect(page.locator(f"form[action='/deadlines/case/{cases.docket_case}/events']")).to_have_count(0)

    # Docket the case through its step, as of half an hour ago.
    at = clock.to_local(clock.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    form = step_form(page, "docket")
    expect(form.get_by_role("heading", level=3)).to_have_text(DOCKET_STEP)
    expect(form.locator("p.muted")).to_have_text("→ Docketed")
    at_field = form.locator("input[type=datetime-local][name=at]")
    expect(at_field).to_have_value("")  # empty: the step happens now unless a time is given
    at_field.fill(at.strftime("%Y-%m-%dT%H:%M"))
    path = f"/cases/{cases.docket_case}/actions/docket"
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(path)) as info:
        form.locator("button[type=submit]").click()
    assert info.value.status == 302

    expect(page).to_have_url(re.compile(rf"/cases/{cases.docket_case}#actions$"))
    expect(page.get_by_role("status")).to_have_text(f"Done: {DOCKET_STEP}.")
    expect(page.locator(".headstate .state")).to_have_text("Docketed")

    # The docketing period is met, at the moment recorded; it no longer counts down.
    docket = item(page, cases.docket_deadline)
    expect(docket).to_have_class(re.compile(r"\bdl-item-met\b"))
    expect(docket.locator(".dl-state")).to_have_text("Met")
    expect(docket.locator(".dl-facts")).to_contain_text(at.strftime("%Y-%m-%d %H:%M"))
    expect(docket.locator(".dl-countdown")).to_have_count(0)

    # Docketing started the 3-month time limit and the service period, from that moment.
    with live_app.app_context():
        time_limit = deadline_of(cases.docket_case, "adj.time_limit").id
        service = deadline_of(cases.docket_case, "adj.serve_request").id
        db.session.remove()
    day = at.date()
    for deadline_id, title, due in (
        (time_limit, TIME_LIMIT_TITLE, add_months(cal, day, 3).due),
        (service, SERVICE_TITLE, add_working_days(cal, day, 5).due),
    ):
        new = item(page, deadline_id)
        expect(new).to_be_visible()
        expect(new).to_have_class(re.compile(r"\bdl-item-running\b"))
        expect(new.get_by_role("heading", level=3)).to_contain_text(title)
        expect(new.locator(".dl-facts")).to_contain_text(at.strftime("%Y-%m-%d %H:%M"))  # started
        expect(due_of(new)).to_have_text(due.isoformat())
        expect(new.locator(".dl-countdown")).to_be_visible()
    expect(item(page, time_limit).locator(".dl-basis")).to_contain_text(TIME_LIMIT_BASIS)
    expect(item(page, time_limit).locator(".dl-facts")).to_contain_text("3 months")
    # Running periods are listed before the met one.
    ids = page.locator("#deadlines .dl-item").evaluate_all("items => items.map(i => i.id)")
    assert ids.index(f"deadline-{cases.docket_deadline}") > max(
        ids.index(f"deadline-{time_limit}"), ids.index(f"deadline-{service}")
    )
    assert page_problems.all() == []


def test_extension_requested_by_examiner_and_approved_by_director(
    page: Page, live_app: Flask, deadline_cases: DeadlineCases, page_problems: Problems
) -> None:
    cases = deadline_cases
    with live_app.app_context():
        deadline = db.session.get(Deadline, cases.extension_deadline)
        start, old_due = clock.to_local(deadline.started_at).date(), deadline.due_on
        director_id = factories.base_users()["director"].id
        db.session.remove()
    cal = calendar_of(live_app)
    assert old_due == add_months(cal, start, 3).due
    new_due = add_months(cal, start, 4).due
    reason = "被请求人申请技术鉴定，案情复杂，需延长办案期限一个月。"

    # The examiner asks the director for one more month.
    log_in_in_english(page, "examiner")
    open_case(page, cases.extension_case)
    limit = item(page, cases.extension_deadline)
    expect(due_of(limit)).to_have_text(old_due.isoformat())
    action = f"form[action='/deadlines/{cases.extension_deadline}/extension']"
    form = limit.locator(action)
    expect(form).to_be_hidden()  # folded away until asked for
    limit.locator("details", has=page.locator(action)).locator("summary").click()
    expect(form).to_be_visible()
    form.locator("select[name=level]").select_option("director")
    form.locator("input[name=length]").fill("1")
    form.locator("textarea[name=reason]").fill(reason)
    form.get_by_role("button").click()

    expect(page).to_have_url(case_url(cases.extension_case))
    expect(page.get_by_role("status")).to_contain_text("Extension requested")
    limit = item(page, cases.extension_deadline)
    expect(limit.locator(".notice")).to_have_text("An extension request awaits the decision of the approver.")
    requests = limit.locator("details.dl-extensions")
    expect(requests).to_have_attribute("open", "")  # open while a request is pending
    expect(requests).to_contain_text(reason)
    expect(requests).to_contain_text("Awaiting approval")
    expect(due_of(limit)).to_have_text(old_due.isoformat())  # nothing moves before the decision
    expect(limit.locator("form.dl-decision")).to_have_count(0)  # an examiner does not decide
    log_out(page)

    # The director is told: a badge in the header, and the notification leads to the case.
    log_in(page, "director")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with live_app.app_context():
        unread = unread_count(director_id)
        db.session.remove()
    assert unread >= 1
    badge = page.locator("header a.notif .badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_text(str(unread))
    page.locator("header a.notif").click()
    expect(page).to_have_url(re.compile(r"/deadlines/notifications$"))
    note = page.locator("li.dl-note.dl-unread", has_text=f"an extension of {TIME_LIMIT_TITLE} awaits your decision")
    expect(note).to_have_count(1)
    note.locator(f"a[href^='/cases/{cases.extension_case}']").click()
    expect(page).to_have_url(case_url(cases.extension_case))

    # The request on the case page, and the director approves it.
    limit = item(page, cases.extension_deadline)
    decision = limit.locator("form.dl-decision")
    expect(decision).to_contain_text("An extension of 1 month awaits your decision.")
    expect(limit.locator("details.dl-extensions")).to_contain_text(reason)
    decision.locator("textarea[name=note]").fill("同意延长一个月。")
    decision.locator("button[name=decision][value=approve]").click()

    expect(page).to_have_url(case_url(cases.extension_case))
    expect(page.get_by_role("status")).to_contain_text("Extension approved.")
    limit = item(page, cases.extension_deadline)
    expect(due_of(limit)).to_have_text(new_due.isoformat())
    expect(limit.locator(".dl-facts")).to_contain_text("3 months + 1 month (extension)")
    expect(limit.locator("form.dl-decision")).to_have_count(0)
    expect(limit.locator(".notice")).to_have_count(0)
    expect(limit.locator("details.dl-extensions")).to_contain_text("Approved")

    # The history lists the extension and the move from the old due date to the new one.
    history = open_details(limit, "details.dl-history")
    expect(history.locator("tr.dl-ev-extension_requested")).to_have_count(1)
    expect(history.locator("tr.dl-ev-extended")).to_contain_text("+1 month")
    moved = history.locator("tr.dl-ev-moved")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text(f"{old_due.isoformat()} → {new_due.isoformat()}")
    expect(moved).to_contain_text("Director")  # who moved it
    assert page_problems.all() == []


def test_deadline_calculator_counts_working_days_over_national_day(page: Page, page_problems: Problems) -> None:
    log_in_in_english(page, "examiner")
    page.locator("header").get_by_role("navigation").locator("a[href='/deadlines/calculator']").click()
    expect(page).to_have_url(re.compile(r"/deadlines/calculator$"))

    form = page.locator("form[action='/deadlines/calculator']")
    form.locator("input[name=start]").fill("2026-09-30")
    form.locator("select[name=unit]").select_option("working_days")
    form.locator("input[name=length]").fill("5")
    form.get_by_role("button").click()

    expect(page.locator(".dl-result strong")).to_have_text("2026-10-13")
    steps = page.locator("ol.dl-steps")
    expect(steps.locator("li.dl-step-start")).to_have_text("2026-09-30: the triggering event; this day is not counted")
    # National Day (1-7 October) is not counted, the weekend days in it included.
    for n in range(1, 8):
        expect(steps.locator("li.dl-step-skip", has_text=f"2026-10-{n:02d}:")).to_have_text(
            f"2026-10-{n:02d}: not counted, public holiday · 国庆节"
        )
    # Saturday 10 October is a make-up working day: it counts.
    expect(steps.locator("li.dl-step-count", has_text="2026-10-10")).to_have_text(
        "2026-10-10: working day 3 (make-up working day · 国庆节调休上班)"
    )
    expect(steps.locator("li.dl-step-skip", has_text="2026-10-11")).to_contain_text("not counted, weekend")
    expect(steps.locator("li.dl-step-count")).to_have_text(
        [
            "2026-10-08: working day 1",
            "2026-10-09: working day 2",
            "2026-10-10: working day 3 (make-up working day · 国庆节调休上班)",
            "2026-10-12: working day 4",
            "2026-10-13: working day 5",
        ]
    )
    expect(steps.locator("li.dl-step-due")).to_have_text("2026-10-13: due")
    expect(page.locator(".dl-provisional")).to_have_count(0)  # 2026 is confirmed
    # The form keeps what was entered.
    expect(form.locator("input[name=start]")).to_have_value("2026-09-30")
    expect(form.locator("input[name=length]")).to_have_value("5")
    assert page_problems.all() == []


def test_admin_calendar_correction_moves_an_open_deadline(
    page: Page, live_app: Flask, deadline_cases: DeadlineCases, page_problems: Problems
) -> None:
    cases = deadline_cases
    cal = calendar_of(live_app)
    today = today_in_china()
    with live_app.app_context():
        deadline = db.session.get(Deadline, cases.calendar_deadline)
        old_due = deadline.due_on
        counted = [s.day for s in explain(deadline).steps if s.code == "count"]
        db.session.remove()
    # A plain working day (no holiday, no make-up day) still to come inside the period.
    candidates = [d for d in counted if d > today and cal.kind(d) == DayKind.workday and not cal.name(d)]
    assert candidates, f"no working day left to correct in {counted}"
    day = candidates[0]
    new_due = next_workday(cal, old_due)

    log_in_in_english(page, "admin")
    page.locator("header").get_by_role("navigation").locator("a[href='/deadlines/admin/calendar']").click()
    expect(page).to_have_url(re.compile(r"/deadlines/admin/calendar$"))
    if day.year != today.year:
        page.goto(f"/deadlines/admin/calendar?year={day.year}")
    cell = page.locator("td.dk", has_text=f"{day.isoformat()} ")
    expect(cell).to_have_class(re.compile(r"\bdk-workday\b"))

    form = page.locator("form[action='/deadlines/admin/calendar/day']")
    form.locator("input[name=day]").fill(day.isoformat())
    form.locator("select[name=kind]").select_option("rest")
    form.locator("input[name=name]").fill(CORRECTION_NAME)
    form.locator("textarea[name=reason]").fill("市政府临时通知该日闭馆休息。")
    form.get_by_role("button").click()

    expect(page).to_have_url(re.compile(rf"/deadlines/admin/calendar\?year={day.year}$"))
    status = page.get_by_role("status")
    expect(status).to_contain_text("Calendar corrected.")
    expect(status).to_contain_text(re.compile(r"\d+ open deadlines? moved"))
    expect(page.locator("td.dk", has_text=f"{day.isoformat()} ")).to_have_class(re.compile(r"\bdk-holiday\b"))
    expect(page.locator("#h-log + table tbody tr").first).to_contain_text(f"Day corrected {day.isoformat()}")

    # The case page shows the due date one working day later, and says why.
    open_case(page, cases.calendar_case)
    moved = item(page, cases.calendar_deadline)
    expect(due_of(moved)).to_have_text(new_due.isoformat())
    expect(moved.locator(".dl-countdown")).to_have_text(countdown_text(calendar_of(live_app), new_due))
    why = open_details(moved, "details.dl-why")
    expect(why.locator("li.dl-step-skip", has_text=day.isoformat())).to_have_text(
        f"{day.isoformat()}: not counted, public holiday · {CORRECTION_NAME}"
    )
    expect(why.locator("li.dl-step-due")).to_have_text(f"{new_due.isoformat()}: due")
    history = open_details(moved, "details.dl-history")
    move = history.locator("tr.dl-ev-moved")
    expect(move).to_have_count(1)
    expect(move).to_contain_text(f"{old_due.isoformat()} → {new_due.isoformat()}")
    expect(move).to_contain_text(f"Calendar corrected: {day.isoformat()}")
    assert page_problems.all() == []
