"""Metrics stage: the overview tables and the keyed figures the narrative reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from publisher.errors import LayoutError
from publisher.metrics import derive
from publisher.metrics.figures import Figure, figure
from publisher.snapshot.layoutfile import LayoutSpec, RowSpec, TableSpec
from publisher.snapshot.model import Snapshot


@dataclass(frozen=True)
class OverviewSection:
    category: str
    rows: tuple[Figure, ...]


@dataclass(frozen=True)
class OverviewTable:
    """An overview table (行情概览): sections of figures, columns 现值 前值 涨跌 涨跌幅."""

    id: str
    title: str
    product: str
    sections: tuple[OverviewSection, ...]

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
            made = _row(snapshot, row)
            known = figures.get(row.key)
            if row.kind != "series" and known is not None and known != made:
                clash = "a catalog series" if row.key in snapshot.catalog else "another row"
                raise LayoutError(
                    layout.path,
                    f"id '{row.key}' of a {row.kind} row is already used by {clash}",
                    "give every derived row an id of its own",
                )
            figures[row.key] = made
            rows.append(made)
        sections.append(OverviewSection(section.category, tuple(rows)))
    return OverviewTable(spec.id, spec.title, spec.product, tuple(sections))


def _row(snapshot: Snapshot, row: RowSpec) -> Figure:
    inputs = [snapshot.series(s) for s in row.inputs]
    specs = [snapshot.spec(s) for s in row.inputs]
    values = _derived(row, inputs)
    # A derived quantity is in the unit of the contract (basis) or of its first input.
    unit_spec = specs[1] if row.kind == "basis" else specs[0]
    sources = tuple(dict.fromkeys(s.source for s in specs))
    return figure(
        row.key,
        values,
        unit_spec,
        snapshot.as_of,
        name=row.label or specs[0].name,
        sources=sources,
        series=row.inputs,
        thousands=snapshot.brand.thousands,
    )


def _derived(row: RowSpec, inputs: list[pd.Series]) -> pd.Series:
    if row.kind == "series":
        return inputs[0]
    if row.kind == "basis":
        return derive.basis(inputs[0], inputs[1], row.scale)
    if row.kind == "spread":
        return derive.spread(inputs[0], inputs[1])
    if row.kind == "ma":
        return derive.moving_average(inputs[0], row.window)
    return derive.net_position(inputs[0], inputs[1])
