"""Chart data: what each kind shows, checked on tiny frames (years become lines, bars add
up to the balance, a missing year leaves a gap), without drawing anything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import pytest

from publisher.charts.catalog import ChartSpec
from publisher.charts.data import ChartData, SeriesData, chart_data
from publisher.errors import LayoutError
from tests.charts.conftest import AS_OF, BRAND, frame, snapshot_of, spec

Chart = Callable[[str], ChartSpec]


def _weekly(years: range, value: Callable[[int, int], float]) -> pd.Series:
    """Fridays of the given years up to the as-of date, valued value(year, week)."""
    days = pd.date_range(f"{years.start}-01-01", AS_OF, freq="W-FRI")
    days = days[days.year.isin(list(years))]
    return pd.Series([value(d.year, d.isocalendar().week) for d in days], index=days, dtype=float)


def _monthly(values: dict[str, float]) -> pd.Series:
    return frame({str(pd.Timestamp(k) + pd.offsets.MonthEnd(0))[:10]: v for k, v in values.items()})


def _on(days: tuple[str, ...], *values: float) -> pd.Series:
    return frame(dict(zip(days, values, strict=True)))


def _by_name(data: ChartData) -> dict[str, SeriesData]:
    return {s.name: s for s in data.series}


# --- seasonal ----------------------------------------------------------------------------------


def it_draws_one_line_per_year(one_chart: Chart) -> None:
    rates = _weekly(range(2021, 2026), lambda year, week: year - 2000 + week / 100)
    snap = snapshot_of({"rate": (spec("rate", "开工率", "%", "weekly"), rates)})
    chart = one_chart('id = "r"\nkind = "seasonal"\ntitle = "开工率"\nyears = 5\nseries = ["rate"]')
    data = chart_data(chart, snap)
    years = [s for s in data.series if s.name.endswith("年")]
    assert [s.name for s in years] == ["2021年", "2022年", "2023年", "2024年", "2025年"]
    assert data.x_kind == "season_day"
    for line in years:  # each year's own values, on that year's days of the year
        year = int(line.name[:4])
        assert all(v is not None and int(v) == year - 2000 for v in line.values)
        assert list(line.x) == sorted(line.x) and 1 <= line.x[0] <= 7 and line.x[-1] <= 365
    current = [s for s in years if s.emphasis]
    assert [s.name for s in current] == ["2025年"]
    assert current[0].color == BRAND.accent
    assert current[0].last_label == "25.21"  # 2025-05-23 is ISO week 21
    assert [s.name for s in years if s.last_label] == ["2025年"]


def it_leaves_a_missing_year_out_without_error(one_chart: Chart) -> None:
    rates = _weekly(range(2021, 2026), lambda year, week: 50.0)
    rates = rates[rates.index.year != 2023]
    snap = snapshot_of({"rate": (spec("rate", "开工率", "%", "weekly"), rates)})
    chart = one_chart('id = "r"\nkind = "seasonal"\ntitle = "开工率"\nyears = 5\nseries = ["rate"]')
    names = [s.name for s in chart_data(chart, snap).series]
    pool = "2021、2022、2024年"  # the legend names the years it has, not a span with a hole
    assert names == [f"{pool}区间", f"{pool}均值", "2021年", "2022年", "2024年", "2025年"]


def it_joins_a_season_across_a_missing_month(one_chart: Chart) -> None:
    output = _monthly({"2024-01": 10, "2024-02": 11, "2024-04": 13, "2025-01": 20, "2025-02": 21})
    snap = snapshot_of({"out": (spec("out", "产量", "万吨", "monthly"), output)})
    chart = one_chart('id = "o"\nkind = "seasonal"\ntitle = "产量"\nyears = 2\nseries = ["out"]')
    lines = _by_name(chart_data(chart, snap))
    assert lines["2024年"].x == (1, 2, 4)  # March is not there: February joins April
    assert lines["2024年"].values == (10.0, 11.0, 13.0)
    assert lines["2025年"].values == (20.0, 21.0)


def it_averages_the_same_period_of_the_last_complete_years(one_chart: Chart) -> None:
    months = {f"{y}-{m:02d}": 1.0 for y in (2022, 2023, 2024) for m in range(1, 13)}
    months |= {"2021-12": 500.0, "2022-03": 10, "2023-03": 20, "2024-03": 60, "2025-03": 999}
    snap = snapshot_of({"out": (spec("out", "产量", "万吨", "monthly"), _monthly(months))})
    chart = one_chart(
        'id = "o"\nkind = "seasonal"\ntitle = "产量"\naverage_years = 3\nseries = ["out"]'
    )
    lines = _by_name(chart_data(chart, snap))
    # 2021 has December only: a partial year never enters the pool
    average, band = lines["2022–2024年均值"], lines["2022–2024年区间"]
    assert average.values[2] == 30.0  # (10 + 20 + 60) / 3: the current year never counts
    assert average.values[11] == 1.0  # December without 2021's 500
    assert average.dashed and not average.emphasis
    assert (band.low or ())[2] == 10.0 and band.values[2] == 60.0 and band.draw == "band"


def it_puts_february_29_beside_february_28(one_chart: Chart) -> None:
    days = {"2024-02-28": 1.0, "2024-02-29": 2.0, "2024-03-01": 3.0, "2025-03-01": 4.0}
    snap = snapshot_of({"d": (spec("d", "日度", "元/吨"), frame(days))})
    chart = one_chart('id = "d"\nkind = "seasonal"\ntitle = "日度"\nseries = ["d"]')
    lines = _by_name(chart_data(chart, snap))
    assert lines["2024年"].x == (59, 59, 60)
    assert lines["2025年"].x == (60,)


# --- lines ---------------------------------------------------------------------------------


def it_breaks_a_line_over_a_missing_year(one_chart: Chart) -> None:
    prices = frame({"2023-05-26": 1.0, "2023-05-29": 2.0, "2025-05-26": 3.0, "2025-05-27": 4.0})
    snap = snapshot_of({"p": (spec("p", "价格"), prices)})
    chart = one_chart('id = "p"\nkind = "lines"\ntitle = "价格"\nyears = 3\nseries = ["p"]')
    (line,) = chart_data(chart, snap).series
    assert line.values == (1.0, 2.0, None, 3.0, 4.0)
    assert line.x[2] == dt.date(2023, 5, 30)  # the break sits inside the gap
    assert line.last_label == "4"


def it_joins_a_holiday_week_of_a_daily_series(one_chart: Chart) -> None:
    prices = frame({"2025-01-24": 1.0, "2025-02-05": 2.0})  # Spring Festival: 12 days shut
    snap = snapshot_of({"p": (spec("p", "价格"), prices)})
    chart = one_chart('id = "p"\nkind = "lines"\ntitle = "价格"\nseries = ["p"]')
    assert chart_data(chart, snap).series[0].values == (1.0, 2.0)


def it_shows_only_the_window_asked_for(one_chart: Chart) -> None:
    prices = frame({"2023-01-03": 1.0, "2024-06-03": 2.0, "2025-05-27": 3.0})
    snap = snapshot_of({"p": (spec("p", "价格"), prices)})
    start = one_chart('id = "p"\nkind = "lines"\ntitle = "t"\nstart = 2024-01-01\nseries = ["p"]')
    years = one_chart('id = "p"\nkind = "lines"\ntitle = "t"\nyears = 0.5\nseries = ["p"]')
    assert chart_data(start, snap).series[0].values == (2.0, None, 3.0)  # a year apart: a gap
    assert chart_data(years, snap).series[0].x == (dt.date(2025, 5, 27),)


def it_derives_a_basis_in_the_contract_unit(one_chart: Chart) -> None:
    # reference: N型多晶硅料 36.5 元/千克 = 36500 元/吨, 07合约 35290 → basis 1210
    snap = snapshot_of(
        {
            "ps_spot": (spec("ps_spot", "N型多晶硅", "元/千克"), frame({"2025-05-27": 36.5})),
            "ps_fut": (spec("ps_fut", "07合约", source="WIND"), frame({"2025-05-27": 35290})),
        }
    )
    chart = one_chart(
        'id = "b"\nkind = "lines"\ntitle = "基差"\n'
        'series = [{ basis = ["ps_spot", "ps_fut"], scale = 1000 }]'
    )
    data = chart_data(chart, snap)
    (basis,) = data.series
    assert (basis.values, basis.unit, basis.last_label) == ((1210.0,), "元/吨", "1210")
    assert basis.name == "07合约基差"
    assert data.series_ids == ("ps_spot", "ps_fut")
    assert data.sources == ("SMM", "WIND")


def it_prints_labels_by_the_reports_one_number_rule(one_chart: Chart) -> None:
    exports = _monthly({"2025-03": 907209323, "2025-04": 794309425})
    snap = snapshot_of({"e": (spec("e", "光伏电池出口", "个", "monthly"), exports)})
    chart = one_chart('id = "e"\nkind = "lines"\ntitle = "出口"\nseries = ["e"]')
    data = chart_data(chart, snap)
    assert data.series[0].last_label == "794309425"  # no unit groups its own figures
    assert data.geometry is not None and data.geometry.y.unit == "万个"  # ticks scale instead


def it_groups_every_chart_figure_when_the_brand_says_so(one_chart: Chart) -> None:
    exports = _monthly({"2025-03": 907209323, "2025-04": 794309425})
    snap = snapshot_of({"e": (spec("e", "光伏电池出口", "个", "monthly"), exports)})
    snap = replace(snap, brand=replace(snap.brand, thousands=True))
    chart = one_chart('id = "e"\nkind = "lines"\ntitle = "出口"\nseries = ["e"]')
    data = chart_data(chart, snap)
    assert data.series[0].last_label == "794,309,425"
    assert data.geometry is not None
    assert all("," in label for label in data.geometry.y.labels if len(label) > 4)


def it_keeps_each_value_axis_to_its_own_unit(one_chart: Chart) -> None:
    snap = snapshot_of(
        {
            "p": (spec("p", "价格", "元/吨"), frame({"2025-05-27": 1.0})),
            "q": (spec("q", "产量", "万吨", "weekly"), frame({"2025-05-23": 2.0})),
        }
    )
    mixed = one_chart('id = "m"\nkind = "lines"\ntitle = "t"\nseries = ["p", "q"]')
    with pytest.raises(LayoutError, match="puts series in 元/吨, 万吨 on one"):
        chart_data(mixed, snap)
    two = one_chart(
        'id = "m"\nkind = "lines"\ntitle = "t"\n'
        'series = ["p", { series = "q", axis = "secondary" }]'
    )
    data = chart_data(two, snap)
    assert (data.unit, data.unit2) == ("元/吨", "万吨")
    assert [s.axis for s in data.series] == ["primary", "secondary"]


def it_draws_a_zero_line_when_a_spread_changes_sign(one_chart: Chart) -> None:
    snap = snapshot_of(
        {
            "a": (spec("a", "近月"), frame({"2025-05-26": 10.0, "2025-05-27": 5.0})),
            "b": (spec("b", "连1"), frame({"2025-05-26": 5.0, "2025-05-27": 10.0})),
        }
    )
    chart = one_chart('id = "s"\nkind = "lines"\ntitle = "t"\nseries = [{ spread = ["a", "b"] }]')
    data = chart_data(chart, snap)
    assert data.series[0].values == (5.0, -5.0)
    assert data.zero_line


# --- cost / profit, stacked --------------------------------------------------------------------


def it_puts_profit_and_cost_on_their_own_axes(one_chart: Chart) -> None:
    days = {"2025-05-26": 0.0, "2025-05-27": 0.0}
    snap = snapshot_of(
        {
            "cost": (spec("cost", "四川421成本"), frame(dict.fromkeys(days, 13110.0))),
            "profit": (spec("profit", "四川421利润"), frame(dict.fromkeys(days, -2710.0))),
        }
    )
    chart = one_chart(
        'id = "c"\nkind = "cost_profit"\ntitle = "四川421成本利润"\n'
        'series = [{ series = "cost", role = "cost" }, { series = "profit", role = "profit" }]'
    )
    data = chart_data(chart, snap)
    profit, cost = data.series
    # a daily profit is an area: bars a day wide read as hatching
    assert (profit.name, profit.axis, profit.draw) == ("四川421利润", "primary", "area")
    assert (cost.name, cost.axis, cost.draw) == ("四川421成本", "secondary", "line")
    assert data.zero_line
    assert (profit.last_label, cost.last_label) == ("-2710", "13110")


def it_stacks_the_parts_and_totals_them(one_chart: Chart) -> None:
    ports = {
        "km": ("昆明港", {"2025-05-16": 5.0, "2025-05-23": 5.0}),
        "tj": ("天津港", {"2025-05-16": 6.1, "2025-05-23": 5.9}),
        "hp": ("黄埔港", {"2025-05-16": 2.1, "2025-05-23": 2.1, "2025-05-09": 2.0}),
    }
    snap = snapshot_of(
        {k: (spec(k, name, "万吨", "weekly"), frame(v)) for k, (name, v) in ports.items()}
    )
    chart = one_chart('id = "p"\nkind = "stacked"\ntitle = "港口库存"\nseries = ["km", "tj", "hp"]')
    data = chart_data(chart, snap)
    *parts, total = data.series
    assert [p.draw for p in parts] == ["stacked"] * 3
    # only the dates every part reports: 05-09 (Huangpu alone) would be half a stack
    assert all(p.x == (dt.date(2025, 5, 16), dt.date(2025, 5, 23)) for p in parts)
    assert total.name == "合计" and total.draw == "line"
    assert total.values == pytest.approx((13.2, 13.0))
    assert total.last_label == "13.00"  # 万吨 prints two digits unless the catalog says so


# --- balance, tables ---------------------------------------------------------------------------

PV = {  # the reference's PV balance, 2025-01 … 2025-03 (万吨)
    "supply": ("供应", [9.44, 9.01, 9.61]),
    "imports": ("进口", [0.23, 0.31, 0.29]),
    "exports": ("出口", [0.16, 0.22, 0.20]),
    "use": ("消费", [9.75, 10.24, 10.96]),
}
BALANCE_CHART = """
id = "pv"
kind = "balance"
title = "多晶硅月度供需平衡"
periods = 2
series = [
    { series = "supply", role = "supply" },
    { series = "imports", role = "inflow" },
    { series = "exports", role = "outflow" },
    { series = "use", role = "outflow" },
]
"""


def _pv_snapshot() -> object:
    months = ("2025-01", "2025-02", "2025-03")
    return snapshot_of(
        {
            key: (spec(key, name, "万吨", "monthly"), _monthly(dict(zip(months, v, strict=True))))
            for key, (name, v) in PV.items()
        }
    )


def it_sums_the_balance_bars_to_the_balance_line(one_chart: Chart) -> None:
    data = chart_data(one_chart(BALANCE_CHART), _pv_snapshot())  # type: ignore[arg-type]
    *bars, balance = data.series
    assert [b.name for b in bars] == ["供应", "进口", "出口", "消费"]
    assert all(b.draw == "stacked" for b in bars) and balance.draw == "line"
    for n in range(len(data.x)):
        assert sum(b.values[n] or 0.0 for b in bars) == pytest.approx(balance.values[n])
    # inflows up, outflows down; the last two months only
    assert bars[2].values == (-0.22, -0.2) and bars[3].values == (-10.24, -10.96)
    assert balance.values == pytest.approx((-1.14, -1.26))
    assert data.x == (dt.date(2025, 2, 28), dt.date(2025, 3, 31))
    assert data.x_labels == ("2月", "3月")


def it_prints_the_balance_figures_in_a_table_under_the_bars(one_chart: Chart) -> None:
    data = chart_data(one_chart(BALANCE_CHART), _pv_snapshot())  # type: ignore[arg-type]
    table = data.table
    assert table is not None
    assert table.header == data.x_labels
    assert table.groups == (("2025年", 2),)
    assert [(r.label, r.cells) for r in table.rows] == [
        ("供应", ("9.01", "9.61")),
        ("进口", ("0.31", "0.29")),
        ("出口", ("-0.22", "-0.20")),
        ("消费", ("-10.24", "-10.96")),
        ("平衡", ("-1.14", "-1.26")),
    ]


def it_tables_the_last_periods_with_a_dash_where_a_row_has_none(one_chart: Chart) -> None:
    weeks = ("2025-05-09", "2025-05-16", "2025-05-23")
    snap = snapshot_of(
        {
            "s": (spec("s", "供应量", "万吨", "weekly"), _on(weeks, 6.5, 6.7, 6.7)),
            "d": (spec("d", "需求量", "万吨", "weekly"), _on(weeks[:2], 7.3, 7.3)),
            "r": (spec("r", "开工率", "%", "weekly"), _on(weeks, 40.1, 40.2, 40.3)),
        }
    )
    chart = one_chart(
        'id = "t"\nkind = "table"\ntitle = "周度供需平衡表"\nperiods = 2\n'
        'series = ["s", "d", { series = "r", label = "产能利用率" }]'
    )
    table = chart_data(chart, snap).table
    assert table is not None
    assert table.header == ("5月16日", "5月23日")
    assert [(r.label, r.cells) for r in table.rows] == [
        ("供应量（万吨）", ("6.70", "6.70")),
        ("需求量（万吨）", ("7.30", "—")),
        ("产能利用率（%）", ("40.20", "40.30")),
    ]


def it_says_until_when_a_monthly_chart_runs(one_chart: Chart) -> None:
    output = _monthly({"2025-03": 30.0, "2025-04": 29.7})
    snap = snapshot_of({"o": (spec("o", "产量", "万吨", "monthly"), output)})
    chart = one_chart('id = "o"\nkind = "lines"\ntitle = "月度产量"\nseries = ["o"]')
    assert chart_data(chart, snap).title == "月度产量（截至2025年4月）"  # read on 2025-05-27
    days = frame({"2025-05-26": 1.0, "2025-05-27": 2.0})
    current = snapshot_of({"d": (spec("d", "价格"), days)})
    daily = one_chart('id = "d"\nkind = "lines"\ntitle = "价格"\nseries = ["d"]')
    assert chart_data(daily, current).title == "价格"
