"""Deck test fixtures: the sample Document and its deck, built once per test session."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide

from publisher.layout.model import Chart, ChartGrid, Document
from publisher.render.pptx import DeckResult, render_pptx

CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
DRAWING_NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


@functools.cache
def workdir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="deck-tests-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def sample_document() -> Document:
    """The sample snapshot as the pipeline lays it out (about 3 s: built once)."""
    from publisher.assets import SAMPLE
    from publisher.layout.engine import build_document
    from publisher.pipeline import draw_charts, prepare

    prepared = prepare(SAMPLE)
    return build_document(prepared, draw_charts(prepared))  # type: ignore[arg-type]


@functools.cache
def sample_layout() -> str:
    from publisher.assets import SAMPLE
    from publisher.snapshot import load_snapshot

    return load_snapshot(SAMPLE).layout


def document_of(layout: str) -> Document:
    """The sample snapshot laid out by `layout` (the render tests' hand-built document for
    "fixture-document"); a layout the sample cannot fill is skipped."""
    import pytest

    from publisher.assets import SAMPLE
    from publisher.errors import PublisherError
    from publisher.layout.engine import build_document
    from publisher.pipeline import draw_charts, prepare
    from tests.render.conftest import make_document

    if layout == "fixture-document":
        return make_document()
    if layout == sample_layout():
        return sample_document()
    try:
        prepared = prepare(SAMPLE, layout)
    except PublisherError as error:
        pytest.skip(f"layout {layout} does not build from the sample: {error}")
    return build_document(prepared, draw_charts(prepared))


@functools.cache
def sample_deck() -> DeckResult:
    return render_pptx(sample_document(), workdir() / "sample" / "deck.pptx")


def reopen(result: DeckResult) -> Deck:
    return Presentation(str(result.path))


def charts_of(document: Document) -> dict[str, Chart]:
    return {
        chart.id: chart
        for section in document.sections
        for block in section.blocks
        if isinstance(block, ChartGrid)
        for chart in block.charts
    }


def shape_texts(slide: Slide) -> Iterator[str]:
    """The text of every text frame and table cell on the slide."""
    for shape in slide.shapes:
        if shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    yield cell.text


def named(slide: Slide, name: str) -> str:
    """The text of the slide's shape called `name`."""
    shape = next(s for s in slide.shapes if s.name == name)
    return shape.text_frame.text


def chart_element(shape: object) -> etree._Element:
    return shape.chart._chartSpace  # type: ignore[attr-defined]
