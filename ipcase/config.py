"""Configuration: defaults → instance/config.py → IPCASE_* environment → DATABASE_URL → test config."""

import os
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105  (the value we refuse in production)


class Defaults:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from the instance path in load_config
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
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
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    FORCE_HTTPS = False
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
    #: the public verification page's address printed on documents and in their QR code
    #: (None: this server's /verify as seen by the request that issues the document)
    DOCUMENT_VERIFY_URL: str | None = None
    DOCUMENT_VERIFY_RATE_LIMIT = "10 per minute;60 per hour"
    #: the most cases one batch may issue a notice for
    DOCUMENT_BATCH_MAX = 200


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


def validate_config(app: Flask) -> None:
    """Refuse to run a production instance with the published default secret key."""
    if not (app.debug or app.testing) and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError(
            "Refusing to start: SECRET_KEY is the default. Set IPCASE_SECRET_KEY or SECRET_KEY in instance/config.py."
        )
    if app.config["CASE_NUMBER_USE_DI"] and "{seq}" in app.config["CASE_NUMBER_FORMAT"]:
        app.config["CASE_NUMBER_FORMAT"] = app.config["CASE_NUMBER_FORMAT"].replace("{seq}", "第{seq}")
    if app.config["DOCUMENT_NUMBER_USE_DI"] and "{serial}" in app.config["DOCUMENT_NUMBER_FORMAT"]:
        app.config["DOCUMENT_NUMBER_FORMAT"] = app.config["DOCUMENT_NUMBER_FORMAT"].replace("{serial}", "第{serial}")
