"""Charts stage: what each chart shows, as plain frozen data any renderer can draw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

import pandas as pd

from publisher.charts import labels
from publisher.charts.catalog import ChartSpec, rolled
from publisher.charts.geometry import plan_geometry
from publisher.charts.model import (
    ChartData,
    SeriesData,
    TableData,
    TableRow,
    XValue,
)
from publisher.charts.series import (
    Resolved,
    calendar_days,
    plain,
    resolve,
    since,
    sources,
    window_start,
    with_breaks,
)
from publisher.errors import LayoutError
from publisher.metrics import derive
from publisher.metrics.formatting import number
from publisher.snapshot.model import Brand, Snapshot

DENSE_BARS = 60  # more periods than this in one chart: bars would be hairlines
AVERAGE_COLOR = "#595959"  # the 同期平均水平 line: neutral, so the current year stands out
BAND_COLOR = "#D9D9D9"


def chart_data(spec: ChartSpec, snapshot: Snapshot) -> ChartData:
    """What the catalog chart shows for this snapshot (on its main contract, where it reads
    `main`)."""
    spec = rolled(spec, snapshot)
    resolved = tuple(resolve(spec, ref, snapshot) for ref in spec.series)
    draw = KINDS[spec.kind]
    data = draw(spec, snapshot, resolved)
    return replace(data, title=data.title + as_of_note(resolved, snapshot.as_of))


def as_of_note(resolved: Sequence[Resolved], as_of: dt.date) -> str:
    """（截至2025年4月） when the chart's latest figure is of an earlier month than the report:
    a monthly chart read in May shows April, and says so rather than look current."""
    lasts = [s.values.index.max() for s in resolved if len(s.values)]
    if not lasts:
        return ""
    last = max(lasts)
    if (last.year, last.month) >= (as_of.year, as_of.month):
        return ""
    return f"（截至{last.year}年{last.month}月）"


# --- kinds -------------------------------------------------------------------------------------


def _lines(spec: ChartSpec, snapshot: Snapshot, resolved: Sequence[Resolved]) -> ChartData:
    start = window_start(spec, snapshot.as_of, default_years=2)
    palette = _palette(snapshot.brand)
    drawn = []
    for n, (ref, series) in enumerate(zip(spec.series, resolved, strict=True)):
        x, values = with_breaks(since(series.values, start), series.frequency)
        draw = ref.draw or "line"
        drawn.append(
            _series(series, x, values, ref.axis, draw, palette[n % len(palette)], label=True)
        )
    zero = spec.option("zero_line")
    if zero is None:  # a basis or spread that changes sign needs its zero to be read
        primary = [v for s in drawn if s.axis == "primary" for v in s.values if v is not None]
        zero = bool(primary) and min(primary) < 0 < max(primary)
    return _chart(spec, snapshot, drawn, x_kind="date", zero_line=bool(zero))


def _cost_profit(spec: ChartSpec, snapshot: Snapshot, resolved: Sequence[Resolved]) -> ChartData:
    """Profit on the left axis (bars by default) around a visible zero, cost as a line on the
    right: the two differ by an order of magnitude, so each keeps its own scale."""
    start = window_start(spec, snapshot.as_of, default_years=2.5)
    by_role = {ref.role: series for ref, series in zip(spec.series, resolved, strict=True)}
    # daily profit as bars reads as hatching: an area; weekly or monthly as bars
    daily = by_role["profit"].frequency == "daily"
    profit_draw = str(spec.option("profit_draw", "area" if daily else "bar"))
    drawn = []
    for role, axis, draw, color in (
        ("profit", "primary", profit_draw, snapshot.brand.primary),
        ("cost", "secondary", "line", snapshot.brand.accent),
    ):
        series = by_role[role]
        x, values = with_breaks(since(series.values, start), series.frequency)
        drawn.append(_series(series, x, values, axis, draw, color, label=True))
    return _chart(spec, snapshot, drawn, x_kind="date", zero_line=True)


def _stacked(spec: ChartSpec, snapshot: Snapshot, resolved: Sequence[Resolved]) -> ChartData:
    """Parts stacked by date (only dates every part reports, so a stack is never half-built)
    with their total as a line: the catalog's total series, else the sum of the parts."""
    start = window_start(spec, snapshot.as_of, default_years=2)
    palette = _palette(snapshot.brand)
    pairs = list(zip(spec.series, resolved, strict=True))
    parts = [since(s.values, start) for ref, s in pairs if ref.role == "part"]
    parts = derive.aligned(*parts)
    drawn = []
    part_series = [s for ref, s in pairs if ref.role == "part"]
    # a hundred bars in a chart's width read as hatching: past DENSE_BARS the parts are areas
    pile = "stacked" if len(parts[0]) <= DENSE_BARS else "stacked_area"
    for n, (series, values) in enumerate(zip(part_series, parts, strict=True)):
        x = tuple(calendar_days(values.index))
        ys = tuple(plain(v) for v in values)
        drawn.append(_series(series, x, ys, "primary", pile, palette[n % len(palette)]))
    totals = [s for ref, s in pairs if ref.role == "total"]
    label = spec.option("total", "合计")
    if totals:
        x, ys = with_breaks(since(totals[0].values, start), totals[0].frequency)
        drawn.append(_series(totals[0], x, ys, "primary", "line", "#262626", label=True))
    elif label:
        total = sum(parts)
        first = part_series[0]
        summed = Resolved(
            key="sum:" + "-".join(s.key for s in part_series),
            name=str(label),
            values=total,
            unit=first.unit,
            decimals=max(s.decimals for s in part_series),
            frequency=first.frequency,
            ids=(),
        )
        x = tuple(calendar_days(total.index))
        ys = tuple(plain(v) for v in total)
        drawn.append(_series(summed, x, ys, "primary", "line", "#262626", label=True))
    return _chart(spec, snapshot, drawn, x_kind="date", zero_line=False)


def _seasonal(spec: ChartSpec, snapshot: Snapshot, resolved: Sequence[Resolved]) -> ChartData:
    """A season by the book: the min–max band and the average of the last complete years
    (named by their years), last year thin and the current year bold on top, on a Jan–Dec
    axis. `years` lines are drawn (default 2: last year and this one)."""
    series = resolved[0]
    monthly = series.frequency == "monthly"
    current = snapshot.as_of.year
    shown = range(current - int(spec.option("years", 2)) + 1, current + 1)
    palette = [c for c in _palette(snapshot.brand) if c != snapshot.brand.accent] or ["#7F7F7F"]
    drawn = _seasonal_pool(spec, series, current, monthly)
    for n, year in enumerate(shown):
        values = series.values[series.values.index.year == year]
        if values.empty:  # a year without data is left out, not drawn as zeros
            continue
        x, ys = _season_points(values, monthly)
        is_current = year == current
        drawn.append(
            SeriesData(
                id=f"{series.key}@{year}",
                name=f"{year}年",
                x=x,
                values=ys,
                unit=series.unit,
                decimals=series.decimals,
                color=snapshot.brand.accent if is_current else palette[n % len(palette)],
                emphasis=is_current,
                last_label=_last_label(ys, series) if is_current else None,
            )
        )
    return _chart(spec, snapshot, drawn, x_kind="month" if monthly else "season_day")


def _season_points(
    values: pd.Series, monthly: bool
) -> tuple[tuple[XValue, ...], tuple[float | None, ...]]:
    """One year's points on the Jan–Dec axis, joined across holidays (a season is read as a
    line; its gaps are calendar, not missing data)."""
    if monthly:  # one figure per month: the last one, as a monthly series is dated
        by_month = values.groupby(values.index.month).last()
        months = tuple(int(m) for m in by_month.index)
        return months, tuple(plain(v) for v in by_month)
    days = tuple(labels.season_day(d) for d in calendar_days(values.index))
    return days, tuple(plain(v) for v in values)


def complete_years(values: pd.Series, frequency: str, before: int) -> list[int]:
    """Years before `before` the series covers from January to December: a year that starts
    or stops part-way would pull the average and the band towards its own months."""
    reach = 31 if frequency == "monthly" else 14  # days of slack at each end of the year
    years = []
    for year in sorted(set(values.index.year)):
        if year >= before:
            continue
        days = values.index[values.index.year == year]
        first, last = days.min(), days.max()
        starts = first <= pd.Timestamp(year, 1, 1) + pd.Timedelta(days=reach)
        ends = last >= pd.Timestamp(year, 12, 31) - pd.Timedelta(days=reach)
        if starts and ends:
            years.append(int(year))
    return years


def year_span(years: Sequence[int]) -> str:
    """2020–2024年; 2024年 for one year; 2021、2022、2024年 when a year is missing (a legend
    never claims a year it does not have)."""
    if len(years) == 1:
        return f"{years[0]}年"
    if years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}年"
    return "、".join(str(y) for y in years) + "年"


def _seasonal_pool(
    spec: ChartSpec, series: Resolved, current: int, monthly: bool
) -> list[SeriesData]:
    """Band and average of the last `average_years` complete years, by month, or by week of
    the year (weekly figures fall on different days each year, so days pool in 7-day
    buckets); each year weighs the same."""
    want_average = bool(spec.option("average", True))
    want_band = bool(spec.option("band", True))
    pool = complete_years(series.values, series.frequency, current)
    pool = pool[-int(spec.option("average_years", 5)) :]
    if not (want_average or want_band) or not pool:
        return []
    past = series.values[series.values.index.year.isin(pool)]
    if monthly:
        slot = pd.Index(past.index.month)
        x_of = {m: m for m in range(1, 13)}
    else:
        days = [labels.season_day(d) for d in calendar_days(past.index)]
        slot = pd.Index([min((d - 1) // 7, 51) for d in days])
        x_of = {w: w * 7 + 4 for w in range(52)}
    by_year = past.groupby([past.index.year, slot]).mean()
    stats = by_year.groupby(level=1).agg(["mean", "min", "max"])
    slots = sorted(x_of)
    x = tuple(x_of[s] for s in slots)

    def column(name: str) -> tuple[float | None, ...]:
        return tuple(plain(stats.at[s, name]) if s in stats.index else None for s in slots)

    span = year_span(pool)
    drawn = []
    if want_band:
        drawn.append(
            SeriesData(
                id=f"{series.key}@range",
                name=f"{span}区间",
                x=x,
                values=column("max"),
                low=column("min"),
                unit=series.unit,
                decimals=series.decimals,
                draw="band",
                color=BAND_COLOR,
            )
        )
    if want_average:
        drawn.append(
            SeriesData(
                id=f"{series.key}@average",
                name=f"{span}均值",
                x=x,
                values=column("mean"),
                unit=series.unit,
                decimals=series.decimals,
                color=AVERAGE_COLOR,
                dashed=True,
            )
        )
    return drawn


def _balance(spec: ChartSpec, snapshot: Snapshot, resolved: Sequence[Resolved]) -> ChartData:
    """Supply and imports up, exports and consumption down, the balance as their sum — so the
    bars of a month always add up to its balance — over the last months all parts report."""
    periods = int(spec.option("periods", 13))
    pairs = list(zip(spec.series, resolved, strict=True))
    aligned = derive.aligned(*(s.values for _, s in pairs))
    aligned = [a.iloc[-periods:] for a in aligned]
    dates = tuple(calendar_days(aligned[0].index))
    palette = _palette(snapshot.brand)
    drawn = []
    signed_parts = []
    for n, ((ref, series), values) in enumerate(zip(pairs, aligned, strict=True)):
        signed = -values if ref.role == "outflow" else values
        signed_parts.append(signed)
        ys = tuple(plain(v) for v in signed)
        drawn.append(_series(series, dates, ys, "primary", "stacked", palette[n % len(palette)]))
    balance = sum(signed_parts)
    first = resolved[0]
    drawn.append(
        SeriesData(
            id="balance:" + "-".join(s.key for s in resolved),
            name=str(spec.option("balance", "平衡")),
            x=dates,
            values=tuple(plain(v) for v in balance),
            unit=first.unit,
            decimals=max(s.decimals for s in resolved),
            color="#262626",
        )
    )
    months = tuple(labels.month(d) for d in dates)
    table = _table(drawn, dates, months, with_unit=False, thousands=snapshot.brand.thousands)
    return _chart(
        spec,
        snapshot,
        drawn,
        x_kind="period",
        x=dates,
        x_labels=table.header,
        zero_line=True,
        table=table,
    )


def _table_chart(spec: ChartSpec, snapshot: Snapshot, resolved: Sequence[Resolved]) -> ChartData:
    """A balance sheet as the reference prints it: one row per series, the last periods as
    columns, oldest first; a row without a figure for a period shows a dash."""
    periods = int(spec.option("periods", 8))
    dates = sorted({d for s in resolved for d in calendar_days(s.values.index)})[-periods:]
    frequency = max((s.frequency for s in resolved), key=("daily", "weekly", "monthly").index)
    palette = _palette(snapshot.brand)
    drawn = []
    for n, series in enumerate(resolved):
        by_day = dict(
            zip(calendar_days(series.values.index), map(plain, series.values), strict=True)
        )
        ys = tuple(by_day.get(d) for d in dates)
        drawn.append(
            _series(series, tuple(dates), ys, "primary", "line", palette[n % len(palette)])
        )
    header = tuple(labels.period(d, frequency) for d in dates)
    table = _table(drawn, tuple(dates), header, with_unit=True, thousands=snapshot.brand.thousands)
    # rows of a table may differ in unit (万吨 next to %): each row names its own
    return _chart(spec, snapshot, drawn, x_kind="period", x=tuple(dates), table=table, axes=False)


KINDS: dict[str, Callable[[ChartSpec, Snapshot, Sequence[Resolved]], ChartData]] = {
    "lines": _lines,
    "seasonal": _seasonal,
    "cost_profit": _cost_profit,
    "stacked": _stacked,
    "balance": _balance,
    "table": _table_chart,
}


# --- shared pieces ---------------------------------------------------------------------------


def _series(
    series: Resolved,
    x: tuple[XValue, ...],
    values: tuple[float | None, ...],
    axis: str,
    draw: str,
    color: str,
    label: bool = False,
) -> SeriesData:
    return SeriesData(
        id=series.key,
        name=series.name,
        x=x,
        values=values,
        unit=series.unit,
        decimals=series.decimals,
        axis=axis,
        draw=draw,
        color=color,
        last_label=_last_label(values, series) if label else None,
    )


def _last_label(values: Sequence[float | None], series: Resolved) -> str | None:
    last = next((v for v in reversed(values) if v is not None), None)
    if last is None:
        return None
    return number(last, series.decimals, series.unit, thousands=series.thousands)


def _table(
    drawn: Sequence[SeriesData],
    dates: tuple[dt.date, ...],
    header: tuple[str, ...],
    with_unit: bool,
    thousands: bool,
) -> TableData:
    rows = tuple(
        TableRow(
            label=f"{s.name}（{s.unit}）" if with_unit else s.name,
            unit=s.unit,
            cells=tuple(number(v, s.decimals, s.unit, thousands=thousands) for v in s.values),
            values=s.values,
        )
        for s in drawn
    )
    groups: list[tuple[str, int]] = []
    for day in dates:
        if groups and groups[-1][0] == labels.year(day):
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((labels.year(day), 1))
    return TableData(header=header, groups=tuple(groups), rows=rows)


def _chart(
    spec: ChartSpec,
    snapshot: Snapshot,
    drawn: Sequence[SeriesData],
    x_kind: str,
    x: tuple[XValue, ...] | None = None,
    x_labels: tuple[str, ...] = (),
    zero_line: bool = False,
    table: TableData | None = None,
    axes: bool = True,
) -> ChartData:
    units = {axis: [s.unit for s in drawn if s.axis == axis] for axis in ("primary", "secondary")}
    if not axes:
        units = {"primary": [], "secondary": []}
    for axis, found in units.items():
        if len(set(found)) > 1:
            raise LayoutError(
                spec.path,
                f"chart '{spec.id}' puts series in {', '.join(dict.fromkeys(found))} "
                f"on one ({axis}) axis",
                'put series of another unit on axis = "secondary", or in another chart',
            )
    if x is None:
        x = tuple(sorted({value for s in drawn for value in s.x}))  # type: ignore[type-var]
    data = ChartData(
        id=spec.id,
        kind=spec.kind,
        title=spec.title,
        group=spec.group,
        size=spec.size,
        x_kind=x_kind,
        x=x,
        x_labels=x_labels,
        series=tuple(drawn),
        unit=units["primary"][0] if units["primary"] else "",
        unit2=units["secondary"][0] if units["secondary"] else None,
        zero_line=zero_line,
        table=table,
        sources=sources(spec, snapshot),
        series_ids=spec.series_ids,
        thousands=snapshot.brand.thousands,
    )
    return replace(data, geometry=plan_geometry(data))


def _palette(brand: Brand) -> list[str]:
    return list(brand.palette) or [brand.primary, brand.accent]
