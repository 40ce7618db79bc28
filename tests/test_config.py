"""Configuration layering and validation, security headers, and the language switch."""

import os
from pathlib import Path

import pytest
from flask import Flask

import ipcase
from ipcase import create_app
from ipcase.config import DEFAULT_SECRET_KEY, load_config, normalise_database_url
from ipcase.core.extensions import db, limiter
from tests.cases.helpers import make_client_as

ENV_NAMES = ("DATABASE_URL", "FLASK_DEBUG", "REDIS_URL")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No IPCASE_* or DATABASE_URL from the caller's shell, and an empty instance folder in tmp."""
    for name in list(os.environ):
        if name.startswith("IPCASE_") or name in ENV_NAMES:
            monkeypatch.delenv(name)
    monkeypatch.setattr(ipcase, "ROOT", tmp_path)  # create_app puts instance/ under ROOT
    instance = tmp_path / "instance"
    instance.mkdir()
    # creating an app re-initialises the shared extensions; keep the session app's limiter off
    was_enabled = limiter.enabled
    yield instance
    limiter.enabled = was_enabled


def configured(instance: Path, test_config: dict | None = None) -> dict:
    """The config ``load_config`` produces for an app whose instance folder is ``instance``."""
    app = Flask("config-probe", instance_path=str(instance), instance_relative_config=True)
    load_config(app, {"TESTING": True} | (test_config or {}))
    return app.config


# -- validation -------------------------------------------------------------------------------------


def test_refuses_default_secret_key_in_production(clean_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})


def test_refuses_default_secret_key_from_the_environment_too(clean_env, monkeypatch):
    monkeypatch.setenv("IPCASE_SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})


def test_starts_in_production_with_a_real_secret_key(clean_env, monkeypatch):
    monkeypatch.setenv("IPCASE_SECRET_KEY", "a-long-random-production-secret")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})
    assert not app.testing
    assert app.config["SECRET_KEY"] == "a-long-random-production-secret"
    assert app.instance_path == str(clean_env)


@pytest.mark.parametrize("flags", [{"TESTING": True}, {"DEBUG": True}])
def test_default_secret_key_is_fine_for_tests_and_debugging(clean_env, flags):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False, **flags})
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_instance_config_is_read_by_create_app(clean_env):
    (clean_env / "config.py").write_text('SECRET_KEY = "from-the-instance-folder"\nCASES_PER_PAGE = 3\n')
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})
    assert (app.config["SECRET_KEY"], app.config["CASES_PER_PAGE"]) == ("from-the-instance-folder", 3)


# -- layering ---------------------------------------------------------------------------------------


def test_defaults(clean_env):
    config = configured(clean_env)
    assert config["CASES_PER_PAGE"] == 25
    assert config["BABEL_DEFAULT_LOCALE"] == "zh_CN"
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{clean_env / 'ipcase.sqlite'}"
    assert config["CASE_NUMBER_FORMAT"] == "{org_abbr}{type_code}字〔{year}〕{seq}号"


def test_layers_in_order(clean_env, monkeypatch):
    (clean_env / "config.py").write_text(
        "CASES_PER_PAGE = 3\n"
        "LOGIN_MAX_FAILURES = 9\n"
        "LOGIN_LOCK_MINUTES = 30\n"
        "SQLALCHEMY_DATABASE_URI = 'sqlite:////srv/instance.sqlite'\n"
    )
    config = configured(clean_env)
    assert (config["CASES_PER_PAGE"], config["LOGIN_MAX_FAILURES"]) == (3, 9)
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/instance.sqlite"

    # IPCASE_* beats instance/config.py (values are parsed as JSON: 7 is an int)
    monkeypatch.setenv("IPCASE_CASES_PER_PAGE", "7")
    monkeypatch.setenv("IPCASE_LOGIN_LOCK_MINUTES", "45")
    monkeypatch.setenv("IPCASE_SQLALCHEMY_DATABASE_URI", "sqlite:////srv/env.sqlite")
    config = configured(clean_env)
    assert (config["CASES_PER_PAGE"], config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCK_MINUTES"]) == (7, 9, 45)
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/env.sqlite"

    # DATABASE_URL beats IPCASE_SQLALCHEMY_DATABASE_URI
    monkeypatch.setenv("DATABASE_URL", "postgresql://ipcase@db.internal/ipcase")
    config = configured(clean_env)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://ipcase@db.internal/ipcase"
    assert config["CASES_PER_PAGE"] == 7

    # the test config beats everything
    config = configured(clean_env, {"CASES_PER_PAGE": 11, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert (config["CASES_PER_PAGE"], config["LOGIN_MAX_FAILURES"]) == (11, 9)
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_environment_reaches_create_app(clean_env, monkeypatch):
    monkeypatch.setenv("IPCASE_CASES_PER_PAGE", "7")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:secret@db.internal:5433/ipcase")
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    assert app.config["CASES_PER_PAGE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:secret@db.internal:5433/ipcase"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////srv/ipcase.sqlite", "sqlite:////srv/ipcase.sqlite"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_normalise_database_url(url, expected):
    assert normalise_database_url(url) == expected


def test_several_workers_with_limits_in_memory_are_refused_in_any_mode(clean_env, monkeypatch):
    """Each process would count alone (issue 15): the embedded serve runs one process with threads."""
    monkeypatch.setenv("IPCASE_WORKERS", "2")
    with pytest.raises(RuntimeError, match=r"kept in each worker's memory with 2 workers"):
        configured(clean_env)
    assert configured(clean_env, {"WORKERS": 1})["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("IPCASE_REDIS_URL", "redis://127.0.0.1:6379/3")
    assert configured(clean_env)["WORKERS"] == 2  # shared in Redis: any number
    monkeypatch.delenv("IPCASE_REDIS_URL")
    monkeypatch.delenv("IPCASE_WORKERS")
    assert configured(clean_env)["WORKERS"] is None  # flask run, a command: one process, fine


def test_redis_url_becomes_the_rate_limit_storage(clean_env, monkeypatch):
    monkeypatch.setenv("IPCASE_REDIS_URL", "redis://127.0.0.1:6379/3")
    assert configured(clean_env)["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert configured(clean_env, {"REDIS_URL": None})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_case_number_use_di(clean_env, monkeypatch):
    monkeypatch.setenv("IPCASE_CASE_NUMBER_USE_DI", "true")
    assert configured(clean_env)["CASE_NUMBER_FORMAT"] == "{org_abbr}{type_code}字〔{year}〕第{seq}号"


# -- security headers -------------------------------------------------------------------------------


def assert_security_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", csp
    assert directives.get("default-src") == "default-src 'self'", csp
    assert "unsafe-inline" not in csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"


def test_security_headers_on_the_login_page(app):
    response = make_client_as(app).get("/login")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("url", ["/cases/", "/account/password", "/cases/999999", "/admin/users"])
def test_security_headers_and_no_store_when_logged_in(app, url):
    client = make_client_as(app, "examiner")
    response = client.get(url)
    assert response.status_code in (200, 403, 404)
    assert_security_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_no_store_on_a_case_page(app, create_case):
    case = create_case()

    db.session.commit()
    response = make_client_as(app, "examiner").get(f"/cases/{case.id}")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


# -- language ----------------------------------------------------------------------------------------


def test_default_language_is_chinese(app):
    body = make_client_as(app, lang=None).get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in body


def test_switch_to_english_and_back(app):
    client = make_client_as(app, lang=None)
    response = client.post("/language", data={"lang": "en"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "Log in" in body
    assert "User name" in body
    client.post("/language", data={"lang": "zh_CN"})
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_language_survives_login(app):
    client = make_client_as(app, "examiner", lang="en")
    body = client.get("/cases/").get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "Cases" in body


@pytest.mark.parametrize("value", ["fr", "", "zh_CN'><script>", "en" * 100, "EN"])
def test_invalid_language_is_ignored(app, value):
    client = make_client_as(app, lang=None)
    response = client.post("/language", data={"lang": value})
    assert response.status_code == 302
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in body
    assert "<script>" not in body


def test_language_switch_with_a_nul_byte_is_a_400_page(app):
    response = make_client_as(app, lang=None).post("/language", data={"lang": "en\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/cases/?page=2", "/cases/?page=2"),
        ("//evil.com", "/cases/"),
        ("https://evil.com/", "/cases/"),
    ],
)
def test_language_switch_goes_back_only_to_this_site(app, target, location):
    client = make_client_as(app, "examiner", lang=None)
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.headers["Location"] == location
