"""PDF renderer: every page but the last is full: no more than 30 % of its body left blank,
measured as a reader sees it (the body in a 2 × 8 grid, a cell blank when nothing is drawn)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

from publisher.assets import LAYOUTS_DIR
from publisher.errors import PublisherError
from publisher.layout.engine import build_document
from publisher.layout.model import Chart, ChartGrid, Document, Paragraph, Section
from publisher.pipeline import draw_charts, prepare
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.theme import PAGE_HEIGHT
from tests.conftest import SAMPLE
from tests.render.conftest import chart_pdf
from tests.render.fullness import COLUMNS, ROWS, Body, body_of, empty_cells, empty_share, rasterise
from tests.render.helpers import squeeze, text_runs

MOST_EMPTY = 0.30
LAYOUTS = sorted(path.stem for path in LAYOUTS_DIR.glob("*.toml"))

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler's pdftoppm")


@dataclass(frozen=True)
class Built:
    document: Document
    result: PdfResult
    shares: tuple[float, ...]  # per page


_BUILT: dict[str, Built] = {}


@pytest.fixture(params=LAYOUTS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample built with each layout of the repository (once per session)."""
    layout = request.param
    if layout not in _BUILT:
        try:
            prepared = prepare(SAMPLE, layout)
            document = build_document(prepared, draw_charts(prepared))
        except PublisherError as error:
            pytest.skip(f"layout {layout} does not build from the sample: {error}")
        result = render_pdf(document, tmp_path_factory.mktemp(layout) / f"{layout}.pdf")
        body = body_of(document)
        shares = tuple(empty_share(image, body) for image in rasterise(result.path))
        _BUILT[layout] = Built(document, result, shares)
    return _BUILT[layout]


def _cover_pages(built: Built) -> set[int]:
    """1-based pages that show the cover (it opens the report when the layout has one)."""
    first = built.document.sections[0] if built.document.sections else None
    return {1} if first is not None and first.kind == "cover" else set()


def it_leaves_no_page_but_the_last_more_than_30_percent_empty(built: Built) -> None:
    pages = range(1, built.result.pages)  # the last page ends where the report ends
    emptier = {
        n: f"{built.shares[n - 1]:.0%}"
        for n in pages
        if n not in _cover_pages(built) and built.shares[n - 1] > MOST_EMPTY
    }
    assert not emptier, f"{built.result.path.name}: pages too empty {emptier}"


@pytest.mark.parametrize("built", LAYOUTS, indirect=True)
def it_fills_the_cover_too(built: Built) -> None:
    # one product's key figures leave room: polysilicon-brief's view starts under them
    assert _cover_pages(built)
    for page in _cover_pages(built):
        assert built.shares[page - 1] <= MOST_EMPTY, f"cover {built.shares[page - 1]:.0%} empty"


def it_never_leaves_one_half_width_chart_alone_on_a_page(built: Built) -> None:
    """A section going on to a page with a single half-width chart has company there: another
    section follows it (no 工业硅库存（续） page with one small chart and nothing else)."""
    sections = built.document.sections
    grids = [
        (number, chart)
        for number, section in enumerate(sections)
        for block in section.blocks
        if isinstance(block, ChartGrid)
        for chart in block.charts
    ]
    placed = [
        (n, chart, page) for (n, chart), (_, page) in zip(grids, built.result.charts, strict=True)
    ]
    started = {}
    for n, _, page in placed:
        started.setdefault(n, page)
    for page in range(1, built.result.pages + 1):
        here = [(n, chart) for n, chart, p in placed if p == page]
        if len(here) != 1 or here[0][1].wide or started[here[0][0]] == page:
            continue
        body = _body_text(built, page)
        company = [s.title for i, s in enumerate(sections) if i != here[0][0] and s.title in body]
        assert company, f"page {page}: {sections[here[0][0]].title}（续） shows one chart alone"


def _body_text(built: Built, page: int) -> str:
    """What the page prints between its running header and its footer, without whitespace."""
    body = body_of(built.document)
    top, bottom = PAGE_HEIGHT - body.top, PAGE_HEIGHT - body.bottom
    runs = text_runs(built.result.path, page - 1)
    return squeeze("".join(text for _, y, text in runs if bottom < y < top))


# --- the measure itself ------------------------------------------------------------------------


BODY = Body(top=10.0, bottom=90.0, left=10.0, right=50.0)  # points, on a 100 × 100 pt page


def _page(dark: tuple[tuple[float, float], ...] = ()) -> np.ndarray:
    """A white 100 × 100 pt page at 72 dpi with one dark pixel at each (x, y) in points."""
    image = np.full((100, 100), 255, dtype=np.uint8)
    for x, y in dark:
        image[int(y), int(x)] = 0
    return image


def it_counts_a_blank_body_as_all_empty() -> None:
    assert empty_share(_page(), BODY, dpi=72) == 1.0


def it_counts_a_cell_with_one_mark_as_used() -> None:
    assert empty_cells(_page(((12, 12),)), BODY, dpi=72) == [
        (r, c) for r in range(ROWS) for c in range(COLUMNS) if (r, c) != (0, 0)
    ]
    assert empty_share(_page(((49, 89),)), BODY, dpi=72) == 1 - 1 / (ROWS * COLUMNS)


def it_ignores_what_is_drawn_outside_the_body() -> None:
    assert empty_share(_page(((5, 5), (60, 50), (20, 95))), BODY, dpi=72) == 1.0


def it_finds_a_half_empty_page_too_empty(document: Document, tmp_path: Path) -> None:
    chart = Chart("c", "工业硅库存", None, chart_pdf("图表正文c"), ("SMM",))
    sections = (
        Section("v", "每日观点", (Paragraph("工业硅供给端来看，" * 40, ("SMM",)),), "view"),
        Section("c", "工业硅库存", (ChartGrid((chart,)),), "charts", new_page=True),
    )
    result = render_pdf(replace(document, sections=sections), tmp_path / "half.pdf")
    shares = [empty_share(image, body_of(document)) for image in rasterise(result.path)]
    assert shares[0] > MOST_EMPTY and shares[1] > MOST_EMPTY
