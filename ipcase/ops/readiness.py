"""Readiness (``/ready``): is the database reachable, the queue's storage, the instance folder
writable. Each check answers True or raises; the answer names the failed checks and never the
error (a database URL or a path may hold secrets): the error goes to the log."""

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from ipcase.core.extensions import db

log = logging.getLogger(__name__)

#: name → check, run in this order; the app's own three plus those a higher layer registers
#: (the job queue's storage: ``web`` registers it when the queue exists)
_EXTRA_CHECKS_KEY = "ipcase.ops.ready_checks"


def check_database() -> bool:
    db.session.execute(sa.text("SELECT 1"))
    db.session.rollback()
    return True


def check_storage() -> bool:
    """The instance folder (font cache, SQLite database by default) accepts a new file."""
    with tempfile.NamedTemporaryFile(dir=Path(current_app.instance_path), prefix=".ready-"):
        pass
    return True


def register_check(app: Flask, name: str, check: Callable[[], Any]) -> None:
    """Add a readiness check (e.g. ``queue``) to this app: ``check()`` raises or returns falsy on failure."""
    app.extensions.setdefault(_EXTRA_CHECKS_KEY, {})[name] = check


def checks(app: Flask) -> dict[str, Callable[[], Any]]:
    return {"database": check_database, "storage": check_storage, **app.extensions.get(_EXTRA_CHECKS_KEY, {})}


def run_checks() -> dict[str, str]:
    """``{name: "ok" | "failed"}`` for every check of the current app."""
    results = {}
    for name, check in checks(current_app).items():
        try:
            ok = bool(check())
        except Exception:  # any failure is "not ready"; the cause goes to the log, not the answer
            log.exception("readiness check %s failed", name)
            if name == "database":
                db.session.rollback()
            ok = False
        results[name] = "ok" if ok else "failed"
    return results
