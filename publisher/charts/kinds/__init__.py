"""Charts stage: one drawing module per chart kind, each drawing a ChartData on a Figure."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from publisher.charts.data import ChartData
from publisher.charts.draw import Frame
from publisher.charts.kinds import balance, cost_profit, lines, seasonal, stacked, table
from publisher.charts.style import Style

Drawer = Callable[[Figure, ChartData, Style, bool], Frame]

DRAWERS: dict[str, Drawer] = {
    "lines": lines.draw,
    "seasonal": seasonal.draw,
    "cost_profit": cost_profit.draw,
    "stacked": stacked.draw,
    "balance": balance.draw,
    "table": table.draw,
}
