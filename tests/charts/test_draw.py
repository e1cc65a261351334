"""Drawing pieces: the conversions every kind plots with."""

from __future__ import annotations

import math

import numpy as np

from publisher.charts.draw import values_of


def it_turns_gaps_into_nan() -> None:
    values = (1.5, None, -2.0, None, 3)
    converted = values_of(values)
    expected = np.array([math.nan if v is None else v for v in values], dtype=float)
    assert converted.dtype == np.float64
    np.testing.assert_array_equal(converted, expected)  # NaN where None, the rest as they were
    assert values_of(()).shape == (0,)
