"""Charts stage: time-series lines on a date axis, on one or two value axes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from publisher.charts import draw as pieces
from publisher.charts import style as house
from publisher.charts.data import ChartData, XValue
from publisher.charts.style import SIZES_MM, Style, date_ticks

EPOCH = np.datetime64(house.EPOCH, "D")


def day_numbers(days: Sequence[XValue]) -> np.ndarray:
    """Dates as days since the epoch, all at once (date2num one by one was a hot spot)."""
    return (np.array(days, dtype="datetime64[D]") - EPOCH).astype(float)


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    return on_dates(fig, data, style, titled)


def on_dates(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    """Any chart whose x is calendar dates: lines, bars, stacks; labels the last values."""
    y, y2 = pieces.y_ticks(data)
    days = [x for x in data.x if isinstance(x, dt.date)]
    room = 6 if SIZES_MM[data.size][0] < 120 else 11
    frame = pieces.plan(fig, style, data, y, y2, date_ticks(min(days), max(days), room), titled)
    pieces.draw_plot(frame, day_numbers)
    return frame
