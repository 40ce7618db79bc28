"""Turning raw identifiers into canonical ones, with messages in the user's language."""

from typing import Any

from flask_babel import lazy_gettext as _l

from ipcase.cases.enums import IdType, PatentType
from ipcase.core import ipc
from ipcase.core.errors import DomainError
from ipcase.core.identifiers import InvalidIdentifier, parse_patent_number, parse_resident_id, parse_uscc


def patent_number_error(exc: InvalidIdentifier) -> Any:
    if exc.code == "check":
        return _l(
            "The check digit of this patent number is wrong (it should be %(expected)s). "
            "Please copy the number again from the patent certificate.",
            expected=exc.expected,
        )
    if exc.code == "type":
        return _l("The fifth digit of a patent number must be 1, 2, 3, 8 or 9 (the patent type).")
    return _l("Enter a patent number such as ZL201710601862.3 (12 digits, a dot and a check digit).")


def canonical_patent(raw: str, patent_type: str | None, field: str = "number") -> tuple[str, PatentType]:
    """Canonical patent number and its type; a type given by the user must match the number."""
    try:
        parsed = parse_patent_number(raw)
    except InvalidIdentifier as exc:
        raise DomainError((field, patent_number_error(exc))) from exc
    derived = PatentType(parsed.patent_type)
    if patent_type and PatentType(patent_type) != derived:
        raise DomainError(
            (
                "patent_type",
                _l("The number is that of a %(type)s patent.", type=derived.label),
            )
        )
    return parsed.canonical, derived


def canonical_id_number(id_type: str | None, raw: str, field: str = "id_number") -> str:
    """Validate resident ID cards and social credit codes by their check digit; others as typed."""
    raw = (raw or "").strip()
    if not raw or not id_type:
        return raw
    try:
        if id_type == IdType.resident_id:
            return parse_resident_id(raw)
        if id_type == IdType.uscc:
            return parse_uscc(raw)
    except InvalidIdentifier as exc:
        if id_type == IdType.uscc:
            msg = (
                _l("The check character of this social credit code is wrong.")
                if exc.code == "check"
                else _l("A unified social credit code has 18 digits and capital letters (no I, O, S, V, Z).")
            )
        else:
            msg = (
                _l("The check digit of this identity card number is wrong.")
                if exc.code == "check"
                else _l("An identity card number has 17 digits, a valid birth date and a check digit.")
            )
        raise DomainError((field, msg)) from exc
    return raw


def canonical_ipc(raw: str | None, field_name: str = "ipc_class") -> str | None:
    """One IPC symbol (``H04L``, ``A61K 31/00``) in canonical form, None when blank."""
    if not (raw or "").strip():
        return None
    try:
        return ipc.parse_ipc(raw or "")
    except ipc.InvalidIPC as exc:
        raise DomainError((field_name, ipc_message(raw or ""))) from exc


def ipc_message(raw: str) -> Any:
    return _l(
        "“%(value)s” is not an IPC class: give a subclass such as H04L or a group such as A61K 31/00.",
        value=raw.strip()[:40],
    )
