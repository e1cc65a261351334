"""PDF renderer: chart grids as empty slots in the layout, filled with vector artwork by pikepdf
(a drawing for print gets its text laid over it); under each chart the line naming its
sources."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import pikepdf
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak

from publisher.charts.artwork import PrintArtwork
from publisher.layout.model import CONTINUED, Chart, ChartGrid
from publisher.render.pdf.chart_text import text_pages
from publisher.render.pdf.kinsoku import FUZZ, KinsokuParagraph, escape
from publisher.render.pdf.theme import BODY_WIDTH, GUTTER, PAGE_HEIGHT, SOURCES_LABEL, Theme
from publisher.render.pdf.titles import SectionTitle, repeats

TITLE_GAP = 3  # between a chart's title and its artwork
SOURCE_GAP = 1.5  # between a chart's artwork and its 数据来源 line
ROW_GAP = 10  # between two rows of a grid
# A page that ends in at least this share of its height left white already "ends in white".
WHITE_ENDING = 0.12


@dataclass(frozen=True)
class Slot:
    """Where one chart's artwork goes: a 1-based page number and an absolute PDF rectangle."""

    page: int
    chart: Chart = field(repr=False)
    rect: tuple[float, float, float, float]  # llx, lly, urx, ury

    @property
    def chart_id(self) -> str:
        return self.chart.id


class Drawing(Protocol):
    """Artwork drawn apart from the document (the charts stage's pool), read by chart id:
    reading waits for it; its aspect is known before it is drawn."""

    def __contains__(self, chart_id: object) -> bool: ...

    def __getitem__(self, chart_id: str) -> bytes | PrintArtwork: ...

    def aspect(self, chart_id: str) -> float | None:
        """None for a chart whose aspect only its artwork tells, or that it does not draw."""
        ...


class ArtworkLibrary:
    """Each chart's one-page PDF, opened once and shared by the layout passes and composition.
    A chart the document holds no artwork for is taken from `drawing`, and only when its page
    is composed: the pages are laid out while it is drawn."""

    def __init__(self, drawing: Drawing | None = None) -> None:
        self._drawing = drawing
        self._pdfs: dict[bytes, pikepdf.Pdf] = {}
        self._held: list[pikepdf.Pdf] = []

    def _artwork(self, chart: Chart) -> bytes | PrintArtwork:
        if chart.artwork or self._drawing is None or chart.id not in self._drawing:
            return chart.artwork
        return self._drawing[chart.id]

    def for_print(self, chart: Chart) -> PrintArtwork | None:
        """The chart's drawing for print, whose text is to be laid over it; None for
        artwork that carries its own text."""
        artwork = self._artwork(chart)
        return artwork if isinstance(artwork, PrintArtwork) else None

    def _open(self, chart: Chart) -> pikepdf.Pdf:
        drawn = self._artwork(chart)
        artwork = drawn.pdf if isinstance(drawn, PrintArtwork) else drawn
        pdf = self._pdfs.get(artwork)
        if pdf is None:
            try:
                pdf = pikepdf.open(io.BytesIO(artwork))
            except pikepdf.PdfError as error:
                raise ValueError(f"chart {chart.id!r}: artwork is not a PDF ({error})") from None
            if len(pdf.pages) != 1:
                raise ValueError(f"chart {chart.id!r}: artwork has {len(pdf.pages)} pages, not 1")
            self._pdfs[artwork] = pdf
        return pdf

    def aspect(self, chart: Chart) -> float:
        """Height over width of the chart's drawn page (known before it is drawn, or read
        from the artwork, waiting for it)."""
        if not chart.artwork and self._drawing is not None:
            known = self._drawing.aspect(chart.id)
            if known is not None:
                return known
        box = self._open(chart).pages[0].trimbox
        llx, lly, urx, ury = (float(v) for v in box)
        return (ury - lly) / (urx - llx)

    def page(self, chart: Chart) -> pikepdf.Page:
        return self._open(chart).pages[0]

    def held(self, pdf: pikepdf.Pdf) -> pikepdf.Pdf:
        """Keep `pdf` open with the artwork: what is copied from it is read when saving."""
        self._held.append(pdf)
        return pdf

    def close(self) -> None:
        for pdf in [*self._pdfs.values(), *self._held]:
            pdf.close()
        self._pdfs.clear()
        self._held.clear()


@dataclass(frozen=True)
class _Cell:
    chart: Chart
    x: float
    width: float
    height: float


@dataclass(frozen=True)
class GridSetting:
    """What every part of one chart grid is drawn with, wherever it splits."""

    theme: Theme
    library: ArtworkLibrary
    slots: list[Slot]
    columns: int
    section: str  # the title a part starting a new page repeats, with （续）
    # Whether another section follows the grid on its last page. Only then may a single
    # half-width chart go on alone to the next page: there it has company.
    followed: bool = True
    labels: dict[tuple[str, float], _Labels] = field(default_factory=dict)


@dataclass(frozen=True)
class _Labels:
    """A chart's title above it (None where it only repeats the section's title) and its
    数据来源 line under it, set to its width."""

    title: KinsokuParagraph | None
    title_height: float
    source: KinsokuParagraph
    source_height: float


def _labels(cell: _Cell, setting: GridSetting) -> _Labels:
    # A grid is measured again for each way it may split: each chart's text is set once.
    key = (cell.chart.id, cell.width)
    if key not in setting.labels:
        theme, chart = setting.theme, cell.chart
        title = None
        if not repeats(chart.title, setting.section):
            title = KinsokuParagraph(escape(chart.title), theme.chart_title)
        source = KinsokuParagraph(escape(source_line(chart, theme)), theme.chart_source)
        setting.labels[key] = _Labels(
            title,
            title.wrap(cell.width, PAGE_HEIGHT)[1] if title else 0.0,
            source,
            source.wrap(cell.width, PAGE_HEIGHT)[1],
        )
    return setting.labels[key]


class _Row:
    """One row of a grid: each chart's bold title above it (unless it only repeats the
    section's title), an empty slot for its artwork, and its 数据来源 line right under it."""

    def __init__(self, cells: Sequence[_Cell], setting: GridSetting) -> None:
        self.cells = tuple(cells)
        self.labels = [_labels(cell, setting) for cell in self.cells]
        self.slot_height = max(cell.height for cell in self.cells)
        self.title_height = max(label.title_height for label in self.labels)
        self.source_height = max(label.source_height for label in self.labels)
        self.height = self.slot_height + self.source_height + SOURCE_GAP
        if self.title_height:
            self.height += self.title_height + TITLE_GAP

    def draw(self, canvas: Canvas, top: float, page: int, slots: list[Slot]) -> None:
        """Draw the row from `top` (in the flowable's coordinates) down; record the slots."""
        slot_top = top - (self.title_height + TITLE_GAP if self.title_height else 0.0)
        for labels, cell in zip(self.labels, self.cells, strict=True):
            title, source = labels.title, labels.source
            if title is not None:
                title.wrap(cell.width, self.title_height)
                title.drawOn(canvas, cell.x, top - title.height)
            # Shorter artwork in a row hangs from the top, level with its neighbour's.
            lly = slot_top - cell.height
            x0, y0 = canvas.absolutePosition(cell.x, lly)
            x1, y1 = canvas.absolutePosition(cell.x + cell.width, lly + cell.height)
            slots.append(Slot(page, cell.chart, (x0, y0, x1, y1)))
            source.wrap(cell.width, self.source_height)
            source.drawOn(canvas, cell.x, lly - SOURCE_GAP - source.height)


def source_line(chart: Chart, theme: Theme) -> str:
    """数据来源：SMM，上海钢联: the chart's sources in the order the page's footer lists them."""
    return SOURCES_LABEL + "，".join(theme.order_sources(chart.sources))


class ChartBlock(Flowable):
    """A chart grid, or the part of it on one page: rows of charts, `columns` to a row, a wide
    chart on a row of its own. Slots' absolute positions are recorded while drawing, because
    only then is the page known.

    It splits between charts; what goes on starts the next page under the section's title +
    （续）. A single half-width chart goes on alone only into company, and only from a page
    that ends in white anyway; else it takes its neighbour along."""

    splits_by_itself = True  # its section's title is glued to its first part (titles.headed)

    def __init__(self, charts: Sequence[Chart], setting: GridSetting) -> None:
        super().__init__()
        self.charts = tuple(charts)
        self.setting = setting
        self.rows = [_Row(cells, setting) for cells in _cells(self.charts, setting)]
        self.data_sources = tuple(dict.fromkeys(s for c in self.charts for s in c.sources))
        self.full_height = sum(row.height for row in self.rows) + ROW_GAP * (len(self.rows) - 1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, self.full_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.full_height <= availHeight + FUZZ:
            return [self]
        setting = self.setting
        for cut in range(len(self.charts) - 1, 0, -1):
            first = ChartBlock(self.charts[:cut], setting)
            left = availHeight - first.full_height
            if left >= -FUZZ and not self._widow(self.charts[cut:], left):
                more = SectionTitle("", setting.section + CONTINUED, setting.theme)
                return [first, PageBreak(), more, ChartBlock(self.charts[cut:], setting)]
        return []  # not one chart fits here: the grid starts on the next page

    def _widow(self, rest: Sequence[Chart], left: float) -> bool:
        """Whether `rest` is a single half-width chart that should not go on alone. It may
        when another section follows it there and this page ends in white anyway (`left`
        points of it): it would add the empty half beside it to a page already short of
        content, where on the next page it has company."""
        if len(rest) > 1 or rest[0].wide or self.setting.columns == 1:
            return False
        frame = getattr(self, "_frame", None)
        page = frame._aH if frame is not None else PAGE_HEIGHT
        return not (self.setting.followed and left >= WHITE_ENDING * page)

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        top = self.height
        for row in self.rows:
            row.draw(self.canv, top, page, self.setting.slots)
            top -= row.height + ROW_GAP


def _cells(charts: Sequence[Chart], setting: GridSetting) -> list[list[_Cell]]:
    """Each row's charts with their places: half-width ones side by side, wide ones alone."""
    columns = setting.columns
    narrow = (BODY_WIDTH - GUTTER * (columns - 1)) / columns
    aspect = setting.library.aspect
    cells = []
    for row in _rows(charts, columns):
        width = BODY_WIDTH if row[0].wide else narrow
        cells.append(
            [
                _Cell(chart, i * (narrow + GUTTER), width, width * aspect(chart))
                for i, chart in enumerate(row)
            ]
        )
    return cells


def _rows(charts: Sequence[Chart], columns: int) -> list[list[Chart]]:
    """Charts in reading order, `columns` to a row; a wide chart has a row to itself."""
    rows: list[list[Chart]] = []
    current: list[Chart] = []
    for chart in charts:
        if chart.wide:
            if current:
                rows.append(current)
                current = []
            rows.append([chart])
            continue
        current.append(chart)
        if len(current) == columns:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    return rows


def last_on_its_page(flowables: Sequence[Flowable]) -> None:
    """Tell the grids among a section's `flowables` that nothing follows them on their last
    page (the section is the report's last, or the next one starts a new page)."""
    for flowable in flowables:
        block = getattr(flowable, "body", flowable)  # a grid under its titles (titles.Headed)
        if isinstance(block, ChartBlock):
            block.setting = replace(block.setting, followed=False)


def chart_grid_flowables(
    grid: ChartGrid, theme: Theme, library: ArtworkLibrary, slots: list[Slot], section: str = ""
) -> list[Flowable]:
    """The grid as one block that splits between charts, repeating `section`'s title + （续）
    where it goes on to a new page."""
    setting = GridSetting(theme, library, slots, max(1, grid.columns), section)
    return [ChartBlock(grid.charts, setting)]


def compose(pdf: pikepdf.Pdf, slots: Sequence[Slot], library: ArtworkLibrary) -> None:
    """Overlay each chart's page, as a form XObject, on its slot, scaled to fit, centred; a
    drawing for print gets its text page laid over it the same way.

    This is pikepdf's `Page.add_overlay`, except that the resource is named after the chart's
    place (add_overlay draws a random name) so that the same document gives the same bytes.
    """
    texts = _text_forms(pdf, slots, library)
    by_page: dict[int, list[Slot]] = {}
    for slot in slots:
        by_page.setdefault(slot.page, []).append(slot)
    for number, placed in by_page.items():
        page = pdf.pages[number - 1]
        # The page's own drawing is closed in q/Q, so the charts start from a clean state.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n")
        for index, slot in enumerate(placed):
            form = pdf.copy_foreign(library.page(slot.chart).as_form_xobject())
            _place(page, form, f"/Chart{index}", slot)
            if slot.chart.id in texts:
                _place(page, texts[slot.chart.id], f"/ChartText{index}", slot)
        page.contents_coalesce()


def _place(page: pikepdf.Page, form: pikepdf.Object, name: str, slot: Slot) -> None:
    named = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    content = page.calc_form_xobject_placement(
        form, named, pikepdf.Rectangle(*slot.rect), allow_shrink=True, allow_expand=True
    )
    page.contents_add(b"q\n" + content + b"\nQ\n")


def _text_forms(
    pdf: pikepdf.Pdf, slots: Sequence[Slot], library: ArtworkLibrary
) -> dict[str, pikepdf.Object]:
    """Each drawing for print's text as a form XObject in `pdf`, by chart id: all set in
    one reportlab document, so they share one subset of the report's font."""
    drawn = {slot.chart.id: library.for_print(slot.chart) for slot in slots}
    printed = {chart_id: art for chart_id, art in drawn.items() if art is not None}
    if not printed:
        return {}
    pages = library.held(pikepdf.open(io.BytesIO(text_pages(list(printed.values())))))
    return {
        chart_id: pdf.copy_foreign(page.as_form_xobject())
        for chart_id, page in zip(printed, pages.pages, strict=True)
    }
