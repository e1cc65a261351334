"""Charts stage: one line per year on a Jan–Dec axis, the current year emphasised."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from publisher.charts import draw as pieces
from publisher.charts.data import ChartData, XValue
from publisher.charts.style import SIZES_MM, Style, season_ticks


def positions(x: Sequence[XValue]) -> np.ndarray:
    return np.asarray(x, dtype=float)  # day of year or month number


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    y, _ = pieces.y_ticks(data)
    every = 2 if SIZES_MM[data.size][0] < 120 else 1  # half width: 1月 3月 5月 … fit, 12 do not
    x = season_ticks(data.x_kind == "month", every)
    frame = pieces.plan(fig, style, data, y, None, x, titled)
    pieces.draw_plot(frame, positions)
    return frame
