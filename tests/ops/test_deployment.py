"""The README's deployment section (issue 15) is exercised step by step: its settings start a
production instance whose /ready, /metrics (token) and JSON logs work; the systemd units of
deploy/ parse and run commands and options that exist; every command the section names resolves
to a real command with valid options (the backup round trip itself: tests/ops/test_backup.py)."""

import inspect
import re
import shlex
from pathlib import Path

import click
import pytest
from gunicorn.config import Config

import ipcase.gunicorn_conf
from ipcase import create_app
from ipcase.config import Defaults
from ipcase.ops import logs
from ipcase.tasks.queue import queue_settings
from tests.test_production import README, TEST_REDIS_URL, clean_env, production_env  # noqa: F401  (clean_env: fixture)

ROOT = README.parent
UNITS = ROOT / "deploy"
VENV_PREFIX = "/opt/ipcase/.venv/bin/"


def deployment_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Deployment\n")
    return text[start : text.index("\n## ", start + 1)]


def section_settings() -> dict[str, str]:
    """The ``NAME=value`` lines of the section's settings block (indented, no export)."""
    return dict(re.findall(r"^ {7}([A-Z_][A-Z0-9_]*)=(\S+)$", deployment_section(), flags=re.MULTILINE))


def section_commands() -> list[list[str]]:
    """The indented command lines of the section (code blocks), split as a shell would."""
    lines = re.findall(r"^ {7}(\.venv/bin/\S+.*|cp .*|systemctl .*)$", deployment_section(), flags=re.MULTILINE)
    return [shlex.split(line) for line in lines]


def parse_unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A systemd unit's sections as (key, value) lists (keys may repeat, e.g. Environment)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if match := re.fullmatch(r"\[(\w+)\]", line):
            current = sections.setdefault(match.group(1), [])
            continue
        assert current is not None, f"{path.name}: {line!r} outside a section"
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z]+", key), f"{path.name}: not a key=value line: {line!r}"
        current.append((key, value))
    return sections


def unit_command(path: Path) -> list[str]:
    """ExecStart with the unit's own Environment= defaults substituted (${NAME} and $NAME)."""
    service = parse_unit(path)["Service"]
    env = dict(value.split("=", 1) for key, value in service if key == "Environment")
    [exec_start] = [value for key, value in service if key == "ExecStart"]
    words = []
    for word in shlex.split(exec_start):
        if match := re.fullmatch(r"\$\{(\w+)\}", word):
            words.append(env[match.group(1)])
        elif match := re.fullmatch(r"\$(\w+)", word):
            words.extend(env[match.group(1)].split())  # unbraced: split into words, may be none
        else:
            words.append(word)
    return words


def resolve_flask(app, args: list[str]) -> click.Context:
    """``flask --app wsgi GROUP COMMAND OPTIONS…`` as the app's CLI parses it (raises if it cannot)."""
    assert args[:2] == ["--app", "wsgi"], args
    rest = args[2:]
    command: click.Command = app.cli
    ctx = click.Context(app.cli)
    while isinstance(command, click.Group):
        name, rest = rest[0], rest[1:]
        sub = command.get_command(ctx, name)
        assert sub is not None, f"no flask command {name!r} in {args}"
        command = sub
    return command.make_context(command.name, list(rest))


# -- the units ------------------------------------------------------------------------------------


def test_units_are_well_formed():
    for name in ("ipcase-web.service", "ipcase-worker.service"):
        sections = parse_unit(UNITS / name)
        assert set(sections) == {"Unit", "Service", "Install"}, name
        service = dict(sections["Service"])
        assert service["EnvironmentFile"] == "/etc/ipcase/ipcase.env"
        assert service["WorkingDirectory"] == "/opt/ipcase"
        assert service["Restart"] == "on-failure"
        assert dict(sections["Install"])["WantedBy"] == "multi-user.target"
        assert name in deployment_section()


def test_the_web_unit_runs_gunicorn_with_the_apps_settings():
    words = unit_command(UNITS / "ipcase-web.service")
    assert words[0] == VENV_PREFIX + "gunicorn"
    assert (ROOT / ".venv/bin/gunicorn").exists()
    parsed = Config().parser().parse_args(words[1:])
    assert parsed.config == "python:ipcase.gunicorn_conf"
    assert callable(ipcase.gunicorn_conf.on_starting)
    assert parsed.workers == 4 and parsed.bind == ["127.0.0.1:8000"]
    assert parsed.args == ["wsgi:app"]
    assert "app = create_app()" in (ROOT / "wsgi.py").read_text()
    service = parse_unit(UNITS / "ipcase-web.service")["Service"]
    env = dict(value.split("=", 1) for key, value in service if key == "Environment")
    runtime = dict(service)["RuntimeDirectory"]
    assert env["PROMETHEUS_MULTIPROC_DIR"] == f"/run/{runtime}"  # emptied by systemd at each start
    assert dict(service)["Type"] == "notify"  # gunicorn's arbiter sends READY=1


def test_the_worker_unit_runs_the_queue_worker(app):
    words = unit_command(UNITS / "ipcase-worker.service")
    assert words[0] == VENV_PREFIX + "flask"
    ctx = resolve_flask(app, words[1:])
    assert ctx.command.name == "worker"
    assert ctx.params["workers"] == 4 and ctx.params["no_periodic"] is False
    # the other hosts' option, as the README says
    assert "IPCASE_WORKER_OPTIONS=--no-periodic" in deployment_section()
    assert resolve_flask(app, [*words[1:], "--no-periodic"]).params["no_periodic"] is True
    assert dict(parse_unit(UNITS / "ipcase-worker.service")["Service"])["KillSignal"] == "SIGINT"


# -- the README's steps ---------------------------------------------------------------------------


def test_every_command_of_the_section_exists(app, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    archive.write_bytes(b"")  # restore's PATH must exist
    commands = [[str(archive) if w.startswith("/var/backups/") else w for w in c] for c in section_commands()]
    flask_commands = [c for c in commands if c[0] == ".venv/bin/flask"]
    named = {resolve_flask(app, c[1:]).command.name for c in flask_commands}
    assert named == {"upgrade", "sync-calendar", "backup", "restore"}
    for words in commands:
        if words[0].startswith(".venv/bin/"):
            assert (ROOT / words[0]).exists(), words[0]
        if words[0] == "cp":
            assert all((ROOT / source).is_file() for source in words[1:-1])
        if words[0] == "systemctl" and words[1] == "enable":
            assert {f"{w}.service" for w in words[3:]} == {p.name for p in UNITS.glob("*.service")}


def test_every_setting_the_section_names_is_read():
    section = deployment_section()
    unit_text = "".join(p.read_text() for p in UNITS.glob("*.service"))
    for name in set(re.findall(r"\bIPCASE_[A-Z_]+\b", section)):
        key = name.removeprefix("IPCASE_")
        in_units = re.search(rf"Environment={name}=", unit_text) is not None
        assert hasattr(Defaults, key) or key in ("QUEUE_URL",) or in_units, name
    assert "QUEUE_URL" in inspect.getsource(queue_settings)


def test_the_section_settings_start_a_production_instance(clean_env):  # noqa: F811
    settings = section_settings()
    assert settings["IPCASE_PRODUCTION"] == "true" and settings["IPCASE_LOG_FORMAT"] == "json"
    production_env(clean_env, **{k: v for k, v in settings.items() if k != "DATABASE_URL"})
    clean_env.setenv("IPCASE_REDIS_URL", TEST_REDIS_URL)  # the README's Redis is not reachable here
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["METRICS_TOKEN"] == settings["IPCASE_METRICS_TOKEN"]
    assert app.config["SWEEP_INTERVAL"] == 300  # the worker sweeps, not cron
    handler = next(h for h in app.logger.handlers if isinstance(h, logs._IpcaseHandler))
    assert type(handler.formatter).__name__ == "JsonFormatter"

    client = app.test_client()
    https = {"base_url": "https://ipcase.example.cn"}
    ready = client.get("/ready", **https)
    assert ready.status_code == 200, ready.get_data(as_text=True)
    assert set(ready.get_json()["checks"]) == {"database", "storage", "queue"}
    assert ready.headers["X-Request-ID"]
    elsewhere = {"REMOTE_ADDR": "198.51.100.4"}
    assert client.get("/metrics", environ_base=elsewhere, **https).status_code == 403
    token = {"Authorization": f"Bearer {settings['IPCASE_METRICS_TOKEN']}"}
    scraped = client.get("/metrics", environ_base=elsewhere, headers=token, **https)
    assert scraped.status_code == 200
    assert "ipcase_queue_depth" in scraped.get_data(as_text=True)


@pytest.mark.parametrize("word", ["/health", "/ready", "/metrics", "PROMETHEUS_MULTIPROC_DIR", "X-Request-ID"])
def test_the_section_documents_operations(word):
    assert word in deployment_section()
