"""Compiled translation catalogues at start-up, so Chinese is never silently lost.

The ``.po`` sources are in git; the ``.mo`` files Flask-Babel reads are not. Without them every
page falls back to the English msgids, and nothing says so. ``.ci/setup.sh`` and the README's
production steps run ``pybabel compile``; as a safety net ``create_app`` calls
:func:`ensure_compiled`, which compiles every catalogue whose ``.mo`` is missing or older than its
``.po`` and refuses to start when it cannot write it.

Several workers may start at once: each writes its own temporary file beside the target and moves
it into place with ``os.replace`` (atomic on one file system), so a reader sees either the old
catalogue or a complete new one, and the last writer wins with the same bytes."""

import logging
import os
import stat
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


class CatalogueError(RuntimeError):
    """A catalogue needs compiling and cannot be written: the app must not start in English."""


def translation_directories(app: Flask) -> list[Path]:
    """The directories Flask-Babel reads (``BABEL_TRANSLATION_DIRECTORIES``, ``;``-separated,
    relative to the package as Flask-Babel resolves them); the default is ``ipcase/translations``."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(Path(app.root_path) / "translations"))
    return [Path(app.root_path, d) for d in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";") if d]


def ensure_compiled(app: Flask) -> list[Path]:
    """Compile each catalogue of the app whose ``.mo`` is missing or stale. Returns those compiled."""
    directories = translation_directories(app)
    if not any(any(d.glob("*/LC_MESSAGES/*.po")) for d in directories):
        log.warning(
            "no translation catalogue under %s: the interface will be in English", ";".join(map(str, directories))
        )
    compiled: list[Path] = []
    for directory in directories:
        compiled += compile_stale(directory)
    return compiled


def compile_stale(directory: Path) -> list[Path]:
    """``pybabel compile -d directory`` for the catalogues that need it; raises CatalogueError."""
    compiled = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        reason = _why_stale(po, mo)
        if reason is None:
            continue
        try:
            count = _compile(po, mo)
        except OSError as exc:
            raise CatalogueError(_refusal(directory, mo, reason, exc)) from exc
        log.warning("compiled %s (%d messages): the catalogue was %s", mo, count, reason)
        compiled.append(mo)
    return compiled


def _why_stale(po: Path, mo: Path) -> str | None:
    try:
        mo_stat = mo.stat()
    except FileNotFoundError:
        return "missing"
    if not stat.S_ISREG(mo_stat.st_mode):
        return "missing (something else is in its place)"
    if mo_stat.st_mtime_ns < po.stat().st_mtime_ns:
        return f"older than {po.name}"
    return None


def _compile(po: Path, mo: Path) -> int:
    locale = po.parent.parent.name
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale, domain=po.stem)
    if catalog.fuzzy:
        log.warning("%s: its header is marked fuzzy (pybabel compile would skip it); compiling it anyway", po)
    for message, errors in catalog.check():
        for error in errors:
            log.warning("%s: %r: %s", po, message.id, error)
    fd, tmp = tempfile.mkstemp(dir=mo.parent, prefix=f".{mo.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, po.stat().st_mode & 0o666)  # as readable as its source (mkstemp gives 0600)
        os.replace(tmp, mo)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sum(1 for m in catalog if m.id and m.string and not m.fuzzy)


def _refusal(directory: Path, mo: Path, reason: str, exc: OSError) -> str:
    try:
        command = f"cd {ROOT} && .venv/bin/pybabel compile -d {directory.resolve().relative_to(ROOT)}"
    except ValueError:
        command = f"pybabel compile -d {directory}"
    return (
        f"Refusing to start: the translation catalogue {mo} is {reason} and cannot be written here "
        f"({exc.strerror or exc}), so the interface would be shown in English. Compile the catalogues "
        f"as a user who may write to {directory}, then start again:\n\n    {command}\n"
    )
