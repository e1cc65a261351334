"""Charts stage: the house style — sizes, fonts, colours, ticks and where everything sits.

Layout is computed, not searched for: text is measured with the font itself, so margins fit
the tick labels, units, legend and table exactly, and the same chart always lands the same.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, get_font
from matplotlib.ticker import MaxNLocator

from publisher.charts import labels
from publisher.charts.fonts import ChartFonts
from publisher.metrics.formatting import number

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType
from publisher.snapshot.model import Brand

MM = 72 / 25.4  # points per millimetre
EPOCH = dt.date(1970, 1, 1)  # x of a date axis is days since this (matplotlib's date epoch)
SIZES_MM: dict[str, tuple[float, float]] = {"half": (85.0, 60.0), "full": (175.0, 80.0)}
TEXT_PT = 6.5  # ticks, legend, units, table
TITLE_PT = 8.0
PAD_PT = 3.0  # between figure edge and anything, and between stacked blocks
TICK_PAD_PT = 2.5
TICK_LEN_PT = 2.5
LEGEND_HANDLE_PT = 12.0  # the line or block that keys a legend entry
LEGEND_GAP_PT = 3.0  # between key and text
LEGEND_COLUMN_GAP_PT = 8.0
GRID = "#E3E3E3"
AXIS = "#8C8C8C"
INK = "#262626"
MUTED = "#595959"
# rcParams a chart needs while drawn and saved; applied with rc_context, never globally.
RC: dict[RcKeyType, Any] = {
    "pdf.fonttype": 42,  # TrueType embedded: chart text stays text (searchable, selectable)
    # matplotlib 3.11 sizes the PDF backend's font subsets by ps.fonttype: at 3 it splits a
    # CJK font into two embedded copies (codes < 256 and the rest); 42 keeps one.
    "ps.fonttype": 42,
    "pdf.compression": 6,
    "pdf.use14corefonts": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "publisher-charts",  # fixed ids: identical bytes for identical input
    "axes.unicode_minus": False,  # tick labels come from formatting.number, as in tables
    "path.simplify": True,
    "lines.solid_capstyle": "round",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}


@dataclass(frozen=True)
class Ticks:
    """Tick positions with their labels, and the axis limits they imply."""

    positions: tuple[float, ...]  # where the labels sit
    labels: tuple[str, ...]
    lo: float
    hi: float
    minor: tuple[float, ...] = ()  # unlabelled tick marks
    marked: bool = True  # False: labels sit between the marks (a year under its months)


@dataclass
class Style:
    """Fonts and colours of one chart, with the measuring the layout needs."""

    fonts: ChartFonts
    brand: Brand
    _props: dict[tuple[float, bool], FontProperties] = field(default_factory=dict)

    def font(self, size: float = TEXT_PT, bold: bool = False) -> FontProperties:
        key = (size, bold)
        if key not in self._props:
            path = self.fonts.bold if bold else self.fonts.regular
            self._props[key] = FontProperties(fname=path, size=size)
        return self._props[key]

    def width(self, text: str, size: float = TEXT_PT, bold: bool = False) -> float:
        """Width of a one-line text in points, measured with the very font that draws it."""
        if not text:
            return 0.0
        face = get_font(self.fonts.bold if bold else self.fonts.regular)
        face.set_size(size, 72)
        widest = 0.0
        for line in text.split("\n"):
            face.set_text(line)
            widest = max(widest, face.get_width_height()[0] / 64)
        return widest


def figure(size: str) -> Figure:
    """A blank figure of a report slot (half or full width), white, at 72 dpi (1 px = 1 pt)."""
    width, height = SIZES_MM[size]
    return Figure(figsize=(width / 25.4, height / 25.4), dpi=72, facecolor="white")


# --- ticks ---------------------------------------------------------------------------------


def value_ticks(
    values: Sequence[float | None], unit: str, include_zero: bool = False, bins: int = 5
) -> Ticks:
    """Round-number ticks spanning the values (and zero when it must show), labelled the way
    the report prints figures."""
    found = [v for v in values if v is not None and math.isfinite(v)]
    if include_zero:
        found.append(0.0)
    if not found:
        found = [0.0, 1.0]
    lo, hi = min(found), max(found)
    if lo == hi:  # a flat line still needs an axis around it
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    locator = MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10])
    positions = [float(p) for p in locator.tick_values(lo, hi)]
    step = _step(positions)
    while positions[0] > lo:  # the outer ticks enclose every value
        positions.insert(0, positions[0] - step)
    while positions[-1] < hi:
        positions.append(positions[-1] + step)
    # but no tick wholly beyond the data, so the values use the plot's height
    while len(positions) > 2 and positions[1] <= lo:
        positions.pop(0)
    while len(positions) > 2 and positions[-2] >= hi:
        positions.pop()
    decimals = _decimals(step)
    text = tuple(number(p, decimals, unit) for p in positions)
    return Ticks(tuple(positions), text, positions[0], positions[-1])


def _step(positions: Sequence[float]) -> float:
    return positions[1] - positions[0] if len(positions) > 1 else 1.0


def _decimals(step: float) -> int:
    """Digits a tick label needs so that neighbouring ticks read differently."""
    for decimals in range(0, 6):
        if abs(round(step, decimals) - step) < step * 1e-6:
            return decimals
    return 6


def date_ticks(first: dt.date, last: dt.date, room: int) -> Ticks:
    """Date ticks as the desk writes them: 5月27日 over weeks, 3月 with the year at each
    January over months, 2025年 over years; at most `room` labels, never a crowd."""
    span = (last - first).days
    if span <= 100:
        days = _day_ticks(first, last, room)
        text = tuple(labels.month_day(d) for d in days)
        return Ticks(_nums(days), text, day_number(first), day_number(last))
    if span <= 800:
        months = _month_ticks(first, last, room)
        text = tuple(
            f"{labels.month(d)}\n{labels.year(d)}" if d.month == 1 or n == 0 else labels.month(d)
            for n, d in enumerate(months)
        )
        minor = _month_ticks(first, last, 60, steps=(1,))
        return Ticks(_nums(months), text, *_lims(first, last), minor=_nums(minor))
    return _year_ticks(first, last, room)


def _year_ticks(first: dt.date, last: dt.date, room: int) -> Ticks:
    """Marks at each 1 January, and each year's label centred under the part of it shown
    (2023年 2024年 2025年, as the reference's two-level axes read); a sliver of a year too
    narrow for its label goes unlabelled."""
    lo, hi = day_number(first), day_number(last)
    starts = [dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
    centres: list[float] = []
    text: list[str] = []
    for year in range(first.year, last.year + 1):
        left = max(lo, day_number(dt.date(year, 1, 1)))
        right = min(hi, day_number(dt.date(year + 1, 1, 1)))
        if right - left >= 120:
            centres.append((left + right) / 2)
            text.append(f"{year}年")
    step = max(1, math.ceil(len(text) / room))  # a decade at half width: every other year
    keep = [i for i in range(len(text)) if (len(text) - 1 - i) % step == 0]  # latest stays
    return Ticks(
        tuple(centres[i] for i in keep),
        tuple(text[i] for i in keep),
        lo,
        hi,
        minor=_nums(starts),
        marked=False,
    )


def _day_ticks(first: dt.date, last: dt.date, room: int) -> list[dt.date]:
    for step in (7, 14, 21, 28):
        # count back from the last day so the latest date is always a labelled tick
        days = [last - dt.timedelta(days=k) for k in range(0, (last - first).days + 1, step)]
        if len(days) <= room:
            return sorted(days)
    return [first, last]


def _month_ticks(
    first: dt.date, last: dt.date, room: int, steps: Sequence[int] = (1, 2, 3, 6, 12)
) -> list[dt.date]:
    for step in steps:
        months = [
            dt.date(y, m, 1)
            for y in range(first.year, last.year + 1)
            for m in range(1, 13)
            if (m - 1) % step == 0 and first <= dt.date(y, m, 1) <= last
        ]
        if len(months) <= room:
            return months
    return []


def day_number(day: dt.date) -> float:
    return float((day - EPOCH).days)


def _nums(days: Sequence[dt.date]) -> tuple[float, ...]:
    return tuple(day_number(d) for d in days)


def _lims(first: dt.date, last: dt.date) -> tuple[float, float]:
    return day_number(first), day_number(last)


def season_ticks(monthly: bool, every: int) -> Ticks:
    """A Jan–Dec axis: ticks at month starts (days) or on months, labelled 1月 … 12月."""
    if monthly:
        positions = tuple(float(m) for m in range(1, 13))
        lo, hi = 0.5, 12.5
    else:
        positions = tuple(float(d) for d in labels.MONTH_STARTS)
        lo, hi = 1.0, 365.0
    text = tuple(f"{m}月" if (m - 1) % every == 0 else "" for m in range(1, 13))
    shown = tuple(p for p, t in zip(positions, text, strict=True) if t)
    return Ticks(
        shown,
        tuple(t for t in text if t),
        lo,
        hi,
        minor=tuple(p for p in positions if p not in shown),
    )


# --- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Legend:
    """Legend entries laid out in rows under the plot."""

    columns: int
    rows: int
    height: float  # points


@dataclass(frozen=True)
class Box:
    """Where the plot sits, in points from the figure's lower left, and what is around it."""

    left: float
    bottom: float
    width: float
    height: float
    fig_width: float
    fig_height: float

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (
            self.left / self.fig_width,
            self.bottom / self.fig_height,
            self.width / self.fig_width,
            self.height / self.fig_height,
        )


def legend_plan(style: Style, names: Sequence[str], room: float) -> Legend:
    """As many columns as the widest entry allows across the figure, rows as needed."""
    if not names:
        return Legend(0, 0, 0.0)
    entry = max(style.width(n) for n in names) + LEGEND_HANDLE_PT + LEGEND_GAP_PT
    entry += LEGEND_COLUMN_GAP_PT
    columns = max(1, min(len(names), int(room // entry)))
    rows = math.ceil(len(names) / columns)
    columns = math.ceil(len(names) / rows)  # balance the rows: 4+4, not 6+2
    return Legend(columns, rows, rows * TEXT_PT * 1.35)


def text_height(lines: int, size: float = TEXT_PT) -> float:
    return lines * size * 1.2
