"""The deadlines blueprint, the labels its pages show (legal-basis tags, day kinds, event kinds) and
the template filters and context every page of the application may use (``dl_*``, the unread badge)."""

from datetime import date, datetime
from typing import Any

from flask import Blueprint, has_request_context
from flask_babel import format_date, format_datetime, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ipcase.core.extensions import db
from ipcase.deadlines.calendar import DayKind, Unit
from ipcase.deadlines.forms import EXTENSION_LEVELS
from ipcase.deadlines.models import DeadlineEvent, UnitLabel
from ipcase.deadlines.notify import unread_count

bp = Blueprint("deadlines", __name__)


#: how sure a rule's legal basis is (domain.md: V, S, R)
TAGS = {
    "V": _l("Verified against the text of the rule"),
    "S": _l("From a secondary copy of the rule, not the official text"),
    "R": _l("Local assumption, not verified: configurable; check it before relying on it"),
}

DAY_KINDS = {
    DayKind.workday: _l("working day"),
    DayKind.weekend: _l("weekend"),
    DayKind.holiday: _l("public holiday"),
    DayKind.makeup_workday: _l("make-up working day"),
}

EVENTS = {
    "started": _l("Started"),
    "moved": _l("Due date moved"),
    "paused": _l("Paused"),
    "resumed": _l("Resumed"),
    "extension_requested": _l("Extension requested"),
    "extended": _l("Extended"),
    "extension_refused": _l("Extension refused"),
    "met": _l("Met"),
    "cancelled": _l("Cancelled"),
}


# -- template helpers ---------------------------------------------------------------------------


bp.add_app_template_global(TAGS, "dl_tags")  # type: ignore[arg-type]


@bp.app_template_filter("dl_when")
def when(value: date | datetime | None) -> str:
    """A step's or event's moment: date and time (China) for instants, the date for days."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return format_date(value, "yyyy-MM-dd")


@bp.app_template_filter("dl_unit")
def unit_label(value: Any) -> Any:
    try:
        return UnitLabel(str(value)).label
    except ValueError:
        return value


@bp.app_template_filter("dl_amount")
def amount(n: int, unit: Any) -> str:
    """A length in its unit ("5 working days", "1 month") in the reader's language."""
    unit = str(unit)
    if unit == Unit.working_days:
        return ngettext("%(n)s working day", "%(n)s working days", n, n=n)
    if unit == Unit.months:
        return ngettext("%(n)s month", "%(n)s months", n, n=n)
    if unit == Unit.years:
        return ngettext("%(n)s year", "%(n)s years", n, n=n)
    if unit == Unit.hours:
        return ngettext("%(n)s hour", "%(n)s hours", n, n=n)
    return ngettext("%(n)s day", "%(n)s days", n, n=n)


@bp.app_template_filter("dl_day_kind")
def day_kind_label(kind: DayKind | None, name: str = "") -> str:
    if kind is None:
        return name
    label = str(DAY_KINDS.get(kind, kind))
    return f"{label} · {name}" if name else label


@bp.app_template_filter("dl_event")
def event_label(kind: str) -> Any:
    return EVENTS.get(kind, kind)


@bp.app_template_filter("dl_extension_note")
def extension_note(note: str) -> str:
    """The engine's "+1 months" in the reader's language."""
    number, _sep, unit = note.partition(" ")
    try:
        return "+" + amount(int(number.lstrip("+")), unit)
    except ValueError:
        return note


@bp.app_template_filter("dl_event_note")
def event_note(event: DeadlineEvent) -> str:
    """The engine's notes on extension events ("director +1", "+1 months") in the reader's language."""
    if event.kind == "extended":
        return extension_note(event.note)
    if event.kind == "extension_requested":
        level, _sep, length = event.note.partition(" ")
        return f"{level_label(level)} {length}".strip()
    return event.note


@bp.app_template_filter("dl_level")
def level_label(level: str) -> Any:
    return EXTENSION_LEVELS.get(level, level)


@bp.app_context_processor
def inject_unread_notifications() -> dict[str, Any]:
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notifications": 0}
    try:
        return {"unread_notifications": unread_count(current_user.id)}
    except SQLAlchemyError:
        # Error pages are rendered after a failed transaction; a header badge must not fail them.
        db.session.rollback()
        return {"unread_notifications": 0}
