"""Start-up compiles a missing or stale translation catalogue, or refuses to start (ipcase/catalogs.py).

Every test works on a temporary copy of ``ipcase/translations`` named by
``BABEL_TRANSLATION_DIRECTORIES``; the real catalogue is never touched."""

import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

import ipcase
from ipcase import catalogs
from ipcase.catalogs import ROOT, CatalogueError, compile_stale
from ipcase.core.extensions import babel, limiter

SOURCE = ROOT / "ipcase" / "translations"
#: a translation only the temporary copy has, to tell which catalogue a page was rendered from
MARKER = "登录（临时目录）"


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    """A copy of the .po sources, without any .mo."""
    target = tmp_path / "translations"
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("*.mo", "*.tmp"))
    return target


def po_of(directory: Path) -> Path:
    return directory / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def retranslate(po: Path, msgid: str, msgstr: str) -> None:
    with po.open("rb") as f:
        catalog = read_po(f, locale="zh_Hans_CN")
    catalog[msgid].string = msgstr
    with po.open("wb") as f:
        write_po(f, catalog)


def translated(mo: Path, msgid: str) -> str:
    with mo.open("rb") as f:
        return Translations(f).gettext(msgid)


@pytest.fixture
def start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``start(directory)`` runs create_app with that translation directory, as the ``app``
    fixture does; Flask-Babel's process-wide cache of loaded catalogues then starts empty."""
    was_enabled = limiter.enabled  # creating an app re-initialises the shared limiter

    def _start(directory: Path):
        app = ipcase.create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'catalogs.sqlite'}",
                "RATELIMIT_ENABLED": False,
                "SWEEP_INTERVAL": 0,
                "BABEL_TRANSLATION_DIRECTORIES": str(directory),
            }
        )
        with app.app_context():
            monkeypatch.setattr(babel.domain_instance, "cache", {})
        return app

    yield _start
    limiter.enabled = was_enabled


def test_a_missing_catalogue_is_compiled_at_start_up_and_pages_are_chinese(translations, start, caplog):
    retranslate(po_of(translations), "Log in", MARKER)
    mo = po_of(translations).with_suffix(".mo")
    assert not mo.exists()
    with caplog.at_level("WARNING", logger="ipcase.catalogs"):
        app = start(translations)
    assert mo.is_file() and translated(mo, "Log in") == MARKER
    assert any(str(mo) in r.getMessage() and "missing" in r.getMessage() for r in caplog.records)
    assert not list(mo.parent.glob("*.tmp"))  # the temporary file was moved into place
    assert oct(mo.stat().st_mode & 0o777) == oct(po_of(translations).stat().st_mode & 0o666)

    page = app.test_client().get("/login")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert MARKER in body and "Log in" not in body


def test_a_stale_catalogue_is_recompiled(translations, start):
    po, mo = po_of(translations), po_of(translations).with_suffix(".mo")
    start(translations)
    assert translated(mo, "Log in") == "登录"
    retranslate(po, "Log in", MARKER)
    os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9,) * 2)  # the .po was changed after the .mo
    app = start(translations)
    assert translated(mo, "Log in") == MARKER
    assert MARKER in app.test_client().get("/login").get_data(as_text=True)


def test_an_up_to_date_catalogue_is_left_alone(translations, start, caplog):
    mo = po_of(translations).with_suffix(".mo")
    start(translations)
    before = mo.stat()
    caplog.clear()
    with caplog.at_level("WARNING", logger="ipcase.catalogs"):
        start(translations)
    after = mo.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not caplog.records


def test_a_catalogue_that_cannot_be_written_refuses_start_up(translations, start):
    """Works as root too: where the .mo should go there is a directory."""
    mo = po_of(translations).with_suffix(".mo")
    mo.mkdir()
    with pytest.raises(CatalogueError) as refused:
        start(translations)
    message = str(refused.value)
    assert message.startswith("Refusing to start:") and str(mo) in message and "English" in message
    assert f"pybabel compile -d {translations}" in message
    assert mo.is_dir() and not list(mo.parent.glob("*.tmp"))


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only directories")
def test_a_read_only_directory_refuses_start_up(translations, start):
    lc_messages = po_of(translations).parent
    lc_messages.chmod(0o555)
    try:
        with pytest.raises(CatalogueError, match="Permission denied"):
            start(translations)
    finally:
        lc_messages.chmod(0o755)


def test_no_catalogue_at_all_is_said(tmp_path, start, caplog):
    with caplog.at_level("WARNING", logger="ipcase.catalogs"):
        start(tmp_path / "nowhere")
    assert any("the interface will be in English" in r.getMessage() for r in caplog.records)


def test_a_permission_error_refuses_start_up(translations, start, monkeypatch):
    """What a read-only directory gives a non-root user, simulated so that it runs as root too."""

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(translations))

    monkeypatch.setattr(catalogs.tempfile, "mkstemp", denied)
    with pytest.raises(CatalogueError, match="missing and cannot be written here \\(Permission denied\\)"):
        start(translations)


def test_the_refusal_names_the_projects_own_command(tmp_path, monkeypatch):
    """For the real directory the message gives the command to run from the checkout."""
    fake_root = tmp_path / "checkout"
    directory = fake_root / "ipcase" / "translations"
    shutil.copytree(SOURCE, directory, ignore=shutil.ignore_patterns("*.mo", "*.tmp"))
    po_of(directory).with_suffix(".mo").mkdir()
    monkeypatch.setattr(catalogs, "ROOT", fake_root)
    with pytest.raises(CatalogueError) as refused:
        compile_stale(directory)
    assert f"cd {fake_root} && .venv/bin/pybabel compile -d ipcase/translations" in str(refused.value)


def test_workers_starting_at_once_all_see_a_whole_catalogue(translations):
    mo = po_of(translations).with_suffix(".mo")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            compile_stale(translations)
            assert translated(mo, "Log in") == "登录"
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert not list(mo.parent.glob("*.tmp"))
    assert Translations(io.BytesIO(mo.read_bytes())).gettext("Log in") == "登录"
