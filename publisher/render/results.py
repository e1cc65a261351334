"""Renderers: what each renderer reports it wrote, as plain data — defined apart from the
renderers, so a process that has a renderer work elsewhere reads the result without loading it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PdfResult:
    """What was written: the file, its page count, and what each page's 数据来源 line lists."""

    path: Path
    pages: int
    sources: tuple[tuple[str, ...], ...]  # per page, in the order printed; () for none
    charts: tuple[tuple[str, int], ...] = ()  # (chart id, 1-based page) in reading order


@dataclass(frozen=True)
class DeckResult:
    """What was written: the file, its slide count, each slide's 数据来源, how each chart went."""

    path: Path
    slides: int
    sources: tuple[tuple[str, ...], ...]  # per slide, in the order printed; () for none
    charts: tuple[tuple[str, int, str], ...] = ()  # (chart id, 1-based slide, native|table|picture)

    @property
    def pictures(self) -> tuple[str, ...]:
        """Charts that could not be native and went in as pictures."""
        return tuple(chart for chart, _, how in self.charts if how == "picture")
