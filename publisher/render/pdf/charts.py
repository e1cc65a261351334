"""PDF renderer: chart grids as empty slots in the layout, filled with vector artwork by pikepdf."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import pikepdf
from reportlab.platypus import Flowable, Spacer

from publisher.layout.model import CONTINUED, Chart, ChartGrid
from publisher.render.pdf.kinsoku import KinsokuParagraph, escape
from publisher.render.pdf.theme import BODY_WIDTH, GUTTER, Theme
from publisher.render.pdf.titles import SectionTitle

TITLE_GAP = 3  # between a chart's title and its artwork
ROW_GAP = 10  # between two rows of a grid


@dataclass(frozen=True)
class Slot:
    """Where one chart's artwork goes: a 1-based page number and an absolute PDF rectangle."""

    page: int
    chart_id: str
    artwork: bytes = field(repr=False)
    rect: tuple[float, float, float, float]  # llx, lly, urx, ury


class ArtworkLibrary:
    """Each chart's one-page PDF, opened once and shared by the layout passes and composition."""

    def __init__(self) -> None:
        self._pdfs: dict[bytes, pikepdf.Pdf] = {}

    def _open(self, chart: Chart) -> pikepdf.Pdf:
        pdf = self._pdfs.get(chart.artwork)
        if pdf is None:
            try:
                pdf = pikepdf.open(io.BytesIO(chart.artwork))
            except pikepdf.PdfError as error:
                raise ValueError(f"chart {chart.id!r}: artwork is not a PDF ({error})") from None
            if len(pdf.pages) != 1:
                raise ValueError(f"chart {chart.id!r}: artwork has {len(pdf.pages)} pages, not 1")
            self._pdfs[chart.artwork] = pdf
        return pdf

    def aspect(self, chart: Chart) -> float:
        """Height over width of the chart's drawn page."""
        box = self._open(chart).pages[0].trimbox
        llx, lly, urx, ury = (float(v) for v in box)
        return (ury - lly) / (urx - llx)

    def page(self, artwork: bytes) -> pikepdf.Page:
        return self._pdfs[artwork].pages[0]

    def close(self) -> None:
        for pdf in self._pdfs.values():
            pdf.close()
        self._pdfs.clear()


@dataclass(frozen=True)
class _Cell:
    chart: Chart
    x: float
    width: float
    height: float


class ChartRow(Flowable):
    """One row of a chart grid: a bold title above each chart and an empty slot for its artwork.

    The slot's absolute position is recorded while drawing, because only then is the page known.
    """

    def __init__(
        self, cells: Sequence[_Cell], theme: Theme, slots: list[Slot], continues: str = ""
    ) -> None:
        super().__init__()
        self.cells = tuple(cells)
        self.slots = slots
        # A row after the grid's first names its section again, as "…（续）", when it is the
        # first thing on a page: a reader arriving there sees what the charts belong to.
        self.continued = SectionTitle("", continues + CONTINUED, theme) if continues else None
        self.heading_height = 0.0
        self.spaceBefore = ROW_GAP if continues else 0  # a frame drops it at a page's top
        self.titles = [
            KinsokuParagraph(escape(cell.chart.title), theme.chart_title) for cell in self.cells
        ]
        self.data_sources = tuple(
            dict.fromkeys(s for cell in self.cells for s in cell.chart.sources)
        )
        self.slot_height = max(cell.height for cell in self.cells)
        self.title_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        heights = [
            t.wrap(c.width, availHeight)[1] for t, c in zip(self.titles, self.cells, strict=True)
        ]
        self.title_height = max(heights)
        self.heading_height = 0.0
        if self.continued and self._at_page_top():
            self.heading_height = self.continued.wrap(availWidth, availHeight)[1]
            self.heading_height += self.continued.spaceAfter
        self.width = availWidth
        self.height = self.heading_height + self.title_height + TITLE_GAP + self.slot_height
        return self.width, self.height

    def _at_page_top(self) -> bool:
        # reportlab's Frame gives each flowable it places its frame before wrapping it
        frame = getattr(self, "_frame", None)
        return bool(frame is not None and frame._atTop)

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        if self.continued and self.heading_height:
            self.continued.drawOn(self.canv, 0, self.height - self.continued.height)
        top = self.height - self.heading_height
        for title, cell in zip(self.titles, self.cells, strict=True):
            title.wrap(cell.width, self.title_height)
            title.drawOn(self.canv, cell.x, top - title.height)
            # Shorter artwork in a row hangs from the top, level with its neighbour's.
            lly = self.slot_height - cell.height
            x0, y0 = self.canv.absolutePosition(cell.x, lly)
            x1, y1 = self.canv.absolutePosition(cell.x + cell.width, lly + cell.height)
            self.slots.append(Slot(page, cell.chart.id, cell.chart.artwork, (x0, y0, x1, y1)))


def _rows(grid: ChartGrid) -> list[list[Chart]]:
    """Charts in reading order, `columns` to a row; a wide chart has a row to itself."""
    rows: list[list[Chart]] = []
    current: list[Chart] = []
    for chart in grid.charts:
        if chart.wide:
            if current:
                rows.append(current)
                current = []
            rows.append([chart])
            continue
        current.append(chart)
        if len(current) == max(1, grid.columns):
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    return rows


def chart_grid_flowables(
    grid: ChartGrid, theme: Theme, library: ArtworkLibrary, slots: list[Slot], section: str = ""
) -> list[Flowable]:
    """The grid's rows; rows after the first repeat `section`'s title where a page starts."""
    columns = max(1, grid.columns)
    narrow = (BODY_WIDTH - GUTTER * (columns - 1)) / columns
    flowables: list[Flowable] = []
    for index, row in enumerate(_rows(grid)):
        width = BODY_WIDTH if row[0].wide else narrow
        cells = [
            _Cell(chart, i * (narrow + GUTTER), width, width * library.aspect(chart))
            for i, chart in enumerate(row)
        ]
        flowables.append(ChartRow(cells, theme, slots, section if index else ""))
    return [*flowables, Spacer(1, ROW_GAP)]


def compose(pdf: pikepdf.Pdf, slots: Sequence[Slot], library: ArtworkLibrary) -> None:
    """Overlay each chart's page, as a form XObject, on its slot, scaled to fit, centred.

    This is pikepdf's `Page.add_overlay`, except that the resource is named after the chart's
    place (add_overlay draws a random name) so that the same document gives the same bytes.
    """
    by_page: dict[int, list[Slot]] = {}
    for slot in slots:
        by_page.setdefault(slot.page, []).append(slot)
    for number, placed in by_page.items():
        page = pdf.pages[number - 1]
        # The page's own drawing is closed in q/Q, so the charts start from a clean state.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n")
        for index, slot in enumerate(placed):
            form = pdf.copy_foreign(library.page(slot.artwork).as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/Chart{index}"))
            content = page.calc_form_xobject_placement(
                form, name, pikepdf.Rectangle(*slot.rect), allow_shrink=True, allow_expand=True
            )
            page.contents_add(b"q\n" + content + b"\nQ\n")
        page.contents_coalesce()
