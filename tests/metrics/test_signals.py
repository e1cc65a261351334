"""Metrics stage: the 盘面 and 主力持仓 signals read the same figures the tables print."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from publisher.metrics.figures import Figure, figure
from publisher.metrics.narrative import positioning, price_action
from publisher.snapshot.model import SeriesSpec

AS_OF = dt.date(2025, 5, 27)
PRICE = SeriesSpec("p", "07合约", "元/吨", "daily", "WIND", "si", 0)
LOTS = SeriesSpec("l", "持仓", "手", "daily", "广期所", "si", 0)


def _fig(values: list[float], spec: SeriesSpec = PRICE) -> Figure:
    index = pd.bdate_range(end="2025-05-27", periods=len(values))
    return figure(spec.id, pd.Series(values, index=index, dtype=float), spec, AS_OF)


def it_reads_a_falling_ma20_with_the_close_below_it() -> None:
    signal = price_action(close=_fig([7610, 7440]), ma=_fig([7700, 7690]))
    assert (signal.ma_direction, signal.close_side) == ("向下", "下方")


def it_reads_a_rising_ma20_with_the_close_above_it() -> None:
    signal = price_action(close=_fig([7610, 7800]), ma=_fig([7600, 7650]))
    assert (signal.ma_direction, signal.close_side) == ("向上", "上方")


def it_calls_net_short_with_shrinking_shorts_short_decrease() -> None:
    signal = positioning(long=_fig([1000, 1100], LOTS), short=_fig([1500, 1400], LOTS))
    assert (signal.side, signal.move) == ("净空", "空减")


def it_calls_net_long_with_growing_longs_long_increase() -> None:
    signal = positioning(long=_fig([2000, 2100], LOTS), short=_fig([1500, 1400], LOTS))
    assert (signal.side, signal.move) == ("净多", "多增")
