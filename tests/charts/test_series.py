"""Chart series: a line's points, broken where observations are too far apart."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from publisher.charts.series import with_breaks


def _weekly(*days: str, values: list[float] | None = None) -> pd.Series:
    index = pd.DatetimeIndex([pd.Timestamp(d) for d in days], name="date")
    return pd.Series(values or [float(n) for n in range(len(days))], index=index)


def it_breaks_a_line_after_each_observation_too_far_from_the_next() -> None:
    # weekly: 24 days is the longest gap a line bridges
    line = _weekly("2025-01-03", "2025-01-10", "2025-03-07", "2025-03-14", "2025-05-16")
    xs, ys = with_breaks(line, "weekly")
    assert xs == (
        dt.date(2025, 1, 3),
        dt.date(2025, 1, 10),
        dt.date(2025, 1, 11),  # the break, the day after the last observation before it
        dt.date(2025, 3, 7),
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 15),
        dt.date(2025, 5, 16),
    )
    assert ys == (0.0, 1.0, None, 2.0, 3.0, None, 4.0)


def it_bridges_a_gap_of_exactly_the_longest_allowed() -> None:
    xs, ys = with_breaks(_weekly("2025-01-03", "2025-01-27"), "weekly")  # 24 days
    assert (xs, ys) == ((dt.date(2025, 1, 3), dt.date(2025, 1, 27)), (0.0, 1.0))


def it_gives_plain_floats_and_none_for_a_missing_value() -> None:
    xs, ys = with_breaks(_weekly("2025-01-03", "2025-01-10", values=[1.5, float("nan")]), "weekly")
    assert ys == (1.5, None)
    assert all(type(x) is dt.date for x in xs) and type(ys[0]) is float


def it_gives_no_points_for_an_empty_series() -> None:
    assert with_breaks(_weekly(), "weekly") == ((), ())
