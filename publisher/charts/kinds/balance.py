"""Charts stage: a supply–demand balance — inflows up, outflows down, the balance as a line,
and the figures in a data table whose columns sit under their bars."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from publisher.charts import draw as pieces
from publisher.charts.data import ChartData, TableData, XValue
from publisher.charts.style import (
    GRID,
    INK,
    TEXT_PT,
    TICK_LEN_PT,
    TICK_PAD_PT,
    Style,
    Ticks,
    text_height,
)

ROW_PT = TEXT_PT * 1.5
KEY_PT = 5.0


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    assert data.table is not None, "a balance chart carries its data table"
    table = data.table
    column = {x: float(n) for n, x in enumerate(data.x)}

    def positions(xs: Sequence[XValue]) -> np.ndarray:
        return np.array([column[x] for x in xs], dtype=float)

    y, _ = pieces.y_ticks(data)
    x = Ticks(tuple(column.values()), data.x_labels, -0.5, len(data.x) - 0.5)
    below = ROW_PT * (1 + len(table.rows))  # the year band, then one row per series
    labels = max(style.width(r.label, bold=True) for r in table.rows) + KEY_PT + 6
    frame = pieces.plan(fig, style, data, y, None, x, titled, below, left_min=labels, legend=False)
    pieces.value_axis(frame)
    pieces.category_axis(frame)
    pieces.plot_all(frame, positions)
    _table(frame, table, data)
    pieces.finish(frame)
    return frame


def _table(frame: pieces.Frame, table: TableData, data: ChartData) -> None:
    """Year band and rows under the month labels; each row keyed with its series' colour."""
    top = frame.box.bottom - TICK_PAD_PT - TICK_LEN_PT - text_height(1) - 1
    _year_band(frame, table, top)
    colours = {s.name: s.color for s in data.series}
    for n, row in enumerate(table.rows):
        bold = n == len(table.rows) - 1  # the balance itself
        mid = top - ROW_PT * (n + 1.5)
        _row_label(frame, row.label, colours.get(row.label, INK), mid, bold)
        _row_cells(frame, row.cells, mid, bold)


def _band_y(frame: pieces.Frame, points: float) -> float:
    """A height in points from the figure's foot as a fraction of the plot's height, the unit
    of the x-axis transform that keeps x in columns."""
    return (points - frame.box.bottom) / frame.box.height


def _year_band(frame: pieces.Frame, table: TableData, top: float) -> None:
    """Each year centred over its columns, a tick between years, as the reference's
    two-level axis has."""
    ax, band = frame.ax, frame.ax.get_xaxis_transform()
    start = 0
    for year, count in table.groups:
        centre = start + (count - 1) / 2
        pieces.text(
            ax,
            centre,
            _band_y(frame, top - ROW_PT / 2),
            year,
            transform=band,
            ha="center",
            va="center",
            fontproperties=frame.style.font(),
            color=INK,
        )
        if start:
            pieces.plot(
                ax,
                [start - 0.5] * 2,
                [_band_y(frame, top), _band_y(frame, top - ROW_PT)],
                transform=band,
                color=GRID,
                linewidth=0.6,
                clip_on=False,
            )
        start += count


def _row_label(frame: pieces.Frame, label: str, colour: str, mid: float, bold: bool) -> None:
    """The row's name right-aligned left of the plot, keyed by a square of its colour."""
    box, style = frame.box, frame.style
    label_right = box.left - 4
    pieces.figure_text(
        frame.fig,
        label_right / box.fig_width,
        mid / box.fig_height,
        label,
        fontproperties=style.font(bold=bold),
        color=INK,
        ha="right",
        va="center",
    )
    key_x = label_right - style.width(label, bold=bold) - 2 - KEY_PT
    frame.fig.add_artist(
        Rectangle(
            (key_x / box.fig_width, (mid - KEY_PT / 2) / box.fig_height),
            KEY_PT / box.fig_width,
            KEY_PT / box.fig_height,
            transform=frame.fig.transFigure,
            facecolor=colour,
            edgecolor="none",
        )
    )


def _row_cells(frame: pieces.Frame, cells: Sequence[str], mid: float, bold: bool) -> None:
    """The row's figures, each centred under its bar, and the rule above them."""
    ax, band = frame.ax, frame.ax.get_xaxis_transform()
    for column, cell in enumerate(cells):
        pieces.text(
            ax,
            column,
            _band_y(frame, mid),
            cell,
            transform=band,
            ha="center",
            va="center",
            fontproperties=frame.style.font(bold=bold),
            color=INK,
        )
    pieces.plot(
        ax,
        [-0.5, len(cells) - 0.5],
        [_band_y(frame, mid + ROW_PT / 2)] * 2,
        transform=band,
        color=GRID,
        linewidth=0.5,
        clip_on=False,
    )
