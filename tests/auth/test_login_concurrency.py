"""Login counters under concurrent tries (PostgreSQL, two real connections): the account's failure
count loses no update (it used to: ``failed_logins += 1`` in Python, so the lock came after the
10th wrong password instead of the 5th), and of many tries at once from one address exactly the
allowed number reach the password check."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ipcase.auth.models import User
from ipcase.auth.operations import authenticate
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from tests import factories
from tests.conftest import database_config, drop_database, make_app

THREADS = 2


@pytest.fixture
def committed_app(backend, tmp_path_factory):
    if backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    config = database_config(backend, tmp_path_factory, "logins")
    app = make_app(config, LOGIN_ACCOUNT_MAX_FAILURES=5, LOGIN_MAX_FAILURES=5)
    with app.app_context():
        upgrade()
        factories.seed_base()
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def race(app, rounds: int, username: str, address_of) -> list[list[str]]:
    """``THREADS`` threads each try a wrong password ``rounds`` times, all starting each round at
    once; returns every refusal's messages."""
    barrier = threading.Barrier(THREADS)
    messages: list[list[str]] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            for _ in range(rounds):
                with app.test_request_context("/login", method="POST", environ_base={"REMOTE_ADDR": address_of(index)}):
                    barrier.wait(30)
                    try:
                        authenticate(username, "wrong-password-1")
                    except DomainError as exc:
                        messages.append(exc.messages)
                    db.session.commit()  # as the login view does: the count is kept
                    db.session.remove()
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return messages


def account(app) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "examiner"))
        db.session.expunge(user)
        return user


def test_concurrent_failures_are_all_counted(committed_app):
    # two addresses, two tries each at the same moment: 4 failures, not fewer
    race(committed_app, 2, "examiner", lambda i: f"203.0.113.{i + 1}")
    assert account(committed_app).failed_logins == 4
    assert account(committed_app).locked_until is None
    # the 5th locks, however the tries interleave
    race(committed_app, 1, "examiner", lambda i: f"203.0.113.{i + 10}")
    user = account(committed_app)
    assert user.locked_until is not None
    assert user.failed_logins == 5  # the try the lock came before was refused unchecked and uncounted


def test_concurrent_tries_from_one_address_reach_the_check_at_most_the_limit(committed_app):
    # 8 tries at once in pairs from one address at a name: 5 checked, 3 throttled
    messages = race(committed_app, 4, "no-such-user", lambda i: "198.51.100.1")
    assert len(messages) == 8
    assert sum(len(m) == 2 for m in messages) == 3  # the plain refusal plus "try again after …"
