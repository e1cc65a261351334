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


def it_totals_segments_on_the_dates_every_segment_reports() -> None:
    yunnan = _s([1.5, 2.0, 2.5], start="2025-05-19")
    xinjiang = _s([10.0, 20.0], start="2025-05-20")
    assert derive.total(yunnan, xinjiang).tolist() == [2.0 + 10.0, 2.5 + 20.0]


def it_divides_on_shared_dates_and_skips_a_zero_denominator() -> None:
    ratio = derive.ratio(_s([30.0, 10.0, 9.0]), _s([120.0, 0.0, 36.0]), factor=100)
    assert ratio.tolist() == [25.0, 25.0]
    assert list(ratio.index) == list(_s([0.0, 0.0, 0.0]).index[[0, 2]])


def it_converts_each_value_at_the_rate_of_its_day_or_the_last_before_it() -> None:
    usd = _s([600.0, 612.0, 620.0], start="2025-05-20")  # Tue, Wed, Thu
    # no rate on Wednesday (a holiday in the currency's market); none before Tuesday either
    rate = pd.Series([7.2, 7.1], index=pd.to_datetime(["2025-05-20", "2025-05-22"]))
    assert derive.converted(usd, rate).tolist() == [600.0 * 7.2, 612.0 * 7.2, 620.0 * 7.1]
    late = pd.Series([7.0], index=pd.to_datetime(["2025-05-21"]))
    assert derive.converted(usd, late).tolist() == [612.0 * 7.0, 620.0 * 7.0]
