"""Charts stage: what each chart shows and where its things go, as plain frozen data — no
pandas, numpy or matplotlib, so a renderer in another process reads a chart without them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueAxis:
    """One value axis: its limits, major step, labelled ticks, and the unit it prints."""

    lo: float
    hi: float
    step: float
    ticks: tuple[float, ...]  # labelled positions, lo..hi (a panel labels only its own band)
    labels: tuple[str, ...]
    unit: str  # as printed over the axis; names the scale (万吨) when ticks were scaled
    scale: float = 1.0  # a tick label shows value / scale
    decimals: int = 0

    def share(self, value: float) -> float:
        """Where `value` sits, as a share of the plot's height."""
        return (value - self.lo) / (self.hi - self.lo)


@dataclass(frozen=True)
class DateAxis:
    """A time axis: from the first observation's period to the last observation, then room for
    the end labels; ticks every `step` `unit`s from `first`, never one past the last date."""

    first: dt.date
    last: dt.date  # the last observation: no tick label beyond it
    end: dt.date  # where the axis stops (the last date plus the end labels' room)
    unit: str  # days | months | years
    step: int
    ticks: tuple[dt.date, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class EndLabel:
    """A series' last value printed right of its last point, moved up or down to stay clear."""

    series: str  # SeriesData.id
    text: str
    x: float  # the last point, as a share of the plot's width
    value_share: float  # the last value's height, as a share of the plot's height
    share: float  # where the label's centre goes, as a share of the plot's height


@dataclass(frozen=True)
class ChartGeometry:
    """Everything about where a chart's things go that both renderers must agree on."""

    y: ValueAxis
    y2: ValueAxis | None
    dates: DateAxis | None  # date charts only
    labels: tuple[EndLabel, ...]
    x_lo: float  # plot limits of a non-date x (season days, months, periods)
    x_hi: float


# x of a point: a date on time axes, a day of year (1–365) or month (1–12) on seasonal axes.
XValue = dt.date | int


@dataclass(frozen=True)
class SeriesData:
    """One drawn series: its legend name, its points, its axis and how it is drawn."""

    id: str  # catalog id, derived key ("basis:spot-fut"), or "<id>@2025" / "<id>@average"
    name: str  # legend text
    x: tuple[XValue, ...]
    values: tuple[float | None, ...]  # one per x; None is a gap: the line breaks there
    unit: str
    decimals: int  # digits printed for this series' figures
    axis: str = "primary"  # primary (left) | secondary (right)
    # line | bar | area (filled from zero) | stacked (bars piled by sign) | stacked_area | band
    draw: str = "line"
    color: str = "#000000"  # "#RRGGBB" from the brand palette
    low: tuple[float | None, ...] | None = None  # band only: the lower edge, one per x
    emphasis: bool = False  # the current year of a seasonal chart: drawn heavier
    dashed: bool = False  # a reference line (the same-period average), not an observation
    last_label: str | None = None  # the last value as printed, when the chart labels it


@dataclass(frozen=True)
class TableRow:
    """One row of a chart's data table: label, unit, figures as printed and as numbers."""

    label: str
    unit: str
    cells: tuple[str, ...]  # formatted by metrics.formatting.number; "—" where no figure
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class TableData:
    """Figures printed as a grid: under a balance chart, or as a table chart on its own."""

    header: tuple[str, ...]  # one head per column: 3月 (monthly) or 5月23日 (weekly, daily)
    groups: tuple[tuple[str, int], ...]  # year band over the heads: (("2024年", 10), ("2025年", 3))
    rows: tuple[TableRow, ...]


FITTED = ("table",)  # kinds whose artwork is cut to its content, not to the slot's size

# The slots charts are drawn for, width × height: two half-width charts and a gutter, or one
# full-width chart, fill the report's 175 mm body at 1:1 scale.
SIZES_MM: dict[str, tuple[float, float]] = {"half": (85.0, 60.0), "full": (175.0, 80.0)}


@dataclass(frozen=True)
class ChartData:
    """Exactly what one chart shows, renderer-neutral: matplotlib, PowerPoint or a table."""

    id: str
    kind: str  # lines | seasonal | cost_profit | stacked | balance | table
    title: str
    group: str  # the report page heading the chart belongs under
    size: str  # half (≈85×60 mm) | full (≈175×80 mm)
    x_kind: str  # date | season_day (1–365) | month (1–12) | period (one category per column)
    x: tuple[XValue, ...]  # sorted union of the series' x; for period charts the columns
    x_labels: tuple[str, ...]  # category labels of a period axis (3月 …); () otherwise
    series: tuple[SeriesData, ...]  # in legend order
    unit: str  # unit of the primary (left) axis
    unit2: str | None  # unit of the secondary (right) axis; None with one axis
    zero_line: bool  # draw y = 0 on the primary axis
    table: TableData | None  # balance: figures under the chart; table: the chart itself
    sources: tuple[str, ...]  # for the page's 数据来源 line, once each, in catalog order
    series_ids: tuple[str, ...]  # every catalog series read, in catalog order
    thousands: bool = False  # the report's one number rule: figures grouped 1,234,567 or not
    # axes, date span and label positions, planned once for every renderer (plan_geometry)
    geometry: ChartGeometry | None = None

    @property
    def empty(self) -> bool:
        """True when no series has a single value to show (nothing observed in the window)."""
        return all(v is None for s in self.series for v in s.values)

    @property
    def text(self) -> str:
        """Every string the chart may print, for choosing the glyphs to embed."""
        parts = [self.title, self.unit, self.unit2 or "", *self.x_labels, *self.sources]
        parts += [s.name for s in self.series] + [s.last_label or "" for s in self.series]
        if self.geometry:
            parts += [self.geometry.y.unit, *self.geometry.y.labels]
            if self.geometry.y2:
                parts += [self.geometry.y2.unit, *self.geometry.y2.labels]
            if self.geometry.dates:
                parts += self.geometry.dates.labels
        if self.table:
            parts += [*self.table.header, *(g for g, _ in self.table.groups)]
            parts += [r.label for r in self.table.rows]
            parts += [cell for r in self.table.rows for cell in r.cells]
        return "".join(parts)
