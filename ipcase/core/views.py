"""What every view does after validating its form: run one operation, then commit, or roll back
and tell the user why."""

from collections.abc import Callable
from typing import Any

from flask import flash

from ipcase.core.errors import DomainError
from ipcase.core.extensions import db


def commit_or_flash(action: Callable[[], Any], success: Any) -> bool:
    """Run ``action``; commit and flash ``success``, or roll back and flash each refusal (bad
    input changes nothing)."""
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        for message in exc.messages:
            flash(message, "danger")
        return False
    db.session.commit()
    flash(success, "success")
    return True
