"""The pipeline in order: snapshot → metrics → charts → layout → renderers, one call per stage."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.errors import QualityError
from publisher.layout.model import Chart
from publisher.metrics.narrative import DailyView, daily_views
from publisher.metrics.overview import Metrics, compute_metrics
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import LayoutSpec, load_layout
from publisher.snapshot.quality import QualityReport, assess

if TYPE_CHECKING:  # renderers load lazily: validate and preview need none of them
    from publisher.render.pdf import PdfResult


@dataclass(frozen=True)
class Prepared:
    """A snapshot with its layout and every figure and view computed: what renderers start from."""

    snapshot: Snapshot
    layout: LayoutSpec
    metrics: Metrics
    views: tuple[DailyView, ...]


@dataclass(frozen=True)
class Built:
    """What one build wrote, and the data-quality warnings it went ahead with."""

    pdf: PdfResult
    quality: QualityReport

    @property
    def outputs(self) -> tuple[Path, ...]:
        """Every file the build wrote, in a fixed order (PDF first)."""
        return (self.pdf.path,)


def prepare(path: Path, layout_id: str | None = None) -> Prepared:
    """Load and compute; `layout_id` overrides the layout the snapshot names."""
    snapshot = load_snapshot(path)
    if layout_id:
        snapshot = replace(snapshot, layout=layout_id)
    layout = load_layout(snapshot.layout, snapshot.catalog)
    metrics = compute_metrics(snapshot, layout)
    return Prepared(snapshot, layout, metrics, daily_views(snapshot, layout, metrics))


def draw_charts(prepared: Prepared, jobs: int = 2) -> Mapping[str, Chart]:
    """Every chart of the layout's catalog: its data for native charts and its vector artwork."""
    from publisher.charts.catalog import catalog_path, check_catalog, load_catalog
    from publisher.charts.data import chart_data
    from publisher.charts.render import render_all

    snapshot = prepared.snapshot
    catalog = load_catalog(catalog_path(snapshot.layout))
    check_catalog(catalog, snapshot.catalog)
    data = [chart_data(spec, snapshot) for spec in catalog]
    artwork = render_all(data, snapshot.brand, jobs, where=catalog.path)
    return {
        d.id: Chart(d.id, d.title, d, artwork[d.id], d.sources, wide=d.size == "full") for d in data
    }


def report_name(prepared: Prepared) -> str:
    """Output files are named by layout and date: silicon-daily-2025-05-27.pdf."""
    return f"{prepared.layout.id}-{prepared.snapshot.as_of:%Y-%m-%d}"


def build(path: Path, out: Path, jobs: int | None = None, layout: str | None = None) -> Built:
    """Build the report of the snapshot at `path` into the folder `out`."""
    from publisher.layout.engine import build_document
    from publisher.render.pdf import render_pdf

    prepared = prepare(path, layout)
    quality = gate(prepared)
    charts = draw_charts(prepared, jobs or min(2, os.cpu_count() or 1))
    document = build_document(prepared, charts)
    out.mkdir(parents=True, exist_ok=True)
    pdf = render_pdf(document, out / f"{report_name(prepared)}.pdf")
    return Built(pdf=pdf, quality=quality)


def gate(prepared: Prepared) -> QualityReport:
    """Stop before anything is written if the data-quality report has an error."""
    report = assess(prepared.snapshot, prepared.layout)
    if not report.ok:
        first, more = report.errors[0], len(report.errors) - 1
        extra = (
            f" (and {more} more error{'s' if more > 1 else ''}: publisher validate)" if more else ""
        )
        raise QualityError(first.where, first.what + extra, first.fix)
    return report
