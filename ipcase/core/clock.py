"""The one source of "now", so tests can freeze time (see ``tests/conftest.py``)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """Current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in China (Asia/Shanghai), which is what every legal period counts in."""
    return now().astimezone(LOCAL_TZ).date()


def to_local(value: datetime) -> datetime:
    """Convert an aware instant to Asia/Shanghai for display."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def local_day(value: datetime) -> date:
    """The date in China of an instant (the day a step happened, for periods counted in days)."""
    return to_local(value).date()


def from_local(value: datetime) -> datetime:
    """Interpret a naive datetime typed by a user in Asia/Shanghai and return it in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)
