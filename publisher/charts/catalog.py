"""Charts stage: read a chart catalog (layouts/charts/*.toml) into frozen chart specs."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from publisher.errors import LayoutError
from publisher.metrics.contracts import contract_label, contract_series
from publisher.snapshot.layoutfile import LayoutSearch, locate, operation, searched
from publisher.snapshot.model import SeriesSpec, Snapshot

KINDS: tuple[str, ...] = ("lines", "seasonal", "cost_profit", "stacked", "balance", "table")
SIZES: tuple[str, ...] = ("half", "full")
AXES: tuple[str, ...] = ("primary", "secondary")
DRAWS: tuple[str, ...] = ("line", "bar", "area")
# A series reference names one catalog series or a quantity derived from some.
OPS: tuple[str, ...] = ("series", "basis", "spread", "sum")
# Roles a series plays in the kinds that give series different jobs.
ROLES: Mapping[str, tuple[str, ...]] = {
    "lines": ("value",),
    "seasonal": ("value",),
    "cost_profit": ("cost", "profit"),
    "stacked": ("part", "total"),
    "balance": ("supply", "inflow", "outflow"),
    "table": ("value",),
}
# Options each kind understands; anything else in a chart table is a typo worth refusing.
OPTIONS: Mapping[str, frozenset[str]] = {
    "lines": frozenset({"years", "start", "zero_line"}),
    "seasonal": frozenset({"years", "average", "band", "average_years"}),
    "cost_profit": frozenset({"years", "start", "profit_draw"}),
    "stacked": frozenset({"years", "start", "total"}),
    "balance": frozenset({"periods", "balance"}),
    "table": frozenset({"periods"}),
}
CHART_KEYS = frozenset(
    {"id", "kind", "title", "group", "size", "unit", "unit2", "series", "product"}
)
REF_KEYS = frozenset({*OPS, "label", "axis", "draw", "role", "unit", "scale"})
CHART_ID = re.compile(r"[a-z0-9][a-z0-9_]*")


@dataclass(frozen=True)
class SeriesRef:
    """One drawn series as the catalog names it: inputs, how to combine them, how to show it."""

    op: str  # series | basis | spread | sum
    inputs: tuple[str, ...]
    label: str | None = None  # legend text; the catalog name when absent
    axis: str = "primary"
    draw: str | None = None  # line | bar; the kind decides when absent
    role: str = "value"
    unit: str | None = None  # the unit the chart expects; a different snapshot unit is refused
    scale: float = 1.0  # basis: converts the spot's unit to the contract's

    @property
    def key(self) -> str:
        """A stable id for the drawn series: the catalog id, or the op and its inputs."""
        return self.inputs[0] if self.op == "series" else f"{self.op}:{'-'.join(self.inputs)}"


@dataclass(frozen=True)
class ChartSpec:
    """One catalog chart: what kind it is, what it shows and under which title."""

    id: str
    kind: str
    title: str
    series: tuple[SeriesRef, ...]
    path: Path  # the catalog file, for error messages
    group: str = ""  # the report page heading it belongs under, e.g. 工业硅库存
    size: str = "half"
    unit: str | None = None  # primary axis unit the chart expects
    unit2: str | None = None  # secondary axis unit
    options: tuple[tuple[str, Any], ...] = ()
    product: str = ""  # whose main contract `main` and {main} mean (a snapshot product key)

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)

    @property
    def series_ids(self) -> tuple[str, ...]:
        """Every catalog series the chart reads, in catalog order, once each."""
        return tuple(dict.fromkeys(i for ref in self.series for i in ref.inputs))


@dataclass(frozen=True)
class ChartCatalog:
    """Every chart a report can place, in catalog order, looked up by id."""

    path: Path
    charts: tuple[ChartSpec, ...]

    def __iter__(self) -> Iterator[ChartSpec]:
        return iter(self.charts)

    def __len__(self) -> int:
        return len(self.charts)

    def __getitem__(self, chart_id: str) -> ChartSpec:
        for chart in self.charts:
            if chart.id == chart_id:
                return chart
        raise LayoutError(
            self.path,
            f"no chart '{chart_id}' in the chart catalog",
            f"use one of: {', '.join(c.id for c in self.charts)}",
        )

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.charts)


def load_catalog(path: Path | str) -> ChartCatalog:
    """Parse a chart catalog file; refuse anything malformed, naming the chart and series."""
    path = Path(path)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in path.parent.glob("*.toml"))) or "none"
        raise LayoutError(path, "chart catalog not found", f"use one of: {known}")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(path, f"not valid TOML ({exc})", "fix the syntax at that line") from None
    entries = doc.get("chart")
    if not isinstance(entries, list) or not entries:
        raise LayoutError(path, "no [[chart]] tables", "add one [[chart]] table per chart")
    charts = tuple(_chart(path, n, entry) for n, entry in enumerate(entries, start=1))
    seen: set[str] = set()
    for chart in charts:
        if chart.id in seen:
            raise LayoutError(
                path, f"chart '{chart.id}' listed twice", "give each chart its own id"
            )
        seen.add(chart.id)
    return ChartCatalog(path=path, charts=charts)


def catalog_path(
    layout: str, root: Path | LayoutSearch | None = None, base: Path | None = None
) -> Path:
    """The chart catalog of a report layout (an id on the search path `root`, or a path
    relative to `base`): the file its `[report] charts` names, else charts/<layout id>.toml,
    beside the layout, else in the first folder of the search path that has it."""
    search = searched(root)
    try:
        layout_file = locate(layout, search, base or Path.cwd())
    except LayoutError:  # no such layout: the catalog named like it (load_catalog says so)
        named = f"charts/{Path(layout).stem}.toml"
        return search.find(named) or search.folders[0] / named
    try:
        doc = tomllib.loads(layout_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(
            layout_file, f"not valid TOML ({exc})", "fix the syntax at that line"
        ) from None
    named = doc.get("report", {}).get("charts")
    if not isinstance(named, str):
        named = f"charts/{layout_file.stem}.toml"
    return search.find(named, layout_file.parent) or layout_file.parent / named


def check_catalog(catalog: ChartCatalog, series: Mapping[str, SeriesSpec]) -> None:
    """Refuse a chart naming a series the snapshot lacks, or one in a unit it does not expect
    (the reference printed tonnes under a 万吨 label; a chart must not)."""
    for chart in catalog:
        for ref in chart.series:
            for series_id in ref.inputs:
                if series_id not in series:
                    raise LayoutError(
                        catalog.path,
                        f"chart '{chart.id}' names series '{series_id}', "
                        "which the snapshot's catalog lacks",
                        "add the series to the snapshot's catalog.csv or fix the id",
                    )
            expected = ref.unit or (chart.unit2 if ref.axis == "secondary" else chart.unit)
            unit = series[ref.inputs[-1] if ref.op == "basis" else ref.inputs[0]].unit
            if expected and unit != expected:
                raise LayoutError(
                    catalog.path,
                    f"chart '{chart.id}' expects series '{ref.key}' in {expected}, "
                    f"but the snapshot gives it in {unit}",
                    "fix the unit in catalog.csv (or the values), or the chart's unit",
                )


def _chart(path: Path, number: int, doc: Any) -> ChartSpec:
    if not isinstance(doc, dict):
        raise LayoutError(path, f"chart #{number} is not a table", "write it as [[chart]]")
    chart_id = str(doc.get("id", f"#{number}"))
    where = f"chart '{chart_id}'"
    if not CHART_ID.fullmatch(chart_id):
        raise LayoutError(path, f"{where} has no valid id", 'e.g. id = "si_port_stock" ([a-z0-9_])')
    kind = doc.get("kind")
    if kind not in KINDS:
        raise LayoutError(path, f"{where} has kind {kind!r}", f"use one of: {', '.join(KINDS)}")
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        raise LayoutError(
            path, f"{where} has no title", 'add title = "…" (printed above the chart)'
        )
    unknown = sorted(set(doc) - CHART_KEYS - OPTIONS[kind])
    if unknown:
        raise LayoutError(
            path,
            f"{where} has unknown key '{unknown[0]}' for kind {kind}",
            f"{kind} charts take: {', '.join(sorted(OPTIONS[kind])) or 'no options'}",
        )
    size = doc.get("size", "full" if kind == "balance" else "half")
    if size not in SIZES:
        raise LayoutError(path, f"{where} has size {size!r}", f"use one of: {', '.join(SIZES)}")
    refs = doc.get("series")
    if not isinstance(refs, list) or not refs:
        raise LayoutError(path, f"{where} draws no series", 'add series = [{ series = "id" }, …]')
    series = tuple(_ref(path, where, kind, ref) for ref in refs)
    _check_roles(path, where, kind, series)
    options = tuple((key, doc[key]) for key in sorted(OPTIONS[kind] & set(doc)))
    for key, value in options:
        _check_option(path, where, key, value)
    spec = ChartSpec(
        id=chart_id,
        kind=kind,
        title=title.strip(),
        series=series,
        path=path,
        group=str(doc.get("group", "")),
        size=size,
        unit=doc.get("unit"),
        unit2=doc.get("unit2"),
        options=options,
        product=_product(path, where, doc.get("product", "")),
    )
    _check_axes(spec)
    return spec


def _product(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise LayoutError(path, f"{where} has product {value!r}", 'e.g. product = "si"')
    return value


def with_contracts(catalog: ChartCatalog, snapshot: Snapshot) -> ChartCatalog:
    """The catalog as this snapshot reads it: `main` is the chart product's main contract and
    {main} / {main_month} in titles and labels print its label, so a chart rolls with the
    contract and its layout needs no edit after expiry."""
    return replace(catalog, charts=tuple(rolled(chart, snapshot) for chart in catalog))


def rolled(chart: ChartSpec, snapshot: Snapshot) -> ChartSpec:
    """One chart as the snapshot reads it (see with_contracts); a rolled chart is unchanged."""
    where = f"chart '{chart.id}'"

    def label(text: str) -> str:
        return contract_label(text, chart.product, snapshot, chart.path, where)

    series = tuple(
        replace(
            ref,
            inputs=tuple(
                contract_series(i, chart.product, snapshot, chart.path, where) for i in ref.inputs
            ),
            label=label(ref.label) if ref.label else ref.label,
        )
        for ref in chart.series
    )
    return replace(chart, title=label(chart.title), series=series)


def _check_axes(chart: ChartSpec) -> None:
    """Two axes in one unit make a reader compare heights that mean different things: refused,
    unless the chart draws one axis as bars or an area in a panel under the other's lines
    (profit under cost, a basis under prices)."""
    if not chart.unit or chart.unit != chart.unit2:
        return
    draws = {
        axis: {_drawn_as(chart, ref) for ref in chart.series if _axis_of(chart, ref) == axis}
        for axis in AXES
    }
    panel = {"line"} in draws.values() and any(d and d <= {"bar", "area"} for d in draws.values())
    if not panel:
        raise LayoutError(
            chart.path,
            f"chart '{chart.id}' puts series in {chart.unit} on two axes",
            "use one axis, or another chart for the series of another magnitude "
            '(or draw = "area"/"bar" for a basis or spread under prices)',
        )


def _axis_of(chart: ChartSpec, ref: SeriesRef) -> str:
    if chart.kind == "cost_profit":
        return "secondary" if ref.role == "cost" else "primary"
    return ref.axis or "primary"


def _drawn_as(chart: ChartSpec, ref: SeriesRef) -> str:
    if chart.kind == "cost_profit":
        return "line" if ref.role == "cost" else str(chart.option("profit_draw", "area"))
    return ref.draw or "line"


def _ref(path: Path, where: str, kind: str, doc: Any) -> SeriesRef:
    if isinstance(doc, str):
        doc = {"series": doc}
    if not isinstance(doc, dict):
        raise LayoutError(path, f"{where} has series entry {doc!r}", 'write { series = "id" }')
    op, inputs = operation(path, where, doc, OPS)
    name = "/".join(inputs)
    unknown = sorted(set(doc) - REF_KEYS)
    if unknown:
        raise LayoutError(
            path,
            f"{where}, series '{name}' has unknown key '{unknown[0]}'",
            f"series entries take: {', '.join(sorted(REF_KEYS))}",
        )
    role = doc.get("role", ROLES[kind][0])
    checks = (("axis", AXES, doc.get("axis", "primary")), ("role", ROLES[kind], role))
    for field, allowed, value in checks:
        if value not in allowed:
            raise LayoutError(
                path,
                f"{where}, series '{name}' has {field} {value!r}",
                f"use one of: {', '.join(allowed)}",
            )
    draw = doc.get("draw")
    if draw is not None and draw not in DRAWS:
        raise LayoutError(
            path, f"{where}, series '{name}' has draw {draw!r}", f"use one of: {', '.join(DRAWS)}"
        )
    return SeriesRef(
        op=op,
        inputs=inputs,
        label=doc.get("label"),
        axis=doc.get("axis", "primary"),
        draw=draw,
        role=role,
        unit=doc.get("unit"),
        scale=float(doc.get("scale", 1.0)),
    )


# What each option's value must be, and an example for the message.
OPTION_TYPES: Mapping[str, tuple[Any, str]] = {
    # bounded: a window of 1e999 years is a typo, and would not even be a number of years
    "years": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 50,
        "2",
    ),
    "average_years": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 50,
        "5",
    ),
    "periods": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 600, "13"),
    "start": (lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime), "2022-12-01"),
    "zero_line": (lambda v: isinstance(v, bool), "true"),
    "average": (lambda v: isinstance(v, bool), "true"),
    "band": (lambda v: isinstance(v, bool), "false"),
    "profit_draw": (lambda v: v in DRAWS, '"bar", "area" or "line"'),
    "total": (lambda v: v is False or (isinstance(v, str) and v != ""), '"合计" or false'),
    "balance": (lambda v: isinstance(v, str) and v != "", '"平衡"'),
}


def _check_option(path: Path, where: str, key: str, value: Any) -> None:
    valid, example = OPTION_TYPES[key]
    if not valid(value):
        raise LayoutError(path, f"{where} has {key} = {value!r}", f"e.g. {key} = {example}")


def _check_roles(path: Path, where: str, kind: str, series: tuple[SeriesRef, ...]) -> None:
    """Kinds whose series have jobs need each job filled (and some only once)."""
    roles = [ref.role for ref in series]
    # per kind, each role's count: exactly that many, or None for at least one
    needs_of: dict[str, dict[str, int | None]] = {
        "cost_profit": {"cost": 1, "profit": 1},
        "balance": {"supply": None, "outflow": None},
        "stacked": {"part": None},
    }
    needs = needs_of.get(kind, {})
    for role, exactly in needs.items():
        count = roles.count(role)
        if count == 0 or (exactly is not None and count != exactly):
            wanted = "exactly one" if exactly else "at least one"
            raise LayoutError(
                path,
                f'{where} needs {wanted} series with role = "{role}" (has {count})',
                f'mark the series: {{ series = "…", role = "{role}" }}',
            )
    if kind == "stacked" and roles.count("total") > 1:
        raise LayoutError(path, f"{where} has two totals", 'keep one role = "total" series')
