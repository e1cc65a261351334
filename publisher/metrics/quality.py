"""Metrics stage: the data-quality report — errors stop a build, warnings are listed only."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from publisher.errors import LayoutError, PublisherError, plain
from publisher.metrics import formatting as fmt
from publisher.metrics.contracts import resolved
from publisher.metrics.figures import Figure, is_stale
from publisher.metrics.overview import compute_metrics
from publisher.snapshot.layoutfile import MAIN, LayoutSpec, placed_charts, snapshot_layout
from publisher.snapshot.load import load_snapshot
from publisher.snapshot.model import SeriesSpec, Snapshot

if TYPE_CHECKING:  # rich prints the table for `publisher validate` alone: a build never loads it
    from rich.console import Console

Level = Literal["error", "warning"]
# A move is a jump when it lies this many median absolute deviations from the series' usual
# move; 6 keeps ordinary volatile days quiet and flags unit slips and mistyped digits.
JUMP_MADS = 6.0
# Fewer past moves than this say too little about what is usual to call anything a jump.
JUMP_HISTORY = 10
# Keys under which a chart document names the catalog series a chart reads.
CHART_SERIES_KEYS = ("series", "basis", "spread", "sum")
# Loader messages name the series as series 'id'; the report lifts it into its own column.
NAMED_SERIES = re.compile(r"series '([a-z0-9_]+)'")


@dataclass(frozen=True)
class Finding:
    """One problem with the data: where it is, what is wrong, and what to do about it."""

    level: Level
    series: str | None
    where: str
    what: str
    fix: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "level": self.level,
            "series": self.series,
            "where": self.where,
            "what": self.what,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class QualityReport:
    """Every finding on a snapshot, errors first; the build may go ahead when `ok`."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> str:
        doc = {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.as_dict() for f in self.findings],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)


def assess(
    snapshot: Snapshot, layout: LayoutSpec, figures: Mapping[str, Figure] | None = None
) -> QualityReport:
    """Check a loaded snapshot against the layout that will print it; pass the figures when
    they are computed already, so they are not computed twice."""
    needed = needed_series(snapshot, layout)
    findings = [
        *_missing(snapshot, layout, needed),
        *_catalog_rows(snapshot),
        *_judgements(snapshot),
        *_derived_rows(snapshot, layout, figures),
    ]
    for series_id, spec in snapshot.catalog.items():
        findings += _series(snapshot, spec, snapshot.series(series_id), series_id in needed)
    return collect(findings)


def assess_path(path: Path | str) -> QualityReport:
    """Load a snapshot and its layout and assess them; a refusal becomes a one-error report."""
    try:
        snapshot = load_snapshot(path)
        layout = snapshot_layout(snapshot)  # an id on the search path, or a file beside it
        return assess(snapshot, layout)
    except PublisherError as exc:
        return from_error(exc)


def from_error(exc: PublisherError) -> QualityReport:
    """A load-time refusal (implausible value, missing unit …) as the report's one error."""
    named = NAMED_SERIES.search(exc.what)
    finding = Finding("error", named[1] if named else None, exc.where, exc.what, exc.fix)
    return QualityReport((finding,))


def collect(findings: Iterable[Finding]) -> QualityReport:
    """Findings in a stable order: errors first, then by series and message."""
    order = sorted(
        set(findings), key=lambda f: (f.level != "error", f.series or "", f.where, f.what)
    )
    return QualityReport(tuple(order))


def needed_series(snapshot: Snapshot, layout: LayoutSpec) -> frozenset[str]:
    """Catalog series the layout's tables, views and charts read (`main`: the main contract
    the snapshot names; one it does not name is the tables' error, not the gate's)."""
    read = [
        (table.product, i)
        for table in layout.tables
        for section in table.sections
        for row in section.rows
        for i in row.inputs
    ]
    read += [(v.product, i) for v in layout.views for i in (v.main_contract, *(v.positions or ()))]
    ids = {found for product, i in read if (found := resolved(i, product, snapshot))}
    for doc in (layout.doc, *(doc for _, doc in chart_documents(layout))):
        ids |= {text for text in _strings(doc) if text in snapshot.catalog}
    for _, doc in chart_documents(layout):  # a chart's `main`: its product's main contract
        for chart in doc.get("chart", []):
            product = str(chart.get("product", ""))
            if MAIN in _strings(chart) and (found := resolved(MAIN, product, snapshot)):
                ids.add(found)
    return frozenset(ids)


def chart_documents(layout: LayoutSpec) -> list[tuple[Path, dict[str, Any]]]:
    """The entries of the layout's chart catalog that its sections place, read as plain TOML
    (the charts stage validates the catalog itself)."""
    sections = [s for s in layout.sections if s.kind == "charts"]
    path = layout.chart_catalog
    if not sections or not path.is_file():
        return []  # a layout without charts, or one whose catalog the charts stage will refuse
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    entries = [c for c in doc.get("chart", []) if isinstance(c, dict)]
    groups = {str(c.get("id")): str(c.get("group", "")) for c in entries}
    wanted: set[str] = set()
    for section in sections:
        try:
            wanted |= set(placed_charts(section, groups, layout.path))
        except LayoutError:
            continue  # the build names it; the gate checks the data of what is placed
    placed = [c for c in entries if str(c.get("id")) in wanted]
    return [(path, {**doc, "chart": placed})]


def _missing(snapshot: Snapshot, layout: LayoutSpec, needed: frozenset[str]) -> Iterator[Finding]:
    for series_id in sorted(needed):
        if snapshot.series(series_id).empty:
            yield Finding(
                "error",
                series_id,
                _data_files(snapshot),
                f"{snapshot.spec(series_id).label} has no value on or before "
                f"{snapshot.as_of}, and layout '{layout.id}' prints it",
                "add its observations to the snapshot, or drop it from the layout",
            )
    for path, doc in chart_documents(layout):
        # `main` is the main contract: the build names a product that has none
        for series_id in sorted(set(_series_references(doc)) - set(snapshot.catalog) - {MAIN}):
            yield Finding(
                "error",
                series_id,
                str(path),
                f"a chart draws series '{series_id}', which the snapshot's catalog lacks",
                "add it to catalog.csv and the observations, or fix the chart",
            )


def _catalog_rows(snapshot: Snapshot) -> Iterator[Finding]:
    for series_id, spec in snapshot.catalog.items():
        if not spec.unit.strip():
            yield Finding(
                "error",
                series_id,
                _catalog_file(snapshot),
                f"series '{series_id}' ({spec.name}) has no unit",
                "fill in the unit column: 元/吨, 万吨, % …",
            )


def _series(
    snapshot: Snapshot, spec: SeriesSpec, values: pd.Series, needed: bool
) -> Iterator[Finding]:
    values = values.dropna()
    if values.empty:
        if not needed:
            yield Finding(
                "warning",
                spec.id,
                _data_files(snapshot),
                f"{spec.label} has no observations (nothing in the layout prints it)",
                "supply its values or remove the row from catalog.csv",
            )
        return
    yield from _implausible(snapshot, spec, values)
    latest = values.index[-1].date()
    if is_stale(spec.frequency, latest, snapshot.as_of):
        yield Finding(
            "warning",
            spec.id,
            _data_files(snapshot),
            f"{spec.label} is stale: its latest {spec.frequency} value is dated {latest}, "
            f"as of {snapshot.as_of}",
            "refresh the export, or leave it: the report marks the figure as not updated",
        )
    elif spec.frequency == "daily" and latest != snapshot.as_of:
        # Not stale yet, but every figure made from it (a basis, a spread) is of another day.
        yield Finding(
            "warning",
            spec.id,
            _data_files(snapshot),
            f"{spec.label} has no value on the report date {snapshot.as_of} "
            f"(its latest is {latest})",
            f"add the value of {snapshot.as_of}, or leave it: the report prints {latest}'s "
            "figure dated as such",
        )
    yield from _jump(snapshot, spec, values)


def _implausible(snapshot: Snapshot, spec: SeriesSpec, values: pd.Series) -> Iterator[Finding]:
    # The loader refuses these already; kept for snapshots built in code rather than read.
    lo = spec.lo if spec.lo is not None else float("-inf")
    hi = spec.hi if spec.hi is not None else float("inf")
    points = values.to_numpy(dtype=float)
    outside = np.flatnonzero((points < lo) | (points > hi))
    if len(outside):
        day, value = values.index[outside[0]], points[outside[0]]
        # Said in the stored unit, as the loader does: the file holds the value and the range.
        value, lo, hi = (spec.as_stored(v) for v in (value, lo, hi))
        yield Finding(
            "error",
            spec.id,
            _data_files(snapshot),
            f"{spec.label} is {plain(value)} {spec.stored} on {day:%Y-%m-%d}, outside its "
            f"plausible range {plain(lo)}–{plain(hi)} {spec.stored}",
            "check the unit (吨 vs 万吨?) or widen min/max in catalog.csv",
        )


def _jump(snapshot: Snapshot, spec: SeriesSpec, values: pd.Series) -> Iterator[Finding]:
    """A jump in the values the table prints: the 现值, or a 前值 jumped to and straight back
    from (a slip pasted there, which the move into the 现值 only undoes)."""
    moves = np.diff(values.to_numpy(dtype=float))
    # The yardstick stops before the printed values, so a slip there cannot widen it.
    usual = _usual_move(moves[:-2])
    if usual is None:
        return
    off = [move != 0 and abs(move - usual[0]) / usual[1] > JUMP_MADS for move in moves[-2:]]
    if all(off) and np.sign(moves[-2]) != np.sign(moves[-1]):
        yield _jump_finding(snapshot, spec, values, -2, "前值", usual)
    elif off[-1]:
        yield _jump_finding(snapshot, spec, values, -1, "现值", usual)


def _usual_move(moves: np.ndarray) -> tuple[float, float] | None:
    """Median move and its median absolute deviation, or None when history is too short."""
    # Unchanged quotes are common (spot prices stick for days) and say nothing about the
    # size of a usual move, so the yardstick is taken from the days the series did move.
    moved = moves[moves != 0]
    if len(moved) < JUMP_HISTORY:
        return None
    centre = float(np.median(moved))
    spread = float(np.median(np.abs(moved - centre)))
    return None if spread == 0 else (centre, spread)


def _jump_finding(
    snapshot: Snapshot,
    spec: SeriesSpec,
    values: pd.Series,
    position: int,
    label: str,
    usual: tuple[float, float],
) -> Finding:
    value, move = float(values.iloc[position]), float(np.diff(values.to_numpy())[position])
    day = f"{values.index[position]:%Y-%m-%d}"
    distance = abs(move - usual[0]) / usual[1]
    return Finding(
        "warning",
        spec.id,
        _data_files(snapshot),
        f"{spec.label}: the {label} {_amount(spec, value)} on {day} moved "
        f"{fmt.change(move, spec.decimals)} from the value before, {distance:.1f} median "
        f"absolute deviations from its usual move (over {JUMP_MADS:g} is a jump)",
        f"check the value of {day} against the source before publishing",
    )


def _amount(spec: SeriesSpec, value: float) -> str:
    """A value in the printed unit, and as the file holds it when that unit is another."""
    printed = f"{fmt.number(value, spec.decimals)} {spec.unit}"
    if spec.per == 1:
        return printed
    return f"{printed} ({plain(spec.as_stored(value))} {spec.stored} in the file)"


def _judgements(snapshot: Snapshot) -> Iterator[Finding]:
    for judgement in snapshot.judgements.values():
        for factor in judgement.factors:
            if not factor.comment.strip():
                yield Finding(
                    "warning",
                    None,
                    str(snapshot.path),
                    f"products.{judgement.product}.factors.{factor.name} is {factor.verdict} "
                    "without a comment",
                    "add a comment saying why",
                )


def _derived_rows(
    snapshot: Snapshot, layout: LayoutSpec, figures: Mapping[str, Figure] | None
) -> Iterator[Finding]:
    """Derived rows whose inputs all have data but never on the same day print a dash."""
    figures = figures if figures is not None else compute_metrics(snapshot, layout).figures
    for table in layout.tables:
        for row in (row for section in table.sections for row in section.rows):
            inputs = [resolved(s, table.product, snapshot) or s for s in row.inputs]
            filled = all(not snapshot.series(s).empty for s in inputs)
            if row.kind == "series" or not filled or figures[row.key].current is not None:
                continue
            short = f" or have fewer than {row.window} points" if row.kind == "ma" else ""
            yield Finding(
                "warning",
                row.key,
                str(layout.path),
                f"{table.title} row '{row.label or row.key}' ({row.kind} of "
                f"{', '.join(inputs)}) prints a dash: its inputs share no date{short}",
                "align the inputs' dates, or drop the row",
            )


def _strings(doc: object) -> Iterator[str]:
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, Mapping):
        for value in doc.values():
            yield from _strings(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _strings(value)


def _series_references(doc: object) -> Iterator[str]:
    """Strings a chart document gives under a series key: the ids it will ask the catalog for."""
    if isinstance(doc, Mapping):
        for key, value in doc.items():
            if key in CHART_SERIES_KEYS:
                yield from (v for v in _as_list(value) if isinstance(v, str))
            yield from _series_references(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _series_references(value)


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _data_files(snapshot: Snapshot) -> str:
    return ", ".join(str(p) for p in snapshot.files[3:]) or str(snapshot.path)


def _catalog_file(snapshot: Snapshot) -> str:
    return str(snapshot.files[2]) if len(snapshot.files) > 2 else str(snapshot.path)


def render_table(report: QualityReport, console: Console) -> None:
    """The report as a terminal table (rich measures CJK widths), then a one-line verdict."""
    from rich.table import Table
    from rich.text import Text

    if report.findings:
        grid = Table(title="Data quality", header_style="bold", show_lines=True)
        for name in ("level", "series", "where", "what", "fix"):
            grid.add_column(name, overflow="fold")
        for f in report.findings:
            style = "red" if f.level == "error" else "yellow"
            # Text cells, not strings: a message like "[views.si] lacks …" is not rich markup.
            cells = (f.level, f.series or "", f.where, f.what, f.fix)
            grid.add_row(*(Text(cell) for cell in cells), style=style)
        console.print(grid)
    verdict = "ok" if report.ok else "refused"
    console.print(
        f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s)",
        style="green" if report.ok else "bold red",
        markup=False,
        highlight=False,
    )
