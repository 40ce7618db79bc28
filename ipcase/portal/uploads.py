"""Evidence files sent through the portal: counted, size-capped and type-checked from their
content (the evidence feature's magic-byte check) before anything is stored."""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage, MultiDict

from ipcase.cases.evidence import safe_filename, sniff
from ipcase.core.errors import DomainError


@dataclass(frozen=True)
class Upload:
    """A checked file: the form field it came in, its cleaned name and its bytes."""

    field: str
    name: str
    content: bytes


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


# Messages naming a file use the eager ``gettext``: a lazy string is treated as safe markup by
# Jinja (``__html__``), and the name is whatever the sender typed.


def read_uploads(files: MultiDict[str, FileStorage], *, field: str = "file") -> list[Upload]:
    """Every file sent in fields named ``field`` or ``field-<n>``, checked. All problems are
    reported at once; nothing is stored when any file is refused."""
    limit = current_app.config["PORTAL_UPLOAD_MAX_FILES"]
    max_bytes = current_app.config["PORTAL_UPLOAD_MAX_BYTES"]
    sent = [
        (key, storage)
        for key, storage in files.items(multi=True)
        if storage is not None and (storage.filename or "") != ""
    ]
    if len(sent) > limit:
        raise DomainError(("files", _l("Send at most %(n)d files at a time.", n=limit)))
    problems: list[tuple[str | None, Any]] = []
    uploads = []
    for key, storage in sent:
        if key != field and not key.startswith(f"{field}-"):
            problems.append((None, _l("The form was changed: an unexpected file was refused.")))
            continue
        display = _display_name(storage.filename or "")
        content = storage.stream.read(max_bytes + 1)
        if not content:
            problems.append((key, _("“%(name)s” is empty.", name=display)))
        elif len(content) > max_bytes:
            problems.append((key, _("“%(name)s” is larger than %(mb)s MB.", name=display, mb=_mb(max_bytes))))
        elif (kind := sniff(content)) is None:
            problems.append(
                (
                    key,
                    _(
                        "“%(name)s” is not a PDF, JPEG or PNG file (its content was checked, not its name).",
                        name=display,
                    ),
                )
            )
        else:
            uploads.append(Upload(key, safe_filename(storage.filename or "", kind[1]), content))
    if problems:
        raise DomainError(*problems)
    return uploads


def _display_name(name: str) -> str:
    """The name as typed, safe to echo back in a message: no path, no control characters, short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:80] + ("…" if len(base) > 80 else "")
