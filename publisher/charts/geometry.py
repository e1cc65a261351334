"""Charts stage: the numbers every renderer draws a chart with — value axes, the date span and
its ticks, and where the end-of-series labels go — computed once, so page and slide agree.

Pure arithmetic on ChartData: no matplotlib here, so a deck-only build never imports it.
Positions are fractions of the plot (0 = bottom or left edge, 1 = top or right edge); each
renderer turns them into points or into chart XML.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from publisher.charts import labels as dates
from publisher.charts.model import ChartGeometry, DateAxis, EndLabel, ValueAxis
from publisher.metrics.formatting import number

if TYPE_CHECKING:  # data.py attaches a geometry to every ChartData it makes
    from publisher.charts.model import ChartData, SeriesData, XValue

# A label's height and a digit's width as shares of a plot, nominal for both media: a half-width
# page chart (≈200 × 120 pt of plot, 6.5 pt text) and a two-up slide chart (≈350 × 200 pt, 12 pt
# text) give almost the same ratios, so one set of positions serves both.
LABEL_HEIGHT = 0.085
PLOT_WIDTH_PT = {"half": 200.0, "full": 455.0}
TEXT_PT = 6.5
MAX_TICK_CHARS = 6  # a longer tick label scales its axis (万, 亿) and says so in the unit
# A bar series on the right axis beside lines on the left is drawn as a panel below them:
# the bars keep the bottom share of the plot and the lines the top share, so neither hides
# the other and each zero (if any) is where its own panel says.
PANEL_BARS = (0.0, 0.40)
PANEL_LINES = (0.48, 1.0)
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
STACKS = frozenset({"stacked", "stacked_area"})  # parts piled by sign, as bars or as areas
FROM_ZERO = frozenset({"bar", "area", *STACKS})  # drawn up (or down) from the axis's zero
SCALES = ((100_000_000, "亿"), (10_000, "万"))


# --- value axes ----------------------------------------------------------------------------------


def nice_step(span: float, bins: int = 5) -> float:
    """The smallest round step (1, 2, 2.5, 5 × 10^k) dividing `span` into at most `bins`."""
    raw = span / bins
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in NICE_STEPS if m * power >= raw * (1 - 1e-9))


def decimals_of(step: float) -> int:
    """Digits a tick label needs so that neighbouring ticks read differently."""
    for decimals in range(0, 7):
        if abs(round(step, decimals) - step) <= step * 1e-6:
            return decimals
    return 6


def value_axis(
    values: Sequence[float | None],
    unit: str,
    zero: bool = False,
    band: tuple[float, float] = (0.0, 1.0),
    thousands: bool = False,
) -> ValueAxis:
    """Round ticks covering the values with a margin, zero included only when `zero` (bars
    from zero, a zero line) or when the values touch or cross it; with a `band`, the values
    take only that share of the plot's height (a panel) and the limits stretch around it."""
    found = [v for v in values if v is not None and math.isfinite(v)]
    if zero:
        found.append(0.0)
    if not found:
        found = [0.0, 1.0]
    lo, hi = min(found), max(found)
    if lo == hi:  # a flat line still needs an axis around it
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, max(3, round(5 * (band[1] - band[0]))))  # a panel: fewer ticks
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    margin = 0.03 * (hi - lo)  # a line on the frame's edge reads as clipped
    if lo - first < margin and not (lo >= 0 and first == 0 and zero):
        first -= step
    if last - hi < margin and not (hi <= 0 and last == 0 and zero):
        last += step
    if first < 0 <= lo and not zero:  # a positive series never gets a negative axis
        first = 0.0
    ticks = _ticks(first, last, step)
    axis_lo, axis_hi = _stretch(first, last, step, band)
    return _labelled(axis_lo, axis_hi, step, ticks, unit, thousands)


def _ticks(first: float, last: float, step: float) -> tuple[float, ...]:
    count = round((last - first) / step)
    return tuple(_clean(first + k * step, step) for k in range(count + 1))


def _clean(value: float, step: float) -> float:
    """A tick without float dust (0.30000000000000004), and never -0.0."""
    return round(value, decimals_of(step) + 2) + 0.0


def _stretch(
    first: float, last: float, step: float, band: tuple[float, float]
) -> tuple[float, float]:
    """Axis limits such that first..last fills about `band` of the plot, in whole steps (a
    chart application ticks from its minimum by the major unit)."""
    low, high = band
    per_share = (last - first) / (high - low)
    below = math.ceil(low * per_share / step - 1e-9) * step
    above = math.ceil((1 - high) * per_share / step - 1e-9) * step
    return _clean(first - below, step), _clean(last + above, step)


def _labelled(
    lo: float, hi: float, step: float, ticks: tuple[float, ...], unit: str, thousands: bool
) -> ValueAxis:
    """Tick labels printed as the report prints figures; a label longer than six characters
    scales the axis by 万 or 亿 and the unit says so (万吨 scaled again reads 亿吨)."""
    decimals = decimals_of(step)
    scale, prefix = 1.0, ""
    widest = max(len(number(t, decimals, unit, thousands=thousands)) for t in ticks)
    if widest > MAX_TICK_CHARS:
        scale, prefix = next(((s, p) for s, p in SCALES if max(map(abs, ticks)) >= s * 10), (1, ""))
        decimals = decimals_of(step / scale)
    shown = _scaled_unit(prefix, unit)
    if shown is None:  # 亿 of 亿: keep the long labels rather than print a unit that is none
        scale, shown, decimals = 1.0, unit, decimals_of(step)
    text = tuple(number(t / scale, decimals, shown, thousands=thousands) for t in ticks)
    return ValueAxis(lo, hi, step, ticks, text, shown, scale, decimals)


def _scaled_unit(prefix: str, unit: str) -> str | None:
    """The unit of a scaled axis: 万 + 吨 = 万吨, 万 + 万吨 = 亿吨; None when no word says it."""
    if not prefix:
        return unit
    if unit.startswith("万"):
        return "亿" + unit[1:] if prefix == "万" else None
    if unit.startswith("亿"):
        return None
    return prefix + unit


def panel_of(series: Sequence[SeriesData]) -> str | None:
    """The axis whose series are all bars or areas while the other axis's are all lines (a
    profit under its cost, a basis under prices): drawn as a panel under the lines."""
    draws = {axis: {s.draw for s in series if s.axis == axis} for axis in ("primary", "secondary")}
    for axis, other in (("primary", "secondary"), ("secondary", "primary")):
        if draws[axis] and draws[axis] <= {"bar", "area"} and draws[other] == {"line"}:
            return axis
    return None


def _stack_extremes(series: Sequence[SeriesData]) -> list[float]:
    """Each x's sum of positives and sum of negatives: how high and how low a stack reaches."""
    ups: dict[object, float] = {}
    downs: dict[object, float] = {}
    for s in series:
        for x, v in zip(s.x, s.values, strict=True):
            if v is not None:
                side = ups if v >= 0 else downs
                side[x] = side.get(x, 0.0) + v
    return [*ups.values(), *downs.values()]


def _axis_values(data: ChartData, axis: str) -> tuple[list[float | None], bool]:
    """The values an axis must show, and whether it must show zero (bars grow from it)."""
    drawn = [s for s in data.series if s.axis == axis]
    values: list[float | None] = list(_stack_extremes([s for s in drawn if s.draw in STACKS]))
    for s in drawn:
        if s.draw not in STACKS:
            values += [*s.values, *(s.low or ())]
    bars = any(s.draw in FROM_ZERO for s in drawn)
    return values, bars or (axis == "primary" and data.zero_line)


def value_axes(data: ChartData) -> tuple[ValueAxis, ValueAxis | None]:
    """Each value axis spans only its own series, so a cost in the tens of thousands never
    flattens a profit in the thousands; bars beside lines go in a panel under them."""
    panel = panel_of(data.series) if data.unit2 is not None else None

    def band(axis: str) -> tuple[float, float]:
        if panel is None:
            return (0.0, 1.0)
        return PANEL_BARS if axis == panel else PANEL_LINES

    values, zero = _axis_values(data, "primary")
    y = value_axis(values, data.unit, zero, band("primary"), data.thousands)
    if data.unit2 is None:
        return y, None
    values2, zero2 = _axis_values(data, "secondary")
    return y, value_axis(values2, data.unit2, zero2, band("secondary"), data.thousands)


# --- the date axis -------------------------------------------------------------------------------

MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 60)
DAY_STEPS = (7, 14, 21, 28)


def date_label(day: dt.date, unit: str) -> str:
    """A date as a date axis prints it: 5月27日 over weeks, 2024-06 over months and years
    (the desk's charts, and every label says its year)."""
    return dates.month_day(day) if unit == "days" else f"{day.year}-{day.month:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def room_days(span: int, share: float) -> int:
    """Days an axis of `span` days must run on past its data for its last `share` of width
    to be free (the end labels' room)."""
    return math.ceil(span * share / (1 - share))


def date_axis(first: dt.date, last: dt.date, size: str, label_room: float = 0.0) -> DateAxis:
    """Ticks from the first observation's period to the last observation, at most as many as
    fit the slot; `label_room` (a share of the plot's width) extends the axis past the last
    date for the end labels, and no tick falls there."""
    span = max(1, (last - first).days)
    room = max(3, int(PLOT_WIDTH_PT[size] / (TEXT_PT * label_width("2024-06") * 1.25)))
    end = last + dt.timedelta(days=room_days(span, label_room))
    if span <= 100:
        step = next((s for s in DAY_STEPS if span // s + 1 <= room), DAY_STEPS[-1])
        count = math.ceil(span / step)
        start = last - dt.timedelta(days=step * count)
        ticks = tuple(start + dt.timedelta(days=step * k) for k in range(count + 1))
        return DateAxis(start, last, end, "days", step, ticks, _date_labels(ticks, "days"))
    months = (last.year - first.year) * 12 + last.month - first.month
    fitting = [s for s in MONTH_STEPS if math.ceil(months / s) + 1 <= room] or [MONTH_STEPS[-1]]
    # the axis starts on a tick: prefer a step that leaves little blank before the data
    step = min(fitting, key=lambda s: (math.ceil(months / s) * s - months > s / 2, s))
    count = math.ceil(months / step)
    # counted back from the last observation's month, so the latest period is always labelled
    start = add_months(dt.date(last.year, last.month, 1), -step * count)
    ticks = tuple(add_months(start, k * step) for k in range(count + 1))
    return DateAxis(start, last, end, "months", step, ticks, _date_labels(ticks, "months"))


def _date_labels(ticks: Sequence[dt.date], unit: str) -> tuple[str, ...]:
    return tuple(date_label(t, unit) for t in ticks)


# --- end labels ----------------------------------------------------------------------------------


def label_width(text: str) -> float:
    """A label's width in em: digits and Latin about half a square, Chinese a whole one."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.56 for c in text)


def label_share(text: str, size: str) -> float:
    """A label's width as a share of the plot's width (with the gap before it)."""
    return (label_width(text) * TEXT_PT + 4) / PLOT_WIDTH_PT[size]


def _last_point(series: SeriesData) -> tuple[XValue, float] | None:
    for x, v in zip(reversed(series.x), reversed(series.values), strict=True):
        if v is not None:
            return x, v
    return None


Points = tuple[np.ndarray, np.ndarray]  # a series' drawn points: x shares, height shares
Shares = Callable[[Sequence["XValue"]], np.ndarray]  # x values to shares of the plot's width


def _points(series: SeriesData, shares: Shares, axis: ValueAxis) -> Points:
    drawn = [(x, v) for x, v in zip(series.x, series.values, strict=True) if v is not None]
    heights = np.asarray([v for _, v in drawn], dtype=np.float64)
    # the same float steps as ValueAxis.share, a whole series at once
    return shares([x for x, _ in drawn]), (heights - axis.lo) / (axis.hi - axis.lo)


def _occupied(points: Points, lo: float, hi: float) -> list[float]:
    """Heights a series reaches between the x shares lo and hi (its points there, and where
    its segments cross into that span)."""
    xs, ys = points
    found = ys[(lo <= xs) & (xs <= hi)].tolist()
    x0, x1, y0, y1 = xs[:-1], xs[1:], ys[:-1], ys[1:]
    into = (x0 < lo) & (lo < x1)
    crossing = into | ((x0 < hi) & (hi < x1))
    at = np.where(into, lo, hi)[crossing]
    t = (at - x0[crossing]) / (x1[crossing] - x0[crossing])
    found += (y0[crossing] + t * (y1[crossing] - y0[crossing])).tolist()
    return found


def _free(wanted: float, blocked: Sequence[tuple[float, float]]) -> float:
    """The height nearest `wanted` whose label box meets none of the blocked intervals and
    stays inside the plot; `wanted` itself when no such height exists."""
    half = LABEL_HEIGHT / 2
    for k in range(0, 101):
        for sign in (1, -1) if k else (1,):
            at = wanted + sign * k * 0.01
            if half <= at <= 1 - half and all(at + half <= a or at - half >= b for a, b in blocked):
                return at
    return min(max(wanted, half), 1 - half)


def end_labels(
    data: ChartData,
    y: ValueAxis,
    y2: ValueAxis | None,
    shares: Shares,
) -> tuple[EndLabel, ...]:
    """Labels for the last values, each as near its point as it can be without meeting
    another label, the zero line, or another series' line or bars beside it."""
    zero_lines = []
    if data.zero_line and y.lo < 0 < y.hi:
        zero_lines.append(y.share(0.0))
    if (
        y2 is not None
        and y2.lo < 0 < y2.hi
        and any(s.axis == "secondary" and s.draw in FROM_ZERO for s in data.series)
    ):
        zero_lines.append(y2.share(0.0))
    wanted = []
    for s in data.series:
        point = _last_point(s) if s.last_label else None
        if point is None or s.last_label is None:
            continue
        axis = y2 if s.axis == "secondary" and y2 is not None else y
        wanted.append((s, s.last_label, float(shares([point[0]])[0]), axis.share(point[1])))
    placed: list[EndLabel] = []
    drawn = {  # each other series' points, worked out once for every label they may block
        id(other): _points(other, shares, y2 if other.axis == "secondary" and y2 else y)
        for other in data.series
        if other.draw != "band" and wanted
    }
    for s, text, x, at in sorted(wanted, key=lambda w: w[3]):
        right = x + label_share(text, data.size)
        blocked = [(z - 0.006, z + 0.006) for z in zero_lines]
        blocked += [
            (p.share - LABEL_HEIGHT / 2, p.share + LABEL_HEIGHT / 2)
            for p in placed
            if p.x < right and x < p.x + label_share(p.text, data.size)
        ]
        for other in data.series:
            if other is s or other.draw == "band":
                continue
            axis = y2 if other.axis == "secondary" and y2 is not None else y
            heights = _occupied(drawn[id(other)], x, right)
            if other.draw in FROM_ZERO and heights:
                base = axis.share(0.0) if axis.lo <= 0 <= axis.hi else 0.0
                heights.append(base)
            if heights:
                blocked.append((min(heights) - 0.004, max(heights) + 0.004))
        placed.append(EndLabel(s.id, text, x, at, _free(at, blocked)))
    order = {s.id: n for n, s in enumerate(data.series)}
    return tuple(sorted(placed, key=lambda p: order[p.series]))


# --- the whole chart -----------------------------------------------------------------------------


EPOCH = dt.date(1970, 1, 1)  # x of a date axis is days since this (matplotlib's date epoch)


def day_number(day: dt.date) -> float:
    return float((day - EPOCH).days)


def x_limits(data: ChartData, dates_: DateAxis | None) -> tuple[float, float]:
    """The plot's x range in the chart's own x numbers (ordinal days on a date axis)."""
    if dates_ is not None:
        return day_number(dates_.first), day_number(dates_.end)
    if data.x_kind == "season_day":
        return 1.0, 365.0
    if data.x_kind == "month":
        return 0.5, 12.5
    return -0.5, len(data.x) - 0.5


def x_number(data: ChartData, x: XValue) -> float:
    """A point's x as a number on the chart's x range."""
    if isinstance(x, dt.date):
        return float(data.x.index(x)) if data.x_kind == "period" else day_number(x)
    return float(x)


def plan_geometry(data: ChartData) -> ChartGeometry:
    """The chart's axes and label positions, for every renderer."""
    y, y2 = value_axes(data)
    dates_ = None
    if data.x_kind == "date":
        days = [x for x in data.x if isinstance(x, dt.date)]
        room = max(
            (label_share(s.last_label, data.size) for s in data.series if s.last_label),
            default=0.0,
        )
        # a renderer's own label metrics differ a little from these nominal ones: some slack
        dates_ = date_axis(min(days), max(days), data.size, min(room * 1.3, 0.22))
    lo, hi = x_limits(data, dates_)

    def shares(xs: Sequence[XValue]) -> np.ndarray:
        """Where points sit, as shares of the plot's width: on a date axis from their day
        numbers, all at once."""
        days = [(x - EPOCH).days for x in xs if isinstance(x, dt.date)]
        if data.x_kind == "date" and len(days) == len(xs):
            numbers = np.asarray(days, dtype=np.float64)
        else:
            numbers = np.asarray([x_number(data, x) for x in xs], dtype=np.float64)
        return (numbers - lo) / (hi - lo)

    labels = end_labels(data, y, y2, shares) if data.kind != "table" else ()
    return ChartGeometry(y, y2, dates_, labels, lo, hi)
