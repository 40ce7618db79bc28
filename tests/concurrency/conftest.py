"""A separate, committed database for the race tests (PostgreSQL only: SQLite's write lock,
``BEGIN IMMEDIATE``, serialises writers and hides the races), and the helpers that run two
requests at the same moment on two real connections (threads and a barrier)."""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from flask_migrate import upgrade

from ipcase.auth.models import User
from ipcase.cases.enums import Channel
from ipcase.cases.models import Case, TimelineEntry
from ipcase.core.errors import DomainError
from ipcase.core.extensions import db
from tests import factories
from tests.conftest import database_config, drop_database, make_app

#: cases raced on, one pair of requests on each
PAIRS = 10


@pytest.fixture
def race_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on its own migrated PostgreSQL schema with :data:`PAIRS` fresh adjudication cases,
    committed (the suite's per-test transaction would put both threads on one connection)."""
    if backend != "postgresql":
        pytest.skip("the race needs concurrent writers: PostgreSQL")
    config = database_config(backend, tmp_path_factory, "race")
    app = make_app(config)
    with app.app_context():
        upgrade()
        factories.seed_base()
        users = factories.base_users()
        for i in range(PAIRS):
            factories.create_case(Channel.adjudication, requester=f"并发请求人{i}", actor=users["examiner"])
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config)


def case_ids(app: Flask) -> list[int]:
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Case.id).order_by(Case.id)))
        db.session.remove()
    return ids


Work = Callable[[Case, User], Any]


def race(app: Flask, case_id: int, *moves: tuple[str, Work]) -> list[Any]:
    """Run each (user name, work) in its own thread on its own connection, all at once: each
    loads the case as a request does (what its page showed), waits at a barrier, then does its
    work and commits. Returns, in the order given, "done" or the refusal's message."""
    barrier = threading.Barrier(len(moves))
    outcomes: list[Any] = [None] * len(moves)
    errors: list[BaseException] = []

    def run(index: int, username: str, work: Work) -> None:
        try:
            with app.test_request_context():
                case = db.session.get(Case, case_id)
                user = db.session.scalar(sa.select(User).where(User.username == username))
                assert case is not None and user is not None
                case.state, user.role  # noqa: B018 -- loaded before the race, as the page was
                barrier.wait(timeout=30)
                try:
                    with force_locale("en"):
                        work(case, user)
                    db.session.commit()
                    outcomes[index] = "done"
                except DomainError as exc:
                    db.session.rollback()
                    with force_locale("en"):
                        outcomes[index] = " ".join(str(m) for m in exc.messages)
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, *move)) for i, move in enumerate(moves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return outcomes


def transitions(app: Flask, case_id: int) -> list[dict[str, Any]]:
    """The steps recorded on the case's timeline, oldest first (their data)."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(TimelineEntry)
            .where(TimelineEntry.case_id == case_id, TimelineEntry.event == "case.transition")
            .order_by(TimelineEntry.id)
        ).all()
        found = [dict(e.data) for e in rows]
        db.session.remove()
    return found
