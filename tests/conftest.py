"""Shared fixtures. Every test runs once on SQLite and once on PostgreSQL when one is reachable
(``IPCASE_TEST_DATABASE_URL``, default postgresql://postgres@127.0.0.1:5432/test).

Time is frozen for the whole process (time-machine, no ticking): every test starts at the same
instant, ``--at`` (or ``IPCASE_TEST_NOW``; default :data:`DEFAULT_INSTANT`), and whatever reads the
clock — ``clock.now()``, ``datetime.now()``, ``time.time()``, in the code under test, the
factories, the live server's threads — sees that instant until the test moves it with
``frozen_now``. ``bash .ci/setup.sh test`` runs the suite at the default instant and again at
:data:`OTHER_INSTANTS`, so a test that only passes on one day is found."""

import gc
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
import sqlalchemy as sa
import time_machine
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from ipcase import create_app
from ipcase.config import normalise_database_url
from ipcase.core.extensions import db
from ipcase.deadlines.service import sync_calendar
from tests import factories

#: the instant every test starts at unless ``--at`` says otherwise: a Tuesday, 10:00 in China
DEFAULT_INSTANT = "2026-11-24T02:00:00+00:00"
#: the instants CI runs the suite at besides the default: a later year without an official
#: holiday schedule, and 23:30 in China on the eve of the National Day holiday
OTHER_INSTANTS = ("2027-03-15T02:00:00+00:00", "2026-09-30T15:30:00+00:00")


#: (instant, traveller) of the run, kept on the pytest config
_CLOCK = pytest.StashKey[tuple[datetime, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--at",
        default=os.environ.get("IPCASE_TEST_NOW", DEFAULT_INSTANT),
        help="ISO instant with offset at which the clock stands for every test (default %(default)s)",
    )


def parse_instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise pytest.UsageError(f"--at needs an offset (e.g. {DEFAULT_INSTANT}), got {text!r}")
    return value.astimezone(UTC)


def pytest_configure(config: pytest.Config) -> None:
    instant = parse_instant(config.getoption("--at"))
    traveller = time_machine.travel(instant, tick=False)
    config.stash[_CLOCK] = (instant, traveller.start())
    config.add_cleanup(traveller.stop)
    # The cyclic garbage collector ran every 700 allocations over a heap of ORM objects, parsed
    # templates and hypothesis' tables, a fifth or more of the suite's CPU time: collect less often.
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (modules, the app's imports) lives for the whole
    run: the collector leaves it out of every later pass."""
    gc.collect()
    gc.freeze()


def pytest_report_header(config: pytest.Config) -> str:
    return f"clock frozen at {config.stash[_CLOCK][0].isoformat()}"


PG_URL = os.environ.get("IPCASE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")

#: the pytest-xdist worker this process is (0 for ``gw0``, 1 for ``gw1`` ...; 0 without xdist)
WORKER_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _worker_redis_url(url: str, index: int) -> str:
    """``url`` with its database number lowered by ``index``: worker *n* of a run whose Redis
    database is 15 uses 15 - *n*, so the runs' databases must be spaced by their worker count."""
    parts = urlsplit(url)
    number = int(parts.path.lstrip("/") or 0) - index
    if number < 0:
        raise pytest.UsageError(f"IPCASE_TEST_REDIS_URL {url!r} leaves no Redis database for worker {index}")
    return urlunsplit(parts._replace(path=f"/{number}"))


#: the Redis database rate-limit tests may empty (``IPCASE_TEST_REDIS_URL``, default database 15):
#: runs side by side, and the workers of one run, each get their own, or one's reset clears the
#: other's counts mid-test (a server a test starts is handed this one)
REDIS_URL = _worker_redis_url(os.environ.get("IPCASE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"), WORKER_INDEX)

#: this process's named connection on ``REDIS_URL``, held open while the tests run
_redis_claim: Any = None


def claim_redis_database() -> None:
    """Hold ``REDIS_URL``'s database for this test process, or stop with the name of the process
    that holds it. The claim is a connection named ``ipcase-tests-<pid>`` left open on the
    database: Redis lists each connection with the database it selected, and the claim ends with
    the process, so a killed run leaves nothing behind. Two runs on one database empty each
    other's counts mid-test (a test sees 422 where the limit refuses, or 429 from the start)."""
    global _redis_claim
    if _redis_claim is not None:
        return

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, single_connection_client=True)
    client.client_setname(f"ipcase-tests-{os.getpid()}")
    database = int(urlsplit(REDIS_URL).path.lstrip("/") or 0)
    others = [
        entry["name"]
        for entry in client.client_list()
        if entry.get("name", "").startswith("ipcase-tests-")
        and entry["name"] != f"ipcase-tests-{os.getpid()}"
        and int(entry.get("db", -1)) == database
    ]
    if others:
        client.close()
        pytest.fail(
            f"Redis database {database} ({REDIS_URL}) is in use by another test run ({', '.join(others)}): "
            "give each run its own IPCASE_TEST_REDIS_URL",
            pytrace=False,
        )
    _redis_claim = client


def _pg_reachable() -> bool:
    url = sa.engine.make_url(normalise_database_url(PG_URL))
    try:
        psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=url.database,
            connect_timeout=3,
        ).close()
    except psycopg.Error:
        return False
    return True


#: the databases to run on (``IPCASE_TEST_BACKENDS``, comma-separated; default both)
WANTED_BACKENDS = os.environ.get("IPCASE_TEST_BACKENDS", "sqlite,postgresql").replace(" ", "").split(",")
PG_AVAILABLE = "postgresql" in WANTED_BACKENDS and _pg_reachable()
BACKENDS = [
    *(["sqlite"] if "sqlite" in WANTED_BACKENDS else []),
    *(
        [pytest.param("postgresql", marks=pytest.mark.skipif(not PG_AVAILABLE, reason="PostgreSQL not reachable"))]
        if "postgresql" in WANTED_BACKENDS
        else []
    ),
]


def database_config(backend: str, tmp_path_factory: pytest.TempPathFactory, label: str) -> dict[str, Any]:
    """Connection settings for a fresh, empty database: a SQLite file or a PostgreSQL schema."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp(label) / "test.sqlite"
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    schema = f"t_{label}_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(_pg_sqlalchemy_url())
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    # A test database is thrown away: its commits need not wait for the disk (the live server's,
    # the race tests' and the migrations' commits otherwise each wait for an fsync).
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    return {
        "SQLALCHEMY_DATABASE_URI": _pg_sqlalchemy_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": options}},
        "_PG_SCHEMA": schema,
    }


def _pg_sqlalchemy_url() -> str:
    return normalise_database_url(PG_URL)


def at_once(app: Flask, work: Any, times: int = 2, timeout: float = 120) -> list[Any]:
    """Run ``work()`` in ``times`` threads at the same moment (a barrier), each in its own app
    context, so on its own database connection; their results (in the order they finished).
    A thread's exception fails the test instead of being lost in the thread."""
    barrier = threading.Barrier(times)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results.append(work())
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not errors, errors
    return results


def drop_database(config: dict[str, Any]) -> None:
    if schema := config.get("_PG_SCHEMA"):
        engine = sa.create_engine(_pg_sqlalchemy_url())
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()


class IsolatedClient(FlaskClient):
    """Test client whose requests start with an empty ``g``, as real requests do.

    ``_transaction`` keeps one app context pushed for the whole test and requests reuse it, so
    without this Flask-Login's cached user, Flask-Babel's cached locale and the cached working
    calendar would leak from one request into the next."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            for name in list(vars(g)):
                g.pop(name, None)
        return super().open(*args, **kwargs)


def make_app(db_config: dict[str, Any], **extra: Any) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
            "SWEEP_INTERVAL": 0,
            "SERVER_NAME": None,
            **{k: v for k, v in db_config.items() if not k.startswith("_")},
            **extra,
        }
    )
    app.test_client_class = IsolatedClient
    return app


_SHARED_SCOPES = {"session": 0, "package": 1, "module": 2, "class": 3}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``--dist loadgroup``), tests that share a costly fixture wider than one
    test go to the same worker, which builds it once: the browser tests (Chromium, the live server
    and its database, ``tests/browser/conftest.py``) all on one worker, a module's seeded or
    rendered fixture (``scope="module"``) on one. The fixtures of this file and of plugins are
    cheap enough for each worker to build its own."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        groups = []
        for defs in info.name2fixturedefs.values():
            fixture = defs[-1]
            if fixture.scope not in _SHARED_SCOPES or fixture.baseid in ("", "tests"):
                continue
            if fixture.scope in ("session", "package"):
                owner = fixture.baseid
            else:
                owner = item.nodeid.split("::")[0] + ("" if fixture.scope == "module" else f"::{item.cls.__name__}")
            groups.append((_SHARED_SCOPES[fixture.scope], owner))
        if groups:
            item.add_marker(pytest.mark.xdist_group(min(groups)[1]))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a migrated database holding the base data (organisations, one user per role)."""
    config = database_config(backend, tmp_path_factory, "app")
    application = make_app(config)
    with application.app_context():
        upgrade()
        factories.seed_base()
        sync_calendar()  # the official calendar, as `flask ipcase sync-calendar` loads it
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    drop_database(config)


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each test inside a transaction that is rolled back afterwards; commits in the code
    under test become SAVEPOINT releases. Tests that use the ``app`` fixture get this for free."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")

    with app.app_context():
        engines = db._app_engines[app]
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection  # every session of this app now binds to this connection
        db.session.remove()
        factory = db.session.session_factory
        factory.configure(join_transaction_mode="create_savepoint")
        ctx = app.app_context()
        ctx.push()
        try:
            yield
        finally:
            ctx.pop()
            db.session.remove()
            factory.kw.pop("join_transaction_mode", None)
            engines[None] = engine
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    """``login_as("examiner")`` logs the test client in through the real login form."""

    def _login(username: str) -> FlaskClient:
        response = client.post("/login", data={"username": username, "password": factories.PASSWORD})
        assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
        return client

    return _login


@pytest.fixture
def users() -> dict[str, Any]:
    """The base accounts by user name (see ``factories.BASE_USERS``)."""
    return factories.base_users()


@pytest.fixture
def create_case() -> Any:
    return factories.create_case


@pytest.fixture(scope="session")
def instant(pytestconfig: pytest.Config) -> datetime:
    """The instant every test starts at (``--at``), aware, in UTC."""
    return pytestconfig.stash[_CLOCK][0]


@pytest.fixture(autouse=True)
def _clock(request: pytest.FixtureRequest, pytestconfig: pytest.Config) -> Iterator[None]:
    """Every test starts at the run's instant, or at the instant its ``frozen_at`` mark names (a
    test whose data are written for one day, e.g. the National Day holiday, says so), and leaves
    the clock at the run's instant for the next one and for the session fixtures set up between."""
    instant, traveller = pytestconfig.stash[_CLOCK]
    mark = request.node.get_closest_marker("frozen_at")
    if mark is not None:
        pinned = mark.args[0]
        if not (isinstance(pinned, datetime) and pinned.tzinfo is not None):
            raise pytest.UsageError(f"frozen_at needs an aware datetime, got {pinned!r}")
        traveller.move_to(pinned)
    else:
        traveller.move_to(instant)
    yield
    traveller.move_to(instant)


@pytest.fixture
def frozen_now(pytestconfig: pytest.Config) -> Any:
    """Call the fixture's value with an aware datetime to move the clock there (it stays frozen);
    it returns that datetime. Without a call the clock stands at the run's instant."""
    traveller = pytestconfig.stash[_CLOCK][1]

    def move(value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("frozen_now needs an aware datetime")
        traveller.move_to(value)
        return value

    return move
