"""Charts stage: turn a catalog series reference into observations, with unit and sources."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from publisher.charts.catalog import ChartSpec, SeriesRef
from publisher.errors import LayoutError
from publisher.metrics import derive
from publisher.snapshot.model import FREQUENCIES, Snapshot

# Farther apart than this, two observations of a series are not joined: the line breaks.
# Daily prices pause ~10 days over the Spring Festival; weekly data skip a holiday week.
MAX_GAP: dict[str, dt.timedelta] = {
    "daily": dt.timedelta(days=20),
    "weekly": dt.timedelta(days=24),
    "monthly": dt.timedelta(days=45),
}
SOURCE_SPLIT = re.compile(r"\s*[,，、;；]\s*")
UNIX_DAY = dt.date(1970, 1, 1).toordinal()

# One date object per calendar day, shared by every chart a process makes: chart data is
# pickled to the drawing and deck workers, and pickle writes a date it has written already
# as a back-reference but a new object in full. A report's ~50,000 x values pickled in
# ~60 ms as new objects, in ~3 ms shared. (Bounded: a few thousand days.)
_DAYS: dict[int, dt.date] = {}


@dataclass(frozen=True)
class Resolved:
    """A series reference made concrete: observations plus what is needed to print them."""

    key: str
    name: str
    values: pd.Series  # float, DatetimeIndex, oldest first
    unit: str
    decimals: int
    frequency: str
    ids: tuple[str, ...]
    thousands: bool = False  # the report's one number rule (the brand's), for its labels


def resolve(chart: ChartSpec, ref: SeriesRef, snapshot: Snapshot) -> Resolved:
    """The observations a reference stands for: a catalog series, a basis, a spread or a sum."""
    specs = [snapshot.spec(i) for i in ref.inputs]
    frames = [snapshot.series(i).astype(float) for i in ref.inputs]
    decimals = max(s.decimals for s in specs)
    if ref.op == "series":
        values, unit, name = frames[0], specs[0].unit, specs[0].name
    elif ref.op == "basis":  # in the contract's unit, so printed with the contract's digits
        values = derive.basis(frames[0], frames[1], ref.scale)
        unit, name, decimals = specs[1].unit, f"{specs[1].name}基差", specs[1].decimals
    elif ref.op == "spread":
        values = derive.spread(frames[0], frames[1])
        unit, name = specs[0].unit, f"{specs[0].name}-{specs[1].name}"
    else:
        units = {s.unit for s in specs}
        if len(units) > 1:
            raise LayoutError(
                chart.path,
                f"chart '{chart.id}' sums series '{ref.key}' with different units "
                f"({', '.join(sorted(units))})",
                "sum only series in one unit",
            )
        values, unit, name = sum(derive.aligned(*frames)), specs[0].unit, "合计"
    return Resolved(
        key=ref.key,
        name=ref.label or name,
        values=values.dropna().sort_index(),
        unit=unit,
        decimals=decimals,
        frequency=max((s.frequency for s in specs), key=FREQUENCIES.index),
        ids=ref.inputs,
        thousands=snapshot.brand.thousands,
    )


def sources(chart: ChartSpec, snapshot: Snapshot) -> tuple[str, ...]:
    """Data sources of a chart's series for its 数据来源 line, once each, in catalog order."""
    names = (
        name
        for series_id in chart.series_ids
        for name in SOURCE_SPLIT.split(snapshot.spec(series_id).source)
        if name
    )
    return tuple(dict.fromkeys(names))


def window_start(chart: ChartSpec, as_of: dt.date, default_years: float) -> dt.date:
    """First date a time chart shows: its `start`, else `years` before the as-of date."""
    start = chart.option("start")
    if isinstance(start, dt.date):
        return start
    months = round(float(chart.option("years", default_years)) * 12)
    return (pd.Timestamp(as_of) - pd.DateOffset(months=months)).date()


def since(values: pd.Series, start: dt.date) -> pd.Series:
    return values[values.index >= pd.Timestamp(start)]


def calendar_days(index: pd.Index) -> list[dt.date]:
    """The calendar day of each timestamp of `index` (a DatetimeIndex), as shared dates."""
    numbers = pd.DatetimeIndex(index).to_numpy().astype("datetime64[D]").astype(np.int64)
    return [_DAYS.get(n) or _day(n) for n in numbers.tolist()]


def _day(number: int) -> dt.date:
    return _DAYS.setdefault(number, dt.date.fromordinal(UNIX_DAY + number))


def with_breaks(
    values: pd.Series, frequency: str
) -> tuple[tuple[dt.date, ...], tuple[float | None, ...]]:
    """Points of a line, with a None after any observation the next one is too far from,
    so a missing stretch (a year without data) shows as a gap, not a straight line."""
    # whole arrays, not a pandas item a point: a catalog's lines run to ~36,000 points
    xs = calendar_days(values.index)
    ys: list[float | None] = [plain(v) for v in values.to_numpy(dtype=float).tolist()]
    days = np.array([x.toordinal() for x in xs], dtype=np.int64)
    after = np.flatnonzero(np.diff(days) > MAX_GAP[frequency].days)
    for n in reversed(after.tolist()):  # from the end: the earlier positions stay put
        xs.insert(n + 1, xs[n] + dt.timedelta(days=1))
        ys.insert(n + 1, None)
    return tuple(xs), tuple(ys)


def plain(value: object) -> float | None:
    """A Python float for a drawn value, None for a missing one (NaN never leaves this stage)."""
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None
