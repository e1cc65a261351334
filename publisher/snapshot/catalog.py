"""Snapshot stage: parse the series catalog (what each series is, its unit and plausible range)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from publisher.errors import SnapshotError
from publisher.snapshot.files import read_table
from publisher.snapshot.model import DISPLAY_UNITS, FREQUENCIES, UNIT_DECIMALS, SeriesSpec
from publisher.snapshot.text import forbidden_tokens

REQUIRED = ("id", "name", "unit", "frequency", "source", "product")
PRINTED = ("name", "unit", "display", "source")  # columns the report prints on its pages
SERIES_ID = re.compile(r"[a-z0-9_]+")
MAX_DECIMALS = 6


def load_catalog(path: Path) -> dict[str, SeriesSpec]:
    """Every catalog row as a SeriesSpec, keyed by id."""
    table = read_table(path)
    table.columns = [c.strip().lower() for c in table.columns]
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise SnapshotError(
            path,
            f"missing column(s) {', '.join(missing)}",
            f"the header needs {', '.join(REQUIRED)}",
        )
    catalog: dict[str, SeriesSpec] = {}
    # plain dicts: a pandas row per series costs more than the rest of the catalog
    for index, row in enumerate(table.to_dict("records")):
        spec = _spec(path, index + 2, row)
        if spec.id in catalog:
            raise SnapshotError(
                f"{path}, row {index + 2}",
                f"series '{spec.id}' listed twice",
                "keep one row per series id",
            )
        catalog[spec.id] = spec
    return catalog


def _spec(path: Path, line: int, row: Mapping[Any, object]) -> SeriesSpec:
    where = f"{path}, row {line}"
    optional = ("display", "decimals", "min", "max")
    values = {c: str(row.get(c, "")).strip() for c in (*REQUIRED, *optional)}
    series = values["id"] or "?"
    for column in REQUIRED:
        if not values[column]:
            raise SnapshotError(
                where, f"series '{series}' has no {column}", f"fill in the {column} column"
            )
    _refuse_leaks(where, series, values)
    if not SERIES_ID.fullmatch(series):
        raise SnapshotError(
            where,
            f"series id '{series}' is not [a-z0-9_]",
            "use lowercase letters, digits and underscores",
        )
    if values["frequency"] not in FREQUENCIES:
        raise SnapshotError(
            where,
            f"series '{series}' has frequency '{values['frequency']}'",
            f"use one of {', '.join(FREQUENCIES)}",
        )
    unit = values["unit"]
    shown = values["display"] or unit
    per = _per(where, series, unit, shown)
    lo = _number(where, series, "min", values["min"])
    hi = _number(where, series, "max", values["max"])
    if lo is not None and hi is not None and lo > hi:
        raise SnapshotError(
            where,
            f"series '{series}' has min {values['min']} above max {values['max']}",
            "swap them",
        )
    return SeriesSpec(
        id=series,
        name=values["name"],
        unit=shown,
        frequency=values["frequency"],
        source=values["source"],
        product=values["product"],
        decimals=_integer(
            where, series, "decimals", values["decimals"], UNIT_DECIMALS.get(shown, 2)
        ),
        # min/max are written in the stored unit, beside it; divided like the values, so a
        # value on a bound stays on it (x / d ≤ y / d whenever x ≤ y)
        lo=None if lo is None else lo / per,
        hi=None if hi is None else hi / per,
        stored_unit=unit if shown != unit else None,
        per=per,
    )


def _refuse_leaks(where: str, series: str, values: dict[str, str]) -> None:
    """Printed columns are held to the compliance check's rule, as analyst text is."""
    for column in PRINTED:
        leaked = forbidden_tokens(values[column])
        if leaked:
            raise SnapshotError(
                where,
                f"series '{series}' has {column} '{values[column]}', and the compliance check "
                f"refuses '{leaked[0]}' on any page",
                f"write the {column} as the report should print it (a spreadsheet error or a "
                "missing-value word came with the export)",
            )


def _per(where: str, series: str, unit: str, shown: str) -> int:
    """Stored units in one display unit: 1 when the series prints as stored."""
    if shown == unit:
        return 1
    per = DISPLAY_UNITS.get((unit, shown))
    if per is None:
        same = [pair for pair in DISPLAY_UNITS if pair[0] == unit] or list(DISPLAY_UNITS)
        raise SnapshotError(
            where,
            f"series '{series}' is stored in {unit} but its display is {shown}, "
            "a conversion the publisher does not know",
            f"use one of {', '.join(f'{a}→{b}' for a, b in same)}, or leave display blank",
        )
    return per


def _integer(where: str, series: str, column: str, text: str, default: int) -> int:
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value.is_integer() or not 0 <= value <= MAX_DECIMALS:
        raise SnapshotError(
            where,
            f"series '{series}' has {column} '{text}'",
            f"write a whole number from 0 to {MAX_DECIMALS}",
        )
    return int(value)


def _number(where: str, series: str, column: str, text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # a NaN bound would pass every value unchecked
        raise SnapshotError(
            where, f"series '{series}' has {column} '{text}'", "write a number or leave it blank"
        )
    return value
