"""Metrics stage: current, previous, change and % change of every indicator, formatted once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from publisher.metrics import formatting as fmt
from publisher.snapshot.model import SeriesSpec

# How old a latest observation may be before the figure is marked stale, by frequency.
STALE_AFTER = {
    "daily": pd.offsets.BDay(3),
    "weekly": pd.Timedelta(days=10),
    "monthly": pd.Timedelta(days=45),
}
# 同比 of a daily figure: the value on the same date a year earlier, or the last one before it
# within a week (a holiday week closes the market for up to seven days).
YEAR_AGO_DAILY = pd.Timedelta(days=7)
# 同比 of a weekly figure: the observation nearest 52 weeks earlier, published within three
# days of that day (a week's figure may come out a day or two early or late).
YEAR_AGO_WEEKLY = pd.Timedelta(days=3)


@dataclass(frozen=True)
class FigureText:
    """The figure as printed: every stage that shows it uses these strings."""

    current: str
    previous: str
    change: str
    pct: str
    # The figure's date for prose, when it is not what the sentence implies: "（5月26日）",
    # "（4月10日，未更新）" when stale, "" for a daily figure of the report day or a weekly or
    # monthly one that is its frequency's latest (上周, 月度 say when).
    when: str = ""
    yoy: str = fmt.DASH  # 同比: +12.30%, "—" without a value a year earlier


@dataclass(frozen=True)
class Figure:
    """One indicator's last two observations and how it moved between them."""

    key: str
    name: str
    unit: str
    decimals: int
    frequency: str
    current: float | None
    previous: float | None
    change: float | None
    pct: float | None
    date: dt.date | None
    stale: bool
    sources: tuple[str, ...]
    series: tuple[str, ...]
    text: FigureText
    rank: float | None = None  # share of its own history below the current value, 0–1
    yoy: float | None = None  # 同比, %: against the value a year before the current one

    @property
    def standing(self) -> str:
        """低位 / 中位 / 高位: where the current value sits in its own history."""
        if self.rank is None:
            return ""
        return "低位" if self.rank < 1 / 3 else "高位" if self.rank > 2 / 3 else "中位"

    @property
    def label(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    @property
    def direction(self) -> str:
        """增加 / 减少 / 持平, judged on the printed figures so words never contradict digits:
        a move whose % change prints as 0.00% is 持平, not 增加0.00%."""
        if self.change is None:
            return ""
        if self.text.change in ("0", fmt.number(0.0, self.decimals)):
            return "持平"
        if self.text.pct == fmt.percent(0.0):
            return "持平"
        return "增加" if self.change > 0 else "减少"

    def trend(self, up: str = "增加", down: str = "减少") -> str:
        """Prose for the move: 增加5.48%, 减少2.84%, 持平."""
        word = {"增加": up, "减少": down}.get(self.direction, self.direction)
        if word in ("", "持平") or self.pct is None:
            return word
        return word + fmt.magnitude(self.text.pct)


def pct_change(current: float | None, previous: float | None, change: float | None) -> float | None:
    """% change against |previous|, so its sign is the change's; none across or from zero."""
    if current is None or previous is None or change is None or previous == 0:
        return None
    if (current < 0 < previous) or (previous < 0 < current):
        return None
    return fmt.rounded(change / abs(previous) * 100, 2)


def figure(
    key: str,
    values: pd.Series,
    spec: SeriesSpec,
    as_of: dt.date,
    name: str | None = None,
    sources: tuple[str, ...] | None = None,
    series: tuple[str, ...] | None = None,
    thousands: bool = False,
) -> Figure:
    """The figure for `values`, taking unit, precision and frequency from `spec`, its digits
    grouped when the brand's `thousands` says so."""
    values = values.dropna()
    points = values.to_numpy(dtype=float)
    current = _value(points, -1, spec.decimals)
    previous = _value(points, -2, spec.decimals)
    change = (
        None
        if current is None or previous is None
        else fmt.rounded(current - previous, spec.decimals)
    )
    pct = pct_change(current, previous, change)
    yoy = year_on_year(current, year_ago(values, spec.frequency), spec.decimals)
    date = values.index[-1].date() if len(values) else None
    stale = is_stale(spec.frequency, date, as_of)
    return Figure(
        key=key,
        name=name or spec.name,
        unit=spec.unit,
        decimals=spec.decimals,
        frequency=spec.frequency,
        current=current,
        previous=previous,
        change=change,
        pct=pct,
        date=date,
        stale=stale,
        sources=sources or (spec.source,),
        series=series or (spec.id,),
        text=FigureText(
            current=fmt.number(current, spec.decimals, spec.unit, thousands=thousands),
            previous=fmt.number(previous, spec.decimals, spec.unit, thousands=thousands),
            change=fmt.change(change, spec.decimals, spec.unit, thousands=thousands),
            pct=fmt.percent(pct, thousands=thousands),
            when=_when(spec.frequency, date, as_of, stale),
            yoy=fmt.percent(yoy, thousands=thousands),
        ),
        rank=history_rank(points),
        yoy=yoy,
    )


def year_ago(values: pd.Series, frequency: str) -> float | None:
    """The observation a year before the latest one, by frequency: daily, the same date or
    the last before it within a week; weekly, the one nearest 52 weeks back within three
    days; monthly, the same month. None when the history has no such observation."""
    if values.empty:
        return None
    # on the index's datetime64 array: pandas' index arithmetic and masks, per figure, were a
    # third of computing the figures
    days = pd.DatetimeIndex(values.index).to_numpy(dtype="datetime64[ns]")
    points = values.to_numpy(dtype=float)
    latest = pd.Timestamp(days[-1])
    if frequency == "monthly":
        same = np.flatnonzero(
            days.astype("datetime64[M]")
            == np.datetime64(f"{latest.year - 1:04d}-{latest.month:02d}")
        )
        return float(points[same[-1]]) if len(same) else None
    if frequency == "weekly":
        target = (latest - pd.Timedelta(weeks=52)).to_datetime64()
        distance = np.abs(days - target)
        nearest = int(distance.argmin())
        return (
            float(points[nearest])
            if distance[nearest] <= YEAR_AGO_WEEKLY.to_timedelta64()
            else None
        )
    target = (latest - pd.DateOffset(years=1)).to_datetime64()  # 29 Feb a year on is 28 Feb
    window = np.flatnonzero((days <= target) & (days >= target - YEAR_AGO_DAILY.to_timedelta64()))
    return float(points[window[-1]]) if len(window) else None


def year_on_year(current: float | None, earlier: float | None, decimals: int) -> float | None:
    """同比 in %, on the printed numbers as 涨跌幅 is: none across or from zero."""
    if current is None or earlier is None:
        return None
    earlier = fmt.rounded(earlier, decimals)
    return pct_change(current, earlier, fmt.rounded(current - earlier, decimals))


def _when(frequency: str, date: dt.date | None, as_of: dt.date, stale: bool) -> str:
    """The date note prose prints beside the figure: only where a reader would assume another
    date (a daily figure is read as of the report day; any stale one as current)."""
    if date is None or not (stale or (frequency == "daily" and date != as_of)):
        return ""
    return fmt.date_note(date, as_of, stale)


def history_rank(points: np.ndarray) -> float | None:
    """Share of observations below the latest one; needs some history to mean anything."""
    if len(points) < 10:
        return None
    return float((points[:-1] < points[-1]).mean())


def is_stale(frequency: str, latest: dt.date | None, as_of: dt.date) -> bool:
    """True when the latest observation is older than its frequency allows."""
    if latest is None:
        return True
    return pd.Timestamp(latest) < pd.Timestamp(as_of) - STALE_AFTER[frequency]


def _value(points: np.ndarray, position: int, decimals: int) -> float | None:
    # Round at the source: the change is then the difference of the printed numbers.
    if len(points) < abs(position):
        return None
    return fmt.rounded(float(points[position]), decimals)
