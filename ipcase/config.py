"""Configuration: defaults → instance/config.py → IPCASE_* environment → DATABASE_URL → test config."""

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from ipcase.core.extensions import login_manager

DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105  (the value we refuse in production)


class Defaults:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from the instance path in load_config
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    #: a production instance (IPCASE_PRODUCTION=true): start-up refuses unsafe or missing settings
    #: (see :func:`production_problems`) and the cookie and HTTPS settings left at None are on
    PRODUCTION = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: None: True in production, False otherwise (like FORCE_HTTPS and REMEMBER_COOKIE_SECURE)
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE: bool | None = None
    #: host names this instance answers to; a request for another Host is refused (400).
    #: A list, or in IPCASE_TRUSTED_HOSTS a JSON list or comma-separated names. Required in production
    TRUSTED_HOSTS: list[str] | None = None
    #: reverse proxies in front of the app whose X-Forwarded-For / -Proto are trusted (ProxyFix);
    #: 0: none, forwarded headers are ignored. Required in production (say 0 explicitly)
    PROXY_COUNT: int | None = None
    #: gunicorn workers (set by ipcase.gunicorn_conf); None: unknown. Rate limits kept in memory
    #: (no REDIS_URL) count per worker, so production refuses them unless this is 1
    WORKERS: int | None = None
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    #: case number template (domain.md §9); set USE_DI to write 第 before the sequence
    CASE_NUMBER_FORMAT = "{org_abbr}{type_code}字〔{year}〕{seq}号"
    CASE_NUMBER_USE_DI = False
    CASES_PER_PAGE = 25
    #: login throttling: lock an account for LOCK_MINUTES after this many failures
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    LOGIN_RATE_LIMIT = "10 per minute"
    #: login throttling (issue 13), kept in the database: LOGIN_MAX_FAILURES tries per user name
    #: and address, LOGIN_ADDRESS_MAX_FAILURES per address for all names, within the window; then
    #: blocked for LOGIN_LOCK_MINUTES, doubling each time up to LOGIN_MAX_LOCK_MINUTES. An account
    #: failing LOGIN_ACCOUNT_MAX_FAILURES times in a row from anywhere accepts only addresses it
    #: logged in from in the last LOGIN_KNOWN_ADDRESS_DAYS, for the same growing time
    LOGIN_WINDOW_MINUTES = 15
    LOGIN_ADDRESS_MAX_FAILURES = 30
    LOGIN_ACCOUNT_MAX_FAILURES = 10
    LOGIN_MAX_LOCK_MINUTES = 24 * 60
    LOGIN_KNOWN_ADDRESS_DAYS = 90
    REDIS_URL: str | None = None
    #: the job queue's storage (ipcase.tasks.queue): redis://… or sqlite:///PATH; default REDIS_URL,
    #: else the SQLite file instance/queue.sqlite (the embedded set-up)
    QUEUE_URL: str | None = None
    #: tasks run inline in the caller instead of in a worker (default: when TESTING)
    QUEUE_IMMEDIATE: bool | None = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: redirect to HTTPS and send HSTS (Strict-Transport-Security); None: True in production
    FORCE_HTTPS: bool | None = None
    #: reminders: day periods this many working days ahead, hour periods this many hours ahead
    REMINDER_WORKING_DAYS = 2
    REMINDER_HOURS = 6
    #: seconds between sweeps run by the server itself (0: only cron or systemd runs it)
    SWEEP_INTERVAL = 300
    #: a working-day period reaching into a year without a confirmed schedule: "warn" (provisional) or "refuse"
    UNCONFIRMED_YEAR_POLICY = "warn"
    SMTP_HOST: str | None = None
    SMTP_PORT = 25
    SMTP_STARTTLS = False
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    MAIL_FROM = "ipcase@localhost"
    #: the outbox (issue 15): a message that fails is tried again after OUTBOX_RETRY_SECONDS, doubling
    #: each time up to OUTBOX_MAX_RETRY_SECONDS, and parked for an administrator after OUTBOX_MAX_ATTEMPTS;
    #: a worker holds the messages it claimed for OUTBOX_LEASE_SECONDS (then another may take them)
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_RETRY_SECONDS = 60
    OUTBOX_MAX_RETRY_SECONDS = 6 * 3600
    OUTBOX_LEASE_SECONDS = 300
    #: dotted path ("package.module:Class" or "package.module.Class") of the SMS provider, an object
    #: with ``send(to, body)``; None: the default provider, which only logs the message
    SMS_PROVIDER: str | None = None
    #: public portal (issue 6): evidence uploads (PDF, JPEG, PNG, type read from the content)
    PORTAL_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    PORTAL_UPLOAD_MAX_FILES = 10
    #: an unfinished online filing is kept this many hours, then discarded
    PORTAL_DRAFT_HOURS = 24
    #: a status-page session lasts this many minutes after the code was entered
    PORTAL_SESSION_MINUTES = 60
    #: attempts at a case reference and access code, per address and per case reference
    PORTAL_ACCESS_RATE_LIMIT = "10 per minute;40 per hour"
    PORTAL_CASE_RATE_LIMIT = "20 per hour"
    #: wrong access codes (issue 13), which never refuse a right code: PORTAL_CASE_RATE_LIMIT wrong codes
    #: for one reference from any address mark it as under attack (its wrong codes then slow their
    #: address down faster, staff see it on the timeline); per reference and address; and per address,
    #: each past the free ones doubles the wait before its next try (2, 4, 8 … seconds up to the cap),
    #: counted over the window (seconds)
    PORTAL_CASE_ADDRESS_RATE_LIMIT = "5 per 15 minutes;10 per day"
    PORTAL_ACCESS_FREE_FAILURES = 5
    PORTAL_ACCESS_MAX_WAIT = 3600
    PORTAL_ACCESS_FAILURE_WINDOW = 24 * 3600
    #: filings, online submissions, surveys and account registrations, per address
    PORTAL_SUBMIT_RATE_LIMIT = "20 per hour"
    #: official documents (issue 5): number template (domain.md §9; GB/T 9704 uses 〔〕 and no 第);
    #: {abbr} the office's prefix, {code} the kind's type code, DOCUMENT_CODES overrides codes per kind
    DOCUMENT_NUMBER_FORMAT = "{abbr}{code}〔{year}〕{serial}号"
    DOCUMENT_NUMBER_USE_DI = False
    DOCUMENT_CODES: dict[str, str] = {}
    #: the public verification page's address printed on documents and in their QR code; never
    #: taken from a request's Host. Required in production (https); otherwise None means
    #: SERVER_NAME's /verify, or DEVELOPMENT_VERIFY_URL without SERVER_NAME
    DOCUMENT_VERIFY_URL: str | None = None
    DOCUMENT_VERIFY_RATE_LIMIT = "10 per minute;60 per hour"
    #: the most cases one batch may issue a notice for
    DOCUMENT_BATCH_MAX = 200
    #: operations (issue 15): /metrics is served to a request bearing this token
    #: (``Authorization: Bearer …``) or from an address or network in METRICS_ALLOW (a list, or
    #: comma-separated in IPCASE_METRICS_ALLOW; empty: token only)
    METRICS_TOKEN: str | None = None
    METRICS_ALLOW: str | list[str] = "127.0.0.1,::1"
    #: the app's log lines on standard error: "text" or "json" (one JSON object a line)
    LOG_FORMAT = "text"


def normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` URLs and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("IPCASE")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "ipcase.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    validate_config(app)


#: the verification page outside production when neither DOCUMENT_VERIFY_URL nor SERVER_NAME
#: says where this server is (the address ``bash .ci/setup.sh serve`` binds by default)
DEVELOPMENT_VERIFY_URL = "http://127.0.0.1:5000/verify"
#: the shortest secret key production accepts (``secrets.token_hex(32)`` gives 64)
MIN_SECRET_KEY_LENGTH = 32
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _flag(value: Any) -> bool | None:
    """A boolean setting as written in instance/config.py or IPCASE_* (None: not a boolean)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _count(value: Any) -> int | None:
    """A whole number >= 0 (None: not one)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _hosts(value: Any) -> list[str] | None:
    """TRUSTED_HOSTS as a list of names: a list, or one string of comma-separated names."""
    if value is None:
        return None
    names = value.split(",") if isinstance(value, str) else list(value)
    cleaned = [str(name).strip() for name in names if str(name).strip()]
    return cleaned or None


def _derived_verify_url(config: Any) -> str:
    if config.get("SERVER_NAME"):
        root = (config.get("APPLICATION_ROOT") or "/").rstrip("/")
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}{root}/verify"
    return DEVELOPMENT_VERIFY_URL


def _resolve(config: Any) -> list[str]:
    """Turn the settings written as text or left at None into their values; the problems found
    with settings that are wrong in any mode (a proxy count that is not a number ...)."""
    problems = []
    production = _flag(config.get("PRODUCTION"))
    if production is None:
        problems.append(f"PRODUCTION must be true or false, not {config.get('PRODUCTION')!r}")
        production = True  # check the rest as strictly as production would
    config["PRODUCTION"] = production
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "FORCE_HTTPS"):
        if config.get(name) is None:
            config[name] = production
        elif (value := _flag(config[name])) is None:
            problems.append(f"{name} must be true or false, not {config[name]!r}")
        else:
            config[name] = value
    for name in ("SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"):
        if (value := _flag(config.get(name))) is not None:
            config[name] = value
    config["TRUSTED_HOSTS"] = _hosts(config.get("TRUSTED_HOSTS"))
    for name in ("PROXY_COUNT", "WORKERS"):
        raw = config.get(name)
        if raw is None:
            continue
        if (count := _count(raw)) is None:
            problems.append(f"{name} must be a whole number (0 or more), not {raw!r}")
        else:
            config[name] = count
    workers = config.get("WORKERS")
    if (
        str(config.get("RATELIMIT_STORAGE_URI") or "").startswith("memory://")
        and isinstance(workers, int)
        and workers > 1
    ):
        # each worker would count alone: "5 per 15 minutes" would let 5 × workers through
        problems.append(
            f"rate limits are kept in each worker's memory with {workers} workers:"
            " set IPCASE_REDIS_URL, or run one worker (IPCASE_WORKERS=1, several threads)"
        )
    url = config.get("DOCUMENT_VERIFY_URL")
    if url:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            problems.append(
                f"DOCUMENT_VERIFY_URL must be the full address of the /verify page (https://host/verify), not {url!r}"
            )
    return problems


def production_problems(config: Any) -> list[str]:
    """Every setting a production instance (PRODUCTION true) lacks or has unsafe, one line each."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY:
        problems.append("SECRET_KEY is the published default: set IPCASE_SECRET_KEY to a new random value")
    elif len(str(key)) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
    if config.get("DEBUG"):
        problems.append("DEBUG is on (FLASK_DEBUG): the debugger must never run in production")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if config.get(name) is not True:
            problems.append(f"{name} is off: cookies must only travel over HTTPS")
    for name in ("SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"):
        if config.get(name) is not True:
            problems.append(f"{name} is off: scripts must not read the login cookies")
    for name in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
        if config.get(name) not in ("Lax", "Strict"):
            problems.append(f"{name} must be Lax or Strict, not {config.get(name)!r}")
    if config.get("FORCE_HTTPS") is not True:
        problems.append("FORCE_HTTPS is off: production redirects to HTTPS and sends HSTS")
    url = config.get("DOCUMENT_VERIFY_URL")
    if not url:
        problems.append(
            "DOCUMENT_VERIFY_URL is not set: the public address of /verify printed on documents"
            " (e.g. https://ipcase.example.cn/verify)"
        )
    elif urlsplit(str(url)).scheme != "https":
        problems.append(f"DOCUMENT_VERIFY_URL must be an https:// address, not {url!r}")
    if not config.get("TRUSTED_HOSTS"):
        problems.append("TRUSTED_HOSTS is not set: the host names this instance answers to (e.g. ipcase.example.cn)")
    if config.get("PROXY_COUNT") is None:
        problems.append("PROXY_COUNT is not set: the number of reverse proxies in front of the app (0 if none)")
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith("memory://") and config.get("WORKERS") is None:
        problems.append(
            "rate limits are kept in each worker's memory with an unknown number of workers:"
            " set IPCASE_REDIS_URL (or IPCASE_WORKERS=1 for a single worker)"
        )
    return problems


def validate_config(app: Flask) -> None:
    """Refuse to start with settings that are wrong, and a production instance (PRODUCTION) with
    any setting :func:`production_problems` names, all of them in one message. Outside production
    the default secret key is refused too unless debugging or testing."""
    problems = _resolve(app.config)
    if app.config["PRODUCTION"]:
        problems += production_problems(app.config)
    if problems:
        where = " in production (IPCASE_PRODUCTION=true)" if app.config["PRODUCTION"] else ""
        lines = "\n".join(f"  - {p}" for p in problems)
        raise RuntimeError(
            f"Refusing to start{where}; fix these settings (IPCASE_<NAME> or instance/config.py):\n{lines}"
        )
    if app.config["PROXY_COUNT"] is None:
        app.config["PROXY_COUNT"] = 0
    if not app.config.get("DOCUMENT_VERIFY_URL"):
        app.config["DOCUMENT_VERIFY_URL"] = _derived_verify_url(app.config)
    if not (app.debug or app.testing) and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError(
            "Refusing to start: SECRET_KEY is the default. Set IPCASE_SECRET_KEY or SECRET_KEY in instance/config.py."
        )
    if app.config["CASE_NUMBER_USE_DI"] and "{seq}" in app.config["CASE_NUMBER_FORMAT"]:
        app.config["CASE_NUMBER_FORMAT"] = app.config["CASE_NUMBER_FORMAT"].replace("{seq}", "第{seq}")
    if app.config["DOCUMENT_NUMBER_USE_DI"] and "{serial}" in app.config["DOCUMENT_NUMBER_FORMAT"]:
        app.config["DOCUMENT_NUMBER_FORMAT"] = app.config["DOCUMENT_NUMBER_FORMAT"].replace("{serial}", "第{serial}")


def session_identifier() -> str:
    """Flask-Login's "strong" session protection ties a session to the client's address and
    browser. Its own identifier reads X-Forwarded-For, which any client can send; this one uses
    ``request.remote_addr``, which only a configured ProxyFix (PROXY_COUNT) rewrites."""
    base = f"{request.remote_addr}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha512(base.encode("utf-8")).hexdigest()


def configure_proxies(app: Flask) -> None:
    """Trust X-Forwarded-For and X-Forwarded-Proto from exactly PROXY_COUNT proxies (none: the
    headers are ignored), for the rate limits, the login throttle and session protection."""
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    login_manager._session_identifier_generator = session_identifier  # type: ignore[attr-defined]


def configure_trusted_hosts(app: Flask) -> None:
    """A request for a Host outside TRUSTED_HOSTS is refused (400) before routing, so no page
    (whose links need the routes) can be rendered: answer in plain text, in the user's language."""

    @app.errorhandler(SecurityError)
    def untrusted_host(_e: SecurityError) -> Any:
        title = gettext("Bad request")
        message = gettext("The request could not be understood. Please go back and try again.")
        return f"400 {title}\n{message}\n", 400, {"Content-Type": "text/plain; charset=utf-8"}
