"""Logging in and out: uniform failures, lockout, inactive accounts, safe redirects, rate limit,
and changing one's own password."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from ipcase.core.extensions import db, limiter
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
ERRORS = re.compile(r'<p class="error" role="alert">([^<]*)</p>')


def login(client, username, password=PASSWORD, **data):
    return client.post("/login", data={"username": username, "password": password, **data})


def errors(response) -> list[str]:
    return ERRORS.findall(response.get_data(as_text=True))


def test_login_page(client_as):
    assert client_as().get("/login").status_code == 200


def test_login_success(client_as, users, frozen_now):
    frozen_now(NOW)
    client = client_as()
    response = login(client, "examiner")
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    db.session.expire_all()
    assert users["examiner"].last_login_at == NOW
    assert users["examiner"].failed_logins == 0


def test_user_name_is_case_insensitive(client_as):
    assert login(client_as(), " Examiner ").status_code == 302


def test_unknown_user_and_wrong_password_look_the_same(client_as, users):
    unknown = login(client_as(), "no-such-user", "whatever-123")
    wrong = login(client_as(), "examiner", "wrong-password-1")
    assert unknown.status_code == wrong.status_code == 422
    assert errors(unknown) == errors(wrong)
    assert len(errors(wrong)) == 1
    assert "Wrong user name or password" in errors(wrong)[0]
    db.session.expire_all()
    assert users["examiner"].failed_logins == 1


def test_empty_form_is_refused(client_as):
    response = client_as().post("/login", data={})
    assert response.status_code == 422


def test_lockout_after_max_failures(app, client_as, users, frozen_now):
    """From one address, a user name gets LOGIN_MAX_FAILURES tries, then a block (see
    test_throttling.py for the rest: other addresses, growing blocks, notifications)."""
    frozen_now(NOW)
    limit = app.config["LOGIN_MAX_FAILURES"]
    client = client_as()
    for _ in range(limit):
        assert login(client, "examiner", "wrong-password-1").status_code == 422
    db.session.expire_all()
    assert users["examiner"].failed_logins == limit
    blocked_until = NOW + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"])
    # the right password does not help while the block holds, and the message stays the same
    response = login(client, "examiner")
    assert response.status_code == 422
    assert "Wrong user name or password" in errors(response)[0]
    frozen_now(blocked_until - timedelta(seconds=1))
    assert login(client, "examiner").status_code == 422
    frozen_now(blocked_until + timedelta(seconds=1))
    assert login(client, "examiner").status_code == 302


def test_success_resets_the_failure_count(app, client_as, users, frozen_now):
    frozen_now(NOW)
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        login(client_as(), "examiner", "wrong-password-1")
    assert login(client_as(), "examiner").status_code == 302
    for _ in range(limit - 1):
        login(client_as(), "examiner", "wrong-password-1")
    assert login(client_as(), "examiner").status_code == 302
    db.session.expire_all()
    assert users["examiner"].locked_until is None


def test_other_accounts_are_not_locked(app, client_as, frozen_now):
    frozen_now(NOW)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client_as(), "examiner", "wrong-password-1")
    assert login(client_as(), "examiner2").status_code == 302


def test_inactive_user_cannot_log_in(client_as, users):
    users["examiner"].is_active = False
    db.session.commit()
    response = login(client_as(), "examiner")
    assert response.status_code == 422
    assert "Wrong user name or password" in errors(response)[0]


def test_deactivated_user_is_logged_out(client_as, users):
    client = client_as("examiner")
    assert client.get("/cases/").status_code == 200
    users["examiner"].is_active = False
    db.session.commit()
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "//evil.com/cases/",
        "https://evil.com",
        "https://evil.com/cases/",
        "http://localhost/cases/",
        "https:evil.com",
        "javascript:alert(1)",
        "///evil.com",
        " //evil.com",
        "evil.com",
        "",
        "/\\evil.com",
        "/cases/\r\nX-Injected: 1",  # a header split (before: a 500)
        "/cases/\x85",
    ],
)
def test_next_must_stay_on_the_site(client_as, target):
    response = login(client_as(), "examiner", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/"


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com"])
def test_next_from_the_query_string_is_checked_too(client_as, target):
    client = client_as()
    response = client.post("/login", query_string={"next": target}, data={"username": "examiner", "password": PASSWORD})
    assert response.headers["Location"] == "/cases/"


@pytest.mark.parametrize("target", ["/\\evil.com", "/\\/evil.com"])
def test_backslash_tricks_do_not_leave_the_site(client_as, target):
    # browsers read "/\evil.com" as "//evil.com"; the Location header must not allow that
    location = login(client_as(), "examiner", next=target).headers["Location"]
    assert not location.startswith(("//", "/\\"))
    assert "\\" not in location


def test_local_next_is_followed(client_as):
    response = login(client_as(), "examiner", next="/cases/?q=%E6%88%90&page=2")
    assert response.headers["Location"] == "/cases/?q=%E6%88%90&page=2"


def test_anonymous_request_redirects_to_login_with_next(client_as):
    client = client_as()
    response = client.get("/cases/?channel=mediation")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    page = client.get(response.headers["Location"])
    assert 'name="next"' in page.get_data(as_text=True)


def test_logout_is_post_only(client_as):
    client = client_as("examiner")
    assert client.get("/logout").status_code == 405
    assert client.get("/cases/").status_code == 200  # still logged in
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    after = client.get("/cases/")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/login")


def test_logout_keeps_the_language(client_as, text):
    client = client_as("examiner", lang="en")
    client.post("/logout")
    assert '<html lang="en">' in text(client.get("/login"))


def test_login_starts_a_fresh_session(client_as):
    client = client_as()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "examiner")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("lang") == "en"  # the language survives


def test_login_rate_limit(app, client_as, text):
    """The limiter is off in tests (RATELIMIT_ENABLED=False at app creation), so Flask-Limiter never
    set up its storage for the app: give it one on a throwaway app, switch it on, restore after."""
    was_enabled = limiter.enabled
    if not limiter.initialized:
        probe = Flask("ratelimit-probe")
        probe.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
        limiter.init_app(probe)
    limiter.enabled = True
    limiter.reset()
    try:
        client = client_as()
        allowed = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
        statuses = [client.post("/login", data={"username": "x"}).status_code for _ in range(allowed + 2)]
        assert statuses == [422] * allowed + [429, 429]
        response = client.post("/login", data={"username": "examiner", "password": PASSWORD})
        assert response.status_code == 429  # even with the right password
        assert '<header class="topbar">' in text(response)
        assert client.get("/login").status_code == 200  # only POST is limited
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
    assert client.post("/login", data={"username": "examiner", "password": PASSWORD}).status_code == 302


# -- own password ----------------------------------------------------------------------------------


def change(client, current=PASSWORD, new="New-passw0rd-2026", confirm=None):
    return client.post(
        "/account/password", data={"current": current, "password": new, "confirm": new if confirm is None else confirm}
    )


def test_password_page(client_as):
    assert client_as("examiner").get("/account/password").status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"current": "not-my-password-1"}, "current password is wrong"),
        ({"new": "short-1"}, "at least 10 characters"),
        ({"new": "onlyletterslong"}, "letters and digits"),
        ({"new": "1234567890123"}, "letters and digits"),
        ({"new": "my-examiner-pass-1"}, "must not contain the user name"),
        ({"confirm": "Different-passw0rd"}, "differ"),
        ({"new": ""}, ""),
    ],
)
def test_password_change_refused(client_as, users, kwargs, fragment):
    client = client_as("examiner")
    old_hash = users["examiner"].password_hash
    response = change(client, **kwargs)
    assert response.status_code == 422
    assert any(fragment in e for e in errors(response)), errors(response)
    db.session.expire_all()
    assert users["examiner"].password_hash == old_hash


def test_password_change(client_as):
    client = client_as("examiner")
    response = change(client)
    assert response.status_code == 302
    assert login(client_as(), "examiner").status_code == 422
    assert login(client_as(), "examiner", "New-passw0rd-2026").status_code == 302


def test_password_change_needs_login(client_as):
    response = change(client_as())
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
