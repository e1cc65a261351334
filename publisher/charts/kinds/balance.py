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
    ax, box, style = frame.ax, frame.box, frame.style
    band = ax.get_xaxis_transform()  # x in columns, y in fractions of the plot's height
    top = box.bottom - TICK_PAD_PT - TICK_LEN_PT - text_height(1) - 1

    def y_of(points: float) -> float:
        return (points - box.bottom) / box.height

    start = 0
    for year, count in table.groups:
        centre = start + (count - 1) / 2
        ax.text(
            centre,
            y_of(top - ROW_PT / 2),
            year,
            transform=band,
            ha="center",
            va="center",
            fontproperties=style.font(),
            color=INK,
            clip_on=False,
        )
        if start:  # a tick between years, as the reference's two-level axis has
            ax.plot(
                [start - 0.5] * 2,
                [y_of(top), y_of(top - ROW_PT)],
                transform=band,
                color=GRID,
                linewidth=0.6,
                clip_on=False,
            )
        start += count
    colours = {s.name: s.color for s in data.series}
    for n, row in enumerate(table.rows):
        mid = top - ROW_PT * (n + 1.5)
        bold = n == len(table.rows) - 1  # the balance itself
        label_right = box.left - 4
        frame.fig.text(
            label_right / box.fig_width,
            mid / box.fig_height,
            row.label,
            fontproperties=style.font(bold=bold),
            color=INK,
            ha="right",
            va="center",
        )
        key_x = label_right - style.width(row.label, bold=bold) - 2 - KEY_PT
        frame.fig.add_artist(
            Rectangle(
                (key_x / box.fig_width, (mid - KEY_PT / 2) / box.fig_height),
                KEY_PT / box.fig_width,
                KEY_PT / box.fig_height,
                transform=frame.fig.transFigure,
                facecolor=colours.get(row.label, INK),
                edgecolor="none",
            )
        )
        for column, cell in enumerate(row.cells):
            ax.text(
                column,
                y_of(mid),
                cell,
                transform=band,
                ha="center",
                va="center",
                fontproperties=style.font(bold=bold),
                color=INK,
                clip_on=False,
            )
        ax.plot(
            [-0.5, len(row.cells) - 0.5],
            [y_of(mid + ROW_PT / 2)] * 2,
            transform=band,
            color=GRID,
            linewidth=0.5,
            clip_on=False,
        )
