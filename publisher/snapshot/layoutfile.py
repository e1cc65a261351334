"""Snapshot stage: find a report layout on the search path and check it against the catalog."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import UnionType
from typing import Any

import jinja2

from publisher.assets import LAYOUTS_DIR
from publisher.errors import LayoutError
from publisher.snapshot.load import SAFE_ID
from publisher.snapshot.model import SeriesSpec, Snapshot

ENV = "PUBLISHER_LAYOUTS"  # folders searched after --layouts, os.pathsep-separated

# How many series ids each derived quantity takes (None: one or more).
ARITY: Mapping[str, int | None] = {
    "series": 1,
    "basis": 2,
    "spread": 2,
    "ma": 1,
    "net": 2,
    "sum": None,
    "ratio": 2,
    "convert": 2,
}
ROW_KINDS = ("series", "basis", "spread", "ma", "net", "sum", "ratio", "convert")
# Keys a row of one kind takes besides its inputs, id, label, scale and window.
ROW_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "sum": ("decimals",),
    "ratio": ("unit", "decimals"),
    "convert": ("decimals",),
}
RATIO_UNITS = ("%", "倍")  # what a ratio of two series in one unit is printed as
MAX_DECIMALS = 6
# An input naming the product's main contract, which the snapshot gives ([products.<key>]
# main): the layout then reads the 09 contract once the 07 expires, with no edit.
MAIN = "main"
# Figure columns an overview table may print after 类别 and 指标, and those it prints unless
# it says (`columns`).
TABLE_COLUMNS = ("现值", "前值", "涨跌", "涨跌幅", "同比")
DEFAULT_COLUMNS = TABLE_COLUMNS[:4]


@dataclass(frozen=True)
class RowSpec:
    """One overview row: a catalog series or a quantity derived from some."""

    key: str
    kind: str
    inputs: tuple[str, ...]
    label: str | None = None  # may say {main} (2507) or {main_month} (07)
    scale: float = 1.0  # basis: converts the spot's unit to the contract's
    window: int = 20  # ma: observations averaged
    unit: str | None = None  # ratio of one unit: % (default) or 倍
    decimals: int | None = None  # sum, ratio, convert: None is the printed unit's default


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
    columns: tuple[str, ...] = DEFAULT_COLUMNS  # the figure columns, after 类别 and 指标


@dataclass(frozen=True)
class ViewSpec:
    """Where a product's daily view finds its template and the figures its signals read."""

    product: str
    template: str
    ma: str
    main_contract: str = MAIN  # a catalog series, or the snapshot's main contract
    long: str | None = None  # 主力持仓: both or neither; a desk without them prints none
    short: str | None = None

    @property
    def positions(self) -> tuple[str, str] | None:
        return (self.long, self.short) if self.long and self.short else None


@dataclass(frozen=True)
class ReportSpec:
    """`[report]`: report-wide settings."""

    title: str | None = None  # None: the snapshot's title
    products: tuple[str, ...] = ()  # empty: every product of the snapshot
    charts: str | None = None  # the chart catalog, relative to the layout's folder
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
    highlights: int = 0  # cover, summary: how many 今日要点 sentences (true: 5); 0 none
    table: str = ""  # table
    group: str | None = None  # charts: a catalog group ...
    charts: tuple[str, ...] = ()  # ... or chart ids
    columns: int = 2  # charts: per row in print


@dataclass(frozen=True)
class LayoutSearch:
    """The folders a layout id is looked up in, first match winning, each with what put it
    there (--layouts, PUBLISHER_LAYOUTS, bundled) for messages."""

    folders: tuple[Path, ...]
    origins: tuple[str, ...] = ()

    def find(self, relative: str, near: Path | None = None) -> Path | None:
        """The file `relative` names in `near` (a layout's own folder), else in the first
        folder of the search path that has it."""
        for folder in _unique((near, *self.folders) if near else self.folders):
            if (folder / relative).is_file():
                return folder / relative
        return None

    def described(self) -> str:
        origins = self.origins or ("",) * len(self.folders)
        return ", ".join(
            f"{folder} ({origin})" if origin else str(folder)
            for folder, origin in zip(self.folders, origins, strict=True)
        )

    def known(self) -> list[str]:
        """The layout ids the search path offers, sorted."""
        return sorted({p.stem for folder in self.folders for p in folder.glob("*.toml")})


def layout_search(given: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> LayoutSearch:
    """The folders given with --layouts, then those of PUBLISHER_LAYOUTS (os.pathsep-
    separated), then the bundled layouts. A folder named but not there is refused: a typo
    would otherwise only show as a layout not found."""
    listed = (env if env is not None else os.environ).get(ENV, "")
    from_env = [Path(entry) for entry in listed.split(os.pathsep) if entry]
    for folder in given:
        if not folder.is_dir():
            raise LayoutError(
                folder, "the --layouts folder is not there", "fix the path, or create the folder"
            )
    for folder in from_env:
        if not folder.is_dir():
            raise LayoutError(
                ENV,
                f"names {folder}, which is not a folder",
                f"fix or remove that entry (folders separated by '{os.pathsep}')",
            )
    folders = (*given, *from_env, LAYOUTS_DIR)
    origins = ("--layouts",) * len(given) + (ENV,) * len(from_env) + ("bundled",)
    return LayoutSearch(tuple(folders), origins)


def searched(layouts: Path | LayoutSearch | None) -> LayoutSearch:
    """The search a caller means: None the default one, a folder that folder alone (an
    archived revision's copy of its layout files)."""
    if layouts is None:
        return layout_search()
    if isinstance(layouts, Path):
        return LayoutSearch((layouts,))
    return layouts


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
    search: LayoutSearch = LayoutSearch(())  # looked in after the layout's own folder

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where the views' templates are looked up, in order: templates/ beside the layout,
        then in each folder of the search path."""
        return tuple(f / "templates" for f in _unique((self.path.parent, *self.search.folders)))

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file a build reads for this layout: the layout, its views' templates, and
        the chart catalog when it places charts or names one."""
        return tuple(path for _, path in self.stored)

    @property
    def stored(self) -> tuple[tuple[PurePosixPath, Path], ...]:
        """The files of `files`, each with the path a copy keeps it at so that the copy, as a
        layouts folder of its own, builds alike: <id>.toml, templates/<name>, and the chart
        catalog's path relative to the layout."""
        names = [f"templates/{t}" for t in sorted({v.template for v in self.views})]
        charted = self.report.charts or any(s.kind == "charts" for s in self.sections)
        if charted and self.chart_catalog.is_file():
            names.append(self._catalog_name)
        pairs = [(f"{self.id}.toml", self.path), *((n, self._found(n)) for n in names)]
        return tuple((PurePosixPath(name), path) for name, path in pairs)

    @property
    def chart_catalog(self) -> Path:
        """The file `[report] charts` names, else charts/<layout id>.toml: beside the layout,
        else in the first folder of the search path that has it."""
        return self._found(self._catalog_name)

    @property
    def _catalog_name(self) -> str:
        return self.report.charts or f"charts/{self.id}.toml"

    def _found(self, relative: str) -> Path:
        # Nowhere: the file beside the layout, which the error then names.
        return self.search.find(relative, self.path.parent) or self.path.parent / relative


def locate(name: str, search: LayoutSearch, base: Path) -> Path:
    """The layout file `name` means. With a '/' or ending in .toml it is a path relative to
    `base` (.toml may be left out); a bare file name not there, and any other name, is an
    id looked up on the search path."""
    if "/" in name or os.sep in name or name.endswith(".toml"):
        path = base / (name if name.endswith(".toml") else f"{name}.toml")
        if path.is_file():
            return path
        if Path(name).name != name:
            raise LayoutError(
                path,
                f"layout file not found (named as '{name}')",
                "fix the path: report.layout is relative to snapshot.toml, --layout to the "
                "current folder; or give a layout id (see docs/layouts.md)",
            )
        name = Path(name).stem
    found = search.find(f"{name}.toml")
    if found is None:
        raise LayoutError(
            f"layout '{name}'",
            f"not found in {search.described() or 'no folder'}",
            f"use one of: {', '.join(search.known()) or 'none'}; or save {name}.toml in one "
            f"of those folders, or add its folder with --layouts DIR or {ENV} "
            "(see docs/layouts.md)",
        )
    return found


def load_layout(
    layout_id: str,
    catalog: Mapping[str, SeriesSpec],
    root: Path | LayoutSearch | None = None,
    base: Path | None = None,
) -> LayoutSpec:
    """The layout `layout_id` names (an id on the search path `root`, or a path relative to
    `base`, by default the current folder), with every series it names checked against the
    catalog."""
    search = searched(root)
    path = locate(layout_id, search, base or Path.cwd())
    if not SAFE_ID.fullmatch(path.stem):
        raise LayoutError(
            path,
            f"the file name '{path.stem}' is not a layout id",
            "rename it: lowercase letters, digits, '-' and '_' (the id names the outputs)",
        )
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
        id=path.stem,
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
        search=search,
    )


def snapshot_layout(snapshot: Snapshot, layouts: Path | LayoutSearch | None = None) -> LayoutSpec:
    """The layout a snapshot names: an id on the search path, or a file relative to its
    snapshot.toml."""
    return load_layout(snapshot.layout, snapshot.catalog, layouts, snapshot.path.parent)


def stored_file(layouts: Path | LayoutSearch, layout_id: str, stored: str) -> Path | None:
    """The file a build of layout `layout_id` would read now for the copy kept at `stored`
    (a path of LayoutSpec.stored), the layout looked up by its id; None if there is none."""
    search = searched(layouts)
    layout = search.find(f"{layout_id}.toml")
    if layout is None or stored == f"{layout_id}.toml":
        return layout
    return search.find(stored, layout.parent)


def _unique(folders: Iterable[Path]) -> list[Path]:
    seen: set[str] = set()
    kept = []
    for folder in folders:
        key = os.path.abspath(folder)
        if key not in seen:
            seen.add(key)
            kept.append(folder)
    return kept


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
    "cover": ("products", "key_figures", "highlights"),
    "view": ("product",),
    "summary": ("products", "key_figures", "highlights"),
    "table": ("table",),
    "charts": ("group", "charts", "columns"),
}
COMMON_SECTION_KEYS = ("kind", "title", "new_page")
PAGE_FORMATS = ("A4",)  # the PDF's; the deck is always 16:9
# 今日要点: `highlights = true` prints this many; a number says how many, up to the most.
HIGHLIGHTS_DEFAULT, HIGHLIGHTS_MOST = 5, 10
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
        highlights=_highlights(path, where, doc.get("highlights", False)),
        table=_text(path, where, doc, "table") or "",
        group=_text(path, where, doc, "group"),
        charts=charts,
        columns=columns,
    )


def _highlights(path: Path, where: str, value: Any) -> int:
    """How many 今日要点 sentences a section prints: true is the default count, false none."""
    if isinstance(value, bool):
        return HIGHLIGHTS_DEFAULT if value else 0
    count = _typed(path, f"{where} highlights", value, int, "true, false or a whole number")
    if not 0 <= count <= HIGHLIGHTS_MOST:
        raise LayoutError(
            path, f"{where} highlights is {count}", f"give 0 to {HIGHLIGHTS_MOST} sentences"
        )
    return int(count)


def _text(path: Path, where: str, doc: Mapping[str, Any], key: str) -> str | None:
    """An optional key's text: None when absent, refused when empty or not a string."""
    if key not in doc:
        return None
    value = doc[key]
    if not isinstance(value, str) or not value.strip():
        raise LayoutError(path, f"{where} {key} is {value!r}", f"give {key} as non-empty text")
    return value


def _table(path: Path, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]) -> TableSpec:
    where = f"table '{doc.get('id', '?')}'"
    _keys(path, where, doc, ("id", "title", "product", "sections", "columns"))
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
        columns=_columns(path, where, doc.get("columns", list(DEFAULT_COLUMNS))),
    )


def _columns(path: Path, where: str, value: Any) -> tuple[str, ...]:
    """The figure columns a table prints, in order: some of 现值 前值 涨跌 涨跌幅 同比."""
    columns = _strings(path, f"{where} columns", value)
    wrong = [c for c in columns if c not in TABLE_COLUMNS]
    if wrong or not columns or len(set(columns)) != len(columns):
        raise LayoutError(
            path,
            f"{where} columns is {list(columns)!r}",
            f"list some of {', '.join(TABLE_COLUMNS)}, each once, e.g. "
            'columns = ["现值", "前值", "涨跌", "涨跌幅", "同比"]',
        )
    return columns


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
    _keys(path, where, doc, (kind, "id", "label", "scale", "window", *ROW_OPTIONS.get(kind, ())))
    for series in inputs:
        if series not in catalog and series != MAIN:
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
    if doc.get("id") == MAIN:
        raise LayoutError(
            path,
            f"{where} has the id '{MAIN}', which names the main contract",
            'give it an id of its own, e.g. id = "si_basis_main"',
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
        unit=_ratio_unit(path, where, doc.get("unit")),
        decimals=_decimals(path, where, doc.get("decimals")),
    )


def _ratio_unit(path: Path, where: str, unit: Any) -> str | None:
    if unit is not None and unit not in RATIO_UNITS:
        raise LayoutError(
            path,
            f"{where} unit is {unit!r}",
            f"give one of {', '.join(RATIO_UNITS)}; the unit of a ratio of two units is "
            "computed (元/吨 over GW is 元/吨/GW)",
        )
    return unit


def _decimals(path: Path, where: str, decimals: Any) -> int | None:
    if decimals is None:
        return None
    _typed(path, f"{where} decimals", decimals, int, "a whole number")
    if not 0 <= decimals <= MAX_DECIMALS:
        raise LayoutError(path, f"{where} decimals is {decimals}", f"give 0 to {MAX_DECIMALS}")
    return int(decimals)


def _view(
    path: Path, product: str, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]
) -> ViewSpec:
    where = f"[views.{product}]"
    _keys(path, where, doc, ("template", "main_contract", "ma", "long", "short"))
    missing = [f for f in ("template", "ma") if f not in doc]
    if missing:
        raise LayoutError(path, f"{where} lacks {', '.join(missing)}", DOCS)
    if ("long" in doc) != ("short" in doc):
        raise LayoutError(
            path,
            f"{where} names {'long' if 'long' in doc else 'short'} without "
            f"{'short' if 'long' in doc else 'long'}",
            "give both series of 主力持仓, or neither (the view then prints no positions)",
        )
    values = {f: str(_text(path, where, doc, f)) for f in doc}
    for name in (n for n in ("main_contract", "long", "short") if n in values):
        main = name == "main_contract" and values[name] == MAIN
        if values[name] not in catalog and not main:
            raise LayoutError(
                path,
                f"{where}.{name} names series '{values[name]}', which the catalog lacks",
                f'fix the id (main_contract = "{MAIN}" reads the snapshot\'s main contract)',
            )
    return ViewSpec(product=product, **values)
