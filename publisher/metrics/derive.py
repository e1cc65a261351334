"""Metrics stage: the desk's derived quantities (basis, spreads, MAs, net positions, totals …)."""

from __future__ import annotations

import pandas as pd


def aligned(*series: pd.Series) -> list[pd.Series]:
    """Restrict series to the dates they all share, so a derived value never mixes days."""
    common = series[0].index
    for other in series[1:]:
        common = common.intersection(other.index)
    return [s.loc[common].sort_index() for s in series]


def basis(spot: pd.Series, futures: pd.Series, spot_scale: float = 1.0) -> pd.Series:
    """Spot minus futures; spot_scale converts e.g. 元/千克 spot to the contract's 元/吨."""
    spot, futures = aligned(spot, futures)
    return spot * spot_scale - futures


def spread(near: pd.Series, far: pd.Series) -> pd.Series:
    """Near minus far: calendar spreads (近月−连1) and grade spreads (421−553) alike."""
    near, far = aligned(near, far)
    return near - far


def moving_average(closes: pd.Series, window: int = 20) -> pd.Series:
    """MA over the last `window` observations; undefined until the window is full."""
    return closes.rolling(window, min_periods=window).mean().dropna()


def net_position(long: pd.Series, short: pd.Series) -> pd.Series:
    """Main holders' long minus short open interest: positive is net long."""
    long, short = aligned(long, short)
    return long - short


def total(*segments: pd.Series) -> pd.Series:
    """A total of segments (regions, ports, grades), on the dates every segment reports: a
    segment missing a date would otherwise drop out of that day's total unseen."""
    first, *rest = aligned(*segments)
    return sum(rest, first)


def ratio(numerator: pd.Series, denominator: pd.Series, factor: float = 1.0) -> pd.Series:
    """numerator / denominator × factor (100 for %), on shared dates; a zero denominator
    gives no value that day rather than an infinity."""
    numerator, denominator = aligned(numerator, denominator)
    quotient = numerator / denominator.where(denominator != 0)
    return (quotient * factor).dropna()


def converted(values: pd.Series, rate: pd.Series, factor: float = 1.0) -> pd.Series:
    """Values times the rate quoted on or last before each of their dates: a currency's
    market closes on other days than the commodity's, so shared dates alone would lose days."""
    rate = rate.sort_index()
    quoted = rate.reindex(rate.index.union(values.index)).ffill().reindex(values.index)
    return (values.sort_index() * quoted * factor).dropna()
