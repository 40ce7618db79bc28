"""Account use cases: creating users, authenticating with throttling, changing passwords,
ending sessions."""

import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ipcase.auth import throttle
from ipcase.auth.models import STAFF_ROLES, Role, ThrottleScope, User, dummy_password_check
from ipcase.core import clock
from ipcase.core.addresses import client_address
from ipcase.core.errors import DomainError
from ipcase.core.events import login_attacked
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation

MIN_PASSWORD_LENGTH = 10


def check_password_strength(password: str, username: str = "") -> None:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_l("A password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if username and username.lower() in password.lower():
        problems.append(_l("A password must not contain the user name."))
    if password.isdigit() or password.isalpha():
        problems.append(_l("A password needs both letters and digits or symbols."))
    if problems:
        raise DomainError(*[("password", p) for p in problems])


def create_user(
    *,
    username: str,
    password: str,
    display_name: str,
    role: Role,
    organisation: Organisation | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    """Create an account. Staff other than admins and experts belong to an organisation."""
    username = username.strip()
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())):
        raise DomainError(("username", _l("This user name is taken.")))
    role = Role(role)
    if role in STAFF_ROLES - {Role.admin, Role.expert} and organisation is None:
        raise DomainError(("organisation", _l("Staff members must belong to an organisation.")))
    check_password_strength(password, username)
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        organisation=organisation,
        email=email,
        phone=phone,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


#: the random ending of a party account's user name (no 0/o, 1/l/i to misread)
PARTY_NAME_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PARTY_NAME_SUFFIX = 5


def create_party_account(*, name: str, password: str, display_name: str, email: str = "") -> User:
    """A party's own account (portal registration). Its user name is the chosen name with a random
    ending, e.g. ``zhang.san-k7m3q``, given to the party to log in with: registering succeeds the
    same way whatever the chosen name, so it never tells whether a user name exists (``admin``
    gives ``admin-…``, an account of its own). The ending is drawn again on the rare clash."""
    base = name.strip()[: 64 - PARTY_NAME_SUFFIX - 1]
    check_password_strength(password, base)
    for _attempt in range(8):
        ending = "".join(secrets.choice(PARTY_NAME_ALPHABET) for _ in range(PARTY_NAME_SUFFIX))
        username = f"{base}-{ending}"
        if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())):
            continue
        try:
            with db.session.begin_nested():
                return create_user(
                    username=username, password=password, display_name=display_name, role=Role.party, email=email
                )
        except IntegrityError:  # the same name created by another request this very moment
            continue
    raise DomainError(_l("The account could not be created. Please try again."))


GENERIC_REFUSAL = _l("Wrong user name or password, or the account is locked.")


class LoginRefused(DomainError):
    """A login refused: one message for every reason, so the form reveals no user name."""

    def __init__(self, *more: Any) -> None:
        super().__init__(GENERIC_REFUSAL, *more)


class LoginThrottled(LoginRefused):
    """Too many attempts from this address (for this user name, or for any): no password is
    checked until ``until``. Counted the same way whether the user name exists or not."""

    def __init__(self, until: datetime) -> None:
        same_day = clock.local_day(until) == clock.today()
        super().__init__(
            _l(
                "Too many failed attempts from your address. Try again after %(time)s.",
                time=format_datetime(until, "HH:mm" if same_day else "yyyy-MM-dd HH:mm"),
            )
        )
        self.until = until


def _request_address() -> str:
    return (request.remote_addr or "") if has_request_context() else ""


def authenticate(username: str, password: str, address: str | None = None) -> User:
    """Return the user if the credentials are right; otherwise raise :class:`LoginRefused`.

    Attempts are throttled per (typed user name, address) and per address, with growing blocks
    (``ipcase.auth.throttle``), so guessing from one address stops without shutting the owner out
    from theirs. Across all addresses, an account that fails ``LOGIN_ACCOUNT_MAX_FAILURES`` times
    in a row accepts, for a growing time, only addresses it logged in from before: a guesser with
    many addresses gets few tries, the owner at their usual address still gets in. The account's
    owner and the administrators are notified once per burst. ``address``: the client's, by
    default the request's (behind a proxy only as the configured ProxyFix reports it)."""
    cfg = current_app.config
    now = clock.now()
    name = username.strip().lower()[:64]
    where = client_address(_request_address() if address is None else address)
    window = timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"])
    base = timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
    cap = timedelta(minutes=cfg["LOGIN_MAX_LOCK_MINUTES"])
    # always the same order of row locks (this pair, this address, the account): no deadlock
    pair = throttle.count_attempt(ThrottleScope.account, name, where, now=now, window=window, forget=cap)
    per_address = throttle.count_attempt(ThrottleScope.address, "", where, now=now, window=window, forget=cap)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == name))
    until = [u for u in (pair.blocked_until, per_address.blocked_until) if u is not None and u > now]
    if pair.attempts > cfg["LOGIN_MAX_FAILURES"]:
        until.append(throttle.block(pair.id, now=now, base=base, cap=cap))
        if user is not None:
            _notify_attack(user, where, now)
    if per_address.attempts > cfg["LOGIN_ADDRESS_MAX_FAILURES"]:
        until.append(throttle.block(per_address.id, now=now, base=base, cap=cap))
    if until:
        dummy_password_check(password)
        raise LoginThrottled(max(until))
    if user is None:
        dummy_password_check(password)
        _after_failure(now, cap)
        raise LoginRefused()
    known = pair.last_success_at is not None and pair.last_success_at > now - timedelta(
        days=cfg["LOGIN_KNOWN_ADDRESS_DAYS"]
    )
    # the account's count, taken before the password check under the row's lock (atomic: no
    # lost update between workers); while the account is locked only known addresses may try
    counted = sa.update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    if not known:
        counted = counted.where(sa.or_(User.locked_until.is_(None), User.locked_until <= now))
    failures = db.session.execute(
        counted.returning(User.failed_logins).execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if failures is None:
        dummy_password_check(password)
        _after_failure(now, cap)
        raise LoginRefused()
    if user.is_active and user.check_password(password):
        throttle.record_success(name, where, now=now)
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(failed_logins=0, locked_until=None, last_login_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(user)
        return user
    limit = cfg["LOGIN_ACCOUNT_MAX_FAILURES"]
    if failures % limit == 0:
        locked = now + min(base * (2 ** min(failures // limit - 1, 20)), cap)
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(locked_until=locked)
            .execution_options(synchronize_session=False)
        )
        _notify_attack(user, where, now)
    _after_failure(now, cap)
    raise LoginRefused()


def _after_failure(now: datetime, forget: timedelta) -> None:
    throttle.prune(now=now, forget=forget, known_for=timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"]))


def _notify_attack(user: User, address: str, now: datetime) -> None:
    """Announce the attack (``core.events.login_attacked``): the owner and every active
    administrator are told, once per burst (``deadlines.notify``)."""
    login_attacked.send(user, address=address, at=now)


def end_sessions(user: User) -> int:
    """End every session of ``user`` (atomic increment of the session version); returns the new
    version, for the caller to stamp into a session that stays open."""
    version = db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .returning(User.session_version)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(user, "session_version", version)
    return version


def change_password(user: User, *, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(("current", _l("The current password is wrong.")))
    check_password_strength(new, user.username)
    user.set_password(new)
    db.session.flush()
    end_sessions(user)


def update_user(user: User, data: dict[str, Any], *, actor: User) -> None:
    """Admin edit of an account: name, contact, role, organisation, active flag, new password."""
    role = Role(data.get("role", user.role))
    org = data.get("organisation", user.organisation)
    if role in STAFF_ROLES - {Role.admin, Role.expert} and org is None:
        raise DomainError(("organisation", _l("Staff members must belong to an organisation.")))
    if user.id == actor.id and (role != Role.admin or not data.get("is_active", True)):
        raise DomainError(("role", _l("You cannot remove your own administrator rights.")))
    # a new role, a new password or (de)activation ends the account's open sessions
    activity = data.get("is_active", user.is_active)
    ends_sessions = role != user.role or bool(data.get("password")) or activity != user.is_active
    for key in ("display_name", "email", "phone", "is_active"):
        if key in data:
            setattr(user, key, data[key])
    user.role = role
    user.organisation = org
    if data.get("password"):
        check_password_strength(data["password"], user.username)
        user.set_password(data["password"])
        user.failed_logins = 0
        user.locked_until = None
    db.session.flush()
    if ends_sessions:
        end_sessions(user)
