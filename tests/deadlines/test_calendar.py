"""Period arithmetic on the real 2025–2026 official calendars (domain.md §1, §10)."""

from datetime import UTC, date, datetime, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipcase.deadlines.calendar import (
    DayKind,
    OfficialDay,
    WorkCalendar,
    add_days,
    add_hours,
    add_months,
    add_working_days,
    add_years,
    compute,
    years_later,
)
from ipcase.deadlines.official import cross_check, estimated_days, official_days, package_years


@cache
def official() -> WorkCalendar:
    years = package_years()
    estimated = estimated_days(years.stop)
    return WorkCalendar([d for y in years for d in official_days(y)] + list(estimated), years)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-30", 5, "2026-10-13"),  # National Day week, make-up Saturday 10-10 counts
        ("2026-02-13", 1, "2026-02-14"),  # make-up Saturday before Spring Festival is a working day
        ("2026-02-14", 1, "2026-02-24"),  # Spring Festival 02-15..02-23 skipped
        ("2025-01-24", 2, "2025-01-27"),  # make-up Sunday 2025-01-26 counts as day 1
        ("2025-09-26", 4, "2025-10-09"),  # 09-28 make-up Sunday, holiday 10-01..10-08
        ("2025-09-26", 6, "2025-10-11"),  # 10-11 make-up Saturday
        ("2026-11-20", 5, "2026-11-27"),  # ordinary week
        ("2026-12-31", 1, "2027-01-04"),  # unconfirmed 2027: New Year by rule, provisional
    ],
)
def test_working_days(start: str, n: int, due: str) -> None:
    result = add_working_days(official(), date.fromisoformat(start), n)
    assert result.due == date.fromisoformat(due)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-20", 15, "2026-10-08"),  # nominal 10-05 is a holiday → first working day 10-08
        ("2026-03-01", 15, "2026-03-16"),  # nominal 03-16 Monday
        ("2026-02-01", 15, "2026-02-24"),  # nominal 02-16 in Spring Festival → 02-24
        ("2025-09-13", 15, "2025-09-28"),  # nominal 09-28 is a make-up Sunday: a working day
        ("2026-06-06", 30, "2026-07-06"),  # nominal 07-06 Monday
    ],
)
def test_calendar_days_shift_off_rest_days(start: str, n: int, due: str) -> None:
    assert add_days(official(), date.fromisoformat(start), n).due == date.fromisoformat(due)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-01-31", 1, "2026-02-28"),  # no 31 February → month's last day (a make-up Saturday)
        ("2025-01-31", 1, "2025-02-28"),  # Friday
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2026-07-01", 3, "2026-10-08"),  # nominal 10-01 National Day → 10-08
        ("2026-05-31", 1, "2026-06-30"),
        ("2026-08-29", 1, "2026-09-29"),
    ],
)
def test_months(start: str, n: int, due: str) -> None:
    assert add_months(official(), date.fromisoformat(start), n).due == date.fromisoformat(due)


@pytest.mark.parametrize(
    ("start", "n", "nominal", "clamped", "due"),
    [
        ("2020-02-29", 1, "2021-02-28", True, "2021-03-01"),  # no 29 Feb → 28 Feb (P2), a Sunday → Monday (P3)
        ("2020-02-29", 4, "2024-02-29", False, "2024-02-29"),  # leap year again: the corresponding day
        ("2024-02-29", 1, "2025-02-28", True, "2025-02-28"),  # 28 Feb 2025 is a Friday
        ("2023-02-28", 1, "2024-02-28", False, "2024-02-28"),  # 28 Feb stays 28 Feb in a leap year
        ("2022-02-28", 2, "2024-02-28", False, "2024-02-28"),
        ("2021-02-26", 3, "2024-02-26", False, "2024-02-26"),  # [85]19: 3 years
        ("2022-09-30", 1, "2023-09-30", False, "2023-10-07"),  # National Day 2023 → make-up Saturday 10-07
        ("2023-10-01", 3, "2026-10-01", False, "2026-10-08"),  # National Day 2026 → 10-08
    ],
)
def test_years(start: str, n: int, nominal: str, clamped: bool, due: str) -> None:
    first = date.fromisoformat(start)
    assert years_later(first, n) == (date.fromisoformat(nominal), clamped)
    result = add_years(official(), first, n)
    assert result.due == date.fromisoformat(due)
    assert result.unit == "years" and result.length == n
    assert compute(official(), "years", first, n).due == result.due
    codes = [s.code for s in result.steps]
    assert codes[0] == "start" and codes[1] == ("year_end" if clamped else "nominal") and codes[-1] == "due"
    assert ("shift" in codes) == (nominal != due)


def test_years_explanation() -> None:
    lines = add_years(official(), date(2020, 2, 29), 1).explain()
    assert lines == [
        "2020-02-29: triggering event; this day is not counted (P1)",
        "2021-02-28: the final year has no 29 February; 28 February is used (P2)",
        "2021-02-28: last day is a rest day (weekend); moved to the next working day (P3)",
        "2021-03-01: due",
    ]
    with pytest.raises(ValueError, match="whole number"):
        add_years(official(), date(2020, 2, 29), 0)


def test_hours_run_through_midnight_and_holidays() -> None:
    start = datetime(2026, 9, 30, 18, 30, tzinfo=UTC)
    assert add_hours(start, 24).due == datetime(2026, 10, 1, 18, 30, tzinfo=UTC)
    assert add_hours(start, 48).due == start + timedelta(hours=48)


def test_unconfirmed_year_is_provisional() -> None:
    result = add_months(official(), date(2026, 11, 24), 3)
    assert result.due == date(2027, 2, 24)
    assert result.provisional_years == (2027,)
    assert "PROVISIONAL" in result.explain()[-1]
    assert not add_working_days(official(), date(2026, 9, 30), 5).is_provisional


def test_explanation_names_skipped_days() -> None:
    lines = add_working_days(official(), date(2026, 9, 30), 5).explain()
    assert lines[0].startswith("2026-09-30: triggering event")
    assert "2026-10-01: not counted — holiday (国庆节)" in lines
    assert any(line.startswith("2026-10-10: working day 3 — makeup workday") for line in lines)
    assert lines[-1] == "2026-10-13: due"


@pytest.mark.parametrize("bad", [0, -3, True, 2.5])
def test_length_must_be_positive_whole(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        add_days(official(), date(2026, 1, 1), bad)  # type: ignore[arg-type]


def test_compute_dispatch_and_unit_checks() -> None:
    assert compute(official(), "working_days", date(2026, 9, 30), 5).due == date(2026, 10, 13)
    with pytest.raises(ValueError, match="date and time"):
        compute(official(), "hours", date(2026, 9, 30), 24)
    with pytest.raises(ValueError, match="time zone"):
        add_hours(datetime(2026, 9, 30, 12), 24)


def test_packages_agree_on_recent_years() -> None:
    for year in (2023, 2024, 2025, 2026):
        assert cross_check(year) == []


def test_overrides_correct_single_days() -> None:
    cal = WorkCalendar([OfficialDay(date(2027, 1, 1), False, "元旦")], confirmed_years=[2027])
    assert cal.kind(date(2027, 1, 1)) == DayKind.holiday
    assert add_working_days(cal, date(2026, 12, 31), 1).due == date(2027, 1, 4)


dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 10, 31))


@settings(max_examples=150, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40))
def test_working_day_result_is_a_working_day_and_monotonic(start: date, n: int) -> None:
    cal = official()
    result = add_working_days(cal, start, n)
    assert cal.is_workday(result.due)
    assert result.due > start
    assert add_working_days(cal, start, n + 1).due > result.due
    counted = [s for s in result.steps if s.code == "count"]
    assert len(counted) == n and counted[-1].day == result.due


@settings(max_examples=150, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_day_periods_never_move_earlier_and_end_on_working_days(start: date, n: int) -> None:
    cal = official()
    result = add_days(cal, start, n)
    assert cal.is_workday(result.due)
    assert result.due >= start + timedelta(days=n)
    assert add_days(cal, start, n + 1).due >= result.due
    assert result.steps[-1].day == result.due
