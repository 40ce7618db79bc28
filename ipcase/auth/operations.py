"""Account use cases: creating users, authenticating with lockout, changing passwords."""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ipcase.auth.models import STAFF_ROLES, Role, User, dummy_password_check
from ipcase.core import clock
from ipcase.core.errors import DomainError
from ipcase.extensions import db
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


def authenticate(username: str, password: str) -> User:
    """Return the user if the credentials are right; count failures and lock after too many.

    One message for every failure, so the form does not reveal which user names exist."""
    failure = DomainError(_l("Wrong user name or password, or the account is locked."))
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.strip().lower()))
    if user is None:
        dummy_password_check(password)
        raise failure
    now = clock.now()
    if user.locked_until and user.locked_until > now:
        dummy_password_check(password)
        raise failure
    if not user.is_active or not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.flush()
        raise failure
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return user


def change_password(user: User, *, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(("current", _l("The current password is wrong.")))
    check_password_strength(new, user.username)
    user.set_password(new)
    db.session.flush()


def update_user(user: User, data: dict[str, Any], *, actor: User) -> None:
    """Admin edit of an account: name, contact, role, organisation, active flag, new password."""
    role = Role(data.get("role", user.role))
    org = data.get("organisation", user.organisation)
    if role in STAFF_ROLES - {Role.admin, Role.expert} and org is None:
        raise DomainError(("organisation", _l("Staff members must belong to an organisation.")))
    if user.id == actor.id and (role != Role.admin or not data.get("is_active", True)):
        raise DomainError(("role", _l("You cannot remove your own administrator rights.")))
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
