"""Snapshot stage: read a report layout (layouts/<id>.toml) and check it against the catalog."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Any

import jinja2

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
class CategorySpec:
    """One category of an overview table (`[[tables.sections]]`): its name and rows."""

    category: str
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    product: str
    sections: tuple[CategorySpec, ...]


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
class ReportSpec:
    """`[report]`: report-wide settings."""

    title: str | None = None  # None: the snapshot's title
    products: tuple[str, ...] = ()  # empty: every product of the snapshot
    charts: str | None = None  # the chart catalog, relative to the layouts folder
    source_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeckSpec:
    """`[deck]`: how the deck sets its text for a screen."""

    body_pt: float = 16.0  # body text; titles, tables and chart text have their own floors


@dataclass(frozen=True)
class SectionSpec:
    """One `[[sections]]` entry: what the report prints there, in reading order."""

    number: int  # 1-based, as messages name it
    kind: str
    title: str | None = None  # None: the kind's own title; may print figures ({{ f.<id> }})
    new_page: bool = True
    product: str = ""  # view
    products: tuple[str, ...] = ()  # cover, summary
    key_figures: bool = False  # cover (default on), summary: range calls and verdicts
    table: str = ""  # table
    group: str | None = None  # charts: a catalog group ...
    charts: tuple[str, ...] = ()  # ... or chart ids
    columns: int = 2  # charts: per row in print


@dataclass(frozen=True)
class LayoutSpec:
    id: str
    path: Path
    doc: Mapping[str, Any]  # the raw file, for checks that look for series ids anywhere
    tables: tuple[TableSpec, ...]
    views: tuple[ViewSpec, ...]
    report: ReportSpec = ReportSpec()
    sections: tuple[SectionSpec, ...] = ()
    deck: DeckSpec = DeckSpec()

    @property
    def templates_dir(self) -> Path:
        return self.path.parent / "templates"

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file a build reads for this layout: the layout, its views' templates, and
        the chart catalog when it places charts or names one."""
        files = [
            self.path,
            *(self.templates_dir / t for t in sorted({v.template for v in self.views})),
        ]
        charted = self.report.charts or any(s.kind == "charts" for s in self.sections)
        if charted and self.chart_catalog.is_file():
            files.append(self.chart_catalog)
        return tuple(files)

    @property
    def chart_catalog(self) -> Path:
        """The file `[report] charts` names, relative to the layouts folder, else
        charts/<layout id>.toml there."""
        return self.path.parent / (self.report.charts or f"charts/{self.id}.toml")


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
    _keys(path, "the layout", doc, ("report", "views", "tables", "sections", "deck"))
    tables = tuple(
        _table(path, _mapping(path, f"table {n}", t), catalog)
        for n, t in enumerate(_list(path, "tables", doc.get("tables", [])), start=1)
    )
    views = tuple(
        _view(path, product, _mapping(path, f"[views.{product}]", v), catalog)
        for product, v in _mapping(path, "[views]", doc.get("views", {})).items()
    )
    return LayoutSpec(
        id=layout_id,
        path=path,
        doc=doc,
        tables=tables,
        views=views,
        report=_report(path, _mapping(path, "[report]", doc.get("report", {}))),
        sections=tuple(
            _section(path, n, _mapping(path, f"section {n}", section))
            for n, section in enumerate(_list(path, "sections", doc.get("sections", [])), start=1)
        ),
        deck=_deck(path, _mapping(path, "[deck]", doc.get("deck", {}))),
    )


def placed_charts(section: SectionSpec, groups: Mapping[str, str], path: Path) -> list[str]:
    """Ids of the charts a charts section shows, in order, given every catalog chart's group
    by id (in catalog order)."""
    if section.group is not None:
        ids = [chart for chart, group in groups.items() if group == section.group]
        if not ids:
            raise LayoutError(
                path,
                f"chart section names group '{section.group}', which no catalog chart belongs to",
                "fix the group name",
            )
        return ids
    missing = [c for c in section.charts if c not in groups]
    if missing:
        raise LayoutError(
            path,
            f"chart section names chart '{missing[0]}', not in the chart catalog",
            "add it to the catalog or fix the id",
        )
    return list(section.charts)


# --- what each table of the file may hold -------------------------------------------------------

DOCS = "see docs/layouts.md"
SECTION_KEYS: Mapping[str, tuple[str, ...]] = {
    "cover": ("products", "key_figures"),
    "view": ("product",),
    "summary": ("products", "key_figures"),
    "table": ("table",),
    "charts": ("group", "charts", "columns"),
}
COMMON_SECTION_KEYS = ("kind", "title", "new_page")
PAGE_FORMATS = ("A4",)  # the PDF's; the deck is always 16:9
# Body text a room can read from the back (16 pt) up to what still fits a summary slide.
DECK_BODY_PT = (16.0, 24.0)


def _keys(path: Path, where: str, doc: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse a key the code would not read: a misspelt one would silently do nothing."""
    unknown = [k for k in doc if k not in allowed]
    if unknown:
        raise LayoutError(
            path,
            f"{where} has unknown key '{unknown[0]}'",
            f"use {', '.join(allowed) or 'no keys'} ({DOCS})",
        )


def _mapping(path: Path, where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise LayoutError(
            path, f"{where} is {value!r}, not a table", f"write it as a table ({DOCS})"
        )
    return value


def _list(path: Path, where: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise LayoutError(path, f"{where} is {value!r}, not a list", f"write [[{where}]] entries")
    return value


def _typed(path: Path, where: str, value: Any, kind: type | UnionType, word: str) -> Any:
    # bool is an int to Python; a layout's `columns = true` is still a mistake
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise LayoutError(path, f"{where} is {value!r}", f"give {word}")
    return value


def _strings(path: Path, where: str, value: Any) -> tuple[str, ...]:
    items = _list(path, where, value)
    for item in items:
        _typed(path, where, item, str, "a list of strings")
    return tuple(items)


def _report(path: Path, doc: Mapping[str, Any]) -> ReportSpec:
    _keys(path, "[report]", doc, ("title", "page", "products", "charts", "source_order"))
    page = doc.get("page", PAGE_FORMATS[0])
    if not isinstance(page, str) or page not in PAGE_FORMATS:
        raise LayoutError(
            path, f"[report] page is {page!r}", f"use {', '.join(map(repr, PAGE_FORMATS))}"
        )
    return ReportSpec(
        title=_text(path, "[report]", doc, "title"),
        products=_strings(path, "[report] products", doc.get("products", [])),
        charts=_text(path, "[report]", doc, "charts"),
        source_order=_strings(path, "[report] source_order", doc.get("source_order", [])),
    )


def _deck(path: Path, doc: Mapping[str, Any]) -> DeckSpec:
    _keys(path, "[deck]", doc, ("body_pt",))
    low, high = DECK_BODY_PT
    body = _typed(path, "[deck] body_pt", doc.get("body_pt", low), int | float, "a number")
    if not low <= body <= high:
        raise LayoutError(
            path, f"[deck] body_pt is {body}", f"give {low:g} to {high:g} (points, for a screen)"
        )
    return DeckSpec(body_pt=float(body))


def _title(path: Path, where: str, doc: Mapping[str, Any]) -> str | None:
    """The section's title; a template's syntax is checked now, its figures when built."""
    title = _text(path, where, doc, "title")
    if title is not None:
        try:
            jinja2.Environment().parse(title)
        except jinja2.TemplateSyntaxError as exc:
            raise LayoutError(
                path,
                f"{where} title is not a valid template ({exc.message})",
                "write figures as {{ f.si_inv_social.text.current }}",
            ) from None
    return title


def _section(path: Path, number: int, doc: Mapping[str, Any]) -> SectionSpec:
    where = f"section {number}"
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in SECTION_KEYS:  # a list is no kind (nor hashable)
        raise LayoutError(
            path, f"{where} has kind {kind!r}", f"use one of {', '.join(SECTION_KEYS)}"
        )
    where = f"section {number} ({kind})"
    _keys(path, where, doc, COMMON_SECTION_KEYS + SECTION_KEYS[kind])
    for required in {"view": "product", "table": "table"}.get(kind, "").split():
        if required not in doc:
            raise LayoutError(path, f"{where} lacks '{required}'", DOCS)
    if kind == "charts" and ("group" in doc) == ("charts" in doc):
        raise LayoutError(
            path,
            f"{where} names {'both' if 'group' in doc else 'neither'} a group and chart ids",
            'give one: group = "工业硅库存" or charts = ["si_inv_ports", …]',
        )
    new_page = _typed(path, f"{where} new_page", doc.get("new_page", True), bool, "true or false")
    columns = _typed(path, f"{where} columns", doc.get("columns", 2), int, "a whole number")
    if not 1 <= columns <= 4:
        raise LayoutError(path, f"{where} columns is {columns}", "give 1 to 4 charts per row")
    key_figures = _typed(
        path, f"{where} key_figures", doc.get("key_figures", kind == "cover"), bool, "true or false"
    )
    charts = _strings(path, f"{where} charts", doc.get("charts", []))
    if "charts" in doc and not charts:
        raise LayoutError(path, f"{where} names no chart ids", 'e.g. charts = ["si_inv_ports"]')
    return SectionSpec(
        number=number,
        kind=kind,
        title=_title(path, where, doc),
        new_page=new_page,
        product=_text(path, where, doc, "product") or "",
        products=_strings(path, f"{where} products", doc.get("products", [])),
        key_figures=key_figures,
        table=_text(path, where, doc, "table") or "",
        group=_text(path, where, doc, "group"),
        charts=charts,
        columns=columns,
    )


def _text(path: Path, where: str, doc: Mapping[str, Any], key: str) -> str | None:
    """An optional key's text: None when absent, refused when empty or not a string."""
    if key not in doc:
        return None
    value = doc[key]
    if not isinstance(value, str) or not value.strip():
        raise LayoutError(path, f"{where} {key} is {value!r}", f"give {key} as non-empty text")
    return value


def _table(path: Path, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]) -> TableSpec:
    _keys(path, f"table '{doc.get('id', '?')}'", doc, ("id", "title", "product", "sections"))
    sections = []
    for section in _list(path, "tables.sections", doc.get("sections", [])):
        section = _mapping(path, "a [[tables.sections]] entry", section)
        _keys(path, f"category '{section.get('category', '?')}'", section, ("category", "rows"))
        rows = _list(path, "rows", section.get("rows", []))
        sections.append(
            CategorySpec(
                category=str(section.get("category", "")),
                rows=tuple(_row(path, row, catalog) for row in rows),
            )
        )
    return TableSpec(
        id=str(doc.get("id", "")),
        title=str(doc.get("title", "")),
        product=str(doc.get("product", "")),
        sections=tuple(sections),
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
    inputs = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()
    want = ARITY[kind]
    if not inputs or not all(isinstance(i, str) for i in inputs) or want not in (None, len(inputs)):
        raise LayoutError(
            path,
            f"{where}, series '{'/'.join(map(str, inputs))}': {kind} takes "
            f"{want or 'one or more'} series id(s)",
            f"e.g. {{ {kind} = {'[near, far]' if want == 2 else '[a, b, c]'} }}",
        )
    return kind, inputs


def _row(path: Path, doc: Any, catalog: Mapping[str, SeriesSpec]) -> RowSpec:
    if not isinstance(doc, dict):
        raise LayoutError(
            path,
            f"row {doc!r} is not an inline table",
            'write { series = "si_fut_07" } (or basis, spread, ma, net with an id)',
        )
    kind, inputs = operation(path, "row", doc, ROW_KINDS)
    where = f"row '{doc.get('id', doc.get('label', inputs[0]))}'"
    _keys(path, where, doc, (kind, "id", "label", "scale", "window"))
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
    scale = _typed(path, f"{where} scale", doc.get("scale", 1), int | float, "a number")
    window = _typed(path, f"{where} window", doc.get("window", 20), int, "a whole number")
    if window < 1:
        raise LayoutError(path, f"{where} window is {window}", "average over 1 or more days")
    label = doc.get("label")
    return RowSpec(
        key=str(key),
        kind=kind,
        inputs=inputs,
        label=_typed(path, f"{where} label", label, str, "a string") if label else None,
        scale=float(scale),
        window=window,
    )


def _view(
    path: Path, product: str, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]
) -> ViewSpec:
    fields = ("template", "main_contract", "ma", "long", "short")
    _keys(path, f"[views.{product}]", doc, fields)
    missing = [f for f in fields if f not in doc]
    if missing:
        raise LayoutError(path, f"[views.{product}] lacks {', '.join(missing)}", DOCS)
    values = {f: str(_text(path, f"[views.{product}]", doc, f)) for f in fields}
    for name in ("main_contract", "long", "short"):
        if values[name] not in catalog:
            raise LayoutError(
                path,
                f"[views.{product}].{name} names series '{values[name]}', which the catalog lacks",
                "fix the id",
            )
    return ViewSpec(product=product, **values)
