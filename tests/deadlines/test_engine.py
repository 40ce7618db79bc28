"""Properties of due dates with extensions and excluded time (engine.py)."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ipcase.deadlines.calendar import Unit
from ipcase.deadlines.engine import Interval, due_result, excluded_days
from ipcase.deadlines.rules import get_rule
from tests.deadlines.test_calendar import official

LIMIT = get_rule("adj.time_limit")  # 3 months, pausable, extendable by months
DEFENCE = get_rule("adj.defence")  # 15 days, not pausable

starts = st.dates(min_value=date(2025, 2, 1), max_value=date(2026, 6, 30))


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, tzinfo=UTC)  # 12:00 in China


def test_overlapping_exclusions_count_once() -> None:
    intervals = [Interval(date(2026, 3, 1), date(2026, 3, 10)), Interval(date(2026, 3, 5), date(2026, 3, 12))]
    assert excluded_days(intervals, after=date(2026, 2, 1), today=date(2026, 6, 1)) == 12
    # days before the period started do not count; an open interval runs through today
    assert excluded_days([Interval(date(2026, 1, 20), None)], after=date(2026, 2, 1), today=date(2026, 2, 10)) == 9


def test_exclusions_do_not_touch_periods_that_are_not_pausable() -> None:
    iv = [Interval(date(2026, 3, 2), date(2026, 3, 20))]
    plain = due_result(official(), DEFENCE, started_at=noon(date(2026, 3, 1)), length=15, today=date(2026, 4, 1))
    paused = due_result(
        official(), DEFENCE, started_at=noon(date(2026, 3, 1)), length=15, exclusions=iv, today=date(2026, 4, 1)
    )
    assert plain.due == paused.due


@settings(max_examples=120, deadline=None)
@given(
    start=starts,
    first=st.integers(min_value=0, max_value=80),
    span=st.integers(min_value=0, max_value=40),
    extension=st.integers(min_value=0, max_value=3),
)
def test_suspension_and_extension_never_move_the_due_date_earlier(
    start: date, first: int, span: int, extension: int
) -> None:
    cal = official()
    today = start + timedelta(days=200)
    base = due_result(cal, LIMIT, started_at=noon(start), length=3, today=today)
    iv = Interval(start + timedelta(days=first), start + timedelta(days=first + span), "中止")
    paused = due_result(cal, LIMIT, started_at=noon(start), length=3, exclusions=[iv], today=today)
    extended = due_result(
        cal, LIMIT, started_at=noon(start), length=3, extended_by=extension, exclusions=[iv], today=today
    )
    assert base.due <= paused.due <= extended.due
    assert cal.is_workday(paused.due) and cal.is_workday(extended.due)
    # the explanation ends on the result, and names the excluded days it added
    assert paused.steps[-1].day == paused.due and paused.steps[-1].code == "due"
    excluded = [s for s in paused.steps if s.code == "excluded"]
    # the start day itself is not part of the period (P1), so it is never an excluded day
    expected = first + span - max(first, 1) + 1
    assert (excluded[0].ordinal if excluded else 0) == max(expected, 0)


def test_hours_ignore_the_calendar_and_exclusions() -> None:
    rule = get_rule("inj.decision")
    assert rule.unit == Unit.hours
    start = datetime(2026, 9, 30, 14, tzinfo=UTC)
    result = due_result(
        official(),
        rule,
        started_at=start,
        length=48,
        exclusions=[Interval(date(2026, 10, 1), date(2026, 10, 7))],
        today=date(2026, 10, 8),
    )
    assert result.due == start + timedelta(hours=48)
