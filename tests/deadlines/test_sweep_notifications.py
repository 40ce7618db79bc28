"""The real sweep's reminders and breach alerts can be read in the app, on SQLite and PostgreSQL.

The sweep writes its notifications with one INSERT … SELECT (``jobs._notify_claimed``); what it
stores in the JSON ``data`` column must read back as a JSON object on every database, and the
notifications page must render whatever it finds there."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from ipcase.cases.enums import Channel
from ipcase.core.extensions import db
from ipcase.deadlines.messages import notification_text
from ipcase.deadlines.models import Deadline, DeadlineState, Notification
from ipcase.deadlines.service import sync_calendar

CN = timedelta(hours=8)


def at_cn(y: int, m: int, d: int, hh: int = 10) -> datetime:
    """A China-time instant as UTC."""
    return datetime(y, m, d, hh, tzinfo=UTC) - CN


@pytest.fixture
def swept(app, create_case, users, frozen_now):
    """Two cases of the examiner's on Tuesday 2026-11-24, 10:00 China time, then `flask ipcase
    sweep`: one docketing period falls due on Wednesday 11-25 (within the 2 working days of a
    reminder), the other fell due on Tuesday 11-17 (missed)."""
    sync_calendar()
    frozen_now(at_cn(2026, 11, 24))
    soon = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 18), actor=users["examiner"])
    missed = create_case(Channel.adjudication, received_at=at_cn(2026, 11, 10), actor=users["examiner"])
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["ipcase", "sweep"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return soon, missed


def _docket(case) -> Deadline:
    return db.session.scalars(
        sa.select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_id == "adj.docket")
    ).one()


def test_the_sweep_stores_a_json_object(swept, users):
    soon, missed = swept
    assert _docket(missed).state == DeadlineState.breached
    assert _docket(soon).reminder_sent_at is not None
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == users["examiner"].id)).all()
    assert sorted(n.kind for n in notes) == ["breached", "due_soon"]
    assert all(n.data == {} for n in notes)  # a JSON object, not SQLite's 0 from CAST('{}' AS JSON)
    # and what the column holds is JSON text on SQLite, a JSON object on PostgreSQL
    raw = db.session.execute(
        sa.text(
            "SELECT typeof(data) FROM notifications WHERE user_id = :u"
            if db.session.get_bind().dialect.name == "sqlite"
            else "SELECT json_typeof(data::json) FROM notifications WHERE user_id = :u"
        ),
        {"u": users["examiner"].id},
    ).scalars()
    assert set(raw) == ({"text"} if db.session.get_bind().dialect.name == "sqlite" else {"object"})


def test_the_swept_user_reads_the_reminder_and_the_alert(swept, login_as, users):
    soon, missed = swept
    client = login_as("examiner")
    assert client.post("/language", data={"lang": "en"}).status_code == 302
    response = client.get("/deadlines/notifications")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f"{soon.number}: {_docket(soon).title} falls due soon" in body
    assert f"{missed.number}: {_docket(missed).title} has been missed" in body

    other = client.get("/deadlines/mine")  # another page, with the unread badge in the header
    assert other.status_code == 200
    assert '<span class="badge" aria-label="2 unread">2</span>' in other.get_data(as_text=True)


def test_the_director_reads_them_in_chinese(swept, login_as):
    soon, _ = swept
    client = login_as("director")
    response = client.get("/deadlines/notifications")
    assert response.status_code == 200
    assert f"{soon.number}：{_docket(soon).title}即将届满" in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [0, 1, "{}", None, [], ["x"], True])
def test_a_notification_whose_data_is_not_an_object_still_renders(swept, users, login_as, data):
    note = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == users["examiner"].id, Notification.kind == "due_soon")
    ).one()
    db.session.execute(sa.update(Notification).where(Notification.id == note.id).values(data=data))
    db.session.execute(sa.update(Notification).where(Notification.id == note.id).values(kind="moved", deadline_id=None))
    db.session.commit()
    db.session.expire_all()
    note = db.session.get(Notification, note.id)
    with force_locale("en"):
        assert notification_text(note) == ":  moved from  to "
    client = login_as("examiner")
    assert client.get("/deadlines/notifications").status_code == 200
