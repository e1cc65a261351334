"""The pipeline in order: snapshot → metrics → (charts → layout → renderers), one call per stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher.metrics.narrative import DailyView, daily_views
from publisher.metrics.overview import Metrics, compute_metrics
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import LayoutSpec, load_layout


@dataclass(frozen=True)
class Prepared:
    """A snapshot with its layout and every figure and view computed: what renderers start from."""

    snapshot: Snapshot
    layout: LayoutSpec
    metrics: Metrics
    views: tuple[DailyView, ...]


def prepare(path: Path) -> Prepared:
    snapshot = load_snapshot(path)
    layout = load_layout(snapshot.layout, snapshot.catalog)
    metrics = compute_metrics(snapshot, layout)
    return Prepared(snapshot, layout, metrics, daily_views(snapshot, layout, metrics))
