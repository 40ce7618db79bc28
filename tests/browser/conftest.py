"""Browser fixtures: a live server on its own database, and Chromium driven through Playwright.

The live server does not use the ``app`` fixture: that one runs every test inside a rolled-back
transaction, and a server answering a real browser from other threads needs real commits. It
builds its own app on an empty database (a SQLite file or a PostgreSQL schema, once per
backend), migrates it, seeds the base accounts and a few cases, and serves it with werkzeug on
a free port. CSRF stays on, so the browser submits the real forms with their real tokens.
"""

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from ipcase.cases.enums import Channel
from ipcase.core import clock
from ipcase.core.extensions import db
from ipcase.core.identifiers import patent_check_char
from ipcase.deadlines.service import sync_calendar
from tests import factories
from tests.conftest import database_config, drop_database, make_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 10_000


@dataclass
class Seeded:
    """What the live app's database holds besides the base accounts."""

    #: id of one seeded case the examiner can see
    case_id: int = 0


@pytest.fixture(scope="session")
def live_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The browser tests' own app, on an empty database migrated and seeded here."""
    config = database_config(backend, tmp_path_factory, "browser")
    app = make_app(config, WTF_CSRF_ENABLED=True)
    seeded = Seeded()
    try:
        with app.app_context():
            upgrade()
            factories.seed_base()
            sync_calendar()
            examiner = factories.base_users()["examiner"]
            # Other cases, with other parties and patents, so that searching has something to leave out.
            for serial, respondent in ((1001, "重庆某某电器有限公司"), (1002, "绵阳某某五金制品厂")):
                digits = f"20192{serial:07d}"  # 2019, utility model
                case = factories.create_case(
                    actor=examiner, respondent=respondent, patent=f"ZL{digits}.{patent_check_char(digits)}"
                )
                seeded.case_id = case.id
            factories.create_case(Channel.mediation, organisation="cdmed", respondent="成都某某灯饰有限公司")
            db.session.commit()
            db.session.remove()
        app.extensions["browser_seeded"] = seeded
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        drop_database(config)


@pytest.fixture(scope="session")
def seeded(live_app: Flask) -> Seeded:
    return live_app.extensions["browser_seeded"]


class QuietHandler(WSGIRequestHandler):
    """No access log line per request (errors and tracebacks are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve ``live_app`` on 127.0.0.1 (a free port) from a daemon thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (Debian's) for the whole run."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        pytest.skip(f"Chromium at {CHROMIUM} did not start: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@dataclass
class Problems:
    """What went wrong in the page without failing an assertion: server errors (5xx), missing
    assets (a 404 for anything but a page), JavaScript errors and CSP violations."""

    responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_response(self, response: Any) -> None:
        status, request = response.status, response.request
        missing_asset = status == 404 and not request.is_navigation_request()
        if status >= 500 or (missing_asset and not request.url.endswith("/favicon.ico")):
            self.responses.append(f"{status} {request.method} {request.url}")

    def on_console(self, message: Any) -> None:
        # "Failed to load resource" repeats a response status, which on_response judges.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def all(self) -> list[str]:
        return self.responses + self.console_errors


@pytest.fixture
def page_problems() -> Problems:
    return Problems()


@pytest.fixture
def page(browser: Any, live_server: str, page_problems: Problems, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies, no session) per test, and its one page."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    # the page's scripts (live countdowns) see the same frozen instant as the server
    context.clock.set_fixed_time(clock.now())
    pg = context.new_page()
    pg.on("response", page_problems.on_response)
    pg.on("console", page_problems.on_console)
    pg.on("pageerror", lambda exc: page_problems.console_errors.append(str(exc)))
    try:
        yield pg
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            try:
                pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception:  # noqa: S110  (a screenshot is a courtesy; never mask the failure)
                pass
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so ``page`` knows whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
