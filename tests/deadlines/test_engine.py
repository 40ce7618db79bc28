"""Properties of due dates with extensions and excluded time (engine.py)."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
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


def test_a_pause_after_the_limit_passed_leaves_the_missed_limit_where_it_was() -> None:
    """Excluded time counts only while the period runs ([85]37): a suspension recorded after
    the last day does not turn a missed limit into a running one."""
    cal = official()
    start = noon(date(2026, 3, 2))
    base = due_result(cal, LIMIT, started_at=start, length=3, today=date(2026, 7, 1))
    assert base.due == date(2026, 6, 2)
    for late in (Interval(date(2026, 6, 3), None, "中止"), Interval(date(2026, 6, 10), date(2026, 6, 20), "中止")):
        late_pause = due_result(cal, LIMIT, started_at=start, length=3, exclusions=[late], today=date(2026, 7, 1))
        assert late_pause.due == base.due
        assert not [s for s in late_pause.steps if s.code == "excluded"]
    # a pause that began on the last day still counts, and so do the days it runs beyond it
    on_last = Interval(date(2026, 6, 2), date(2026, 6, 5), "中止")
    assert due_result(cal, LIMIT, started_at=start, length=3, exclusions=[on_last], today=date(2026, 7, 1)).due == (
        date(2026, 6, 8)  # 06-02 + 4 days = 06-06 Saturday → Monday 06-08
    )
    # two pauses: the second starts inside the time the first one added, so it counts too
    first = Interval(date(2026, 5, 25), date(2026, 6, 1), "中止")  # 8 days: 06-02 → 06-10
    second = Interval(date(2026, 6, 9), date(2026, 6, 10), "鉴定")  # inside the pushed period: +2
    both = due_result(cal, LIMIT, started_at=start, length=3, exclusions=[first, second], today=date(2026, 7, 1))
    assert both.due == date(2026, 6, 12)
    assert [s.ordinal for s in both.steps if s.code == "excluded"] == [10]


@pytest.mark.parametrize("length", [0, -1])
def test_due_result_refuses_a_length_below_one(length: int) -> None:
    for rule in (LIMIT, DEFENCE, get_rule("adj.docket"), get_rule("inj.decision")):
        with pytest.raises(ValueError, match="at least 1"):
            due_result(official(), rule, started_at=noon(date(2026, 3, 2)), length=length, today=date(2026, 4, 1))


def test_due_result_refuses_a_negative_extension() -> None:
    for rule in (LIMIT, DEFENCE, get_rule("adj.docket"), get_rule("inj.decision")):
        with pytest.raises(ValueError, match="extension"):
            due_result(
                official(), rule, started_at=noon(date(2026, 3, 2)), length=3, extended_by=-1, today=date(2026, 4, 1)
            )


def test_a_rule_in_years() -> None:
    """A period in years ([85]19: 3 years) ends on the corresponding day; 29 February → 28 February."""
    rule = dataclasses.replace(LIMIT, id="test.years", unit=Unit.years, is_pausable=False, extension_unit=None)
    result = due_result(official(), rule, started_at=noon(date(2020, 2, 29)), length=1, today=date(2021, 3, 1))
    assert result.due == date(2021, 3, 1)
    assert [s.code for s in result.steps] == ["start", "year_end", "shift", "due"]
    three = due_result(official(), rule, started_at=noon(date(2021, 2, 26)), length=3, today=date(2024, 3, 1))
    assert three.due == date(2024, 2, 26)
    extended = due_result(
        official(), rule, started_at=noon(date(2021, 2, 26)), length=2, extended_by=1, today=date(2024, 3, 1)
    )
    assert extended.due == date(2024, 2, 26)
