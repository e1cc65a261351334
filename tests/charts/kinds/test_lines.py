"""Date charts: dates as plot numbers."""

from __future__ import annotations

import datetime as dt

import numpy as np

from publisher.charts.geometry import EPOCH
from publisher.charts.kinds.lines import day_numbers


def it_numbers_days_as_datetime64_does() -> None:
    days = [EPOCH + dt.timedelta(days=n) for n in range(-800, 3000, 7)]
    days += [dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2024, 3, 1), EPOCH]
    expected = (np.array(days, dtype="datetime64[D]") - np.datetime64(EPOCH, "D")).astype(float)
    np.testing.assert_array_equal(day_numbers(days), expected)
    assert day_numbers([EPOCH])[0] == 0.0 and day_numbers(()).shape == (0,)
