"""Metrics stage: the overview tables and the keyed figures the narrative reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from publisher.errors import LayoutError
from publisher.metrics import derive, units
from publisher.metrics.contracts import contract_label, contract_series
from publisher.metrics.figures import Figure, figure
from publisher.snapshot.layoutfile import DEFAULT_COLUMNS, MAIN, LayoutSpec, RowSpec, TableSpec
from publisher.snapshot.model import DEFAULT_DECIMALS, UNIT_DECIMALS, SeriesSpec, Snapshot


@dataclass(frozen=True)
class OverviewSection:
    category: str
    rows: tuple[Figure, ...]


@dataclass(frozen=True)
class OverviewTable:
    """An overview table (行情概览): sections of figures, and the figure columns it prints
    after 类别 and 指标 (现值 前值 涨跌 涨跌幅, and 同比 when the layout asks)."""

    id: str
    title: str
    product: str
    sections: tuple[OverviewSection, ...]
    columns: tuple[str, ...] = DEFAULT_COLUMNS

    @property
    def rows(self) -> tuple[Figure, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for row in self.rows for s in row.sources))


@dataclass(frozen=True)
class Metrics:
    """All figures of one report: tables for display, and every figure by key for prose."""

    tables: tuple[OverviewTable, ...]
    figures: Mapping[str, Figure]

    def table(self, table_id: str) -> OverviewTable:
        return next(t for t in self.tables if t.id == table_id)


def compute_metrics(snapshot: Snapshot, layout: LayoutSpec) -> Metrics:
    """Every catalog series' figure, then every table row (derived rows added by key)."""
    thousands = snapshot.brand.thousands
    figures: dict[str, Figure] = {
        key: figure(key, snapshot.series(key), spec, snapshot.as_of, thousands=thousands)
        for key, spec in snapshot.catalog.items()
    }
    tables = tuple(_table(snapshot, layout, spec, figures) for spec in layout.tables)
    return Metrics(tables=tables, figures=MappingProxyType(figures))


def _table(
    snapshot: Snapshot, layout: LayoutSpec, spec: TableSpec, figures: dict[str, Figure]
) -> OverviewTable:
    sections = []
    for section in spec.sections:
        rows = []
        for row in section.rows:
            made = _row(snapshot, spec.product, row, layout.path)
            known = figures.get(made.key)
            if row.kind != "series" and known is not None and known != made:
                clash = "a catalog series" if made.key in snapshot.catalog else "another row"
                raise LayoutError(
                    layout.path,
                    f"id '{made.key}' of a {row.kind} row is already used by {clash}",
                    "give every derived row an id of its own",
                )
            figures[made.key] = made
            rows.append(made)
        sections.append(OverviewSection(section.category, tuple(rows)))
    return OverviewTable(spec.id, spec.title, spec.product, tuple(sections), spec.columns)


def _row(snapshot: Snapshot, product: str, row: RowSpec, path: Path) -> Figure:
    """A row's figure; `main` reads the table's product's main contract, which the
    snapshot names, and a label's {main} prints its label."""
    where = f"row '{row.label or row.key}'"
    ids = tuple(contract_series(s, product, snapshot, path, where) for s in row.inputs)
    specs = [snapshot.spec(s) for s in ids]
    printed, factor = _printed(row, specs, path, where)
    values = _derived(row, [snapshot.series(s) for s in ids], factor)
    label = row.label and contract_label(row.label, product, snapshot, path, where)
    return figure(
        ids[0] if row.key == MAIN else row.key,  # a series row of the main contract
        values,
        printed,
        snapshot.as_of,
        name=label or specs[0].name,
        sources=tuple(dict.fromkeys(s.source for s in specs)),
        series=ids,
        thousands=snapshot.brand.thousands,
    )


def _printed(
    row: RowSpec, specs: Sequence[SeriesSpec], path: Path, where: str
) -> tuple[SeriesSpec, float]:
    """The unit, digits and frequency a row prints with, and the factor its values take for
    that unit: the contract's (basis), the unit a ratio or conversion works out to, else the
    first input's."""
    if row.kind == "basis":
        return specs[1], 1.0
    if row.kind == "sum":
        units_named = sorted({s.unit for s in specs})
        if len(units_named) > 1:
            raise LayoutError(
                path,
                f"{where} adds up series in {' and '.join(units_named)}",
                "sum segments printed in one unit (the catalog's display column converts)",
            )
        return _in(specs[0], specs[0].unit, row.decimals, max(s.decimals for s in specs)), 1.0
    if row.kind == "ratio":
        return _ratio(row, specs, path, where)
    if row.kind == "convert":
        made = units.multiplied(specs[0].unit, specs[1].unit)
        if made is None or made.unit is None:
            raise LayoutError(
                path,
                f"{where} converts {specs[0].unit} by a rate in {specs[1].unit}, which leaves "
                "no unit to print",
                "give the rate in the unit that cancels the value's: 美元/吨 × 元/美元 = 元/吨",
            )
        return _in(specs[0], made.unit, row.decimals), made.factor
    return specs[0], 1.0


def _ratio(
    row: RowSpec, specs: Sequence[SeriesSpec], path: Path, where: str
) -> tuple[SeriesSpec, float]:
    """a / b: a pure number when the units cancel (printed in %, or 倍 if the row says),
    else in the unit they leave: 万吨 over GW is 万吨/GW."""
    made = units.divided(specs[0].unit, specs[1].unit)
    if made is None:
        raise LayoutError(
            path,
            f"{where} divides {specs[0].unit} by {specs[1].unit}, which leaves no unit to print",
            "divide series of one unit, or units that name a rate (万吨 by GW)",
        )
    if made.unit is not None:
        if row.unit is not None:
            raise LayoutError(
                path,
                f"{where} asks for {row.unit}, but {specs[0].unit} over {specs[1].unit} is "
                f"in {made.unit}",
                "drop unit: it is for ratios of one unit (% or 倍)",
            )
        return _in(specs[0], made.unit, row.decimals), made.factor
    unit = row.unit or "%"
    return _in(specs[0], unit, row.decimals), made.factor * (100 if unit == "%" else 1)


def _in(
    spec: SeriesSpec, unit: str, decimals: int | None, fallback: int | None = None
) -> SeriesSpec:
    """The spec a derived row prints with: its own unit and digits, the input's frequency."""
    default = UNIT_DECIMALS.get(unit, DEFAULT_DECIMALS) if fallback is None else fallback
    digits = default if decimals is None else decimals
    return replace(spec, unit=unit, decimals=digits, stored_unit=None, per=1, lo=None, hi=None)


def _derived(row: RowSpec, inputs: list[pd.Series], factor: float) -> pd.Series:
    if row.kind == "series":
        return inputs[0]
    if row.kind == "basis":
        return derive.basis(inputs[0], inputs[1], row.scale)
    if row.kind == "spread":
        return derive.spread(inputs[0], inputs[1])
    if row.kind == "ma":
        return derive.moving_average(inputs[0], row.window)
    if row.kind == "sum":
        return derive.total(*inputs)
    if row.kind == "ratio":
        return derive.ratio(inputs[0], inputs[1], factor)
    if row.kind == "convert":
        return derive.converted(inputs[0], inputs[1], factor)
    return derive.net_position(inputs[0], inputs[1])
