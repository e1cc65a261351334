"""Metrics stage: basis, spreads, moving averages and net positions on tiny frames."""

from __future__ import annotations

import pandas as pd

from publisher.metrics import derive


def _s(values: list[float], start: str = "2025-05-20") -> pd.Series:
    return pd.Series(values, index=pd.bdate_range(start, periods=len(values)), dtype=float)


def it_takes_basis_as_spot_minus_futures() -> None:
    assert derive.basis(_s([8450, 8350]), _s([7580, 7415])).tolist() == [870, 935]


def it_scales_spot_quoted_per_kilogram_to_the_contracts_tonne() -> None:
    assert derive.basis(_s([36.5]), _s([35290]), spot_scale=1000).tolist() == [1210]


def it_aligns_dates_so_a_derived_value_never_mixes_days() -> None:
    spot = _s([1, 2, 3], start="2025-05-19")
    futures = _s([10, 20], start="2025-05-20")
    result = derive.spread(spot, futures)
    assert result.tolist() == [2 - 10, 3 - 20]


def it_takes_calendar_and_grade_spreads_as_near_minus_far() -> None:
    assert derive.spread(_s([7415]), _s([7440])).tolist() == [-25]
    assert derive.spread(_s([9250]), _s([8350])).tolist() == [900]


def it_leaves_the_moving_average_undefined_until_the_window_is_full() -> None:
    closes = _s([float(v) for v in range(1, 23)])
    ma = derive.moving_average(closes, 20)
    assert ma.tolist() == [10.5, 11.5, 12.5]


def it_nets_long_against_short() -> None:
    assert derive.net_position(_s([100, 120]), _s([150, 140])).tolist() == [-50, -20]
