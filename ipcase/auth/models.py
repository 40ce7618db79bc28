"""User accounts and roles."""

from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ipcase.core.db import TimestampMixin, UTCDateTime, enum_type
from ipcase.core.enums import LabelledEnum
from ipcase.core.extensions import db
from ipcase.organisations.models import Organisation

_hasher = PasswordHasher()
#: Test runs only (config PASSWORD_HASH_FAST): same algorithm, minimal cost, so fixtures log in quickly.
_fast_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _current_hasher() -> PasswordHasher:
    if has_app_context() and current_app.testing and current_app.config.get("PASSWORD_HASH_FAST"):
        return _fast_hasher
    return _hasher


class Role(LabelledEnum):
    admin = "admin"
    director = "director"
    examiner = "examiner"
    mediator = "mediator"
    station_officer = "station_officer"
    expert = "expert"
    party = "party"


Role.set_labels(
    {
        Role.admin: _l("Administrator"),
        Role.director: _l("Director"),
        Role.examiner: _l("Examiner"),
        Role.mediator: _l("Mediator"),
        Role.station_officer: _l("Station officer"),
        Role.expert: _l("Expert / technical investigator"),
        Role.party: _l("Party"),
    }
)

#: Roles that handle cases for their organisation.
CASE_HANDLERS = frozenset({Role.director, Role.examiner, Role.mediator, Role.station_officer})
STAFF_ROLES = CASE_HANDLERS | {Role.admin, Role.expert}


class User(UserMixin, TimestampMixin, db.Model):
    """A person who logs in: staff of an organisation, an expert, or a party."""

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('party', 'expert', 'admin') OR organisation_id IS NOT NULL",
            name="staff_have_organisation",
        ),
        sa.CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: stamped into the session at login and checked on every request: raising it (logout,
    #: password change, role change, deactivation) ends every session opened before
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username} {self.role}>"

    def set_password(self, password: str) -> None:
        self.password_hash = _current_hasher().hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def handles_cases(self) -> bool:
        return self.role in CASE_HANDLERS


class ThrottleScope(LabelledEnum):
    #: one user name (as typed, existing or not) tried from one address
    account = "account"
    #: every user name tried from one address
    address = "address"


class LoginThrottle(db.Model):
    """Login attempts counted per (user name, address) and per address, shared by every worker
    and host. Updated only by atomic SQL (``ipcase.auth.throttle``)."""

    __tablename__ = "login_throttles"
    __table_args__ = (
        sa.UniqueConstraint("scope", "username", "address"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("blocks >= 0", name="blocks_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[ThrottleScope] = mapped_column(enum_type(ThrottleScope))
    #: the user name in lower case as it was typed ("" for the address scope)
    username: Mapped[str] = mapped_column(sa.String(64))
    #: the client address (IPv6: its /64 network)
    address: Mapped[str] = mapped_column(sa.String(64))
    #: attempts in the window that started at ``window_started_at``
    attempts: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: how many times this key was blocked: each block lasts twice as long as the one before
    blocks: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: the last successful login of this user name from this address (a known address)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def dummy_password_check(password: str) -> None:
    """Spend the same time as a real check so unknown usernames are not revealed by timing."""
    # the cost of a real check is the cost of the account's hash: fast only where hashes are
    dummy = _FAST_DUMMY_HASH if _current_hasher() is _fast_hasher else _DUMMY_HASH
    try:
        _hasher.verify(dummy, password)
    except (VerificationError, InvalidHashError):
        pass


_DUMMY_HASH = _hasher.hash("not-a-real-password")
_FAST_DUMMY_HASH = _fast_hasher.hash("not-a-real-password")
