"""Charts stage: the house style — sizes, fonts, colours, ticks and where everything sits.

Layout is computed, not searched for: text is measured with the font itself, so margins fit
the tick labels, units, legend and table exactly, and the same chart always lands the same.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from matplotlib import rcParams
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, get_font

from publisher.charts import labels
from publisher.charts.fonts import ChartFonts
from publisher.charts.geometry import EPOCH
from publisher.charts.model import SIZES_MM

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType
from publisher.snapshot.model import Brand

MM = 72 / 25.4  # points per millimetre
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
# rcParams a chart needs while drawn and saved; applied with house_rc, never globally.
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


@contextmanager
def house_rc() -> Iterator[None]:
    """matplotlib.rc_context(RC) without its copy of every setting through RcParams (~0.2 ms,
    a fiftieth of a chart): RC applied inside; every setting but the backend as it was
    after, as rc_context restores them (with dict.update, rcParams being a dict)."""
    saved = dict(dict.items(rcParams))
    del saved["backend"]
    try:
        rcParams.update(RC)
        yield
    finally:
        dict.update(rcParams, saved)


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
    _widths: dict[tuple[str, float, bool], float] = field(default_factory=dict)

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
        key = (text, size, bold)
        if key not in self._widths:  # the legend's names are measured to plan and to place
            face = get_font(self.fonts.bold if bold else self.fonts.regular)
            face.set_size(size, 72)
            widest = 0.0
            for line in text.split("\n"):
                face.set_text(line)
                widest = max(widest, face.get_width_height()[0] / 64)
            self._widths[key] = widest
        return self._widths[key]


def figure(size: str) -> Figure:
    """A blank figure of a report slot (half or full width), white, at 72 dpi (1 px = 1 pt)."""
    width, height = SIZES_MM[size]
    return Figure(figsize=(width / 25.4, height / 25.4), dpi=72, facecolor="white")


# --- ticks ---------------------------------------------------------------------------------


def day_number(day: dt.date) -> float:
    return float((day - EPOCH).days)


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
