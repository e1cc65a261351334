"""Chart series: a line's points, broken where observations are too far apart."""

from __future__ import annotations

import datetime as dt
import pickle

import pandas as pd

from publisher.charts.series import calendar_days, with_breaks


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


def it_gives_each_calendar_day_as_one_shared_date() -> None:
    index = pd.DatetimeIndex(["1999-12-31", "2024-02-29", "2024-02-29 17:30", "2025-05-27"])
    days = calendar_days(index)
    assert days == list(index.date)
    assert days[1] is days[2]  # the same day twice: one object
    assert calendar_days(pd.DatetimeIndex(["2025-05-27"]))[0] is days[3]


def it_pickles_a_day_shared_by_several_lines_once() -> None:
    # chart data travels to the drawing and deck workers pickled
    index = pd.date_range("2020-01-01", periods=1500, freq="D")
    lines = [with_breaks(pd.Series(float(n), index=index), "daily")[0] for n in range(3)]
    # the second and third line's dates are back-references to the first's
    assert len(pickle.dumps(lines)) < 2 * len(pickle.dumps(lines[:1]))
    assert len(pickle.dumps([tuple(index.date) for _ in range(3)])) > 2 * len(
        pickle.dumps(lines[:1])
    )
