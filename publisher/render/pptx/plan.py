"""Deck renderer: the Document cut into slides — text flowed and split, tables and charts paged."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from publisher.layout.columns import figure_columns, fit_columns
from publisher.layout.model import (
    CONTINUED,
    BulletList,
    Callout,
    Chart,
    ChartGrid,
    Document,
    FactorLine,
    Paragraph,
    Section,
    Table,
)
from publisher.render.pptx.text import line_count, text_width, wrap

# Text sizes (pt). Exact line spacing makes a box's height a product, not a guess.
BODY_PT = 13.0
BODY_LINE = 19.0
BLOCK_GAP = 5.0
CALLOUT_PT = 14.0
CALLOUT_LINE = 19.0
CALLOUT_PAD = 6.0
LABEL_WIDTH = 86.0  # the 利多 / 主要风险点 column of a bullet list
BULLET_INDENT = 16.0
COLUMN_GAP = 28.0
TABLE_PT = 11.0
TABLE_ROW = 23.0  # one line of 11 pt and its padding, for CJK faces' tall line boxes too
TABLE_LINE = 14.0  # each further line of a wrapped cell
TABLE_ROWS_MAX = 14
TABLE_CAPTION = 24.0
TABLE_NOTE = 22.0
CELL_PAD = 5.0
CHARTS_MAX = 4
BUSY_SERIES = 5  # a chart with more legend entries needs a taller slot: three a slide at most
STALE_MARK = "*"  # room kept beside a marked label when estimating widths


@dataclass(frozen=True)
class Span:
    """A run of a block's displayed text and how it is set."""

    text: str
    role: str  # head | text | verdict | callout


@dataclass(frozen=True)
class Piece:
    """A text block, or the part of it that lands on one slide."""

    block: Paragraph | FactorLine | Callout | BulletList
    start: int  # character range of the block's display text, or item range of a list
    end: int
    height: float  # points, the gap after it included

    @property
    def first(self) -> bool:
        return self.start == 0


@dataclass(frozen=True)
class SlidePlan:
    kind: str  # title | text | table | charts
    title: str
    layout: str
    sources: tuple[str, ...] = ()
    columns: tuple[tuple[Piece, ...], ...] = ()
    column_count: int = 1
    table: Table | None = None
    rows: tuple[int, ...] = ()
    charts: tuple[Chart, ...] = ()


@dataclass
class Flow:
    """Text pieces being filled into the columns of one slide after another."""

    height: float
    columns: int
    slides: list[list[list[Piece]]] = field(default_factory=list)
    used: float = 0.0

    def start(self) -> None:
        self.slides.append([[]])
        self.used = 0.0

    def next_column(self) -> None:
        if len(self.slides[-1]) < self.columns:
            self.slides[-1].append([])
            self.used = 0.0
        else:
            self.start()

    @property
    def room(self) -> float:
        return self.height - self.used

    @property
    def empty(self) -> bool:
        return not self.slides[-1][-1]

    def add(self, piece: Piece) -> None:
        self.slides[-1][-1].append(piece)
        self.used += piece.height

    def take_last(self) -> Piece | None:
        """The column's last piece, taken back to go along with what follows it."""
        column = self.slides[-1][-1]
        if len(column) < 2:
            return None
        piece = column.pop()
        self.used -= piece.height
        return piece


# --- text ----------------------------------------------------------------------------------------


def spans(block: Paragraph | FactorLine | Callout) -> tuple[Span, ...]:
    if isinstance(block, FactorLine):
        out = [Span(f"{block.number}、{block.name}：", "head")]
        if block.text:
            out.append(Span(block.text + " ", "text"))
        return (*out, Span(block.verdict, "verdict"))
    if isinstance(block, Callout):
        return (Span(block.text, "callout"),)
    return (Span(block.text, "text"),)


def display(block: Paragraph | FactorLine | Callout) -> str:
    return "".join(s.text for s in spans(block))


def indent(block: object, first: bool) -> float:
    """Paragraphs open with two ideographic spaces' indent, as Chinese prose does."""
    return 2 * BODY_PT if isinstance(block, Paragraph) and first else 0.0


def text_height(block: Paragraph | FactorLine, start: int, end: int, width: float) -> float:
    text = display(block)[start:end]
    return line_count(text, BODY_PT, width, indent(block, start == 0)) * BODY_LINE + BLOCK_GAP


def callout_height(block: Callout, width: float) -> float:
    lines = line_count(block.text, CALLOUT_PT, width - 2 * CALLOUT_PAD - 6)
    return lines * CALLOUT_LINE + 2 * CALLOUT_PAD + BLOCK_GAP + 4


def item_height(text: str, width: float) -> float:
    return line_count(text, BODY_PT, width - LABEL_WIDTH - BULLET_INDENT) * BODY_LINE + 3


def bullets_height(block: BulletList, start: int, end: int, width: float) -> float:
    items = block.items[start:end] or ("",)
    return sum(item_height(t, width) for t in items) + BLOCK_GAP + 4


def _split_text(
    block: Paragraph | FactorLine, start: int, width: float, room: float
) -> Piece | None:
    """The longest head of the text from `start` that fits `room`, cut at a line end; None when
    not even two lines fit (a lone line at the foot of a slide reads as a mistake)."""
    text = display(block)[start:]
    lines = wrap(text, BODY_PT, width, indent(block, start == 0))
    fit = int((room - BLOCK_GAP) // BODY_LINE)
    if fit < 2 or len(lines) - fit < 1:
        return None
    end = start + sum(len(line) for line in lines[:fit])
    return Piece(block, start, end, fit * BODY_LINE + BLOCK_GAP)


def _flow_text(flow: Flow, block: Paragraph | FactorLine, width: float) -> None:
    total = len(display(block))
    start = 0
    while start < total:
        height = text_height(block, start, total, width)
        if height <= flow.room:
            flow.add(Piece(block, start, total, height))
            return
        head = _split_text(block, start, width, flow.room)
        if head is None:
            if flow.empty:  # cannot happen with a sane slide, but never loop forever
                flow.add(Piece(block, start, total, height))
                return
            flow.next_column()
            continue
        flow.add(head)
        start = head.end
        flow.next_column()


def _flow_bullets(flow: Flow, block: BulletList, width: float) -> None:
    start, total = 0, max(1, len(block.items))
    while start < total:
        end = total
        while end > start + 1 and bullets_height(block, start, end, width) > flow.room:
            end -= 1
        height = bullets_height(block, start, end, width)
        if height > flow.room and not flow.empty:
            flow.next_column()
            continue
        flow.add(Piece(block, start, end, height))
        start = end
        if start < total:
            flow.next_column()


def flow_text(
    blocks: Sequence[Paragraph | FactorLine | Callout | BulletList],
    width: float,
    height: float,
    columns: int,
    callout_breaks: bool,
) -> list[list[list[Piece]]]:
    """Slides of columns of pieces. With `callout_breaks`, a callout heads a new column (the
    summary's product names head their own column)."""
    flow = Flow(height, columns)
    flow.start()
    for block in blocks:
        if isinstance(block, Callout):
            if callout_breaks and not flow.empty:
                flow.next_column()
            piece_height = callout_height(block, width)
            if piece_height > flow.room and not flow.empty:
                # the range call closes a view: it takes the last factor along, never
                # starting a slide alone
                last = flow.take_last() if not callout_breaks else None
                flow.next_column()
                if last is not None:
                    flow.add(last)
            flow.add(Piece(block, 0, len(block.text), piece_height))
        elif isinstance(block, BulletList):
            _flow_bullets(flow, block, width)
        else:
            _flow_text(flow, block, width)
    return [s for s in flow.slides if any(s)]


# --- tables --------------------------------------------------------------------------------------


def column_widths(table: Table, width: float, figures: Sequence[bool] | None = None) -> list[float]:
    """The model's relative widths (or the natural ones), figure columns never narrower than
    their widest figure, stretched to `width` points."""
    figures = figures or figure_columns(table)
    natural = []
    for c, head in enumerate(table.header):
        cells = [r.cells[c] + STALE_MARK for r in table.rows if c < len(r.cells)]
        widest = max(text_width(t, TABLE_PT) for t in [head, *cells])
        natural.append(widest + 2 * CELL_PAD + 2)
    share = table.widths if len(table.widths) == len(table.header) else natural
    least = [n if figure else 0.0 for n, figure in zip(natural, figures, strict=True)]
    return fit_columns(share, least, width)


def row_height(cells: Sequence[str], widths: Sequence[float], size: float = TABLE_PT) -> float:
    lines = max(
        (
            line_count(t + STALE_MARK, size, w - 2 * CELL_PAD)
            for t, w in zip(cells, widths, strict=False)
        ),
        default=1,
    )
    scale = size / TABLE_PT
    return (TABLE_ROW + (lines - 1) * TABLE_LINE) * scale


def table_pages(
    table: Table, width: float, height: float, captioned: bool
) -> list[tuple[int, ...]]:
    """Row indices per slide, spread evenly over as few slides as the greedy fill needs (no
    slide of one leftover row)."""
    pages = _fill_pages(table, width, height, captioned, TABLE_ROWS_MAX)
    for most in range(math.ceil(len(table.rows) / len(pages)), TABLE_ROWS_MAX):
        balanced = _fill_pages(table, width, height, captioned, most)
        if len(balanced) == len(pages):
            return balanced
    return pages


def _fill_pages(
    table: Table, width: float, height: float, captioned: bool, most: int
) -> list[tuple[int, ...]]:
    """At most `most` rows a slide, within the height under the repeated header, and never a
    category's first row alone at the foot of a slide."""
    widths = column_widths(table, width)
    header = row_height(table.header, widths)
    budget = height - header - (TABLE_CAPTION if captioned else 0) - TABLE_NOTE
    pages: list[tuple[int, ...]] = []
    page: list[int] = []
    used = 0.0
    for index, row in enumerate(table.rows):
        h = row_height(row.cells, widths)
        if page and (len(page) >= most or used + h > budget):
            if len(page) > 1 and table.rows[page[-1]].group_start:
                page, carried = page[:-1], [page[-1]]
            else:
                carried = []
            pages.append(tuple(page))
            page = carried
            used = sum(row_height(table.rows[i].cells, widths) for i in page)
        page.append(index)
        used += h
    if page or not pages:
        pages.append(tuple(page))
    return pages


# --- charts --------------------------------------------------------------------------------------


def chart_pages(grid: ChartGrid) -> list[tuple[Chart, ...]]:
    """Wide charts alone; the others in runs of up to four, spread evenly (5 → 3 + 2)."""
    pages: list[tuple[Chart, ...]] = []
    run: list[Chart] = []

    def flush() -> None:
        if run:
            busy = any(len(getattr(c.data, "series", ())) >= BUSY_SERIES for c in run)
            count = math.ceil(len(run) / (CHARTS_MAX - 1 if busy else CHARTS_MAX))
            size = math.ceil(len(run) / count)
            pages.extend(tuple(run[i : i + size]) for i in range(0, len(run), size))
            run.clear()

    for chart in grid.charts:
        if chart.wide:
            flush()
            pages.append((chart,))
        else:
            run.append(chart)
    flush()
    return pages


# --- the whole deck ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """The body box's size in points, for the planner."""

    width: float
    height: float


def _runs(section: Section) -> Iterator[tuple[str, list[object]]]:
    """Consecutive blocks of one kind: text blocks flow together, tables and grids stand alone."""
    text: list[object] = []
    for block in section.blocks:
        if isinstance(block, Table | ChartGrid):
            if text:
                yield "text", text
                text = []
            yield ("table" if isinstance(block, Table) else "charts"), [block]
        else:
            text.append(block)
    if text:
        yield "text", text


def _piece_sources(piece: Piece) -> tuple[str, ...]:
    return piece.block.sources


def _titles(title: str) -> Iterator[str]:
    yield title
    while True:
        yield title + CONTINUED


def plan_section(document: Document, section: Section, room: Room) -> list[SlidePlan]:
    slides: list[SlidePlan] = []
    titles = _titles(section.title)
    columns = 2 if section.kind == "summary" else 1
    column_width = (room.width - (columns - 1) * COLUMN_GAP) / columns
    for kind, blocks in _runs(section):
        if kind == "text":
            for slide in flow_text(blocks, column_width, room.height, columns, columns > 1):  # type: ignore[arg-type]
                found = {s for column in slide for p in column for s in _piece_sources(p)}
                slides.append(
                    SlidePlan(
                        "text",
                        next(titles),
                        "Content",
                        document.ordered_sources(found),
                        columns=tuple(tuple(c) for c in slide),
                        column_count=columns,
                    )
                )
        elif kind == "table":
            table: Table = blocks[0]  # type: ignore[assignment]
            captioned = bool(table.title) and table.title != section.title
            for rows in table_pages(table, room.width, room.height, captioned):
                found = {s for i in rows for s in table.rows[i].sources}
                slides.append(
                    SlidePlan(
                        "table",
                        next(titles),
                        "Content",
                        document.ordered_sources(found),
                        table=table,
                        rows=rows,
                    )
                )
        else:
            grid: ChartGrid = blocks[0]  # type: ignore[assignment]
            for charts in chart_pages(grid):
                found = {s for c in charts for s in c.sources}
                slides.append(
                    SlidePlan(
                        "charts",
                        next(titles),
                        "Charts",
                        document.ordered_sources(found),
                        charts=charts,
                    )
                )
    return slides


def plan_deck(document: Document, room: Room) -> list[SlidePlan]:
    """The title slide, then every section's slides in order (a cover section is the title)."""
    slides = [SlidePlan("title", document.title, "Title")]
    for section in document.sections:
        if section.kind == "cover" and not section.blocks:
            continue
        slides += plan_section(document, section, room)
    return slides
