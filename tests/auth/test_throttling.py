"""Login throttling (issue 13): an attacker guessing passwords is slowed down per (user name,
address) and per address, with growing blocks, and the account's owner and the admins hear of
it; the owner still logs in from their usual address, and a throttled answer reads the same for
a user name that does not exist."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from ipcase.auth.models import LoginThrottle
from ipcase.core.addresses import client_address
from ipcase.core.extensions import db
from ipcase.deadlines.models import Notification
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in China
ERRORS = re.compile(r'<p class="error" role="alert">([^<]*)</p>')
WRONG = "wrong-password-1"
OWNER = "198.51.100.7"
ATTACKER = "203.0.113.66"


def errors(response) -> list[str]:
    return ERRORS.findall(response.get_data(as_text=True))


@pytest.fixture
def client_from(client_as):
    """``client_from("203.0.113.1")``: an anonymous client whose requests come from that address."""

    def make(address: str):
        client = client_as()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    return make


def login(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def throttled(response) -> bool:
    return response.status_code == 422 and any("Try again after" in e for e in errors(response))


def attack_notes(user_id: int) -> list[Notification]:
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user_id, Notification.kind == "login_attack")
    ).all()


def test_an_attacker_does_not_lock_the_owner_out(app, client_from, frozen_now):
    frozen_now(NOW - timedelta(days=3))
    assert login(client_from(OWNER), "examiner").status_code == 302  # the owner's usual address
    frozen_now(NOW)
    attacker = client_from(ATTACKER)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(attacker, "examiner", WRONG).status_code == 422
    # the attacker's address is now refused even with the right password…
    assert throttled(login(attacker, "examiner"))
    # …while the owner logs in from their address, and from a new one too
    assert login(client_from(OWNER), "examiner").status_code == 302
    assert login(client_from("192.0.2.10"), "examiner").status_code == 302


def test_the_attackers_address_is_blocked_for_growing_times(app, client_from, frozen_now):
    frozen_now(NOW)
    attacker = client_from(ATTACKER)
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert not throttled(login(attacker, "examiner", WRONG))
    response = login(attacker, "examiner", WRONG)
    assert throttled(response)
    assert errors(response) == [
        "Wrong user name or password, or the account is locked.",
        "Too many failed attempts from your address. Try again after 10:15.",
    ]
    frozen_now(NOW + timedelta(minutes=14))
    assert throttled(login(attacker, "examiner"))  # the right password changes nothing
    frozen_now(NOW + timedelta(minutes=15, seconds=1))
    for _ in range(limit):
        assert not throttled(login(attacker, "examiner", WRONG))
    second = login(attacker, "examiner", WRONG)
    assert "Too many failed attempts from your address. Try again after 10:45." in errors(second)  # 30 minutes
    # another user name from the same address is not blocked by that pair
    assert login(attacker, "examiner2").status_code == 302


def test_one_address_trying_many_user_names_is_blocked(app, client_from, frozen_now, monkeypatch):
    frozen_now(NOW)
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_MAX_FAILURES", 4)
    sprayer = client_from(ATTACKER)
    for name in ("admin", "director", "mediator", "nobody-1"):
        assert not throttled(login(sprayer, name, WRONG))
    assert throttled(login(sprayer, "examiner"))  # even a right password, for a fresh name
    assert login(client_from(OWNER), "examiner").status_code == 302  # other addresses are not concerned


def test_guessing_from_many_addresses_leaves_only_known_addresses_in(app, client_from, frozen_now, monkeypatch, users):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_MAX_FAILURES", 4)
    frozen_now(NOW - timedelta(days=30))
    assert login(client_from(OWNER), "examiner").status_code == 302
    frozen_now(NOW)
    for i in range(4):
        assert login(client_from(f"203.0.113.{i + 1}"), "examiner", WRONG).status_code == 422
    db.session.expire_all()
    assert users["examiner"].locked_until == NOW + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"])
    # a new address is refused even with the right password, with the plain message (no time,
    # which a user name that does not exist would not get either)…
    refused = login(client_from("203.0.113.50"), "examiner")
    assert refused.status_code == 422
    assert errors(refused) == ["Wrong user name or password, or the account is locked."]
    # …the owner's address is not
    assert login(client_from(OWNER), "examiner").status_code == 302
    db.session.expire_all()
    assert (users["examiner"].failed_logins, users["examiner"].locked_until) == (0, None)


def test_a_known_address_is_forgotten_after_a_while(app, client_from, frozen_now, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_MAX_FAILURES", 2)
    frozen_now(NOW - timedelta(days=app.config["LOGIN_KNOWN_ADDRESS_DAYS"] + 1))
    assert login(client_from(OWNER), "examiner").status_code == 302
    frozen_now(NOW)
    for i in range(2):
        login(client_from(f"203.0.113.{i + 1}"), "examiner", WRONG)
    assert login(client_from(OWNER), "examiner").status_code == 422


def test_a_user_name_that_does_not_exist_is_throttled_the_same_way(app, client_from, frozen_now):
    frozen_now(NOW)

    def answers(username: str, address: str) -> list[tuple[int, list[str]]]:
        client = client_from(address)
        return [
            (r.status_code, errors(r))
            for r in (login(client, username, WRONG) for _ in range(app.config["LOGIN_MAX_FAILURES"] + 2))
        ]

    existing = answers("examiner", "203.0.113.1")
    missing = answers("no-such-user", "203.0.113.2")
    assert existing == missing
    assert any("Try again after" in " ".join(e) for _, e in existing)


def test_owner_and_admins_are_told_once_per_burst(app, client_from, client_as, frozen_now, users, text):
    frozen_now(NOW - timedelta(days=1))
    client_as("examiner")  # the test client's address becomes one the owner used before
    frozen_now(NOW)
    attacker = client_from(ATTACKER)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        login(attacker, "examiner", WRONG)
    for i in range(app.config["LOGIN_ACCOUNT_MAX_FAILURES"]):
        login(client_from(f"192.0.2.{i + 1}"), "examiner", WRONG)
    assert len(attack_notes(users["examiner"].id)) == 1
    assert len(attack_notes(users["admin"].id)) == 1
    assert attack_notes(users["director"].id) == []
    note = attack_notes(users["examiner"].id)[0]
    assert note.data == {"username": "examiner", "address": ATTACKER}
    # the owner reads it among their notifications, the admin too and on the accounts page
    examiner = client_as("examiner")
    assert "Repeated wrong passwords for the account examiner (last from 203.0.113.66)" in text(
        examiner.get("/deadlines/notifications")
    )
    admin = client_as("admin")
    assert "Repeated wrong passwords for the account examiner" in text(admin.get("/deadlines/notifications"))
    page = text(admin.get("/admin/users"))
    assert ATTACKER in page.split('id="blocked-logins"')[1]
    # a new burst after the owner's next login gives a new notification
    frozen_now(NOW + timedelta(hours=1))
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        login(client_from("203.0.113.99"), "examiner", WRONG)
    assert len(attack_notes(users["examiner"].id)) == 2


def test_the_accounts_page_shows_failures_and_blocks(app, client_from, client_as, frozen_now, text):
    frozen_now(NOW)
    attacker = client_from(ATTACKER)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        login(attacker, "examiner2", WRONG)
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        login(attacker, "no-such-user", WRONG)
    page = text(client_as("admin").get("/admin/users"))
    assert "5 wrong passwords since the last login" in page
    blocked = page.split('id="blocked-logins"')[1]
    assert blocked.count(ATTACKER) == 2
    assert "examiner2" in blocked and "a user name that does not exist" in blocked
    assert "no-such-user" not in blocked


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("", "unknown"),
        (None, "unknown"),
        ("not an address", "not an address"),
    ],
)
def test_address_keys(address, key):
    assert client_address(address) == key


def test_one_ipv6_network_counts_as_one_address(app, client_from, frozen_now):
    frozen_now(NOW)
    for i in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client_from(f"2001:db8:1:2::{i + 1}"), "examiner", WRONG)
    assert throttled(login(client_from("2001:db8:1:2::ff"), "examiner"))
    assert login(client_from("2001:db8:9:9::1"), "examiner").status_code == 302


def test_old_keys_are_pruned_but_known_addresses_kept(app, client_from, frozen_now):
    frozen_now(NOW)
    assert login(client_from(OWNER), "examiner").status_code == 302
    login(client_from(ATTACKER), "no-such-user", WRONG)
    frozen_now(NOW + timedelta(minutes=app.config["LOGIN_MAX_LOCK_MINUTES"] + 1))
    login(client_from("192.0.2.1"), "someone", WRONG)  # a failure prunes a batch
    keys = set(db.session.execute(sa.select(LoginThrottle.username, LoginThrottle.address)).all())
    assert ("no-such-user", ATTACKER) not in keys and ("", ATTACKER) not in keys
    assert ("examiner", OWNER) in keys  # a known address of the account
    assert ("someone", "192.0.2.1") in keys
