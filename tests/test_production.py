"""A production instance (issue 13): the README's production section starts, and start-up refuses
it, naming the setting, without each one; trusted hosts; the verification address from
configuration; forwarded headers trusted only through the configured proxies."""

import os
import re
import secrets
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import request
from flask_limiter.util import get_remote_address

import ipcase
from ipcase import create_app, gunicorn_conf
from ipcase.config import DEFAULT_SECRET_KEY, DEVELOPMENT_VERIFY_URL, session_identifier
from ipcase.core.extensions import limiter, login_manager
from tests.cases.helpers import make_client_as

README = Path(__file__).resolve().parent.parent / "README.md"
ENV_NAMES = ("DATABASE_URL", "FLASK_DEBUG", "REDIS_URL")
#: what tests/conftest.py's Redis-backed tests use (the README's own host is not reachable here)
TEST_REDIS_URL = os.environ.get("IPCASE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def production_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Production\n") : text.index("\n## ", text.index("## Production\n") + 1)]


def readme_environment() -> dict[str, str]:
    """The ``export NAME=value`` lines of the README's production section; a value computed by
    the shell (``$(…)``) is computed here the same way."""
    found = {}
    for line in production_section().splitlines():
        if match := re.match(r"\s+export ([A-Z_][A-Z0-9_]*)=(\S+)", line):
            name, value = match.groups()
            found[name] = secrets.token_hex(32) if value.startswith("$(") else value
    return found


#: the settings production refuses to start without (each removed in turn below)
REQUIRED = ("IPCASE_SECRET_KEY", "IPCASE_TRUSTED_HOSTS", "IPCASE_DOCUMENT_VERIFY_URL", "IPCASE_PROXY_COUNT")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No IPCASE_* or DATABASE_URL from the caller's shell, and an empty instance folder in tmp."""
    for name in list(os.environ):
        if name.startswith("IPCASE_") or name in ENV_NAMES:
            monkeypatch.delenv(name)
    monkeypatch.setattr(ipcase, "ROOT", tmp_path)  # create_app puts instance/ and templates/ under ROOT
    (tmp_path / "instance").mkdir()
    (tmp_path / "templates").symlink_to(Path(ipcase.__file__).resolve().parent.parent / "templates")
    was_enabled = limiter.enabled
    yield monkeypatch
    limiter.enabled = was_enabled


def production_env(monkeypatch, **changes: str | None) -> None:
    """The README's production environment, as gunicorn with ``-c python:ipcase.gunicorn_conf
    --workers 4`` hands it to the app, with ``changes`` (None: the variable removed)."""
    env = readme_environment() | {"IPCASE_REDIS_URL": TEST_REDIS_URL}
    monkeypatch.setenv("IPCASE_WORKERS", "0")  # restored after the test; the hook below sets it
    gunicorn_conf.on_starting(SimpleNamespace(cfg=SimpleNamespace(workers=4)))
    for name, value in (env | changes).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def production_app(**test_config):
    # the README's database is not reachable here; the app does not connect while starting
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **test_config})


def refusal() -> str:
    with pytest.raises(RuntimeError) as caught:
        production_app()
    return str(caught.value)


# -- the README's production section ------------------------------------------------------------


def test_the_readme_lists_the_settings_production_checks():
    section = production_section()
    env = readme_environment()
    assert env["IPCASE_PRODUCTION"] == "true"
    assert set(REQUIRED) | {"IPCASE_REDIS_URL", "DATABASE_URL", "IPCASE_SWEEP_INTERVAL"} <= set(env)
    for name in (
        "SESSION_COOKIE_SECURE",
        "REMEMBER_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "REMEMBER_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "REMEMBER_COOKIE_SAMESITE",
        "FORCE_HTTPS",
        "Strict-Transport-Security",
        "FLASK_DEBUG",
        "IPCASE_WORKERS",
        "ProxyFix",
        "python:ipcase.gunicorn_conf",
    ):
        assert name in section, name


def test_the_readme_production_settings_start_a_safe_instance(clean_env):
    production_env(clean_env)
    assert os.environ["IPCASE_WORKERS"] == "4"  # from gunicorn's --workers
    app = production_app()
    config = app.config
    assert config["PRODUCTION"] is True and not app.debug and not app.testing
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"] and config["FORCE_HTTPS"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert (config["SESSION_COOKIE_SAMESITE"], config["REMEMBER_COOKIE_SAMESITE"]) == ("Lax", "Lax")
    assert config["TRUSTED_HOSTS"] == ["ipcase.example.cn"]
    assert config["DOCUMENT_VERIFY_URL"] == "https://ipcase.example.cn/verify"
    assert (config["PROXY_COUNT"], config["WORKERS"], config["SWEEP_INTERVAL"]) == (1, 4, 0)
    assert config["RATELIMIT_STORAGE_URI"] == TEST_REDIS_URL

    client = app.test_client()
    https = {"base_url": "https://ipcase.example.cn"}
    response = client.get("/health", **https)
    assert response.status_code == 200
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert client.get("/health", base_url="http://ipcase.example.cn").status_code in (301, 302)
    # the proxy says the client came over https: no redirect
    proxied = client.get("/health", base_url="http://ipcase.example.cn", headers={"X-Forwarded-Proto": "https"})
    assert proxied.status_code == 200
    login = client.post("/login", data={"username": "x", "password": "y"}, **https)
    [cookie] = [c for c in login.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


@pytest.mark.parametrize("host", ["evil.example", "ipcase.example.cn.evil.example", "127.0.0.1"])
def test_a_request_for_an_unknown_host_is_refused(clean_env, host):
    production_env(clean_env)
    client = production_app().test_client()
    refused = client.get("/health", base_url=f"https://{host}")
    assert refused.status_code == 400
    assert refused.get_data(as_text=True).startswith("400 ")  # a plain answer, never a 500 from the error page
    assert client.get("/login", headers={"Host": host}, base_url="https://ipcase.example.cn").status_code == 400


def test_trusted_hosts_as_a_json_list(clean_env):
    production_env(clean_env, IPCASE_TRUSTED_HOSTS='["ipcase.example.cn", "www.ipcase.example.cn"]')
    client = production_app().test_client()
    assert client.get("/health", base_url="https://www.ipcase.example.cn").status_code == 200
    assert client.get("/health", base_url="https://other.example.cn").status_code == 400


@pytest.mark.parametrize("name", REQUIRED)
def test_refuses_to_start_without_each_required_setting(clean_env, name):
    production_env(clean_env, **{name: None})
    message = refusal()
    assert "in production" in message
    assert name.removeprefix("IPCASE_") in message
    assert len(re.findall(r"^  - ", message, re.M)) == 1, message  # only what is missing


def test_refuses_memory_rate_limits_with_several_workers(clean_env):
    production_env(clean_env, IPCASE_REDIS_URL=None)
    message = refusal()
    assert "IPCASE_REDIS_URL" in message and "4 workers" in message


def test_memory_rate_limits_are_fine_with_one_worker(clean_env):
    production_env(clean_env, IPCASE_REDIS_URL=None)
    gunicorn_conf.on_starting(SimpleNamespace(cfg=SimpleNamespace(workers=1)))
    assert production_app().config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_memory_rate_limits_with_an_unknown_worker_count_are_refused(clean_env):
    production_env(clean_env, IPCASE_REDIS_URL=None, IPCASE_WORKERS=None)
    assert "unknown number of workers" in refusal()


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("IPCASE_SECRET_KEY", DEFAULT_SECRET_KEY, "SECRET_KEY is the published default"),
        ("IPCASE_SECRET_KEY", "short-but-not-default", "SECRET_KEY is shorter than 32"),
        ("IPCASE_SESSION_COOKIE_SECURE", "false", "SESSION_COOKIE_SECURE is off"),
        ("IPCASE_REMEMBER_COOKIE_SECURE", "false", "REMEMBER_COOKIE_SECURE is off"),
        ("IPCASE_SESSION_COOKIE_HTTPONLY", "false", "SESSION_COOKIE_HTTPONLY is off"),
        ("IPCASE_REMEMBER_COOKIE_HTTPONLY", "false", "REMEMBER_COOKIE_HTTPONLY is off"),
        ("IPCASE_SESSION_COOKIE_SAMESITE", "None", "SESSION_COOKIE_SAMESITE must be Lax or Strict"),
        ("IPCASE_REMEMBER_COOKIE_SAMESITE", "None", "REMEMBER_COOKIE_SAMESITE must be Lax or Strict"),
        ("IPCASE_FORCE_HTTPS", "false", "FORCE_HTTPS is off"),
        ("IPCASE_DOCUMENT_VERIFY_URL", "http://ipcase.example.cn/verify", "must be an https:// address"),
        ("IPCASE_DOCUMENT_VERIFY_URL", "ipcase.example.cn/verify", "full address of the /verify page"),
        ("IPCASE_PROXY_COUNT", "two", "PROXY_COUNT must be a whole number"),
        ("IPCASE_PROXY_COUNT", "-1", "PROXY_COUNT must be a whole number"),
        ("FLASK_DEBUG", "1", "DEBUG is on"),
    ],
)
def test_refuses_each_unsafe_setting(clean_env, name, value, said):
    production_env(clean_env, **{name: value})
    assert said in refusal()


def test_one_message_lists_every_missing_setting(clean_env):
    clean_env.setenv("IPCASE_PRODUCTION", "true")
    message = refusal()
    for name in ("SECRET_KEY", "TRUSTED_HOSTS", "DOCUMENT_VERIFY_URL", "PROXY_COUNT", "IPCASE_REDIS_URL"):
        assert name in message, name
    assert len(re.findall(r"^  - ", message, re.M)) == 5, message


def test_production_may_be_written_in_instance_config(clean_env, tmp_path):
    production_env(clean_env, IPCASE_PRODUCTION=None, IPCASE_TRUSTED_HOSTS=None)
    assert production_app().config["PRODUCTION"] is False
    (tmp_path / "instance" / "config.py").write_text("PRODUCTION = True\nTRUSTED_HOSTS = []\n")
    assert "TRUSTED_HOSTS is not set" in refusal()


# -- outside production --------------------------------------------------------------------------


def test_development_needs_none_of_it_and_never_prints_the_request_host(clean_env):
    clean_env.setenv("IPCASE_SECRET_KEY", "a-long-random-development-secret")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})
    config = app.config
    assert config["PRODUCTION"] is False
    assert (config["SESSION_COOKIE_SECURE"], config["REMEMBER_COOKIE_SECURE"], config["FORCE_HTTPS"]) == (
        False,
        False,
        False,
    )
    assert config["PROXY_COUNT"] == 0 and config["TRUSTED_HOSTS"] is None
    assert config["DOCUMENT_VERIFY_URL"] == DEVELOPMENT_VERIFY_URL == "http://127.0.0.1:5000/verify"
    assert app.test_client().get("/health", base_url="http://anything.example").status_code == 200


def test_development_verify_url_follows_server_name(clean_env):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "ipcase.local:8080",
            "PREFERRED_URL_SCHEME": "https",
        }
    )
    assert app.config["DOCUMENT_VERIFY_URL"] == "https://ipcase.local:8080/verify"


def test_a_wrong_proxy_count_is_refused_in_development_too(clean_env):
    clean_env.setenv("IPCASE_PROXY_COUNT", "one")
    with pytest.raises(RuntimeError, match="PROXY_COUNT must be a whole number"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})


# -- forwarded headers ----------------------------------------------------------------------------

CLIENT, PROXY, SPOOFED = "203.0.113.7", "10.0.0.2", "198.51.100.9"


def seen_addresses(proxies: int) -> tuple[str, str, str, str]:
    """(remote_addr, the rate limits' key, the session identifier, the same identifier for the
    proxy's own address) for a request arriving from PROXY saying X-Forwarded-For: SPOOFED, CLIENT
    (a client's made-up entry, then the one the proxy appended)."""
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False, "PROXY_COUNT": proxies}
    )
    client = app.test_client()
    with client:
        client.get(
            "/health",
            headers={"X-Forwarded-For": f"{SPOOFED}, {CLIENT}", "User-Agent": "ua"},
            environ_base={"REMOTE_ADDR": PROXY},
        )
        seen = (request.remote_addr, get_remote_address(), login_manager._session_identifier_generator())
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": PROXY}, headers={"User-Agent": "ua"}):
        direct = session_identifier()
    return (*seen, direct)


def test_without_proxies_forwarded_headers_change_nothing(clean_env):
    remote, limit_key, identifier, of_the_proxy = seen_addresses(0)
    assert remote == limit_key == PROXY
    assert identifier == of_the_proxy  # X-Forwarded-For does not move the session's identity


def test_with_one_proxy_its_entry_is_the_client(clean_env):
    remote, limit_key, identifier, of_the_proxy = seen_addresses(1)
    assert remote == limit_key == CLIENT  # the proxy's entry, never the client's made-up one
    assert identifier != of_the_proxy


def test_a_copied_session_cookie_with_a_forged_x_forwarded_for_is_refused(app):
    """ "Strong" session protection: a session cookie used from another address is dropped, and
    claiming the owner's address in X-Forwarded-For (no proxy is configured) does not help."""
    owner = make_client_as(app, "examiner")  # logged in from the test client's 127.0.0.1
    assert owner.get("/cases/").status_code == 200
    thief = make_client_as(app)
    for cookie in owner._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    stolen = thief.get("/cases/", environ_base={"REMOTE_ADDR": "192.0.2.66"}, headers={"X-Forwarded-For": "127.0.0.1"})
    assert stolen.status_code == 302
    assert "/login" in stolen.headers["Location"]
