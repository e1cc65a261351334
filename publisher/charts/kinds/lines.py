"""Charts stage: time-series lines on a date axis, on one or two value axes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from publisher.charts import draw as pieces
from publisher.charts import style as house
from publisher.charts.data import ChartData, XValue
from publisher.charts.geometry import DateAxis, add_months
from publisher.charts.style import Style, Ticks

EPOCH_ORDINAL = house.EPOCH.toordinal()


def day_numbers(days: Sequence[XValue]) -> np.ndarray:
    """Dates as days since the epoch, from their ordinals: date2num one by one was a hot
    spot, and numpy's conversion of dates to datetime64 still took ~1 ms a daily series."""
    return np.array([day.toordinal() - EPOCH_ORDINAL for day in days], dtype=float)  # type: ignore[union-attr]


def draw(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    return on_dates(fig, data, style, titled)


def on_dates(fig: Figure, data: ChartData, style: Style, titled: bool) -> pieces.Frame:
    """Any chart whose x is calendar dates: lines, bars, stacks; labels the last values."""
    y, y2 = pieces.y_ticks(data)
    dates = pieces.planned(data).dates
    assert dates is not None, "a date chart's geometry has a date axis"
    frame = pieces.plan(fig, style, data, y, y2, date_ticks(dates), titled)
    pieces.draw_plot(frame, day_numbers)
    return frame


def date_ticks(axis: DateAxis) -> Ticks:
    """The planned date axis as this drawing's ticks: each label under its tick, a minor mark
    at every month (or week) between."""
    minor: list[dt.date] = []
    if axis.unit == "months" and axis.step > 1:
        minor = [m for m in month_starts(axis.first, axis.end) if m not in axis.ticks]
    positions = tuple(house.day_number(t) for t in axis.ticks)
    return Ticks(
        positions,
        axis.labels,
        house.day_number(axis.first),
        house.day_number(axis.end),
        minor=tuple(house.day_number(m) for m in minor),
    )


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(dt.date(first.year, first.month, 1), k) for k in range(months + 1)]
