"""Charts stage: regional cost vs profit — profit bars round a visible zero on the left axis,
the cost line on its own right axis."""

from __future__ import annotations

from matplotlib.figure import Figure

from publisher.charts import draw as pieces
from publisher.charts.data import ChartData
from publisher.charts.kinds.lines import on_dates
from publisher.charts.style import Style


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    # The data already put profit and cost on separate axes with a zero line; the date-axis
    # drawing keeps each axis's scale to its own series.
    return on_dates(fig, data, style, titled)
