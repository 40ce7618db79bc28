"""The admin's outbox page: parked messages first with their error, a retry that works."""

import re
from datetime import timedelta

import sqlalchemy as sa

from ipcase.core import clock, outbox
from ipcase.core.extensions import db
from ipcase.core.outbox import OutboxMessage, OutboxStatus


def test_parked_after_max_attempts_shown_to_the_admin_and_retried(app, smtp, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    outbox.queue_email("test:fine", "other@example.org", "Fine", "Body")
    db.session.commit()
    assert outbox.deliver_due()["sent"] == 1
    smtp.refuse_all = True
    outbox.queue_email("test:parked2", "party@example.org", "Hearing notice", "Body")
    db.session.commit()
    at = clock.now()
    for _ in range(3):
        counts = outbox.deliver_due(at)
        at += timedelta(hours=1)
    assert counts["parked"] == 1
    db.session.expire_all()
    parked = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.key == "test:parked2")).one()
    assert (parked.status, parked.attempts) == (OutboxStatus.parked, 3)
    assert outbox.deliver_due(at + timedelta(days=1))["claimed"] == 0  # parked stays parked

    client = login_as("admin")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "451" in page and "Mailbox busy" in page
    assert page.index("test:parked2") < page.index("test:fine")  # parked first
    assert re.search(r'id="count-parked">[^<]*\(1\)<', page)
    assert f'action="/admin/outbox/{parked.id}/retry"' in page
    only = client.get("/admin/outbox?status=parked").get_data(as_text=True)
    assert "test:parked2" in only and "test:fine" not in only

    smtp.refuse_all = False
    response = client.post(f"/admin/outbox/{parked.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    assert (parked.status, parked.attempts) == (OutboxStatus.pending, 0)
    assert outbox.deliver_due()["sent"] == 1
    assert sum(1 for m in smtp.accepted if m["To"] == "party@example.org") == 1
    # a message not parked is not retried
    assert client.post(f"/admin/outbox/{parked.id}/retry").status_code == 302
    db.session.expire_all()
    assert (parked.status, parked.attempts) == (OutboxStatus.sent, 1)


def test_only_admins_see_the_outbox(app, login_as):
    assert login_as("examiner").get("/admin/outbox").status_code == 403
