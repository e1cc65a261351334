"""Charts stage: parts stacked by date (inventories by port or region) with their total."""

from __future__ import annotations

from matplotlib.figure import Figure

from publisher.charts import draw as pieces
from publisher.charts.data import ChartData
from publisher.charts.kinds.lines import on_dates
from publisher.charts.style import Style


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    # Parts are `stacked` series (bars stacked by sign); the total is a line over them.
    return on_dates(fig, data, style, titled)
