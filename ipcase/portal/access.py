"""Case references and access codes: generating, hashing and checking them.

A code is 16 characters from an alphabet without look-alikes (about 73 bits), shown once and
stored only as an argon2 hash (SD ``source_user.py``). Argon2 needs no server secret, so codes
printed on served notices survive a change of SECRET_KEY. Every failure — unknown reference,
wrong or revoked code — takes one path and gives one answer (SD ``InvalidPassphraseError``)."""

import re
import secrets
import unicodedata

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

from ipcase.cases.models import Case
from ipcase.core import clock
from ipcase.extensions import db
from ipcase.portal.models import PortalAccess

#: no 0/O, 1/I/L, 2/Z, 5/S, 8/B: read off paper and typed back without mistakes
ALPHABET = "3469ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 16
GROUP = 4
#: longest reference and code input we even look at
MAX_INPUT = 80

_hasher = PasswordHasher()
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_DUMMY_HASH = _hasher.hash("not-a-real-code")


def _current_hasher() -> PasswordHasher:
    # Test runs only (PASSWORD_HASH_FAST, as for passwords): same algorithm, minimal cost.
    if has_app_context() and current_app.testing and current_app.config.get("PASSWORD_HASH_FAST"):
        return _fast_hasher
    return _hasher


def new_code() -> str:
    """A fresh access code, grouped for reading: ``KHQF-3MTP-9XWD-H4CT``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(raw: str) -> str:
    """The code as stored: upper case, spaces, dashes and full-width forms folded away."""
    folded = unicodedata.normalize("NFKC", (raw or "")[:MAX_INPUT]).upper()
    return re.sub(r"[^0-9A-Z]", "", folded)


def hash_code(code: str) -> str:
    return _current_hasher().hash(normalise_code(code))


def check_code(code_hash: str, code: str) -> bool:
    try:
        return _hasher.verify(code_hash, normalise_code(code))
    except (VerificationError, InvalidHashError):
        return False


def normalise_reference(raw: str) -> str:
    """A case number as people type it: brackets of any kind, spaces and full-width digits are
    folded to the form numbers are stored in (成知裁字〔2026〕12号)."""
    text = unicodedata.normalize("NFKC", (raw or "")[:MAX_INPUT])
    text = re.sub(r"\s", "", text)
    for opening in "[【(（{":
        text = text.replace(opening, "〔")
    for closing in "]】)）}":
        text = text.replace(closing, "〕")
    return text


def find_access(reference: str, code: str) -> PortalAccess | None:
    """The active access row matching this case reference and code, or None for any failure.

    The same amount of hashing is done whether or not the reference exists, so timing does not
    tell a real reference from a made-up one."""
    ref = normalise_reference(reference)
    candidates: list[PortalAccess] = []
    if ref and normalise_code(code):
        case_id = db.session.scalar(sa.select(Case.id).where(Case.number == ref))
        if case_id is not None:
            candidates = list(
                db.session.scalars(
                    sa.select(PortalAccess)
                    .where(PortalAccess.case_id == case_id, PortalAccess.revoked_at.is_(None))
                    .order_by(PortalAccess.id)
                )
            )
    if not candidates:
        check_code(_DUMMY_HASH, code)
        return None
    for access in candidates:
        if check_code(access.code_hash, code):
            access.last_used_at = clock.now()
            return access
    return None
