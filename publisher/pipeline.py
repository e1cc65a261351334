"""The pipeline in order: snapshot → metrics → charts → layout → renderers, one call per stage."""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from publisher.atomic import output_folder
from publisher.errors import PublisherError, QualityError
from publisher.layout.model import Chart, Correction, Document
from publisher.metrics.narrative import daily_views
from publisher.metrics.overview import compute_metrics
from publisher.metrics.prepared import Prepared
from publisher.metrics.quality import QualityReport, assess
from publisher.render import FINISH_PDF, LAY_OUT_PDF, LOAD_DECK, RENDER_DECK
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import (
    LayoutSearch,
    LayoutSpec,
    load_layout,
    placed_charts,
    snapshot_layout,
)
from publisher.snapshot.model import Brand
from publisher.workers import Prestarted, by_name, worker_context

if TYPE_CHECKING:  # renderers load lazily: validate and preview need none of them
    from publisher.charts.artwork import WhenAsked
    from publisher.charts.data import ChartData
    from publisher.charts.pool import ChartPool, Drawing
    from publisher.render.results import DeckResult, PdfResult
    from publisher.workers import Forked, Pool

ResultT = TypeVar("ResultT", "PdfResult", "DeckResult")
ResultU = TypeVar("ResultU")


FORMATS = ("pdf", "pptx")


@dataclass(frozen=True)
class Built:
    """What one build wrote, and the data-quality warnings it went ahead with."""

    pdf: PdfResult | None
    deck: DeckResult | None
    quality: QualityReport
    timings: tuple[tuple[str, float], ...] = ()  # seconds each stage took, in order
    # the figures and views it printed (publish indexes them for search without preparing
    # the stored snapshot again)
    prepared: Prepared | None = field(default=None, repr=False, compare=False)

    @property
    def outputs(self) -> tuple[Path, ...]:
        """Every file the build wrote, in a fixed order (PDF first)."""
        return tuple(r.path for r in (self.pdf, self.deck) if r is not None)


@dataclass
class Stopwatch:
    """Where a build's time went, stage by stage (`publisher build --timings`); it measures,
    it never touches what the stages make."""

    laps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.laps.append((name, time.perf_counter() - start))


def prepare(
    path: Path,
    layout_id: str | None = None,
    snapshot: Snapshot | None = None,
    layouts: Path | LayoutSearch | None = None,
) -> Prepared:
    """Load and compute; `layout_id` (an id, or a path relative to the current folder)
    overrides the layout the snapshot names; a `snapshot` already loaded from the same bytes
    is used as it is; layouts are looked up on the search path `layouts` (default: --layouts
    aside, PUBLISHER_LAYOUTS then the bundled ones; a folder: that folder alone, as an
    archived revision's copy)."""
    return compute(*load(path, layout_id, snapshot, layouts))


def load(
    path: Path,
    layout_id: str | None = None,
    snapshot: Snapshot | None = None,
    layouts: Path | LayoutSearch | None = None,
) -> tuple[Snapshot, LayoutSpec]:
    """The snapshot and its layout: what charts are drawn from (see `prepare`)."""
    snapshot = snapshot or load_snapshot(path)
    if layout_id:
        layout = load_layout(layout_id, snapshot.catalog, layouts)
        # a path given relative to the current folder must not be read as the snapshot's
        named = layout_id if layout_id == layout.id else str(layout.path.absolute())
        snapshot = replace(snapshot, layout=named)
    else:
        layout = snapshot_layout(snapshot, layouts)
    return snapshot, layout


def compute(snapshot: Snapshot, layout: LayoutSpec) -> Prepared:
    """Every figure and view of the report."""
    metrics = compute_metrics(snapshot, layout)
    return Prepared(snapshot, layout, metrics, daily_views(snapshot, layout, metrics))


def draw_charts(prepared: Prepared, jobs: int = 2, artwork: bool = True) -> Mapping[str, Chart]:
    """The charts the layout's sections place (none: no catalog is read): their data for
    native charts and, with `artwork`, their vector drawing for print."""
    data, where = placed_chart_data(prepared.snapshot, prepared.layout)
    drawn: Mapping[str, bytes] = {}
    if artwork and data:  # matplotlib is imported only here: a deck-only build never pays for it
        from publisher.charts.render import render_all

        drawn = render_all(data, prepared.snapshot.brand, jobs, where=where)
    return charts_of(data, drawn)


def placed_chart_data(snapshot: Snapshot, layout: LayoutSpec) -> tuple[list[ChartData], Path | str]:
    """The data of the charts the layout's sections place, in catalog order, and the catalog
    they come from (to name in errors); none placed: none, and no catalog is read."""
    sections = [s for s in layout.sections if s.kind == "charts"]
    if not sections:
        return [], "chart catalog"
    from publisher.charts.catalog import ChartCatalog, check_catalog, load_catalog, with_contracts
    from publisher.charts.data import chart_data

    catalog = load_catalog(layout.chart_catalog)
    groups = {chart.id: chart.group for chart in catalog}
    wanted = {i for section in sections for i in placed_charts(section, groups, layout.path)}
    placed = ChartCatalog(catalog.path, tuple(c for c in catalog if c.id in wanted))
    chosen = with_contracts(placed, snapshot)
    check_catalog(chosen, snapshot.catalog)
    return [chart_data(spec, snapshot) for spec in chosen], catalog.path


def charts_of(data: Sequence[ChartData], drawn: Mapping[str, bytes]) -> dict[str, Chart]:
    """Layout's charts by id: each with its data and, where drawn already, its artwork."""
    return {
        d.id: Chart(d.id, d.title, d, drawn.get(d.id, b""), d.sources, wide=d.size == "full")
        for d in data
    }


def report_name(prepared: Prepared) -> str:
    """Output files are named by layout and date: silicon-daily-2025-05-27.pdf."""
    return f"{prepared.layout.id}-{prepared.snapshot.as_of:%Y-%m-%d}"


def build(
    path: Path,
    out: Path,
    jobs: int | None = None,
    layout: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    snapshot: Snapshot | None = None,
    layouts: Path | LayoutSearch | None = None,
    correction: Correction | None = None,
    early: Prestarted | None = None,
) -> Built:
    """Build the report of the snapshot at `path` into the folder `out`: all outputs or none.
    Pass `snapshot` when it is loaded already from these very bytes (publish does),
    `layouts` to look the layout files up elsewhere than on the default search path (see
    `prepare`), a `correction` note for a revision that corrects another (the archive's),
    and the renderers' processes the command started `early`."""
    from publisher.layout.engine import build_document

    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise PublisherError(
            "--format",
            f"unknown format '{','.join(unknown)}'",
            f"use one or more of {','.join(FORMATS)}",
        )
    watch = Stopwatch()
    jobs = jobs or min(2, os.cpu_count() or 1)
    # The drawing workers start first, so they load matplotlib while this process loads the
    # snapshot; the pages are laid out while they draw. A deck's charts are native, drawn
    # from their data: artwork is for print (and for a chart the deck cannot make native).
    # On more cores the renderers work in processes of their own: the command's, started
    # `early` (they loaded their libraries while this process imported pandas), else for a
    # PDF-and-deck build a deck process forked now. The PDF's lays the pages out while the
    # charts are drawn and composes them when they are; this process loads neither renderer.
    early = early or Prestarted()
    both = "pdf" in formats and "pptx" in formats and jobs > 1
    printer = early.pdf if "pdf" in formats else None
    with (
        _chart_pool(jobs if "pdf" in formats else 0) as pool,
        _deck_worker(both and early.deck is None) as started,
    ):
        decks = (early.deck if "pptx" in formats else None) or started
        with watch.stage("snapshot"):
            loaded, layout_spec = load(path, layout, snapshot, layouts)
        # The charts need no figure: they are drawn while the figures are computed. With
        # nothing to draw (a deck-only build), a spare core computes their data meanwhile.
        spare = pool is None and jobs > 1 and worker_context().get_start_method() == "fork"
        figured = _figures_and_charts(loaded, layout_spec, pool, spare, watch)
        data, where, drawing, prepared, quality = figured
        with watch.stage("layout"):
            document = build_document(prepared, charts_of(data, {}), correction)
        name = report_name(prepared)
        # Both files are written in a staging folder and moved in only when both succeeded,
        # so a failure never leaves a new PDF beside an old deck.
        with (
            output_folder(out),
            tempfile.TemporaryDirectory(dir=out, prefix=".staging-") as staging,
        ):
            pdf = deck = None
            deck_path, template = Path(staging) / f"{name}.pptx", loaded.brand.template
            if decks is not None:  # needs no artwork: a chart that cannot be native is drawn there
                asked = _drawn_when_asked(data, loaded.brand)
                # with no PDF to make, its process forks one more to make the native charts
                alone = "pdf" not in formats
                writing = _apart(decks, RENDER_DECK, document, deck_path, template, asked, alone)
            elif "pptx" in formats:  # first: written while the workers draw what the PDF needs
                # print's drawings have their text apart: a chart that cannot be native is
                # drawn whole for the deck, here, if there is one
                whole = pool.draw(data, loaded.brand, where=where) if pool else None
                with watch.stage("deck"):
                    deck = _deck(document, deck_path, template, whole)
            if "pdf" in formats:
                with watch.stage("PDF"):
                    pdf_path = Path(staging) / f"{name}.pdf"
                    if printer is not None and drawing is not None:
                        pdf = _pdf_apart(printer, document, pdf_path, drawing)
                    else:
                        pdf = _pdf(document, pdf_path, drawing)
            if drawing is not None:
                watch.laps.append(("  of which waiting for chart workers", drawing.waited))
            if decks is not None:
                with watch.stage("deck, written meanwhile: waiting for it"):
                    try:
                        deck = writing.result()
                    except BrokenProcessPool:  # its process is gone (killed): written here
                        deck = _deck(document, deck_path, template, asked)
            pdf = _move(pdf, out) if pdf else None
            deck = _move(deck, out) if deck else None
    return Built(pdf, deck, quality, tuple(watch.laps), prepared)


class _Figured(NamedTuple):
    """What the pages are laid out from: the charts' data (and their drawing under way, if
    they are drawn), every figure and view, and the data-quality report they passed."""

    data: list[ChartData]
    where: Path | str
    drawing: Drawing | None
    prepared: Prepared
    quality: QualityReport


def _figures_and_charts(
    loaded: Snapshot, layout_spec: LayoutSpec, pool: ChartPool | None, spare: bool, watch: Stopwatch
) -> _Figured:
    """The charts' data (their drawing started at once) and the figures, gated; with a
    `spare` core the data is computed in a process forked beside the figures."""
    drawing = None
    with _beside(spare, placed_chart_data, loaded, layout_spec) as beside:
        if beside is None:
            with watch.stage("chart data"):
                data, where = placed_chart_data(loaded, layout_spec)
                if pool is not None:
                    drawing = pool.draw_for_print(data, loaded.brand, where=where)
        try:
            with watch.stage("figures"):
                prepared = compute(loaded, layout_spec)
            with watch.stage("data-quality gate"):
                quality = gate(prepared)
        except PublisherError:
            if beside is not None:  # its error first, as when the chart data came first
                beside.result()
            raise
        if beside is not None:
            with watch.stage("chart data, computed meanwhile: waiting for it"):
                data, where = beside.result()
    return _Figured(data, where, drawing, prepared, quality)


def _beside(
    wanted: bool, task: Callable[..., ResultU], /, *args: Any
) -> ContextManager[Forked[ResultU] | None]:
    """`task(*args)` computed in a process forked now, beside this one (none unless
    `wanted`): see workers.forked."""
    if not wanted:
        return nullcontext()
    from publisher.workers import forked

    return forked(task, *args)


def _chart_pool(jobs: int) -> ContextManager[ChartPool | None]:
    """Drawing workers for a build that prints charts (jobs 0: a deck-only build, none)."""
    if jobs <= 0:
        return nullcontext()
    from publisher.charts.pool import ChartPool

    return ChartPool(jobs)


def _deck_worker(wanted: bool) -> ContextManager[Pool | None]:
    """One process for the deck (none unless `wanted`)."""
    if not wanted:
        return nullcontext()
    from publisher.workers import loader, shared_start_pool

    return shared_start_pool(1, loader(LOAD_DECK))


def _pdf_apart(printer: Pool, document: Document, path: Path, drawing: Drawing) -> PdfResult:
    """The PDF written by `printer`: it lays the pages out while the charts are drawn (a
    table's artwork, which alone tells its height, is drawn first), then composes them.
    This process never loads the PDF renderer: its functions are named, not imported, and
    the pages laid out come back sealed."""
    from publisher.workers import sealed_by_name

    try:
        fitted = drawing.drawn(drawing.fitted())
        laying = printer.submit(sealed_by_name, LAY_OUT_PDF, document, fitted)
        every = drawing.drawn()
        return printer.submit(by_name, FINISH_PDF, document, laying.result(), every, path).result()
    except BrokenProcessPool:  # its process is gone (killed): this one writes the PDF
        return _pdf(document, path, drawing)


def _apart(pool: Pool, target: str, *args: Any) -> Future[Any]:
    """The function `target` (see workers.by_name) run by `pool`; by a pool already broken,
    a future that says so."""
    try:
        return pool.submit(by_name, target, *args)
    except BrokenProcessPool as gone:
        failed: Future[Any] = Future()
        failed.set_exception(gone)
        return failed


def _drawn_when_asked(data: Sequence[ChartData], brand: Brand) -> WhenAsked:
    """The charts' whole drawings for a deck written in another process: drawn there, and
    only if the deck asks (the same bytes the drawing workers would make)."""
    from publisher.charts.artwork import WhenAsked
    from publisher.charts.pool import as_charts_see_it

    seen = as_charts_see_it(brand)  # all a chart is drawn with, and picklable
    return WhenAsked(tuple(data), pickle.dumps(seen, protocol=pickle.HIGHEST_PROTOCOL))


def _pdf(document: Document, path: Path, drawing: Drawing | None) -> PdfResult:
    from publisher.render.pdf import render_pdf

    return render_pdf(document, path, drawing)


def _deck(
    document: Document, path: Path, template: Path | None, drawing: Mapping[str, bytes] | None
) -> DeckResult:
    from publisher.render.pptx import render_pptx

    return render_pptx(document, path, template, drawing)


def _move(result: ResultT, folder: Path) -> ResultT:
    target = folder / result.path.name
    os.replace(result.path, target)
    return replace(result, path=target)


def gate(prepared: Prepared) -> QualityReport:
    """Stop before anything is written if the data-quality report has an error."""
    report = assess(prepared.snapshot, prepared.layout, prepared.metrics.figures)
    if not report.ok:
        first, more = report.errors[0], len(report.errors) - 1
        extra = (
            f" (and {more} more error{'s' if more > 1 else ''}: publisher validate)" if more else ""
        )
        raise QualityError(first.where, first.what + extra, first.fix)
    return report
