"""The catalogue of document kinds (domain.md §7): for each, its Chinese title, the type code of
its number, its template, the form of its variable parts, its snapshot extras, its legal basis,
and what serving it sets off.

The workflows name the kinds their steps call for (``Transition.documents``); a kind the
workflows name but this catalogue lacks is shown as "not available yet" rather than failing."""

from flask import current_app

from ipcase.documents.catalogue import FORM_KINDS
from ipcase.documents.generic_kinds import GENERIC_KINDS
from ipcase.documents.kinds import DocumentKind

#: every kind: those with a form of their own, then the generic ones
KINDS: tuple[DocumentKind, ...] = FORM_KINDS + GENERIC_KINDS

BY_KEY: dict[str, DocumentKind] = {k.key: k for k in KINDS}


def get_kind(key: str) -> DocumentKind | None:
    return BY_KEY.get(key)


def kinds_for(channel: str) -> list[DocumentKind]:
    return [k for k in KINDS if channel in k.channels]


def document_code(kind: DocumentKind) -> str:
    """The kind's type code, or the one configured in ``DOCUMENT_CODES``."""
    return current_app.config.get("DOCUMENT_CODES", {}).get(kind.key, kind.code)
