"""The deadline pages through HTTP: case panel and actions, my deadlines, the calculator,
notifications, and the administrators' calendar, rules and duty roster."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient
from flask_login import login_user

from ipcase.cases import operations as case_ops
from ipcase.cases.enums import Channel, PartyRole
from ipcase.core.extensions import db
from ipcase.deadlines import calendar_admin
from ipcase.deadlines import operations as ops
from ipcase.deadlines.engine import end_of_day
from ipcase.deadlines.models import (
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineEvent,
    DeadlineState,
    DutyShift,
    ExcludedPeriod,
    ExclusionKind,
    Extension,
    ExtensionState,
    Notification,
    RuleSetting,
)
from ipcase.deadlines.notify import notify_case_staff
from ipcase.deadlines.service import sync_calendar
from ipcase.deadlines.views import case_panel_context
from ipcase.deadlines.views.blueprint import inject_unread_notifications
from tests import factories

CN = timedelta(hours=8)


def at_cn(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """A China-time instant as UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=UTC) - CN


class FreshClient(FlaskClient):
    """Each test keeps one app context for all its requests, so ``g`` outlives a request: forget
    the logged-in user and the language cached there, or one client's user leaks into another's."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if g:
            g.pop("_login_user", None)
            g.pop("_flask_babel", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def client_as(app):
    def make(username: str) -> FreshClient:
        client = FreshClient(app, app.response_class, use_cookies=True)
        assert client.post("/language", data={"lang": "en"}).status_code == 302
        response = client.post("/login", data={"username": username, "password": factories.PASSWORD})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    return make


def text(response) -> str:
    return response.get_data(as_text=True)


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def deadline_of(case, rule_id: str) -> Deadline:
    return db.session.scalars(sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == rule_id)).one()


@pytest.fixture
def calendar(app):
    sync_calendar()


@pytest.fixture
def now(frozen_now):
    """Tuesday 2026-11-24, 10:00 in China."""
    return frozen_now(at_cn(2026, 11, 24))


@pytest.fixture
def case(create_case, users, calendar, now):
    """An adjudication case received on Friday 2026-11-20: docketing is due on 11-27 (5 working days)."""
    c = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 20), actor=users["examiner"])
    db.session.commit()
    return c


@pytest.fixture
def time_limit(case, users):
    """The 3-month time limit from docketing on 2026-11-20: due 2027-02-22, provisional (2027)."""
    d = ops.start_deadline(case, "adj.time_limit", started_at=at_cn(2026, 11, 20), actor=users["examiner"])
    db.session.commit()
    return d


# -- case panel ---------------------------------------------------------------------------------


def test_case_panel_shows_deadline_with_countdown_and_explanation(client_as, case):
    body = text(client_as("examiner").get(f"/deadlines/case/{case.id}"))
    assert "立案审查期限" in body
    assert "《专利纠纷行政裁决和调解办法》第二十条" in body
    assert 'class="dl-tag dl-tag-V"' in body and "Verified against the text of the rule" in body
    assert "2026-11-27" in body
    assert "3 working days left" in body and "dl-normal" in body
    assert 'data-workdays="2026-11-25 2026-11-26 2026-11-27"' in body
    assert "Why this date" in body
    assert "2026-11-21: not counted, weekend" in body
    assert "2026-11-27: working day 5" in body
    assert "js/deadlines.js" in body and 'id="dl-countdown-texts"' in body
    assert "Started" in body  # history
    assert "Request an extension" in body  # the docketing period may be extended by the director


def test_case_panel_hours_and_overdue(client_as, create_case, users, calendar, now):
    injunction = create_case(Channel.injunction, received_at=at_cn(2026, 11, 24, 9), actor=users["examiner"])
    late = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 10), actor=users["examiner"])
    db.session.commit()
    client = client_as("examiner")
    body = text(client.get(f"/deadlines/case/{injunction.id}"))
    assert "2026-11-26 09:00" in body and "47 h 00 min left" in body
    body = text(client.get(f"/deadlines/case/{late.id}"))
    assert "Overdue by 7 days" in body and "dl-overdue" in body


def test_case_panel_marks_provisional_years(client_as, time_limit):
    body = text(client_as("examiner").get(f"/deadlines/case/{time_limit.case_id}"))
    assert "2027-02-22" in body
    assert "Provisional: the 2027 holiday schedule is not confirmed." in body


def test_case_panel_context_for_a_party_shows_only_party_periods(case, users, time_limit):
    ops.start_deadline(case, "adj.defence", started_at=at_cn(2026, 11, 23), actor=users["examiner"])
    context = case_panel_context(case, users["party"])
    assert [r.deadline.rule_id for r in context["deadlines"]] == ["adj.defence"]
    assert context["deadline_can_edit"] is False and context["deadline_exclusions"] == []
    staff = case_panel_context(case, users["examiner"])
    assert {r.deadline.rule_id for r in staff["deadlines"]} == {"adj.docket", "adj.time_limit", "adj.defence"}
    assert staff["deadline_can_edit"] is True


@pytest.mark.parametrize("username", ["party", "cqexaminer"])
def test_case_deadlines_of_another_organisation_or_party_are_not_found(client_as, case, username):
    assert client_as(username).get(f"/deadlines/case/{case.id}").status_code == 404


def test_a_party_of_the_case_sees_its_own_periods(client_as, case, users):
    case_ops.add_party(
        case, factories.party_data(PartyRole.third_party, "第三人公司") | {"account": "party"}, actor=None
    )
    ops.start_deadline(case, "adj.defence", started_at=at_cn(2026, 11, 23), actor=users["examiner"])
    db.session.commit()
    body = text(client_as("party").get(f"/deadlines/case/{case.id}"))
    assert "答辩期限" in body and "立案审查期限" not in body
    assert "Request an extension" not in body and "Excluded time" not in body


# -- extensions -----------------------------------------------------------------------------------


def test_extension_beyond_the_cap_changes_nothing(client_as, time_limit):
    client = client_as("examiner")
    url = f"/deadlines/{time_limit.id}/extension"
    response = client.post(url, data={"level": "director", "length": "2", "reason": "案情复杂"})
    assert response.status_code == 422
    assert "At this level at most 1 more can be granted." in text(response)
    response = client.post(url, data={"level": "director", "length": "-3", "reason": "案情复杂"})
    assert response.status_code == 422 and "Enter a whole number of at least 1." in text(response)
    response = client.post(url, data={"level": "emperor", "length": "1", "reason": "案情复杂"})
    assert response.status_code == 422 and "Not a valid choice" in text(response)
    assert count(Extension) == 0
    assert count(DeadlineEvent, DeadlineEvent.kind == "extension_requested") == 0


def test_extension_requested_then_approved_by_the_director(client_as, time_limit):
    examiner = client_as("examiner")
    response = examiner.post(
        f"/deadlines/{time_limit.id}/extension", data={"level": "director", "length": "1", "reason": "案情复杂"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/cases/{time_limit.case_id}#deadlines"
    )
    ext = db.session.scalars(sa.select(Extension)).one()
    assert ext.state == ExtensionState.requested
    director_id = factories.base_users()["director"].id
    assert count(Notification, Notification.kind == "extension_requested", Notification.user_id == director_id) == 1

    assert examiner.post(f"/deadlines/extensions/{ext.id}/decision", data={"decision": "approve"}).status_code == 403

    director = client_as("director")
    body = text(director.get(f"/deadlines/case/{time_limit.case_id}"))
    assert "awaits your decision" in body and f"/deadlines/extensions/{ext.id}/decision" in body
    response = director.post(f"/deadlines/extensions/{ext.id}/decision", data={"decision": "refuse", "note": ""})
    assert response.status_code == 422 and "Give the reasons for refusing." in text(response)
    response = director.post(f"/deadlines/extensions/{ext.id}/decision", data={"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    d = db.session.get(Deadline, time_limit.id)
    assert d.extended_by == 1 and d.due_on == date(2027, 3, 22)
    moved = db.session.scalars(sa.select(DeadlineEvent).where(DeadlineEvent.kind == "moved")).one()
    assert moved.old_due_at == end_of_day(date(2027, 2, 22)) and moved.new_due_at == d.due_at
    body = text(examiner.get(f"/deadlines/case/{d.case_id}"))
    assert "Superior office (at most 2 months)" in body and "Director (at most 1 month)" not in body
    assert 'Extended <span class="muted">(+1 month)</span>' in body and "2027-02-22 → 2027-03-22" in body
    response = director.post(f"/deadlines/extensions/{ext.id}/decision", data={"decision": "approve"})
    assert response.status_code == 422 and "already been decided" in text(response)


def test_a_long_refusal_note_is_kept_whole(client_as, time_limit, users):
    ext = ops.request_extension(time_limit, level="director", length=1, reason="案情复杂", actor=users["examiner"])
    db.session.commit()
    note = "理由不足。" * 200  # 1000 characters: what the form and Extension.decision_note allow
    response = client_as("director").post(
        f"/deadlines/extensions/{ext.id}/decision", data={"decision": "refuse", "note": note}
    )
    assert response.status_code == 302
    assert db.session.get(Extension, ext.id).decision_note == note
    event = db.session.scalars(sa.select(DeadlineEvent).where(DeadlineEvent.kind == "extension_refused")).one()
    assert note.startswith(event.note.rstrip("…")) and len(event.note) <= 500


# -- cancelling and excluded time ---------------------------------------------------------------


def test_cancel_needs_a_reason_and_edit_rights(client_as, case):
    d = deadline_of(case, "adj.docket")
    assert client_as("cqexaminer").post(f"/deadlines/{d.id}/cancel", data={"reason": "x"}).status_code == 404
    assert client_as("expert").post(f"/deadlines/{d.id}/cancel", data={"reason": "x"}).status_code == 404
    client = client_as("examiner")
    response = client.post(f"/deadlines/{d.id}/cancel", data={"reason": "  "})
    assert response.status_code == 422 and db.session.get(Deadline, d.id).state == DeadlineState.running
    assert client.post(f"/deadlines/{d.id}/cancel", data={"reason": "请求人撤回请求"}).status_code == 302
    assert db.session.get(Deadline, d.id).state == DeadlineState.cancelled
    response = client.post(f"/deadlines/{d.id}/cancel", data={"reason": "again"})
    assert response.status_code == 422 and "no longer running" in text(response)


def test_excluded_time_pauses_and_resumes_the_time_limit(client_as, time_limit):
    client = client_as("examiner")
    url = f"/deadlines/case/{time_limit.case_id}/exclusions/new"
    response = client.post(url, data={"kind": "suspension", "first_day": "2026-13-45", "reason": "无效宣告"})
    assert response.status_code == 422 and "Not a valid date value" in text(response)
    response = client.post(url, data={"kind": "suspension", "first_day": "2026-11-30", "reason": "无效宣告"})
    assert response.status_code == 422 and "cannot start in the future" in text(response)
    assert count(ExcludedPeriod) == 0
    response = client.post(url, data={"kind": "suspension", "first_day": "2026-11-21", "reason": "无效宣告"})
    assert response.status_code == 302
    assert db.session.get(Deadline, time_limit.id).state == DeadlineState.suspended
    period = db.session.scalars(sa.select(ExcludedPeriod)).one()
    body = text(client.get(f"/deadlines/case/{time_limit.case_id}"))
    assert "Paused: excluded time is running" in body and f"/deadlines/exclusions/{period.id}/end" in body

    response = client.post(f"/deadlines/exclusions/{period.id}/end", data={"last_day": "2026-11-19"})
    assert response.status_code == 422 and "between its first day and today" in text(response)
    assert client.post(f"/deadlines/exclusions/{period.id}/end", data={"last_day": "2026-11-24"}).status_code == 302
    d = db.session.get(Deadline, time_limit.id)
    assert d.state == DeadlineState.running and d.due_on == date(2027, 2, 24)  # 02-20 + 4 excluded days


# -- my deadlines ---------------------------------------------------------------------------------


def test_my_deadlines_lists_assigned_cases_most_urgent_first(client_as, create_case, users, case, time_limit):
    late = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 10), actor=users["examiner"])
    other = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 23), actor=users["examiner2"])
    db.session.commit()
    body = text(client_as("examiner").get("/deadlines/mine"))
    order = [int(i) for i in re.findall(r'href="/cases/\d+#deadline-(\d+)"', body)]
    assert order == [deadline_of(late, "adj.docket").id, deadline_of(case, "adj.docket").id, time_limit.id]
    assert deadline_of(other, "adj.docket").id not in order
    assert "Overdue by 7 days" in body and "provisional" in body

    director = text(client_as("director").get("/deadlines/mine"))
    assert f"#deadline-{deadline_of(other, 'adj.docket').id}" in director
    assert "#deadline-" not in text(client_as("cqexaminer").get("/deadlines/mine"))
    assert client_as("party").get("/deadlines/mine").status_code == 403

    assert client_as("examiner").get("/deadlines/mine?page=99999999999999999999999&unit=x").status_code == 200
    months = text(client_as("examiner").get("/deadlines/mine?unit=months"))
    assert re.findall(r"#deadline-(\d+)", months) == [str(time_limit.id)]


def test_my_deadlines_includes_missed_ones_only_on_request(client_as, create_case, users, case):
    late = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 10), actor=users["examiner"])
    missed = deadline_of(late, "adj.docket")
    missed.state, missed.breach_sent_at, missed.closed_at = (
        DeadlineState.breached,
        at_cn(2026, 11, 18),
        at_cn(2026, 11, 18),
    )
    db.session.commit()
    client = client_as("examiner")
    assert f"#deadline-{missed.id}" not in text(client.get("/deadlines/mine"))
    body = text(client.get("/deadlines/mine?missed=y"))
    order = re.findall(r"#deadline-(\d+)", body)
    assert order[0] == str(missed.id) and "Missed" in body


def test_my_deadlines_needs_no_query_per_row(client_as, create_case, users, calendar, now):
    def queries_for_page(client) -> int:
        statements: list[str] = []
        db.session.commit()  # the same starting point each time: nothing loaded

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
        try:
            assert client.get("/deadlines/mine").status_code == 200
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
        return len(statements)

    create_case(Channel.adjudication, received_at=at_cn(2026, 11, 20), actor=users["examiner"])
    db.session.commit()
    client = client_as("examiner")
    one = queries_for_page(client)
    for day in (17, 18, 19, 23):
        create_case(Channel.adjudication, received_at=at_cn(2026, 11, day), actor=users["examiner"])
    db.session.commit()
    assert queries_for_page(client) == one


# -- calculator -----------------------------------------------------------------------------------


def test_calculator_shows_due_date_and_explanation(client_as, calendar, now):
    client = client_as("examiner")
    assert client.get("/deadlines/calculator").status_code == 200
    response = client.post("/deadlines/calculator", data={"start": "2026-09-30", "unit": "working_days", "length": "5"})
    body = text(response)
    assert response.status_code == 200
    assert "<strong>2026-10-13</strong>" in body
    assert "2026-10-01: not counted, public holiday · 国庆节" in body
    assert "2026-10-10: working day 3 (make-up working day · 国庆节调休上班)" in body
    response = client.post("/deadlines/calculator", data={"start": "2026-10-01T22:00", "unit": "hours", "length": "24"})
    assert "<strong>2026-10-02 22:00</strong>" in text(response)
    response = client.post("/deadlines/calculator", data={"start": "2026-11-20", "unit": "months", "length": "3"})
    assert "Provisional: the 2027 holiday schedule is not confirmed." in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-09-30", "unit": "days", "length": "-3"}, "Enter a whole number of at least 1."),
        ({"start": "2026-02-30", "unit": "days", "length": "3"}, "Enter a date as YYYY-MM-DD"),
        ({"start": "30/09/2026", "unit": "days", "length": "3"}, "Enter a date as YYYY-MM-DD"),
        ({"start": "2026-09-30", "unit": "weeks", "length": "3"}, "Not a valid choice"),
        ({"start": "2026-09-30", "unit": "hours", "length": "3"}, "add the time (HH:MM)"),
        ({"start": "9999-12-30", "unit": "days", "length": "3"}, "Enter a year from 2000 to 2099."),
        ({"start": "2026-09-30", "unit": "days", "length": "99999999"}, "At most 3660 for this unit."),
        ({"start": "2026-09-30", "unit": "days", "length": "abc"}, "Not a valid integer value"),
    ],
)
def test_calculator_bad_input(client_as, calendar, now, data, message):
    response = client_as("examiner").post("/deadlines/calculator", data=data)
    assert response.status_code == 422
    assert message in text(response)


def test_calculator_is_for_staff(client_as):
    assert client_as("party").get("/deadlines/calculator").status_code == 403


# -- notifications --------------------------------------------------------------------------------


def test_notifications_list_and_mark_read(client_as, case, users):
    d = deadline_of(case, "adj.docket")
    notify_case_staff(case, d, "moved", key="test:1", data={"old": "2026-11-27", "new": "2026-11-30"})
    db.session.commit()
    mine = db.session.scalars(sa.select(Notification).where(Notification.user_id == users["examiner"].id)).one()
    theirs = db.session.scalars(sa.select(Notification).where(Notification.user_id == users["director"].id)).one()

    client = client_as("examiner")
    body = text(client.get("/deadlines/notifications"))
    assert "立案审查期限 moved from 2026-11-27 to 2026-11-30" in body
    assert "dl-unread" in body and "Mark all as read" in body  # the unread count comes from the context processor
    assert client.post(f"/deadlines/notifications/{theirs.id}/read").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None
    assert client.post(f"/deadlines/notifications/{mine.id}/read").status_code == 302
    assert db.session.get(Notification, mine.id).read_at is not None
    assert "Mark all as read" not in text(client.get("/deadlines/notifications"))

    director = client_as("director")
    assert director.post("/deadlines/notifications/read").status_code == 302
    assert db.session.get(Notification, theirs.id).read_at is not None
    assert director.post("/deadlines/notifications/2147483647/read").status_code == 404
    assert director.get("/deadlines/notifications?page=99999999999999999999999").status_code == 200


def test_unread_count_is_injected_for_logged_in_users_only(app, case, users):
    notify_case_staff(case, None, "moved", key="test:2", data={"title": "x"})
    with app.test_request_context("/"):
        assert inject_unread_notifications() == {"unread_notifications": 0}
        login_user(users["examiner"])
        assert inject_unread_notifications() == {"unread_notifications": 1}


# -- administration -------------------------------------------------------------------------------

ADMIN_ROUTES = [
    ("get", "/deadlines/admin/calendar"),
    ("post", "/deadlines/admin/calendar/day"),
    ("post", "/deadlines/admin/calendar/schedule"),
    ("post", "/deadlines/admin/calendar/confirm"),
    ("get", "/deadlines/admin/rules"),
    ("post", "/deadlines/admin/rules/med.time_limit/setting"),
    ("get", "/deadlines/admin/duty"),
    ("post", "/deadlines/admin/duty"),
    ("post", "/deadlines/admin/duty/1/delete"),
]


@pytest.mark.parametrize("username", ["director", "examiner", "party"])
def test_admin_pages_are_for_administrators(client_as, username):
    client = client_as(username)
    for method, path in ADMIN_ROUTES:
        assert getattr(client, method)(path).status_code == 403, path


def test_admin_calendar_page(client_as, calendar, now):
    client = client_as("admin")
    body = text(client.get("/deadlines/admin/calendar?year=2026"))
    assert "国庆节" in body and "dk-holiday" in body and "dk-makeup_workday" in body
    assert "Confirmed" in body
    assert "2026-10-10 work 国庆节调休上班" in body  # the schedule form starts from the current days
    body = text(client.get("/deadlines/admin/calendar?year=2027"))
    assert "Estimate, not confirmed" in body and "Confirm 2027 as shown" in body
    assert client.get("/deadlines/admin/calendar?year=nonsense").status_code == 200


def test_calendar_correction_recomputes_open_deadlines(client_as, case, users):
    d = deadline_of(case, "adj.docket")
    old_due = d.due_at
    client = client_as("admin")
    response = client.post(
        "/deadlines/admin/calendar/day",
        data={"day": "2026-11-25", "kind": "rest", "name": "临时休假", "reason": "市政府通知"},
    )
    assert response.status_code == 302, text(response)
    d = db.session.get(Deadline, d.id)
    assert d.due_on == date(2026, 11, 30)
    moved = db.session.scalars(
        sa.select(DeadlineEvent).where(DeadlineEvent.deadline_id == d.id, DeadlineEvent.kind == "moved")
    ).one()
    assert moved.old_due_at == old_due and moved.new_due_at == end_of_day(date(2026, 11, 30))
    assert moved.actor_id == users["admin"].id
    note = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "moved", Notification.user_id == users["examiner"].id)
    ).one()
    assert note.data["old"] == "2026-11-27" and note.data["new"] == "2026-11-30"
    change = db.session.scalars(sa.select(CalendarChange)).one()
    assert change.day == date(2026, 11, 25) and change.new["is_workday"] is False and change.reason == "市政府通知"
    assert db.session.get(CalendarDay, date(2026, 11, 25)).name == "临时休假"
    body = text(client.get("/deadlines/admin/calendar?year=2026"))
    assert "Day corrected" in body and "临时休假" in body

    response = client.post(
        "/deadlines/admin/calendar/day", data={"day": "2026-11-25", "kind": "rest", "name": "临时休假", "reason": "x"}
    )
    assert response.status_code == 422 and "already says this" in text(response)
    response = client.post("/deadlines/admin/calendar/day", data={"day": "2026-11-31", "kind": "rest", "reason": "x"})
    assert response.status_code == 422 and "Not a valid date value" in text(response)
    assert count(CalendarChange) == 1


def test_year_schedule_with_a_bad_line_changes_nothing(client_as, time_limit):
    before = count(CalendarDay, CalendarDay.day.between(date(2027, 1, 1), date(2027, 12, 31)))
    lines = "\n".join(
        ["2027-01-01 rest 元旦", "2027-02-30 rest 春节", "2027-02-08 work 春节调休", "2026-12-31 rest 元旦", "", "x"]
    )
    response = client_as("admin").post(
        "/deadlines/admin/calendar/schedule", data={"year": "2027", "lines": lines, "reason": "国办发明电〔2026〕1号"}
    )
    body = text(response)
    assert response.status_code == 422
    assert "Line 2 (2027-02-30 rest 春节): 2027-02-30 is not a date (YYYY-MM-DD)." in body
    assert "Line 3 (2027-02-08 work 春节调休): a make-up working day falls on a Saturday or Sunday." in body
    assert "Line 4 (2026-12-31 rest 元旦): the date is not in 2027." in body
    assert "Line 5" not in body  # blank lines are allowed
    assert "Line 6 (x): expected a date, rest or work, and a name." in body
    assert count(CalendarDay, CalendarDay.day.between(date(2027, 1, 1), date(2027, 12, 31))) == before
    assert not db.session.get(CalendarYear, 2027).is_confirmed
    assert count(CalendarChange) == 0


def test_year_schedule_replaces_the_year_and_confirms_it(client_as, time_limit):
    lines = "\n".join(
        ["2027-01-01 rest 元旦", "2027-02-10 rest 春节", "2027-02-11 rest 春节", "2027-02-20 work 春节调休上班"]
    )
    client = client_as("admin")
    response = client.post(
        "/deadlines/admin/calendar/schedule", data={"year": "2027", "lines": lines, "reason": "国办发明电〔2026〕1号"}
    )
    assert response.status_code == 302
    year = db.session.get(CalendarYear, 2027)
    assert year.is_confirmed and year.source == "official_notice"
    days = db.session.scalars(
        sa.select(CalendarDay).where(CalendarDay.day.between(date(2027, 1, 1), date(2027, 12, 31)))
    ).all()
    assert [(d.day, d.is_workday) for d in days] == [
        (date(2027, 1, 1), False),
        (date(2027, 2, 10), False),
        (date(2027, 2, 11), False),
        (date(2027, 2, 20), True),
    ]
    d = db.session.get(Deadline, time_limit.id)
    assert d.due_on == date(2027, 2, 20) and not d.is_provisional  # the Saturday is now a make-up working day
    assert count(DeadlineEvent, DeadlineEvent.deadline_id == d.id, DeadlineEvent.kind == "moved") == 1
    assert db.session.scalars(sa.select(CalendarChange.action)).all() == ["enter_year"]


def test_confirm_year_as_is(client_as, time_limit):
    client = client_as("admin")
    assert client.post("/deadlines/admin/calendar/confirm", data={"year": "2027"}).status_code == 302
    assert db.session.get(CalendarYear, 2027).is_confirmed
    assert not db.session.get(Deadline, time_limit.id).is_provisional
    response = client.post("/deadlines/admin/calendar/confirm", data={"year": "2027"})
    assert response.status_code == 422 and "already confirmed" in text(response)
    response = client.post("/deadlines/admin/calendar/confirm", data={"year": "2099"})
    assert response.status_code == 422 and "no calendar for 2099" in text(response)


def test_rules_catalogue_and_local_settings(client_as, create_case, users, calendar, now):
    mediation = create_case(
        Channel.mediation, organisation="cdmed", received_at=at_cn(2026, 11, 2), actor=users["mediator"]
    )
    limit = ops.start_deadline(mediation, "med.time_limit", started_at=at_cn(2026, 11, 2), actor=users["mediator"])
    db.session.commit()
    assert limit.due_on == date(2026, 12, 2)
    cdmed = factories.org("cdmed")
    client = client_as("admin")
    body = text(client.get("/deadlines/admin/rules"))
    assert "adj.docket" in body and "ref.crime_transfer" in body and "本中心调解工作规则" in body
    assert "fixed" in body and 'id="rule-med.time_limit"' in body

    url = "/deadlines/admin/rules/med.time_limit/setting"
    assert client.post(url, data={"organisation_id": str(cdmed.id), "length": "20"}).status_code == 302
    assert db.session.scalars(sa.select(RuleSetting.length)).one() == 20
    limit = db.session.get(Deadline, limit.id)
    assert limit.length == 20 and limit.due_on == date(2026, 11, 23)
    assert count(DeadlineEvent, DeadlineEvent.deadline_id == limit.id, DeadlineEvent.kind == "moved") == 1

    response = client.post(
        "/deadlines/admin/rules/adj.evidence_period/setting", data={"organisation_id": str(cdmed.id), "length": "10"}
    )
    assert response.status_code == 422 and "The law requires at least 15." in text(response)
    response = client.post(
        "/deadlines/admin/rules/adj.docket/setting", data={"organisation_id": str(cdmed.id), "length": "9"}
    )
    assert response.status_code == 422 and "fixed by law" in text(response)
    assert client.post("/deadlines/admin/rules/no.such.rule/setting", data={}).status_code == 404

    assert client.post(url, data={"organisation_id": str(cdmed.id)}).status_code == 302  # clear
    assert count(RuleSetting) == 0
    assert db.session.get(Deadline, limit.id).due_on == date(2026, 12, 2)


def test_local_setting_of_an_hour_rule_moves_open_hour_deadlines(client_as, create_case, users, calendar, now):
    injunction = create_case(Channel.injunction, received_at=at_cn(2026, 11, 24, 9), actor=users["examiner"])
    db.session.commit()
    d = deadline_of(injunction, "inj.decision")
    assert d.due_at == at_cn(2026, 11, 26, 9)
    response = client_as("admin").post(
        "/deadlines/admin/rules/inj.decision/setting",
        data={"organisation_id": str(factories.org("cdip").id), "length": "24"},
    )
    assert response.status_code == 302
    d = db.session.get(Deadline, d.id)
    assert d.length == 24 and d.due_at == at_cn(2026, 11, 25, 9)
    moved = db.session.scalars(sa.select(DeadlineEvent).where(DeadlineEvent.kind == "moved")).one()
    assert moved.old_due_at == at_cn(2026, 11, 26, 9) and moved.new_due_at == d.due_at


def test_duty_roster(client_as, users, now):
    cdip, cqip = factories.org("cdip"), factories.org("cqip")
    client = client_as("admin")
    form = {"organisation_id": str(cdip.id), "starts_at": "2026-11-25T18:00", "ends_at": "2026-11-26T08:00"}
    response = client.post("/deadlines/admin/duty", data=form | {"user_id": str(users["cqexaminer"].id)})
    assert response.status_code == 422 and "active staff member of this organisation" in text(response)
    response = client.post(
        "/deadlines/admin/duty", data=form | {"user_id": str(users["examiner"].id), "ends_at": "2026-11-25T17:00"}
    )
    assert response.status_code == 422 and "must end after it starts" in text(response)
    response = client.post(
        "/deadlines/admin/duty", data=form | {"user_id": str(users["examiner"].id), "starts_at": "0001-01-01T00:00"}
    )
    assert response.status_code == 422 and "Enter a year from 2000 to 2099." in text(response)
    assert count(DutyShift) == 0
    assert client.post("/deadlines/admin/duty", data=form | {"user_id": str(users["examiner"].id)}).status_code == 302
    shift = db.session.scalars(sa.select(DutyShift)).one()
    assert shift.starts_at == at_cn(2026, 11, 25, 18) and shift.organisation_id == cdip.id != cqip.id
    body = text(client.get("/deadlines/admin/duty"))
    assert "2026-11-25 18:00" in body and "Examiner" in body
    assert client.post(f"/deadlines/admin/duty/{shift.id}/delete").status_code == 302
    assert count(DutyShift) == 0


# -- permission matrix ----------------------------------------------------------------------------

ROLES = ["admin", "director", "examiner", "mediator", "station", "expert", "party", "cqexaminer"]
VIEWERS = {"admin", "director", "examiner", "expert", "party"}  # of the matrix case
EDITORS = {"director", "examiner"}


def _case_read() -> dict[str, int]:
    return {r: 200 if r in VIEWERS else 404 for r in ROLES}


def _case_write(ok: int) -> dict[str, int]:
    return {r: ok if r in EDITORS else 403 if r in VIEWERS else 404 for r in ROLES}


def _staff(ok: int) -> dict[str, int]:
    return {r: 403 if r == "party" else ok for r in ROLES}


def _admin(ok: int) -> dict[str, int]:
    return {r: ok if r == "admin" else 403 for r in ROLES}


#: endpoint → (method, url template, expected status per role); POSTs carry no data, so an
#: allowed one fails validation (422) and changes nothing, except the harmless mark-read ones
DEADLINE_MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "deadlines.case_deadlines": ("GET", "/deadlines/case/{case}", _case_read()),
    "deadlines.request_extension": ("GET", "/deadlines/{deadline}/extension", _case_write(200)),
    "deadlines.decide_extension": (
        "GET",
        "/deadlines/extensions/{extension}/decision",
        {r: 200 if r == "director" else 403 if r in VIEWERS else 404 for r in ROLES},
    ),
    "deadlines.cancel_deadline": ("POST", "/deadlines/{deadline}/cancel", _case_write(422)),
    "deadlines.start_exclusion": ("POST", "/deadlines/case/{case}/exclusions/new", _case_write(422)),
    "deadlines.record_event": ("POST", "/deadlines/case/{case}/events", _case_write(422)),
    "deadlines.end_exclusion": ("POST", "/deadlines/exclusions/{period}/end", _case_write(422)),
    "deadlines.my_deadlines": ("GET", "/deadlines/mine", _staff(200)),
    "deadlines.calculator": ("POST", "/deadlines/calculator", _staff(422)),
    "deadlines.notifications": ("GET", "/deadlines/notifications", dict.fromkeys(ROLES, 200)),
    "deadlines.read_all_notifications": ("POST", "/deadlines/notifications/read", dict.fromkeys(ROLES, 302)),
    "deadlines.read_notification": (
        "POST",
        "/deadlines/notifications/{note}/read",
        {r: 302 if r == "examiner" else 404 for r in ROLES},
    ),
    "deadlines.admin_calendar": ("GET", "/deadlines/admin/calendar", _admin(200)),
    "deadlines.correct_calendar_day": ("POST", "/deadlines/admin/calendar/day", _admin(422)),
    "deadlines.enter_calendar_schedule": ("POST", "/deadlines/admin/calendar/schedule", _admin(422)),
    "deadlines.confirm_calendar_year": ("POST", "/deadlines/admin/calendar/confirm", _admin(422)),
    "deadlines.admin_rules": ("GET", "/deadlines/admin/rules", _admin(200)),
    "deadlines.set_rule_setting": ("POST", "/deadlines/admin/rules/med.time_limit/setting", _admin(422)),
    "deadlines.admin_duty": ("GET", "/deadlines/admin/duty", _admin(200)),
    "deadlines.delete_duty_shift": ("POST", "/deadlines/admin/duty/{shift}/delete", _admin(302)),
}


def test_matrix_covers_every_deadline_route(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("deadlines.")}
    assert endpoints == DEADLINE_MATRIX.keys()


@pytest.mark.parametrize("role", ROLES)
def test_deadline_permission_matrix(client_as, case, time_limit, users, role):
    case.requesters[0].user = users["party"]
    case_ops.assign_staff(case, users["expert"], "tech_investigator", actor=users["examiner"])
    ext = ops.request_extension(time_limit, level="director", length=1, reason="案情复杂", actor=users["examiner"])
    period = ops.start_exclusion(
        case, ExclusionKind.appraisal, date(2026, 11, 23), actor=users["examiner"], reason="鉴定"
    )
    notify_case_staff(case, None, "moved", key="matrix", data={"title": "x"})
    note = db.session.scalars(sa.select(Notification).where(Notification.user_id == users["examiner"].id)).one()
    shift = calendar_admin.add_duty_shift(
        factories.org("cdip"),
        users["examiner"],
        starts_at=at_cn(2026, 11, 25),
        ends_at=at_cn(2026, 11, 26),
        actor=users["admin"],
    )
    db.session.commit()
    ids = {
        "case": case.id,
        "deadline": deadline_of(case, "adj.docket").id,
        "extension": ext.id,
        "period": period.id,
        "note": note.id,
        "shift": shift.id,
    }
    client = client_as(role)
    wrong = []
    for endpoint, (method, template, expected) in DEADLINE_MATRIX.items():
        response = client.open(template.format(**ids), method=method)
        if response.status_code != expected[role]:
            wrong.append(f"{endpoint}: {response.status_code}, expected {expected[role]}")
    assert not wrong
