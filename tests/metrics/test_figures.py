"""Metrics stage: current, previous, change, % change, the "—" cases and staleness."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from publisher.metrics.figures import figure, is_stale, pct_change, year_ago
from publisher.snapshot.model import SeriesSpec

AS_OF = dt.date(2025, 5, 27)
PRICE = SeriesSpec("p", "07合约", "元/吨", "daily", "WIND", "si", 0)
STOCK = SeriesSpec("s", "社会库存", "万吨", "weekly", "SMM", "si", 1)


def _daily(values: list[float], end: str = "2025-05-27") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(end=end, periods=len(values)), dtype=float)


def it_computes_change_and_percent_of_the_last_two_observations() -> None:
    fig = figure("p", _daily([7580, 7415]), PRICE, AS_OF)
    assert (fig.current, fig.previous, fig.change, fig.pct) == (7415, 7580, -165, -2.18)
    assert (fig.text.current, fig.text.previous, fig.text.change, fig.text.pct) == (
        "7415",
        "7580",
        "-165",
        "-2.18%",
    )


def it_gives_the_change_of_the_printed_numbers() -> None:
    weekly = pd.Series([59.94, 58.24], index=pd.to_datetime(["2025-05-16", "2025-05-23"]))
    fig = figure("s", weekly, STOCK, AS_OF)
    assert fig.text.change == "-1.7"
    assert fig.text.pct == "-2.84%"  # -1.7 / 59.9, the table's own numbers


def it_keeps_the_sign_of_a_shrinking_loss_positive() -> None:
    fig = figure("p", _daily([-3715, -3665]), PRICE, AS_OF)
    assert fig.text.change == "+50" and fig.text.pct == "+1.35%"


@pytest.mark.parametrize(
    ("current", "previous"), [(85.0, -5.0), (-5.0, 85.0), (0.001, 0.0), (1.0, None)]
)
def it_prints_a_dash_for_percent_across_or_from_zero(
    current: float, previous: float | None
) -> None:
    change = None if previous is None else current - previous
    assert pct_change(current, previous, change) is None


def it_prints_dashes_not_nan_for_a_series_with_one_observation() -> None:
    fig = figure("p", _daily([7440]), PRICE, AS_OF)
    assert fig.text.previous == fig.text.change == fig.text.pct == "—"


def it_describes_the_move_in_words_from_the_printed_figures() -> None:
    weekly = pd.Series([59.9, 58.2], index=pd.to_datetime(["2025-05-16", "2025-05-23"]))
    assert figure("s", weekly, STOCK, AS_OF).trend() == "减少2.84%"
    flat = pd.Series([6.7, 6.7], index=pd.to_datetime(["2025-05-16", "2025-05-23"]))
    assert figure("s", flat, STOCK, AS_OF).trend() == "持平"


def it_calls_a_move_whose_percent_prints_as_zero_flat() -> None:
    # +1 吨 on 234200 吨 is +0.0004%: the prose said 环比增加0.00%
    tonnes = SeriesSpec("t", "样本企业库存", "吨", "weekly", "SMM", "si", 0)
    weekly = pd.Series([234200.0, 234201.0], index=pd.to_datetime(["2025-05-16", "2025-05-23"]))
    made = figure("t", weekly, tonnes, AS_OF)
    assert (made.text.change, made.text.pct) == ("+1", "0.00%")
    assert (made.trend(), made.direction) == ("持平", "持平")
    falling = figure("t", weekly.iloc[::-1].set_axis(weekly.index), tonnes, AS_OF)
    assert (falling.text.pct, falling.trend()) == ("0.00%", "持平")


@pytest.mark.parametrize(
    ("frequency", "latest", "stale"),
    [
        ("daily", dt.date(2025, 5, 22), False),  # Thu: three business days before Tue
        ("daily", dt.date(2025, 5, 21), True),
        ("weekly", dt.date(2025, 5, 17), False),
        ("weekly", dt.date(2025, 5, 16), True),
        ("monthly", dt.date(2025, 4, 30), False),
        ("monthly", dt.date(2025, 3, 31), True),
        ("daily", None, True),
    ],
)
def it_marks_a_figure_stale_by_its_frequency(
    frequency: str, latest: dt.date | None, stale: bool
) -> None:
    assert is_stale(frequency, latest, AS_OF) is stale


@pytest.mark.parametrize(
    ("spec", "end", "when"),
    [
        (PRICE, "2025-05-27", ""),  # of the report day
        (PRICE, "2025-05-26", "（5月26日）"),  # the day before: dated, not stale
        (PRICE, "2025-04-10", "（4月10日，未更新）"),
        (PRICE, "2024-12-31", "（2024年12月31日，未更新）"),
        (STOCK, "2025-05-23", ""),  # last week's figure is a weekly's latest
        (STOCK, "2025-05-09", "（5月9日，未更新）"),
    ],
)
def it_dates_a_figure_for_prose_unless_it_is_of_the_report_day(
    spec: SeriesSpec, end: str, when: str
) -> None:
    values = pd.Series([7500.0, 7440.0], index=pd.to_datetime(["2024-12-02", end]))
    assert figure("x", values, spec, AS_OF).text.when == when


def it_marks_the_figure_stale_when_its_series_stopped() -> None:
    assert figure("p", _daily([7500, 7440], end="2025-05-16"), PRICE, AS_OF).stale


def it_places_the_current_value_in_its_own_history() -> None:
    low = figure("p", _daily([float(v) for v in range(20, 0, -1)]), PRICE, AS_OF)
    high = figure("p", _daily([float(v) for v in range(1, 21)]), PRICE, AS_OF)
    assert (low.standing, high.standing) == ("低位", "高位")
    assert figure("p", _daily([1.0, 2.0]), PRICE, AS_OF).standing == ""


MONTHLY = SeriesSpec("m", "月度产量", "万吨", "monthly", "SMM", "si", 2)


def _on(points: dict[str, float]) -> pd.Series:
    return pd.Series(list(points.values()), index=pd.to_datetime(list(points)), dtype=float)


@pytest.mark.parametrize(
    ("spec", "points", "yoy"),
    [
        # daily: the same date a year earlier
        (PRICE, {"2024-05-27": 8000, "2025-05-26": 8500, "2025-05-27": 8800}, "+10.00%"),
        # the year-ago day had no trading: the last day before it, within a week
        (PRICE, {"2024-05-21": 8000, "2024-05-28": 9999, "2025-05-27": 8800}, "+10.00%"),
        # nothing in the week up to the year-ago day: no 同比 (the later day is not used)
        (PRICE, {"2024-05-19": 8000, "2024-05-28": 9999, "2025-05-27": 8800}, "—"),
        # weekly: the observation nearest 52 weeks back (2024-05-24), a day early here
        (STOCK, {"2024-05-23": 60.0, "2024-05-31": 99.0, "2025-05-23": 57.0}, "-5.00%"),
        (STOCK, {"2024-05-17": 60.0, "2024-05-31": 99.0, "2025-05-23": 57.0}, "—"),
        # monthly: the same month of the year before
        (MONTHLY, {"2024-03-31": 9.0, "2024-04-30": 8.0, "2025-04-30": 10.0}, "+25.00%"),
        (MONTHLY, {"2024-03-31": 9.0, "2024-05-31": 8.0, "2025-04-30": 10.0}, "—"),
        # across zero, as 涨跌幅: no percentage
        (PRICE, {"2024-05-27": -50, "2025-05-27": 70}, "—"),
    ],
)
def it_compares_with_the_same_period_a_year_earlier_by_frequency(
    spec: SeriesSpec, points: dict[str, float], yoy: str
) -> None:
    assert figure("x", _on(points), spec, AS_OF).text.yoy == yoy


def it_takes_year_on_year_on_the_printed_numbers() -> None:
    # 8799.6 prints 8800 and 7999.5 prints 8000: 同比 is 8800 against 8000, as a reader checks
    fig = figure("x", _on({"2024-05-27": 7999.5, "2025-05-27": 8799.6}), PRICE, AS_OF)
    assert (fig.yoy, fig.text.yoy) == (10.0, "+10.00%")


def it_finds_a_year_before_the_29th_of_february_on_the_28th() -> None:
    leap = _on({"2023-02-28": 100.0, "2024-02-29": 110.0})
    assert year_ago(leap, "daily") == 100.0


def it_takes_a_weekly_value_three_days_off_52_weeks_but_not_four() -> None:
    # 52 weeks before 2025-05-23 is 2024-05-24: 2024-05-21 is three days off, 05-20 four
    assert year_ago(_on({"2024-05-21": 90.0, "2025-05-23": 99.0}), "weekly") == 90.0
    assert year_ago(_on({"2024-05-20": 90.0, "2025-05-23": 99.0}), "weekly") is None
