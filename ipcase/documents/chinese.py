"""Chinese numerals for official documents: dates (成文日期) and small counts. Pure functions.

GB/T 9704-2012 7.3.5.1: the date of an official document is written in Arabic numerals since
2012, but the enforcement documents modelled in [78] (and most local offices' templates) still
write it in Chinese numerals with 〇 for zero, as 二〇二六年十一月二十四日; the documents follow [78].
"""

from datetime import date, datetime

DIGITS = "〇一二三四五六七八九"


def chinese_year(year: int) -> str:
    """Each digit on its own: 2026 → 二〇二六."""
    if year < 0:
        raise ValueError("year must not be negative")
    return "".join(DIGITS[int(d)] for d in str(year))


def chinese_number(n: int) -> str:
    """A count from 0 to 99 the way dates and article numbers read it: 10 → 十, 21 → 二十一."""
    if not 0 <= n <= 99:
        raise ValueError("only 0–99 are written this way")
    if n < 10:
        return DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[units] if units else "")


def chinese_date(day: date) -> str:
    """The date in Chinese numerals: 2026-11-24 → 二〇二六年十一月二十四日."""
    return f"{chinese_year(day.year)}年{chinese_number(day.month)}月{chinese_number(day.day)}日"


def arabic_date(day: date) -> str:
    """The date with Arabic numerals, unpadded: 2026年11月24日 (GB/T 9704-2012 style)."""
    return f"{day.year}年{day.month}月{day.day}日"


WEEKDAYS = "一二三四五六日"


def chinese_datetime(moment: datetime) -> str:
    """A local date and time as notices give it: 2026年12月1日（星期二）上午9时30分."""
    hour = moment.hour
    period = "上午" if hour < 12 else "中午" if hour == 12 else "下午" if hour < 18 else "晚上"
    shown = hour if hour <= 12 else hour - 12
    minutes = f"{moment.minute}分" if moment.minute else ""
    return f"{arabic_date(moment.date())}（星期{WEEKDAYS[moment.weekday()]}）{period}{shown}时{minutes}"
