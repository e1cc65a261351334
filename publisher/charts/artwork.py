"""Charts stage: a chart for print as the renderer receives it: its drawing without text, and
each line of its text where the chart's layout placed it (no matplotlib here)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from publisher.charts.model import FITTED, SIZES_MM, ChartData


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


ArtworkT = TypeVar("ArtworkT", bytes, PrintArtwork)  # bytes: a PDF or PNG; or for print


@dataclass(frozen=True)
class Drawn(Mapping[str, ArtworkT], Generic[ArtworkT]):
    """Charts' artwork drawn already, by chart id, and every chart's size: what a Drawing
    hands a renderer in another process."""

    artworks: Mapping[str, ArtworkT]
    sizes: Mapping[str, str]
    kinds: Mapping[str, str]

    def __getitem__(self, chart_id: str) -> ArtworkT:
        return self.artworks[chart_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.artworks)

    def __len__(self) -> int:
        return len(self.artworks)

    def aspect(self, chart_id: str) -> float | None:
        """As Drawing.aspect."""
        return aspect_of(self.kinds.get(chart_id), self.sizes.get(chart_id))


def aspect_of(kind: str | None, size: str | None) -> float | None:
    """Height over width of a chart of `kind` drawn for a `size` slot; None where only the
    artwork tells (a table is cut to its rows) or the chart is unknown."""
    if kind is None or size is None or kind in FITTED:
        return None
    width, height = SIZES_MM[size]
    return height / width


@dataclass(frozen=True)
class WhenAsked(Mapping[str, bytes]):
    """Charts' whole drawings (PDF), each drawn in this process only when read: a deck reads
    one only for a chart it cannot make native, mostly none. The brand stays pickled until
    then: unpickling it loads the snapshot's model, and pandas with it."""

    charts: tuple[ChartData, ...]
    brand: bytes  # a pickled Brand, as the charts see it

    def __getitem__(self, chart_id: str) -> bytes:
        from publisher.charts.pool import ChartPool  # loaded only to draw

        if chart_id not in self:
            raise KeyError(chart_id)
        with ChartPool(1) as here:  # every chart given, so the fonts are cut as for all
            return here.draw(self.charts, pickle.loads(self.brand))[chart_id]

    def __iter__(self) -> Iterator[str]:
        return (chart.id for chart in self.charts)

    def __len__(self) -> int:
        return len(self.charts)

    def __contains__(self, chart_id: object) -> bool:
        return any(chart.id == chart_id for chart in self.charts)
