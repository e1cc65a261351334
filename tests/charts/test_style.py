"""House style: date axes that read like the reference, round value ticks, legend rows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.charts.fonts import chart_fonts
from publisher.charts.labels import month_day, season_day
from publisher.charts.style import Style, date_ticks, legend_plan, season_ticks, value_ticks
from tests.charts.conftest import BRAND

AS_OF = dt.date(2025, 5, 27)


def it_writes_dates_as_the_desk_does() -> None:
    assert month_day(AS_OF) == "5月27日"
    assert season_day(dt.date(2025, 1, 1)) == 1
    assert season_day(dt.date(2024, 12, 31)) == season_day(dt.date(2025, 12, 31)) == 365


def it_labels_a_short_span_with_days_ending_on_the_last() -> None:
    ticks = date_ticks(AS_OF - dt.timedelta(days=60), AS_OF, room=6)
    assert ticks.labels[-1] == "5月27日"
    assert all(label.endswith("日") for label in ticks.labels)


def it_labels_months_with_the_year_under_each_january() -> None:
    ticks = date_ticks(dt.date(2024, 5, 27), AS_OF, room=6)
    assert "1月\n2025年" in ticks.labels
    assert ticks.labels[0].endswith("2024年")  # the first label says which year it is
    assert all(label.split("\n")[0].endswith("月") for label in ticks.labels)


def it_labels_a_multi_year_span_with_years_centred_on_them() -> None:
    ticks = date_ticks(dt.date(2022, 12, 1), AS_OF, room=6)
    assert ticks.labels == ("2023年", "2024年", "2025年")  # December 2022 is too thin for one
    assert not ticks.marked  # the marks are the year boundaries, in minor
    assert len(ticks.minor) == 3


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    st.integers(min_value=1, max_value=6000),
    st.sampled_from([6, 11]),
)
def it_never_crowds_a_date_axis(first: dt.date, days: int, room: int) -> None:
    ticks = date_ticks(first, first + dt.timedelta(days=days), room)
    assert 0 < len(ticks.labels) <= room
    assert list(ticks.positions) == sorted(ticks.positions)
    assert all(ticks.lo <= p <= ticks.hi for p in ticks.positions)


def it_labels_a_season_axis_by_month() -> None:
    half = season_ticks(monthly=False, every=2)
    assert half.labels == ("1月", "3月", "5月", "7月", "9月", "11月")
    assert (half.lo, half.hi) == (1.0, 365.0)
    full = season_ticks(monthly=True, every=1)
    assert full.labels[-1] == "12月" and full.positions == tuple(float(m) for m in range(1, 13))


@pytest.mark.parametrize(
    ("values", "zero", "unit", "labels"),
    [
        ([-3665, 2100], False, "元/吨", ("-4000", "-2000", "0", "2000", "4000")),
        ([12.5, 13.9], False, "万吨", ("12.5", "13.0", "13.5", "14.0")),  # digits of the step
        ([5, 9], True, "万吨", ("0", "2", "4", "6", "8", "10")),
        (
            [2e8, 9.07e8],
            False,
            "个",
            ("200,000,000", "400,000,000", "600,000,000", "800,000,000", "1,000,000,000"),
        ),
    ],
)
def it_puts_round_value_ticks_around_the_data(
    values: list[float], zero: bool, unit: str, labels: tuple[str, ...]
) -> None:
    ticks = value_ticks(values, unit, include_zero=zero)
    assert ticks.labels == labels
    assert ticks.lo <= min(values) and ticks.hi >= max(values)


def it_gives_a_flat_line_an_axis() -> None:
    ticks = value_ticks([59.31, 59.31], "%")
    assert ticks.lo < 59.31 < ticks.hi


def it_fills_legend_rows_evenly() -> None:
    style = Style(chart_fonts("2020年同期平均水平"), BRAND)
    names = [f"{y}年" for y in range(2020, 2026)] + ["同期平均水平"]
    legend = legend_plan(style, names, room=235)
    assert legend.columns * legend.rows >= len(names)
    assert legend.columns * (legend.rows - 1) < len(names)  # no empty last row
