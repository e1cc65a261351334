"""Snapshot stage: turn observation files (long or wide) into one checked series per catalog id."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from publisher.errors import ImplausibleValueError, SnapshotError, plain
from publisher.snapshot.files import read_table
from publisher.snapshot.model import SeriesSpec

LONG_COLUMNS = ("series", "date", "value")
DATE_HEADERS = ("date", "日期", "指标名称")
# No desk figure reaches 10^15 (piece counts run to nine digits): beyond it is a paste slip,
# and the printed figure's exact decimal rounding needs the digits to stay bounded.
MAX_MAGNITUDE = 1e15
# Row labels of the metadata block a WIND (EDB) export puts above its dates.
WIND_LABELS = ("指标名称", "频率", "单位", "指标ID", "指标代码", "来源", "数据来源", "更新时间")
WIND_HEADER_ROWS = 10  # how far down such a block can reach
# Whole day numbers where a date belongs: Excel's serial dates (45804 is 2025-05-27) when the
# column is formatted as numbers; 20000–80000 spans 1954–2119.
EXCEL_SERIAL = re.compile(r"([2-7]\d{4})(?:\.0+)?")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def load_observations(
    paths: Iterable[Path], catalog: Mapping[str, SeriesSpec], as_of: dt.date
) -> dict[str, pd.Series]:
    """All observations, one float series per catalog id (empty where a file gives none)."""
    found: dict[str, pd.Series] = {}
    origin: dict[str, Path] = {}
    for path in paths:
        for series, values in _series_in(path, catalog, as_of).items():
            if series in found:
                raise SnapshotError(
                    path,
                    f"series '{series}' is also in {origin[series]}",
                    "give each series in one observations file only",
                )
            found[series], origin[series] = values, path
    empty = pd.Series(dtype=float, index=pd.DatetimeIndex([], name="date"))
    return {series: found.get(series, empty) for series in catalog}


def _series_in(
    path: Path, catalog: Mapping[str, SeriesSpec], as_of: dt.date
) -> dict[str, pd.Series]:
    long = _as_long(path, read_table(path))
    unknown = sorted(set(long["series"].unique()) - set(catalog))
    if unknown:
        raise SnapshotError(
            path,
            f"series '{unknown[0]}' is not in the catalog"
            + (f" (nor {len(unknown) - 1} more)" if len(unknown) > 1 else ""),
            "add it to catalog.csv or remove it from the observations",
        )
    long["date"] = _dates(path, long)
    long["raw"] = _values(path, long)
    long["value"] = _in_display_units(long, catalog)
    _refuse_duplicates(path, long)
    _refuse_future(path, long, as_of)
    _refuse_implausible(path, catalog, long)
    return _split(long)


def _split(long: pd.DataFrame) -> dict[str, pd.Series]:
    """One date-sorted series per id: one sort, then slices (a groupby built them 3x slower)."""
    if long.empty:
        return {}
    long = long.sort_values(["series", "date"], kind="stable")
    keys = long["series"].to_numpy(dtype=str)
    dates = long["date"].to_numpy()
    values = long["value"].to_numpy(dtype=float)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = [*starts[1:], len(keys)]
    return {
        str(keys[a]): pd.Series(values[a:b], index=pd.DatetimeIndex(dates[a:b], name="date"))
        for a, b in zip(starts, ends, strict=True)
    }


def _as_long(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """Long files pass through; wide exports (dates down, a column per series) are melted."""
    columns = [c.strip() for c in table.columns]
    table.columns = columns
    lowered = [c.lower() for c in columns]
    if set(LONG_COLUMNS) <= set(lowered):
        table.columns = lowered
        long = table[list(LONG_COLUMNS)].copy()
        long["line"] = table.index + 2
    else:
        if not columns or columns[0].lower() not in DATE_HEADERS:
            raise SnapshotError(
                path,
                f"first column is '{columns[0] if columns else ''}', not dates",
                "use columns series,date,value or a wide sheet whose first column is 'date'",
            )
        _refuse_export_header(path, table)
        wide = table.rename(columns={columns[0]: "date"})
        wide["line"] = wide.index + 2
        long = wide.melt(id_vars=["date", "line"], var_name="series", value_name="value")
    long["series"] = long["series"].astype(str).str.strip()
    long["value"] = long["value"].astype(str).str.strip()
    return long[long["value"] != ""].reset_index(drop=True)


def _refuse_export_header(path: Path, wide: pd.DataFrame) -> None:
    """A WIND export's metadata rows (频率, 单位 …) under the header: name them, not a bad date."""
    first = wide.iloc[:WIND_HEADER_ROWS, 0].astype(str).str.strip()
    labels = [text for text in first if text in WIND_LABELS]
    if labels:
        line = int(first[first.isin(labels)].index[0]) + 2
        raise SnapshotError(
            f"{path}, row {line}",
            "the first rows look like a WIND export header "
            f"({', '.join(repr(label) for label in labels)}), not dates",
            "remove them: keep one header row (date, then the series ids) above the dates",
        )


def _dates(path: Path, long: pd.DataFrame) -> pd.Series:
    text = long["date"].astype(str).str.strip()
    # A wide file repeats each date once per series: parse each distinct text once.
    codes, distinct = pd.factorize(text)
    parsed = pd.to_datetime(
        pd.Series(distinct).str.replace("/", "-", regex=False),
        format="mixed",
        errors="coerce",
        yearfirst=True,
    )
    dates = pd.Series(parsed.to_numpy()[codes], index=long.index)
    bad = dates.isna()
    if bad.any():
        row = long[bad].iloc[0]
        serial = EXCEL_SERIAL.fullmatch(str(row["date"]).strip())
        if serial:
            day = EXCEL_EPOCH + dt.timedelta(days=int(serial[1]))
            raise SnapshotError(
                f"{path}, row {row['line']}",
                f"date '{row['date']}' is not a date: it looks like an Excel serial date "
                f"({serial[1]} is {day:%Y-%m-%d})",
                "format the column as dates in Excel (or write YYYY-MM-DD), then export again",
            )
        raise SnapshotError(
            f"{path}, row {row['line']}",
            f"date '{row['date']}' is not a date",
            "write dates as YYYY-MM-DD",
        )
    return pd.to_datetime(dates).dt.normalize()


def _values(path: Path, long: pd.DataFrame) -> pd.Series:
    values = pd.to_numeric(long["value"].str.replace(",", "", regex=False), errors="coerce")
    bad = values.isna() | ~values.abs().lt(float("inf"))
    if bad.any():
        row = long[bad].iloc[0]
        raise SnapshotError(
            f"{path}, row {row['line']}",
            f"series '{row['series']}' has the non-numeric value '{row['value']}' "
            f"on {row['date']:%Y-%m-%d}",
            "write a plain number, or leave the cell empty for no observation",
        )
    huge = values.abs() >= MAX_MAGNITUDE
    if huge.any():
        row = long[huge].iloc[0]
        raise ImplausibleValueError(
            f"{path}, row {row['line']}",
            f"series '{row['series']}' has the value '{row['value']}' on {row['date']:%Y-%m-%d}, "
            f"beyond any plausible figure (|value| ≥ {MAX_MAGNITUDE:g})",
            "check for a pasted id or a lost decimal point",
        )
    return values


def _in_display_units(long: pd.DataFrame, catalog: Mapping[str, SeriesSpec]) -> np.ndarray:
    """Values in the printed unit, converted once here: every later stage sees display units."""
    per = _per_row(long, {k: s.per for k, s in catalog.items()})
    return long["raw"].to_numpy(dtype=float) / per


def _per_row(long: pd.DataFrame, by_series: Mapping[str, float]) -> np.ndarray:
    """Each row's value of its series in `by_series`: looked up once a series, not once a row
    (mapping every row's id was a third of loading a snapshot)."""
    codes, ids = pd.factorize(long["series"])
    return np.array([by_series[i] for i in ids], dtype=float)[codes]


def _refuse_duplicates(path: Path, long: pd.DataFrame) -> None:
    twice = long.duplicated(["series", "date"], keep="first")
    if twice.any():
        row = long[twice].iloc[0]
        raise SnapshotError(
            f"{path}, row {row['line']}",
            f"series '{row['series']}' has {row['date']:%Y-%m-%d} twice",
            "keep one observation per series and date",
        )


def _refuse_future(path: Path, long: pd.DataFrame, as_of: dt.date) -> None:
    late = long["date"] > pd.Timestamp(as_of)
    if late.any():
        row = long[late].iloc[0]
        raise SnapshotError(
            f"{path}, row {row['line']}",
            f"series '{row['series']}' has a value dated {row['date']:%Y-%m-%d}, "
            f"after the as-of date {as_of}",
            "remove observations after as_of, or correct as_of in snapshot.toml",
        )


def _refuse_implausible(path: Path, catalog: Mapping[str, SeriesSpec], long: pd.DataFrame) -> None:
    """Refuse the earliest value outside its series' catalog range (series in id order)."""
    if long.empty:
        return
    lo = _per_row(long, {k: -math.inf if s.lo is None else s.lo for k, s in catalog.items()})
    hi = _per_row(long, {k: math.inf if s.hi is None else s.hi for k, s in catalog.items()})
    value = long["value"].to_numpy(dtype=float)
    outside = long[(value < lo) | (value > hi)]
    if outside.empty:
        return
    row = outside.sort_values(["series", "date"]).iloc[0]
    spec = catalog[row["series"]]
    at = long.index.get_loc(row.name)
    # Said in the stored unit, as the file holds the value and the catalog the range.
    low, high = spec.as_stored(lo[at]), spec.as_stored(hi[at])
    raise ImplausibleValueError(
        path,
        f"series '{spec.id}' ({spec.name}) is {plain(row['raw'])} {spec.stored} on "
        f"{row['date']:%Y-%m-%d}, outside its plausible range {plain(low)}–{plain(high)} "
        f"{spec.stored}",
        "check the unit (吨 vs 万吨?) or widen min/max in catalog.csv",
    )
