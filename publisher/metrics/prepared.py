"""Metrics stage: what it hands on — a snapshot with its layout and every figure and view."""

from __future__ import annotations

from dataclasses import dataclass

from publisher.metrics.narrative import DailyView
from publisher.metrics.overview import Metrics
from publisher.snapshot import Snapshot
from publisher.snapshot.layoutfile import LayoutSpec


@dataclass(frozen=True)
class Prepared:
    """A snapshot with its layout and every figure and view computed: what renderers start from."""

    snapshot: Snapshot
    layout: LayoutSpec
    metrics: Metrics
    views: tuple[DailyView, ...]
