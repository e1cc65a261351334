"""Chart geometry: value axes, the date span and end labels both renderers draw with."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.charts.data import ChartData, SeriesData, complete_years, year_span
from publisher.charts.geometry import (
    LABEL_HEIGHT,
    date_axis,
    plan_geometry,
    value_axis,
)

AS_OF = dt.date(2025, 5, 27)


@pytest.mark.parametrize(
    ("values", "zero", "unit", "labels"),
    [
        ([-3665, 2100], False, "元/吨", ("-4000", "-2000", "0", "2000", "4000")),
        ([12.5, 13.9], False, "万吨", ("12.0", "12.5", "13.0", "13.5", "14.0")),
        ([5, 9], True, "万吨", ("0", "2", "4", "6", "8", "10")),
        ([7300, 8450], False, "元/吨", ("7250", "7500", "7750", "8000", "8250", "8500")),
    ],
)
def it_puts_round_ticks_around_the_data_with_a_margin(
    values: list[float], zero: bool, unit: str, labels: tuple[str, ...]
) -> None:
    axis = value_axis(values, unit, zero)
    assert axis.labels == labels
    assert axis.lo < min(values) and axis.hi > max(values)


def it_never_starts_a_price_axis_at_zero() -> None:
    axis = value_axis([7300.0, 8450.0], "元/吨")
    assert axis.lo > 0 and axis.ticks[0] > 0


def it_includes_zero_when_the_data_cross_it() -> None:
    axis = value_axis([-120.0, 45.0], "元/吨")
    assert 0.0 in axis.ticks


def it_scales_an_axis_whose_labels_would_run_past_six_characters() -> None:
    axis = value_axis([2e8, 9.07e8], "个")
    assert axis.unit == "亿个"
    assert axis.labels[-1] == "10" and all(len(label) <= 6 for label in axis.labels)


def it_scales_a_unit_already_in_wan_to_yi() -> None:
    axis = value_axis([2e5, 9.07e5], "万吨")
    assert axis.unit == "亿吨" and "万万" not in axis.unit


def it_gives_a_flat_line_an_axis() -> None:
    axis = value_axis([59.31, 59.31], "%")
    assert axis.lo < 59.31 < axis.hi


def it_keeps_a_panel_in_its_band_in_whole_steps() -> None:
    axis = value_axis([-3000.0, 4000.0], "元/吨", zero=True, band=(0.0, 0.4))
    assert axis.share(axis.ticks[-1]) <= 0.45
    steps = (axis.hi - axis.lo) / axis.step
    assert abs(steps - round(steps)) < 1e-9  # an application ticks from min by the step


def it_ends_a_date_axis_at_the_last_observation_and_labels_its_month() -> None:
    axis = date_axis(dt.date(2022, 12, 5), AS_OF, "half")
    assert axis.labels[-1] == "2025-05"
    assert axis.ticks[-1] <= AS_OF == axis.last == axis.end
    assert axis.first <= dt.date(2022, 12, 5)


def it_labels_a_short_span_with_days_ending_on_the_last() -> None:
    axis = date_axis(AS_OF - dt.timedelta(days=60), AS_OF, "half")
    assert axis.labels[-1] == "5月27日"
    assert all(label.endswith("日") for label in axis.labels)


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    st.integers(min_value=1, max_value=6000),
    st.sampled_from(["half", "full"]),
    st.floats(min_value=0.0, max_value=0.2),
)
def it_never_crowds_a_date_axis_nor_labels_past_the_data(
    first: dt.date, days: int, size: str, room: float
) -> None:
    last = first + dt.timedelta(days=days)
    axis = date_axis(first, last, size, room)
    assert 2 <= len(axis.labels) <= 9 if size == "half" else 2 <= len(axis.labels) <= 20
    assert axis.first <= first and axis.ticks[0] == axis.first
    assert all(t <= last for t in axis.ticks)
    assert axis.end >= last


def _line(id_: str, values: list[float | None], **kw: object) -> SeriesData:
    days = tuple(AS_OF - dt.timedelta(days=len(values) - 1 - n) for n in range(len(values)))
    return SeriesData(
        id=id_, name=id_, x=days, values=tuple(values), unit="元/吨", decimals=0, **kw
    )  # type: ignore[arg-type]


def _chart(*series: SeriesData, zero: bool = False, unit2: str | None = None) -> ChartData:
    x = tuple(sorted({d for s in series for d in s.x}))
    return ChartData(
        id="t",
        kind="lines",
        title="t",
        group="g",
        size="half",
        x_kind="date",
        x=x,
        x_labels=(),
        series=series,
        unit="元/吨",
        unit2=unit2,
        zero_line=zero,
        table=None,
        sources=("SMM",),
        series_ids=(),
    )


def it_moves_end_labels_apart_and_off_the_zero_line() -> None:
    a = _line("a", [100.0, 5.0], last_label="5")
    b = _line("b", [90.0, 8.0], last_label="8")
    c = _line("c", [-50.0, -3.0], last_label="-3")
    geometry = plan_geometry(_chart(a, b, c, zero=True))
    labels = geometry.labels
    assert [label.text for label in labels] == ["5", "8", "-3"]
    zero = geometry.y.share(0.0)
    for one, other in itertools.combinations(labels, 2):
        assert abs(one.share - other.share) >= LABEL_HEIGHT - 1e-9
    for label in labels:
        assert abs(label.share - zero) >= LABEL_HEIGHT / 2


def it_puts_bars_beside_lines_in_a_panel_under_them() -> None:
    price = _line("price", [8000.0, 8400.0, 8350.0])
    basis = _line("basis", [-200.0, 500.0, 900.0], axis="secondary", draw="area")
    geometry = plan_geometry(_chart(price, basis, unit2="元/吨"))
    assert geometry.y2 is not None
    assert geometry.y.share(min(8000.0, 8350.0)) > geometry.y2.share(900.0)  # lines over bars
    assert geometry.y.ticks[0] > 0  # the price axis still does not start at zero


def it_pools_only_complete_years_for_the_season() -> None:
    days = pd.date_range("2019-07-01", "2025-05-23", freq="7D")
    values = pd.Series(1.0, index=days)
    years = complete_years(values, "weekly", before=2025)
    assert years == [2020, 2021, 2022, 2023, 2024]  # 2019 starts in July: left out
    assert year_span(years) == "2020–2024年" and year_span([2024]) == "2024年"
