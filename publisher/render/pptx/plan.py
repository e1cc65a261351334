"""Deck renderer: the Document cut into slides — text flowed and split, tables and charts paged."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from publisher.layout.columns import figure_columns, fit_columns
from publisher.layout.groups import first_category_cell, group_spans
from publisher.layout.model import (
    CONTINUED,
    BulletList,
    Callout,
    Chart,
    ChartGrid,
    Document,
    FactorLine,
    KeyFigures,
    Paragraph,
    ProductCall,
    Section,
    Table,
)
from publisher.render.pptx.text import line_count, one_line_size, text_width, wrap

# Text sizes (pt), for a screen: body 16 at least (the layout may ask more), tables and chart
# text 12. Exact line spacing makes a box's height a product, not a guess; it is kept at
# about 1.45 em, the CJK faces' own line box (tighter clips a first line in LibreOffice).
BODY_PT = 16.0
LINE_RATIO = 1.45
BLOCK_GAP = 5.0
CALLOUT_PAD = 6.0
COLUMN_GAP = 28.0
TABLE_PT = 12.0
TABLE_ROW = 26.0  # one line of 12 pt and its padding, for CJK faces' tall line boxes too
TABLE_LINE = 17.5  # each further line of a wrapped cell
TABLE_ROWS_MAX = 14
TABLE_CAPTION = 24.0
TABLE_NOTE = 24.0
NOTE_PT = 12.0  # a table's stale-mark note
CELL_PAD = 5.0
CHARTS_MAX = 3  # side by side: a 2 × 2 grid leaves 12 pt chart text no room to plot
BUSY_SERIES = 5  # a chart with more legend entries needs a taller slot: three a slide at most
STALE_MARK = "*"  # room kept beside a marked label when estimating widths


def spacing(size: float) -> float:
    """The exact line spacing text of `size` points is set with, in half points."""
    return math.ceil(size * LINE_RATIO * 2) / 2


@dataclass(frozen=True)
class Sizes:
    """One deck's body text sizes (pt), from the body size its layout asks for."""

    body: float = BODY_PT

    @property
    def line(self) -> float:
        return spacing(self.body)

    @property
    def callout(self) -> float:
        return self.body + 1

    @property
    def callout_line(self) -> float:
        return spacing(self.callout)

    @property
    def label_width(self) -> float:
        """The 利多 / 主要风险点 column of a bullet list: five characters and air."""
        return round(self.body * 6.6)

    @property
    def bullet_indent(self) -> float:
        return self.body


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
    sizes: Sizes = Sizes()
    call: ProductCall | None = None  # a summary slide's key figures, left of its columns


@dataclass
class Flow:
    """Text pieces being filled into the columns of one slide after another."""

    height: float
    columns: int
    sizes: Sizes = Sizes()
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


def indent(block: object, first: bool, sizes: Sizes = Sizes()) -> float:
    """Paragraphs open with two ideographic spaces' indent, as Chinese prose does."""
    return 2 * sizes.body if isinstance(block, Paragraph) and first else 0.0


def text_height(
    block: Paragraph | FactorLine, start: int, end: int, width: float, sizes: Sizes = Sizes()
) -> float:
    text = display(block)[start:end]
    lines = line_count(text, sizes.body, width, indent(block, start == 0, sizes))
    return lines * sizes.line + BLOCK_GAP


def callout_height(block: Callout, width: float, sizes: Sizes = Sizes()) -> float:
    lines = line_count(block.text, sizes.callout, width - 2 * CALLOUT_PAD - 6)
    return lines * sizes.callout_line + 2 * CALLOUT_PAD + BLOCK_GAP + 4


def item_height(text: str, width: float, sizes: Sizes = Sizes()) -> float:
    room = width - sizes.label_width - sizes.bullet_indent
    return line_count(text, sizes.body, room) * sizes.line + 3


def bullets_height(
    block: BulletList, start: int, end: int, width: float, sizes: Sizes = Sizes()
) -> float:
    items = block.items[start:end] or ("",)
    return sum(item_height(t, width, sizes) for t in items) + BLOCK_GAP + 4


def _split_text(
    block: Paragraph | FactorLine, start: int, width: float, room: float, sizes: Sizes
) -> Piece | None:
    """The longest head of the text from `start` that fits `room`, cut at a line end; None when
    not even two lines fit (a lone line at the foot of a slide reads as a mistake)."""
    text = display(block)[start:]
    lines = wrap(text, sizes.body, width, indent(block, start == 0, sizes))
    fit = int((room - BLOCK_GAP) // sizes.line)
    if fit < 2 or len(lines) - fit < 1:
        return None
    end = start + sum(len(line) for line in lines[:fit])
    return Piece(block, start, end, fit * sizes.line + BLOCK_GAP)


def _flow_text(flow: Flow, block: Paragraph | FactorLine, width: float) -> None:
    total = len(display(block))
    start = 0
    while start < total:
        height = text_height(block, start, total, width, flow.sizes)
        if height <= flow.room:
            flow.add(Piece(block, start, total, height))
            return
        head = _split_text(block, start, width, flow.room, flow.sizes)
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
        while end > start + 1 and bullets_height(block, start, end, width, flow.sizes) > flow.room:
            end -= 1
        height = bullets_height(block, start, end, width, flow.sizes)
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
    sizes: Sizes = Sizes(),
) -> list[list[list[Piece]]]:
    """Slides of columns of pieces. With `callout_breaks`, a callout heads a new column (the
    summary's product names head their own column)."""
    flow = Flow(height, columns, sizes)
    flow.start()
    for block in blocks:
        if isinstance(block, Callout):
            if callout_breaks and not flow.empty:
                flow.next_column()
            piece_height = callout_height(block, width, sizes)
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
    """At most `most` rows a slide (a whole category may take more), within the height under
    the repeated header. A category is never split across slides unless it is longer than
    one; then it starts a slide and goes on over as many as it needs."""
    widths = column_widths(table, width)
    header = row_height(table.header, widths)
    budget = height - header - (TABLE_CAPTION if captioned else 0) - TABLE_NOTE
    fill = _Fill(table, widths, budget, most)
    for span in group_spans(table):
        if fill.fits(span, fill.budget - fill.used, most - len(fill.page)):
            fill.add(span)
            continue
        if fill.page:
            fill.close()
        if fill.fits(span, fill.budget, TABLE_ROWS_MAX):
            fill.add(span)  # whole on a slide of its own, however many rows `most` allows
        else:
            fill.split(span)
    return fill.pages()


@dataclass
class _Fill:
    """Slides of table rows being filled; the rows' heights as they print on a slide's top (a
    category going on there names itself again, with （续）) or below it."""

    table: Table
    widths: Sequence[float]
    budget: float
    most: int
    done: list[tuple[int, ...]] = field(default_factory=list)
    page: list[int] = field(default_factory=list)
    used: float = 0.0

    def height(self, index: int, first: bool) -> float:
        cells = self.table.rows[index].cells
        if first and cells:
            cells = (first_category_cell(self.table, index), *cells[1:])
        return row_height(cells, self.widths)

    def fits(self, span: range, room: float, rows: int) -> bool:
        heights = [self.height(i, n == 0 and not self.page) for n, i in enumerate(span)]
        return len(span) <= rows and sum(heights) <= room

    def add(self, span: range) -> None:
        for index in span:
            self.used += self.height(index, not self.page)
            self.page.append(index)

    def close(self) -> None:
        self.done.append(tuple(self.page))
        self.page, self.used = [], 0.0

    def split(self, span: range) -> None:
        """A category longer than a slide: row by row over as many slides as it needs."""
        for index in span:
            h = self.height(index, not self.page)
            if self.page and (len(self.page) >= self.most or self.used + h > self.budget):
                self.close()
                h = self.height(index, True)
            self.page.append(index)
            self.used += h

    def pages(self) -> list[tuple[int, ...]]:
        if self.page or not self.done:
            self.close()
        return self.done


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


# --- key figures --------------------------------------------------------------------------------

FIGURES_SHARE = 0.4  # of the body's width: a summary slide's key figures, left of its lists
VERDICT_COLUMNS = 3
CELL_GAP = 10.0
CHIP_PAD = 9.0
VERDICTS_LABEL = "六维度研判"


@dataclass(frozen=True)
class Frame:
    """A box in points from the top-left corner of what holds it."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class CallPanel:
    """Where one product's key figures go on a slide, and how large: its heading, the range
    in large figures, and a chip per factor with the factor's name over its verdict."""

    heading: Frame
    range: Frame
    range_pt: float
    label: Frame  # 六维度研判, over the chips
    chips: tuple[Frame, ...]
    verdict_pt: float

    @property
    def height(self) -> float:
        return max([self.range.bottom, *(c.bottom for c in self.chips)])


def figures_width(width: float) -> float:
    return round(width * FIGURES_SHARE)


def call_panel(call: ProductCall, width: float, sizes: Sizes) -> CallPanel:
    heading = Frame(0, 0, width, sizes.line)
    # as large as the body allows, smaller only when the figures would not fit one line
    range_pt = one_line_size(call.range_text, width, round(sizes.body * 3.2), sizes.body * 1.5)
    figures = Frame(0, heading.bottom + 2, width, spacing(range_pt))
    label = Frame(0, figures.bottom + 10, width, sizes.line)
    verdict_pt = sizes.body + 6
    columns = VERDICT_COLUMNS
    chip_width = (width - (columns - 1) * CELL_GAP) / columns
    chip_height = 2 * CHIP_PAD + sizes.line + spacing(verdict_pt)
    top = label.bottom + 6
    chips = tuple(
        Frame(
            (n % columns) * (chip_width + CELL_GAP),
            top + (n // columns) * (chip_height + CELL_GAP),
            chip_width,
            chip_height,
        )
        for n in range(len(call.verdicts))
    )
    return CallPanel(heading, figures, range_pt, label, chips, verdict_pt)


# --- the whole deck ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """The body box's size in points, for the planner."""

    width: float
    height: float


def _runs(section: Section) -> Iterator[tuple[str, list[object]]]:
    """Consecutive blocks of one kind: text blocks flow together, tables and grids stand alone,
    and key figures take the text after them along (it goes beside them)."""
    run: tuple[str, list[object]] | None = None
    for block in section.blocks:
        if isinstance(block, Table | ChartGrid | KeyFigures):
            if run:
                yield run
            kind = {Table: "table", ChartGrid: "charts", KeyFigures: "figures"}[type(block)]
            run = (kind, [block])
            if kind != "figures":
                yield run
                run = None
        elif run:
            run[1].append(block)
        else:
            run = ("text", [block])
    if run:
        yield run


def _piece_sources(piece: Piece) -> tuple[str, ...]:
    return piece.block.sources


def _titles(title: str) -> Iterator[str]:
    yield title
    while True:
        yield title + CONTINUED


def balanced_text(
    blocks: Sequence[Paragraph | FactorLine | Callout | BulletList],
    width: float,
    height: float,
    columns: int,
    sizes: Sizes,
) -> list[list[list[Piece]]]:
    """The text on as few slides as it needs, spread evenly over them: the lowest fill, a
    line at a time, that needs no more slides. A last slide holding the range call and a
    line or two reads as left over."""
    flowed = flow_text(blocks, width, height, columns, columns > 1, sizes)
    if len(flowed) < 2:
        return flowed
    best, lower = flowed, height - sizes.line
    while lower > height / 2:
        trial = flow_text(blocks, width, lower, columns, columns > 1, sizes)
        if len(trial) > len(flowed):
            break
        best, lower = trial, lower - sizes.line
    return best


def _calls(section: Section) -> list[ProductCall]:
    return [c for b in section.blocks if isinstance(b, KeyFigures) for c in b.calls]


def _figure_slides(
    document: Document, section: Section, blocks: list[object], room: Room, sizes: Sizes
) -> list[SlidePlan]:
    """A slide per product call, its figures on the left; the text after them (利多, 利空 …)
    flows in a column beside the last call, and on to slides of its own if it must."""
    figures: KeyFigures = blocks[0]  # type: ignore[assignment]
    text = blocks[1:]
    named = len(_calls(section)) > 1  # several products: each slide names its own
    width = room.width - figures_width(room.width) - COLUMN_GAP
    slides = []
    for n, call in enumerate(figures.calls):
        titles = _titles(f"{section.title}——{call.name}" if named else section.title)
        last = n == len(figures.calls) - 1
        flowed = flow_text(text, width, room.height, 1, False, sizes) if last and text else [[]]  # type: ignore[arg-type]
        for m, slide in enumerate(flowed):
            found = {s for column in slide for p in column for s in _piece_sources(p)}
            found |= {*section.title_sources, *figures.sources}
            slides.append(
                SlidePlan(
                    "text",
                    next(titles),
                    "Content",
                    document.ordered_sources(found),
                    columns=tuple(tuple(c) for c in slide),
                    sizes=sizes,
                    call=call if m == 0 else None,
                )
            )
    return slides


def plan_section(
    document: Document, section: Section, room: Room, sizes: Sizes = Sizes()
) -> list[SlidePlan]:
    slides: list[SlidePlan] = []
    titles = _titles(section.title)
    columns = 2 if section.kind == "summary" else 1
    column_width = (room.width - (columns - 1) * COLUMN_GAP) / columns
    cited = set(section.title_sources)  # a title template's figures, on each of its slides
    for kind, blocks in _runs(section):
        if kind == "figures":
            slides += _figure_slides(document, section, blocks, room, sizes)
        elif kind == "text":
            flowed = balanced_text(blocks, column_width, room.height, columns, sizes)  # type: ignore[arg-type]
            for slide in flowed:
                found = {s for column in slide for p in column for s in _piece_sources(p)}
                slides.append(
                    SlidePlan(
                        "text",
                        next(titles),
                        "Content",
                        document.ordered_sources(found | cited),
                        columns=tuple(tuple(c) for c in slide),
                        column_count=columns,
                        sizes=sizes,
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
                        document.ordered_sources(found | cited),
                        table=table,
                        rows=rows,
                        sizes=sizes,
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
                        document.ordered_sources(found | cited),
                        charts=charts,
                        sizes=sizes,
                    )
                )
    return slides


def plan_deck(document: Document, room: Room) -> list[SlidePlan]:
    """The title slide, then every section's slides in order. A cover section is the title
    slide: its key figures are for print (a summary section puts them on a slide); its
    今日要点, if any, make the first content slide."""
    sizes = Sizes(max(BODY_PT, document.deck.body_pt))
    # a correction's note on the title slide prints figures: its footer cites them
    cited = document.correction.sources if document.correction else ()
    slides = [SlidePlan("title", document.title, "Title", cited, sizes=sizes)]
    for section in document.sections:
        if section.kind == "cover":
            slides += highlight_slides(document, section, room, sizes)
            continue
        slides += plan_section(document, section, room, sizes)
    return slides


HIGHLIGHTS_TITLE = "今日要点"


def highlight_slides(
    document: Document, section: Section, room: Room, sizes: Sizes
) -> list[SlidePlan]:
    """A cover's 今日要点 as a slide of bullets (continued if they do not fit)."""
    found = [h for b in section.blocks if isinstance(b, KeyFigures) for h in b.highlights]
    if not found:
        return []
    sources = tuple(dict.fromkeys(s for h in found for s in h.sources))
    bullets = BulletList(HIGHLIGHTS_TITLE, tuple(h.text for h in found), sources)
    text = Section(section.id, HIGHLIGHTS_TITLE, (bullets,), kind="text")
    return plan_section(document, text, room, sizes)
