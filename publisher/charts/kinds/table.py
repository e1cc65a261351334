"""Charts stage: a balance sheet drawn as a table (weekly and monthly supply–demand)."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from publisher.charts import draw as pieces
from publisher.charts.data import ChartData, TableData
from publisher.charts.style import INK, MUTED, PAD_PT, TEXT_PT, TITLE_PT, Box, Legend, Style, Ticks

CELL_PAD_PT = 4.0
SHADE = "#F2F2F2"


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    assert data.table is not None, "a table chart carries its table"
    table = data.table
    width, slot = fig.get_figwidth() * 72, fig.get_figheight() * 72
    size = _fitting_size(style, table, width - 2 * PAD_PT)
    head = PAD_PT + (TITLE_PT * 1.35 + 2 if titled else 0)
    foot = PAD_PT + (TEXT_PT * 1.2 + 2 if titled else 0)
    row = min(size * 2.2, (slot - head - foot) / (len(table.rows) + 2))
    # a short table gets a short figure: no white band for the page to place around
    height = min(slot, head + foot + row * (len(table.rows) + 2) + 2)
    fig.set_size_inches(width / 72, height / 72)
    top = height - head
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.axis("off")
    label_w = max(style.width(r.label, size) for r in table.rows) + 2 * CELL_PAD_PT
    cell_w = (width - 2 * PAD_PT - label_w) / max(1, len(table.header))
    _head(ax, style, table, size, PAD_PT + label_w, cell_w, top, row)
    for n, line in enumerate(table.rows):
        y = top - row * (n + 3)
        if n % 2:
            ax.add_patch(
                Rectangle((PAD_PT, y), width - 2 * PAD_PT, row, facecolor=SHADE, edgecolor="none")
            )
        pieces.text(
            ax,
            PAD_PT + CELL_PAD_PT,
            y + row / 2,
            line.label,
            fontproperties=style.font(size),
            color=INK,
            ha="left",
            va="center",
        )
        for c, cell in enumerate(line.cells):
            right = PAD_PT + label_w + cell_w * (c + 1) - CELL_PAD_PT
            pieces.text(
                ax,
                right,
                y + row / 2,
                cell,
                fontproperties=style.font(size),
                color=INK if cell != "—" else MUTED,
                ha="right",
                va="center",
            )
    end = top - row * (len(table.rows) + 2)
    pieces.plot(ax, [PAD_PT, width - PAD_PT], [end, end], color=style.brand.primary, linewidth=0.8)
    none = Ticks((), (), 0.0, 1.0)
    frame = pieces.Frame(
        fig,
        data,
        ax,
        _whole(width, height),
        style,
        none,
        None,
        none,
        Legend(0, 0, 0.0),
        0.0,
        titled,
    )
    pieces.finish(frame, units=False)
    return frame


def _head(
    ax: Axes,
    style: Style,
    table: TableData,
    size: float,
    left: float,
    cell_w: float,
    top: float,
    row: float,
) -> None:
    """Two head rows on the brand colour: years over their columns, then each period."""
    width = left + cell_w * len(table.header) - PAD_PT
    ax.add_patch(
        Rectangle(
            (PAD_PT, top - 2 * row), width, 2 * row, facecolor=style.brand.primary, edgecolor="none"
        )
    )
    font = style.font(size, bold=True)
    start = 0
    for year, count in table.groups:
        centre = left + cell_w * (start + count / 2)
        pieces.text(
            ax,
            centre,
            top - row / 2,
            year,
            fontproperties=font,
            color="white",
            ha="center",
            va="center",
        )
        start += count
    for c, head in enumerate(table.header):
        pieces.text(
            ax,
            left + cell_w * (c + 1) - CELL_PAD_PT,
            top - row * 1.5,
            head,
            fontproperties=font,
            color="white",
            ha="right",
            va="center",
        )


def _fitting_size(style: Style, table: TableData, room: float) -> float:
    """The largest text size (down to 5 pt) at which labels and figures fit their columns."""
    size = TEXT_PT + 0.5
    while size > 5.0:
        label = max(style.width(r.label, size) for r in table.rows) + 2 * CELL_PAD_PT
        cells = [*table.header, *(c for r in table.rows for c in r.cells)]
        cell = max(style.width(c, size, bold=True) for c in cells) + 2 * CELL_PAD_PT
        if label + cell * len(table.header) <= room:
            return size
        size -= 0.5
    return size


def _whole(width: float, height: float) -> Box:
    return Box(0.0, 0.0, width, height, width, height)
