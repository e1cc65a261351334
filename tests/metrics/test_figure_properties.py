"""Metrics stage, by property: a figure's printed digits, signs and words always agree."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.check import forbidden_tokens
from publisher.metrics import derive
from publisher.metrics import formatting as fmt
from publisher.metrics.figures import Figure, figure, year_ago
from publisher.snapshot.model import UNIT_DECIMALS, SeriesSpec

AS_OF = dt.date(2025, 5, 27)
PROPERTY = settings(max_examples=150, derandomize=True, deadline=None)

# Levels a desk prints (to 10^9, the loader refuses from 10^15), often repeated or zero.
levels = st.one_of(
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.integers(-20_000, 20_000).map(float),
    st.sampled_from([0.0, -0.0, 0.005, -0.005, 0.5, -0.5, 1e-9, float("nan")]),
)
specs = st.builds(
    SeriesSpec,
    id=st.just("x"),
    name=st.just("指标"),
    unit=st.sampled_from(sorted(UNIT_DECIMALS)),
    frequency=st.sampled_from(["daily", "weekly", "monthly"]),
    source=st.just("WIND"),
    product=st.just("si"),
    decimals=st.integers(0, 4),
)


def _series(values: list[float]) -> pd.Series:
    dates = pd.bdate_range(end=AS_OF, periods=len(values), name="date")
    return pd.Series(values, index=dates, dtype=float)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _printed(made: Figure) -> tuple[str, ...]:
    text = made.text
    return (text.current, text.previous, text.change, text.pct, made.trend(), made.direction)


@PROPERTY
@given(values=st.lists(levels, max_size=30), spec=specs)
def it_never_prints_a_missing_value_word(values: list[float], spec: SeriesSpec) -> None:
    made = figure("x", _series(values), spec, AS_OF)
    for text in _printed(made):
        assert forbidden_tokens(text) == (), text


@PROPERTY
@given(values=st.lists(levels, max_size=30), spec=specs)
def it_prints_a_change_equal_to_current_minus_previous(
    values: list[float], spec: SeriesSpec
) -> None:
    text = figure("x", _series(values), spec, AS_OF).text
    if fmt.DASH in (text.current, text.previous):
        assert text.change == fmt.DASH
    else:
        assert _decimal(text.current) - _decimal(text.previous) == _decimal(text.change)


@PROPERTY
@given(values=st.lists(levels, min_size=2, max_size=30), spec=specs)
def it_words_a_move_as_its_digits_show_it(values: list[float], spec: SeriesSpec) -> None:
    made = figure("x", _series(values), spec, AS_OF)
    if made.change is None:
        return
    zero = _decimal(made.text.change) == 0
    flat = zero or made.text.pct == "0.00%"  # a move too small for its % to show is 持平
    assert made.direction == ("持平" if flat else "增加" if made.change > 0 else "减少")
    assert made.trend() == "持平" if flat else made.trend().startswith(made.direction)
    assert made.text.change.startswith("+") == (not zero and made.change > 0)
    if made.pct is not None and made.pct != 0:
        assert math.copysign(1, made.pct) == math.copysign(1, made.change)


@PROPERTY
@given(
    spot=st.lists(levels, max_size=20),
    futures=st.lists(levels, max_size=20),
    scale=st.sampled_from([1.0, 1000.0]),
)
def it_derives_only_on_days_both_inputs_have(
    spot: list[float], futures: list[float], scale: float
) -> None:
    a, b = _series(spot).iloc[::2], _series(futures)
    for derived in (derive.basis(a, b, scale), derive.spread(a, b), derive.net_position(a, b)):
        assert set(derived.index) <= set(a.index) & set(b.index)
        assert derived.index.is_monotonic_increasing


def _year_ago_by_pandas(values: pd.Series, frequency: str) -> float | None:
    """year_ago as it was written with pandas' index arithmetic: the reference."""
    if values.empty:
        return None
    latest = values.index[-1]
    if frequency == "monthly":
        same = values[(values.index.year == latest.year - 1) & (values.index.month == latest.month)]
        return float(same.iloc[-1]) if len(same) else None
    if frequency == "weekly":
        distance = abs(values.index - (latest - pd.Timedelta(weeks=52)))
        nearest = distance.argmin()
        return float(values.iloc[nearest]) if distance[nearest] <= pd.Timedelta(days=3) else None
    target = latest - pd.DateOffset(years=1)
    window = values[(values.index <= target) & (values.index >= target - pd.Timedelta(days=7))]
    return float(window.iloc[-1]) if len(window) else None


# days before the latest, crowded where the answer turns: a year, 52 weeks, a week either side
days_back = st.lists(
    st.one_of(st.integers(0, 800), st.integers(355, 376)), min_size=0, max_size=40, unique=True
)


@PROPERTY
@given(days_back, st.sampled_from(["daily", "weekly", "monthly"]), st.sampled_from([0, 59, 60]))
def it_finds_the_year_ago_value_as_pandas_index_arithmetic_does(
    back: list[int], frequency: str, shift: int
) -> None:
    # shift 59/60 puts the latest day on 29 Feb 2024 or 1 Mar 2024: the leap-day edges
    end = dt.date(2024, 2, 29) + dt.timedelta(days=shift - 59)
    index = pd.DatetimeIndex(sorted({pd.Timestamp(end - dt.timedelta(days=d)) for d in back}))
    values = pd.Series([float(n) for n in range(len(index))], index=index)
    assert year_ago(values, frequency) == _year_ago_by_pandas(values, frequency)
