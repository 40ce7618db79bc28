"""Notification texts, rendered in the reader's language at display time."""

from typing import Any

from flask_babel import gettext as _

from ipcase.core.extensions import db
from ipcase.deadlines.models import Deadline, Notification


def notification_text(note: Notification) -> str:
    # Older sweeps stored 0 in ``data`` on SQLite; whatever is there, a notification must render.
    data: dict[str, Any] = note.data if isinstance(note.data, dict) else {}
    case = data.get("number") or ""
    deadline: Any = None
    if note.deadline_id is not None:
        deadline = db.session.get(Deadline, note.deadline_id)
        if deadline is not None:
            case = deadline.case.number or case
    title = deadline.title if deadline is not None else data.get("title", "")
    texts = {
        "due_soon": _("%(case)s: %(title)s falls due soon", case=case, title=title),
        "breached": _("%(case)s: %(title)s has been missed", case=case, title=title),
        "moved": _(
            "%(case)s: %(title)s moved from %(old)s to %(new)s",
            case=case,
            title=title,
            old=data.get("old", ""),
            new=data.get("new", ""),
        ),
        "extension_requested": _("%(case)s: an extension of %(title)s awaits your decision", case=case, title=title),
        "extension_decided": _("%(case)s: the extension of %(title)s was decided", case=case, title=title),
        "login_attack": _(
            "Repeated wrong passwords for the account %(user)s (last from %(address)s): further tries are"
            " paused; the owner can still log in from an address used before. Not you? Change the password.",
            user=data.get("username", ""),
            address=data.get("address", ""),
        ),
    }
    return texts.get(note.kind, note.kind)
