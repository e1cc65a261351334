"""Snapshot stage: read a report layout (layouts/<id>.toml) and check it against the catalog."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.assets import LAYOUTS_DIR
from publisher.errors import LayoutError
from publisher.snapshot.model import SeriesSpec

# How many series ids each derived quantity takes (None: one or more).
ARITY: Mapping[str, int | None] = {
    "series": 1,
    "basis": 2,
    "spread": 2,
    "ma": 1,
    "net": 2,
    "sum": None,
}
ROW_KINDS = ("series", "basis", "spread", "ma", "net")


@dataclass(frozen=True)
class RowSpec:
    """One overview row: a catalog series or a quantity derived from some."""

    key: str
    kind: str
    inputs: tuple[str, ...]
    label: str | None = None
    scale: float = 1.0  # basis: converts the spot's unit to the contract's
    window: int = 20  # ma: observations averaged


@dataclass(frozen=True)
class SectionSpec:
    category: str
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    product: str
    sections: tuple[SectionSpec, ...]


@dataclass(frozen=True)
class ViewSpec:
    """Where a product's daily view finds its template and the figures its signals read."""

    product: str
    template: str
    main_contract: str
    ma: str
    long: str
    short: str


@dataclass(frozen=True)
class LayoutSpec:
    id: str
    path: Path
    doc: Mapping[str, Any]  # the raw tables, for stages that read their own part
    tables: tuple[TableSpec, ...]
    views: tuple[ViewSpec, ...]

    @property
    def templates_dir(self) -> Path:
        return self.path.parent / "templates"


def load_layout(
    layout_id: str, catalog: Mapping[str, SeriesSpec], root: Path = LAYOUTS_DIR
) -> LayoutSpec:
    """The layout named by a snapshot, with every series it names checked against the catalog."""
    path = root / f"{layout_id}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in root.glob("*.toml"))) or "none"
        raise LayoutError(path, f"layout '{layout_id}' not found", f"use one of: {known}")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(path, f"not valid TOML ({exc})", "fix the syntax at that line") from None
    tables = tuple(_table(path, t, catalog) for t in doc.get("tables", []))
    views = tuple(_view(path, product, v, catalog) for product, v in doc.get("views", {}).items())
    return LayoutSpec(id=layout_id, path=path, doc=doc, tables=tables, views=views)


def _table(path: Path, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]) -> TableSpec:
    sections = tuple(
        SectionSpec(
            category=str(section.get("category", "")),
            rows=tuple(_row(path, row, catalog) for row in section.get("rows", [])),
        )
        for section in doc.get("sections", [])
    )
    return TableSpec(
        id=str(doc.get("id", "")),
        title=str(doc.get("title", "")),
        product=str(doc.get("product", "")),
        sections=sections,
    )


def operation(
    path: Path, where: str, doc: Mapping[str, Any], kinds: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    """The one quantity an entry names (`{ basis = [spot, futures] }`) and its series ids, as
    overview rows and chart series both write them."""
    named = [k for k in kinds if k in doc]
    if len(named) != 1:
        raise LayoutError(
            path,
            f"{where} has entry {dict(doc)} with {len(named)} of {', '.join(kinds)}",
            'give exactly one, e.g. { series = "si_fut_07" } or { basis = [spot, futures] }',
        )
    kind = named[0]
    value = doc[kind]
    inputs = (value,) if isinstance(value, str) else tuple(value)
    want = ARITY[kind]
    if not inputs or not all(isinstance(i, str) for i in inputs) or want not in (None, len(inputs)):
        raise LayoutError(
            path,
            f"{where}, series '{'/'.join(map(str, inputs))}': {kind} takes "
            f"{want or 'one or more'} series id(s)",
            f"e.g. {{ {kind} = {'[near, far]' if want == 2 else '[a, b, c]'} }}",
        )
    return kind, inputs


def _row(path: Path, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]) -> RowSpec:
    kind, inputs = operation(path, "row", doc, ROW_KINDS)
    for series in inputs:
        if series not in catalog:
            raise LayoutError(
                path,
                f"row '{doc.get('label', series)}' names series '{series}', "
                "which the snapshot's catalog lacks",
                "add it to the catalog or fix the id",
            )
    key = doc.get("id", inputs[0] if kind == "series" else None)
    if not key:
        raise LayoutError(
            path,
            f"derived row '{doc.get('label', '?')}' has no id",
            'give derived rows an id, e.g. id = "si_basis_07"',
        )
    return RowSpec(
        key=str(key),
        kind=kind,
        inputs=inputs,
        label=doc.get("label"),
        scale=float(doc.get("scale", 1.0)),
        window=int(doc.get("window", 20)),
    )


def _view(
    path: Path, product: str, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]
) -> ViewSpec:
    fields = ("template", "main_contract", "ma", "long", "short")
    missing = [f for f in fields if f not in doc]
    if missing:
        raise LayoutError(
            path, f"[views.{product}] lacks {', '.join(missing)}", "see layouts/README.md"
        )
    for name in ("main_contract", "long", "short"):
        if doc[name] not in catalog:
            raise LayoutError(
                path,
                f"[views.{product}].{name} names series '{doc[name]}', which the catalog lacks",
                "fix the id",
            )
    return ViewSpec(product=product, **{f: str(doc[f]) for f in fields})
