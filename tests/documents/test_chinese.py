"""Chinese numerals of official documents (pure functions)."""

from datetime import date, datetime

import pytest

from ipcase.documents.chinese import arabic_date, chinese_date, chinese_datetime, chinese_number, chinese_year


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 24), "二〇二六年十一月二十四日"),
        (date(2026, 1, 1), "二〇二六年一月一日"),
        (date(2025, 2, 10), "二〇二五年二月十日"),
        (date(2030, 10, 30), "二〇三〇年十月三十日"),
        (date(2000, 12, 31), "二〇〇〇年十二月三十一日"),
        (date(2019, 5, 20), "二〇一九年五月二十日"),
        (date(2026, 3, 11), "二〇二六年三月十一日"),
    ],
)
def test_chinese_date(day, expected):
    assert chinese_date(day) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "〇"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (15, "十五"),
        (20, "二十"),
        (30, "三十"),
        (99, "九十九"),
    ],
)
def test_chinese_number(n, expected):
    assert chinese_number(n) == expected


@pytest.mark.parametrize("n", [-1, 100])
def test_chinese_number_range(n):
    with pytest.raises(ValueError):
        chinese_number(n)


def test_year_digit_by_digit():
    assert chinese_year(2026) == "二〇二六"
    assert chinese_year(1999) == "一九九九"


def test_arabic_date_unpadded():
    assert arabic_date(date(2026, 1, 5)) == "2026年1月5日"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 1, 9, 30), "2026年12月1日（星期二）上午9时30分"),
        (datetime(2026, 12, 1, 14, 0), "2026年12月1日（星期二）下午2时"),
        (datetime(2026, 12, 6, 12, 15), "2026年12月6日（星期日）中午12时15分"),
        (datetime(2026, 12, 6, 19, 0), "2026年12月6日（星期日）晚上7时"),
    ],
)
def test_chinese_datetime(moment, expected):
    assert chinese_datetime(moment) == expected
