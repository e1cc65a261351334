"""Charts stage: a chart for print as the renderer receives it: its drawing without text, and
each line of its text where the chart's layout placed it (no matplotlib here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartText:
    """One line of a chart's text: its baseline starts at (x, y), in points from the drawing's
    lower left corner, turned `angle` degrees about that point."""

    x: float
    y: float
    text: str
    size: float  # points
    bold: bool
    rgb: tuple[float, float, float]
    angle: float = 0.0
    alpha: float = 1.0


@dataclass(frozen=True)
class PrintArtwork:
    """A chart for print: its vector drawing as a one-page PDF with no text in it, and its
    text, which the renderer sets over it in the document's own embedded font. One font for
    the whole report: matplotlib would embed a subset of it in every chart."""

    pdf: bytes
    width: float  # points: the drawing's page, which the text's coordinates refer to
    height: float
    texts: tuple[ChartText, ...]
