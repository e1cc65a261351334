"""Charts stage: dates as the desk writes them on axes and table heads (5月27日, 2025年)."""

from __future__ import annotations

import datetime as dt

from publisher.metrics import formatting

# Day of year on which each month starts in a common (non-leap) year: the seasonal axis.
MONTH_STARTS: tuple[int, ...] = tuple(dt.date(2001, m, 1).timetuple().tm_yday for m in range(1, 13))


def month_day(day: dt.date) -> str:
    return formatting.day(day)  # the report's one way of writing a day


def month(day: dt.date) -> str:
    return f"{day.month}月"


def year(day: dt.date) -> str:
    return f"{day.year}年"


def season_day(day: dt.date) -> int:
    """Day of year on a common-year calendar, so 1 March is day 60 in leap years too and the
    same date of every year falls on the same spot of a seasonal axis (29 Feb shares 28 Feb's)."""
    return dt.date(2001, day.month, min(day.day, 28) if day.month == 2 else day.day).timetuple()[7]


def period(day: dt.date, frequency: str) -> str:
    """A table head for one observation under its year band: 4月 for monthly figures,
    5月23日 otherwise."""
    return month(day) if frequency == "monthly" else month_day(day)
