"""Case references and access codes: generating, hashing and checking them.

A code is 16 characters from an alphabet without look-alikes (about 73 bits), shown once and
stored only as an argon2 hash (SD ``source_user.py``). Argon2 needs no server secret, so codes
printed on served notices survive a change of SECRET_KEY. Every failure — unknown reference,
wrong or revoked code — takes one path and gives one answer (SD ``InvalidPassphraseError``)."""

import re
import secrets
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from limits import RateLimitItem, parse_many

from ipcase.cases.enums import EntryKind
from ipcase.cases.models import Case
from ipcase.cases.timeline import record
from ipcase.core import clock
from ipcase.core.addresses import client_address
from ipcase.core.extensions import db, limiter
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


# -- wrong codes: slowing down guessing without locking anyone out ----------------------------------------
#
# A right code always opens its case: nothing counted per case reference ever refuses it. What is
# refused is an *address* that guessed wrong too often: for one reference (PORTAL_CASE_ADDRESS_RATE_LIMIT)
# or at all (each wrong code past PORTAL_ACCESS_FREE_FAILURES doubles the wait before its next try, up
# to PORTAL_ACCESS_MAX_WAIT). Wrong codes for one reference from any address (PORTAL_CASE_RATE_LIMIT)
# only mark the reference as under attack: each wrong code for it then costs its address ATTACK_WEIGHT
# times as much, so a spread attack is slowed sooner, while a party typing the right code from any
# address not itself throttled still gets in. The counts live in the rate limiter's storage (Redis
# when configured), shared by every worker and host. Keys depend only on what was typed and where it
# came from, never on whether the case exists.

#: how many ordinary wrong codes one wrong code for a reference under attack counts as
ATTACK_WEIGHT = 4
#: the longest wait is reached after this many doublings (bounds the exponent)
_MAX_DOUBLINGS = 30


@dataclass(frozen=True)
class Failure:
    """What one wrong code changed: whether its reference is under attack, and whether this is the
    attempt that first found it so (in this window), for staff to be told once."""

    under_attack: bool
    attack_began: bool


def _limits(name: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[name])


def _key(*parts: str) -> str:
    return "ipcase/portal-access/" + "/".join(parts)


def throttling() -> bool:
    """Whether attempts are counted at all (the rate limiter is on, as it is except in most tests)."""
    return bool(limiter.enabled and limiter.initialized)


def _wait(strikes: int) -> int:
    """Seconds an address with this many wrong codes waits before its next attempt (0: none)."""
    over = strikes - int(current_app.config["PORTAL_ACCESS_FREE_FAILURES"])
    return min(2 ** min(over, _MAX_DOUBLINGS), int(current_app.config["PORTAL_ACCESS_MAX_WAIT"])) if over > 0 else 0


def admit(reference: str, address: str | None) -> bool:
    """Whether this attempt's code may be checked at all; False: the address must wait.

    Counted *before* the code is checked, by atomic increments only, so that of any number of
    attempts sent at once no more than allowed reach the check: per (reference, address) the
    attempt is counted first (a right code gives it back, :func:`release`); an address past its
    free wrong codes gets one attempt per wait, the first to take it."""
    if not throttling():
        return True
    storage, strategy = limiter.storage, limiter.limiter
    ref, addr = normalise_reference(reference), client_address(address)
    if storage.get(_key("wait", addr)) > 0:
        return False
    counted = [strategy.hit(item, "portal-ref-addr", ref, addr) for item in _limits("PORTAL_CASE_ADDRESS_RATE_LIMIT")]
    if not all(counted):
        return False
    strikes = storage.get(_key("strikes", addr))
    if wait := _wait(strikes):
        return storage.incr(_key("turn", addr, str(strikes)), wait) == 1
    return True


def release(reference: str, address: str | None) -> None:
    """A right code: its attempt no longer counts against the reference and address."""
    if not throttling():
        return
    ref, addr = normalise_reference(reference), client_address(address)
    for item in _limits("PORTAL_CASE_ADDRESS_RATE_LIMIT"):
        limiter.storage.incr(item.key_for("portal-ref-addr", ref, addr), item.get_expiry(), amount=-1)


def record_failure(reference: str, address: str | None) -> Failure:
    """Count one wrong code typed with this reference from this address (admitted by :func:`admit`)."""
    if not throttling():
        return Failure(under_attack=False, attack_began=False)
    storage, strategy = limiter.storage, limiter.limiter
    ref, addr = normalise_reference(reference), client_address(address)
    per_reference = _limits("PORTAL_CASE_RATE_LIMIT")
    under_attack = False
    for item in per_reference:
        under_attack = not strategy.hit(item, "portal-ref", ref) or under_attack
    strikes = storage.incr(
        _key("strikes", addr),
        int(current_app.config["PORTAL_ACCESS_FAILURE_WINDOW"]),
        amount=ATTACK_WEIGHT if under_attack else 1,
    )
    if wait := _wait(strikes):
        storage.incr(_key("wait", addr), wait)
    began = False
    if under_attack:
        longest = max(item.get_expiry() for item in per_reference)
        began = storage.incr(_key("alarm", ref), longest) == 1
    return Failure(under_attack=under_attack, attack_began=began)


def tell_staff(reference: str) -> bool:
    """Put on the timeline of the case with this reference, if there is one, that its codes are
    being guessed (staff only). Returns whether there was a case to tell."""
    case = db.session.scalar(sa.select(Case).where(Case.number == normalise_reference(reference)))
    if case is None:
        return False
    count = min(item.amount for item in _limits("PORTAL_CASE_RATE_LIMIT"))
    record(case, "portal.codes_guessed", actor=None, kind=EntryKind.negative, data={"count": count})
    return True
