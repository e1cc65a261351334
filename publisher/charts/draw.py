"""Charts stage: drawing pieces every kind shares — frame, bars, lines, labels, legend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN, TICKRIGHT
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform, offset_copy

from publisher.charts import aside
from publisher.charts.data import ChartData, SeriesData, XValue
from publisher.charts.geometry import FROM_ZERO, ChartGeometry, ValueAxis, plan_geometry
from publisher.charts.style import (
    AXIS,
    GRID,
    INK,
    LEGEND_COLUMN_GAP_PT,
    LEGEND_GAP_PT,
    LEGEND_HANDLE_PT,
    MUTED,
    PAD_PT,
    TEXT_PT,
    TICK_LEN_PT,
    TICK_PAD_PT,
    TITLE_PT,
    Box,
    Legend,
    Style,
    Ticks,
    legend_plan,
    text_height,
)

LABEL_GAP_PT = 2.5  # between a series' last point and its label
UNIT_LIFT_PT = TEXT_PT * 0.6 + 2  # from the plot's top edge up to the unit's baseline

XToNumber = Callable[[Sequence[XValue]], np.ndarray]  # x values to plot coordinates, at once


@dataclass
class Frame:
    """A chart's figure with its plot area placed, its axes' ticks and its legend planned.

    One matplotlib Axes carries both value axes: a secondary series is drawn mapped onto the
    primary scale and the right-hand labels are placed where its own ticks fall. The two
    scales stay independent (each spans its own series) at the cost of one Axes, not two.
    """

    fig: Figure
    data: ChartData
    ax: Axes
    box: Box
    style: Style
    y: Ticks
    y2: Ticks | None
    x: Ticks
    legend: Legend
    legend_top: float  # points from the bottom of the figure
    titled: bool

    @property
    def points(self) -> Transform:
        """Figure coordinates in points from the lower left (1 pt = 1/72 in)."""
        return Affine2D().scale(1 / 72) + self.fig.dpi_scale_trans

    def on_primary(self, values: np.ndarray, axis: str) -> np.ndarray:
        """Values of a series in the plot's (primary) coordinates."""
        if axis != "secondary" or self.y2 is None:
            return values
        y, y2 = self.y, self.y2
        return y.lo + (values - y2.lo) * (y.hi - y.lo) / (y2.hi - y2.lo)

    def height_of(self, value: float, axis: str) -> float:
        """Points above the plot's bottom edge at which `value` of that axis sits."""
        ticks = self.y2 if axis == "secondary" and self.y2 is not None else self.y
        return (value - ticks.lo) / (ticks.hi - ticks.lo) * self.box.height


def plan(
    fig: Figure,
    style: Style,
    data: ChartData,
    y: Ticks,
    y2: Ticks | None,
    x: Ticks,
    titled: bool,
    below: float = 0.0,
    left_min: float = 0.0,
    legend: bool = True,
) -> Frame:
    """Place the plot so the tick labels, units, legend, title and source line all fit;
    `below` reserves room under the tick labels (a data table)."""
    width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
    names = [s.name for s in data.series] if legend else []
    planned = legend_plan(style, names, width - 2 * PAD_PT)
    x_lines = max((label.count("\n") + 1 for label in x.labels), default=1)
    ticks = TICK_PAD_PT + TICK_LEN_PT
    # the unit sits over the top tick's label, which is centred on the plot's top edge
    top = PAD_PT + text_height(1) + UNIT_LIFT_PT + (TITLE_PT * 1.35 + 2 if titled else 0)
    bottom = PAD_PT + (text_height(1) + 2 if titled else 0) + planned.height
    bottom += (3 if planned.rows else 0) + below + text_height(x_lines) + ticks
    left = PAD_PT + max(max(style.width(t) for t in y.labels) + TICK_PAD_PT, left_min)
    right = PAD_PT + (max(style.width(t) for t in y2.labels) + ticks if y2 else 0)
    if x.labels and x.marked:  # a label centred on an end tick must not run off the figure
        left = max(left, PAD_PT + style.width(x.labels[0]) / 2)
        right = max(right, PAD_PT + style.width(x.labels[-1]) / 2)
    box = Box(left, bottom, width - left - right, height - top - bottom, width, height)
    ax = plot_axes(fig, box.rect)
    ax.set_ylim(y.lo, y.hi)
    ax.set_xlim(x.lo, x.hi)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    # the chart draws its own ticks and labels: matplotlib's axes, with none, would still lay
    # out their empty labels at every drawing
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    legend_top = bottom - below - text_height(x_lines) - ticks - 3
    return Frame(fig, data, ax, box, style, y, y2, x, planned, legend_top, titled)


def plot_axes(fig: Figure, rect: tuple[float, float, float, float]) -> Axes:
    """The plot's Axes at `rect`: a new one on a new figure; on a kept figure (render's
    _figure_for) the one it already has, moved there. `plan` then sets everything of it a
    chart uses: limits, ticks, spines."""
    if not fig.axes:
        return fig.add_axes(rect)
    (ax,) = fig.axes
    ax.set_position(rect)
    return ax


def text(ax: Axes, x: float, y: float, s: str, **props: Any) -> Artist:
    """A text on the Axes as `ax.text` adds it, unclipped, without the clip path `ax.text`
    gives a text it then never clips with (clip_on=False): computing that path's transform
    was a fifth of making a text, and the drawing is the same. For print, an AsideText:
    the renderer records it where the Text would be drawn."""
    if aside.wanted(s):
        line = aside.AsideText(x, y, s, **props)
        # what ax._add_text does for a Text: its figure, axes and (default) transform
        ax._set_artist_props(line)  # type: ignore[attr-defined]
        ax._children.append(line)  # type: ignore[attr-defined]
        line._remove_method = ax._children.remove  # type: ignore[attr-defined]
        ax.stale = True
        return line
    label = Text(x, y, s, clip_on=False, **props)
    ax._add_text(label)  # type: ignore[attr-defined]  # what ax.text adds a text with
    return label


def figure_text(fig: Figure, x: float, y: float, s: str, **props: Any) -> Artist:
    """`fig.text`, or for print an AsideText in the figure's texts, where the Text would be."""
    if not aside.wanted(s):
        return fig.text(x, y, s, **props)
    line = aside.AsideText(x, y, s, **{"transform": fig.transSubfigure, **props})
    line.set_figure(fig)  # as fig.text adds a Text: drawn in the same order
    fig.texts.append(line)  # type: ignore[arg-type]
    line._remove_method = fig.texts.remove  # type: ignore[attr-defined,arg-type]
    fig.stale = True
    return line


def plot(
    ax: Axes, xs: Sequence[float] | np.ndarray, ys: Sequence[float] | np.ndarray, **props: Any
) -> Line2D:
    """A line on the Axes as `ax.plot` draws it, without updating the data limits: the plot's
    limits are set already, and measuring a line's extent walks every point of it."""
    line = Line2D(xs, ys, **props)
    ax.add_artist(line)
    return line


def rules(ax: Axes, heights: Sequence[float], **props: Any) -> LineCollection:
    """Lines across the plot at `heights` (axes coordinates across, data up), as `ax.hlines`
    draws them, without its data-limit update."""
    segments = [((0.0, y), (1.0, y)) for y in heights]
    grid = LineCollection(segments, transform=ax.get_yaxis_transform(), **props)
    ax.add_collection(grid, autolim=False)
    return grid


def cleared(fig: Figure) -> Figure:
    """A kept figure without the last chart's artists, its Axes as a new one comes: an Axes
    costs ~5 ms to build, a quarter of a chart, and drawing each chart on a new one gave
    the same bytes (tests/charts/test_render.py)."""
    for artist in [*fig.texts, *fig.artists, *fig.lines, *fig.patches, *fig.images]:
        artist.remove()
    for ax in fig.axes:
        for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.artists]:
            artist.remove()
        ax.set_axis_on()
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color(rcParams["axes.edgecolor"])
            spine.set_linewidth(rcParams["axes.linewidth"])
    return fig


def value_axis(frame: Frame) -> None:
    """Grid lines at the primary ticks with their labels on the left; the secondary axis's
    labels on the right, each with a short tick where its value falls."""
    ax = frame.ax
    y = frame.y
    rules(ax, y.positions, colors=GRID, linewidths=0.5, zorder=0.5)
    left = offset_copy(ax.get_yaxis_transform(), frame.fig, x=-TICK_PAD_PT, units="points")
    _tick_labels(frame, 0, y.positions, y.labels, left, "right")
    if frame.y2 is None:
        return
    mapped = frame.on_primary(np.array(frame.y2.positions), "secondary")
    right = offset_copy(
        ax.get_yaxis_transform(), frame.fig, x=TICK_LEN_PT + TICK_PAD_PT, units="points"
    )
    _tick_labels(frame, 1, mapped, frame.y2.labels, right, "left")
    plot(
        ax,
        np.ones(len(mapped)),
        mapped,
        transform=ax.get_yaxis_transform(),
        linestyle="none",
        marker=TICKRIGHT,
        markersize=TICK_LEN_PT,
        markeredgewidth=0.5,
        color=AXIS,
        clip_on=False,
    )


def category_axis(frame: Frame) -> None:
    """The base line with tick marks (labelled and minor) and the labels under them."""
    ax, x = frame.ax, frame.x
    ax.set_xlim(x.lo, x.hi)
    ax.spines["bottom"].set_visible(True)
    ax.spines["bottom"].set_color(AXIS)
    ax.spines["bottom"].set_linewidth(0.6)
    marks = [p for p in (*(x.positions if x.marked else ()), *x.minor) if x.lo <= p <= x.hi]
    plot(
        ax,
        marks,
        np.zeros(len(marks)),
        transform=ax.get_xaxis_transform(),
        linestyle="none",
        marker=TICKDOWN,
        markersize=TICK_LEN_PT,
        markeredgewidth=0.5,
        color=AXIS,
        clip_on=False,
    )
    under = offset_copy(
        ax.get_xaxis_transform(), frame.fig, y=-(TICK_LEN_PT + TICK_PAD_PT), units="points"
    )
    for position, label in zip(x.positions, x.labels, strict=True):
        if label:
            text(
                ax,
                position,
                0,
                label,
                transform=under,
                ha="center",
                va="top",
                fontproperties=frame.style.font(),
                color=INK,
                linespacing=1.1,
            )


def zero_line(ax: Axes, at: float = 0.0) -> None:
    ax.axhline(at, color=MUTED, linewidth=0.7, zorder=1.5)


def numbers(series: SeriesData, x_of: XToNumber) -> tuple[np.ndarray, np.ndarray]:
    """x as plot numbers and values with NaN for gaps (matplotlib breaks lines at NaN)."""
    xs = x_of(series.x)
    return xs, values_of(series.values)


def values_of(values: Sequence[float | None]) -> np.ndarray:
    """Values as floats, NaN for None (numpy's own conversion of None, at C speed)."""
    return np.array(values, dtype=float)


def line(frame: Frame, series: SeriesData, x_of: XToNumber) -> None:
    xs, ys = numbers(series, x_of)
    ys = frame.on_primary(ys, series.axis)
    width = 1.4 if series.emphasis else 0.9
    ax = frame.ax
    plot(
        ax,
        xs,
        ys,
        color=series.color,
        linewidth=width,
        linestyle=(0, (3, 1.5)) if series.dashed else "-",
        zorder=3 if series.emphasis else 2.5,
    )
    lone = _isolated(ys)  # a point with gaps on both sides would vanish as a line
    if lone.any():
        plot(
            ax,
            xs[lone],
            ys[lone],
            linestyle="None",
            marker="o",
            color=series.color,
            markersize=1.5,
            zorder=3,
        )


def _isolated(ys: np.ndarray) -> np.ndarray:
    have = ~np.isnan(ys)
    before = np.concatenate(([False], have[:-1]))
    after = np.concatenate((have[1:], [False]))
    return have & ~before & ~after


def fill(
    frame: Frame,
    series: SeriesData,
    xs: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    zorder: float,
    alpha: float = 1.0,
) -> None:
    """The region between two edges of a series, in its axis's scale; a gap stays a gap."""
    frame.ax.fill_between(
        xs,
        frame.on_primary(low, series.axis),
        frame.on_primary(high, series.axis),
        where=~(np.isnan(low) | np.isnan(high)),
        color=series.color,
        alpha=alpha,
        linewidth=0,
        zorder=zorder,
    )


def band(frame: Frame, series: SeriesData, x_of: XToNumber) -> None:
    """The min–max range of a seasonal pool, under everything."""
    xs, high = numbers(series, x_of)
    low = values_of(series.low or ())
    fill(frame, series, xs, low, high, zorder=1)


def area(frame: Frame, series: SeriesData, x_of: XToNumber) -> None:
    """A series filled down to its axis's zero: a daily profit or basis, too dense for bars."""
    xs, ys = numbers(series, x_of)
    fill(frame, series, xs, np.zeros_like(ys), ys, zorder=2, alpha=0.85)


def bars(
    ax: Axes,
    xs: np.ndarray,
    tops: np.ndarray,
    bottoms: np.ndarray,
    width: float,
    color: str,
    zorder: float = 2.0,
) -> None:
    """All bars of a series as one compound path: one artist and one fill in the PDF however
    many bars (ax.bar makes a patch per bar, and even a PolyCollection writes each bar as
    its own path — that is where 250-bar charts spent their time)."""
    keep = ~np.isnan(tops) & ~np.isnan(bottoms) & (tops != bottoms)
    xs, tops, bottoms = xs[keep], tops[keep], bottoms[keep]
    if not len(xs):
        return
    half = width / 2
    corners = np.empty((len(xs), 4, 2))
    corners[:, 0] = np.column_stack((xs - half, bottoms))
    corners[:, 1] = np.column_stack((xs - half, tops))
    corners[:, 2] = np.column_stack((xs + half, tops))
    corners[:, 3] = np.column_stack((xs + half, bottoms))
    outline = Path.make_compound_path_from_polys(corners)
    # add_artist, not add_patch: the plot limits are set already, and computing a compound
    # path's extents walks every segment
    ax.add_artist(PathPatch(outline, facecolor=color, edgecolor="none", zorder=zorder))


def bar_width(series: Sequence[SeriesData], x_of: XToNumber, share: float = 0.75) -> float:
    """Bars take `share` of the closest spacing between observations."""
    gaps = [np.diff(x_of(s.x)) for s in series if len(s.x) > 1]
    smallest = min((g[g > 0].min() for g in gaps if (g > 0).any()), default=1.0)
    return float(smallest) * share


def stacked_areas(frame: Frame, series: Sequence[SeriesData], x_of: XToNumber) -> None:
    """Parts piled as areas, each on the ones before it (positive parts: inventories by port)."""
    base: np.ndarray | None = None
    for s in series:
        xs, ys = numbers(s, x_of)
        ys = np.nan_to_num(ys)
        foot = np.zeros_like(ys) if base is None else base
        fill(frame, s, xs, foot, foot + ys, zorder=2)
        base = foot + ys


def stacked(frame: Frame, series: Sequence[SeriesData], x_of: XToNumber, width: float) -> None:
    """Bars stacked by sign: positives up from zero, negatives down from zero, in series order
    (so the first series sits next to the zero line on its side)."""
    if not series:
        return
    xs, _ = numbers(series[0], x_of)
    up = np.zeros(len(xs))
    down = np.zeros(len(xs))
    for s in series:
        _, ys = numbers(s, x_of)
        ys = np.nan_to_num(ys)
        base = np.where(ys >= 0, up, down)
        top = base + ys
        bars(
            frame.ax,
            xs,
            frame.on_primary(top, s.axis),
            frame.on_primary(base, s.axis),
            width,
            s.color,
        )
        up = np.where(ys >= 0, top, up)
        down = np.where(ys < 0, top, down)


def last_labels(frame: Frame) -> None:
    """Each labelled series' last value right of its last point, where the chart's geometry
    placed it clear of other labels, the zero line and other series."""
    colours = {s.id: s.color for s in frame.data.series}
    beside = offset_copy(frame.ax.transAxes, frame.fig, x=LABEL_GAP_PT, units="points")
    for label in planned(frame.data).labels:
        text(
            frame.ax,
            label.x,
            label.share,
            label.text,
            transform=beside,
            fontproperties=frame.style.font(),
            color=colours[label.series],
            ha="left",
            va="center",
            zorder=5,
            # a light halo, so the figure reads over a grid line without hiding what lies under it
            bbox={
                "boxstyle": "square,pad=0.1",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.75,
            },
        )


def finish(frame: Frame, units: bool = True) -> None:
    """Units over the axes, legend under them, and in gallery mode title and sources."""
    style, box, data = frame.style, frame.box, frame.data
    fig, points = frame.fig, frame.points
    font = style.font()
    unit_y = box.bottom + box.height + UNIT_LIFT_PT
    geometry = planned(data) if units else None
    unit = geometry.y.unit if geometry else ""
    unit2 = geometry.y2.unit if geometry and geometry.y2 else ""
    if unit:
        figure_text(
            fig,
            PAD_PT,
            unit_y,
            unit,
            transform=points,
            fontproperties=font,
            color=INK,
            ha="left",
            va="bottom",
        )
    if unit2:
        figure_text(
            fig,
            box.fig_width - PAD_PT,
            unit_y,
            unit2,
            transform=points,
            fontproperties=font,
            color=INK,
            ha="right",
            va="bottom",
        )
    _legend(frame)
    if frame.titled:
        figure_text(
            fig,
            PAD_PT,
            box.fig_height - PAD_PT,
            data.title,
            transform=points,
            fontproperties=style.font(TITLE_PT, bold=True),
            color=style.brand.primary,
            ha="left",
            va="top",
        )
        figure_text(
            fig,
            PAD_PT,
            PAD_PT,
            "数据来源：" + "，".join(data.sources),
            transform=points,
            fontproperties=font,
            color=MUTED,
            ha="left",
            va="bottom",
        )


def _legend(frame: Frame) -> None:
    """Legend entries in rows, read left to right, centred under the plot; drawn directly
    (matplotlib's Legend costs ~25 ms a chart to lay out what is computed here anyway)."""
    plan_, series = frame.legend, frame.data.series
    if not plan_.rows:
        return
    style, fig, points = frame.style, frame.fig, frame.points
    columns = [series[c :: plan_.columns] for c in range(plan_.columns)]
    widths = [max(style.width(s.name) for s in column) for column in columns]
    step = LEGEND_HANDLE_PT + LEGEND_GAP_PT
    total = sum(w + step for w in widths) + LEGEND_COLUMN_GAP_PT * (len(widths) - 1)
    x = (frame.box.fig_width - total) / 2
    row_height = plan_.height / plan_.rows
    for column, width in zip(columns, widths, strict=True):
        for row, s in enumerate(column):
            y = frame.legend_top - row_height * (row + 0.5)
            _key(fig, points, s, x, y)
            figure_text(
                fig,
                x + step,
                y,
                s.name,
                transform=points,
                fontproperties=style.font(),
                color=INK,
                ha="left",
                va="center_baseline",
            )
        x += width + step + LEGEND_COLUMN_GAP_PT


def _key(fig: Figure, points: Transform, series: SeriesData, x: float, y: float) -> None:
    """The legend's sample of a series: a short line, or a small block for bars and bands."""
    if series.draw in (*FROM_ZERO, "band"):
        fig.add_artist(
            Rectangle(
                (x + 2, y - 2.5),
                LEGEND_HANDLE_PT - 4,
                5,
                transform=points,
                facecolor=series.color,
                edgecolor="none",
            )
        )
        return
    fig.add_artist(
        Line2D(
            [x, x + LEGEND_HANDLE_PT],
            [y, y],
            transform=points,
            color=series.color,
            linewidth=1.4 if series.emphasis else 0.9,
            linestyle=(0, (3, 1.5)) if series.dashed else "-",
        )
    )


def placeholder(fig: Figure, data: ChartData, style: Style, titled: bool) -> Frame:
    """A chart with nothing to show: its frame and a plain 暂无数据 (no data) in the middle."""
    width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
    none = Ticks((), (), 0.0, 1.0)
    box = Box(PAD_PT, PAD_PT, width - 2 * PAD_PT, height - 2 * PAD_PT, width, height)
    ax = fig.add_axes(box.rect)
    ax.set_axis_off()
    frame = Frame(fig, data, ax, box, style, none, None, none, Legend(0, 0, 0.0), 0.0, titled)
    text(
        ax,
        0.5,
        0.5,
        "暂无数据",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontproperties=style.font(TITLE_PT),
        color=MUTED,
    )
    finish(frame, units=False)
    return frame


def y_ticks(data: ChartData) -> tuple[Ticks, Ticks | None]:
    """The value axes the chart's geometry planned, as this drawing's ticks."""
    geometry = planned(data)
    y2 = geometry.y2
    return axis_ticks(geometry.y), axis_ticks(y2) if y2 is not None else None


def planned(data: ChartData) -> ChartGeometry:
    """The geometry data.py planned (a hand-made ChartData gets one planned here)."""
    return data.geometry or plan_geometry(data)


def axis_ticks(axis: ValueAxis) -> Ticks:
    return Ticks(axis.ticks, axis.labels, axis.lo, axis.hi)


def _tick_labels(
    frame: Frame,
    x: float,
    positions: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    transform: Transform,
    ha: str,
) -> None:
    """Value labels beside one edge of the plot (x = 0 left, 1 right), in axis coordinates."""
    for position, label in zip(positions, labels, strict=True):
        text(
            frame.ax,
            x,
            position,
            label,
            transform=transform,
            ha=ha,
            va="center",
            fontproperties=frame.style.font(),
            color=INK,
        )


def draw_plot(frame: Frame, x_of: XToNumber) -> None:
    """The steps every plotted kind takes once planned: both axes, the series, their last
    values' labels, then legend and units."""
    value_axis(frame)
    category_axis(frame)
    plot_all(frame, x_of)
    last_labels(frame)
    finish(frame)


def plot_all(frame: Frame, x_of: XToNumber) -> None:
    """Every series: bands first, then bars and stacks, the zero line, lines on top."""
    data = frame.data
    width = bar_width([s for s in data.series if s.draw in ("bar", "stacked")], x_of)
    for s in data.series:
        if s.draw == "band":
            band(frame, s, x_of)
    for axis in ("primary", "secondary"):
        on_axis = [s for s in data.series if s.axis == axis]
        stacked(frame, [s for s in on_axis if s.draw == "stacked"], x_of, width)
        stacked_areas(frame, [s for s in on_axis if s.draw == "stacked_area"], x_of)
    for s in data.series:
        if s.draw == "area":
            area(frame, s, x_of)
        if s.draw == "bar":
            xs, ys = numbers(s, x_of)
            zero = np.zeros_like(ys)
            bars(
                frame.ax,
                xs,
                frame.on_primary(ys, s.axis),
                frame.on_primary(zero, s.axis),
                width,
                s.color,
            )
    if data.zero_line:
        zero_line(frame.ax)
    if (
        frame.y2 is not None
        and frame.y2.lo < 0 < frame.y2.hi
        and any(s.axis == "secondary" and s.draw in FROM_ZERO for s in data.series)
    ):  # bars on the right axis grow from the right axis's zero: show where that is
        zero_line(frame.ax, float(frame.on_primary(np.zeros(1), "secondary")[0]))
    for s in data.series:
        if s.draw == "line":
            line(frame, s, x_of)
