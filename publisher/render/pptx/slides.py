"""Deck renderer: drawing planned slides — title, text, tables, and the compliance footer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from publisher.layout.columns import figure_columns
from publisher.layout.model import BulletList, Callout, Document, FactorLine, Paragraph
from publisher.render.pptx import plan as p
from publisher.render.pptx.geometry import (
    EMU_PER_IN,
    PAGE_NUMBER_WIDTH,
    SMALL_LINE,
    SMALL_PT,
    SOURCES_LINE,
    SOURCES_PT,
    Box,
    Geometry,
    emu,
    footer_lines,
    pt,
    sources_line,
)
from publisher.render.pptx.master import tint
from publisher.render.pptx.text import Face, one_line_size, run_properties, style_run

INK = "#1A1A1A"
MUTED = "#6B6B6B"
HAIRLINE = "#BFBFBF"
WHITE = "#FFFFFF"
# Chinese market convention: red for bullish, green for bearish.
VERDICT_COLOURS = {"偏多": "#C0392B", "偏空": "#1E8449", "中性": "#7F8C8D"}
TITLE_PT = 24.0
TITLE_PT_SMALLEST = 16.0  # below this a title reads as body text: it wraps instead
# 8350, -165, -2.18%, 1,234.5, and the "no figure" dashes: right-aligned columns.
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"


@dataclass(frozen=True)
class Ink:
    """The colours and faces one deck draws with."""

    primary: str
    accent: str
    face: Face

    def verdict(self, verdict: str) -> str:
        return VERDICT_COLOURS.get(verdict, self.primary)


# --- primitives ----------------------------------------------------------------------------------


def textbox(slide: Slide, box: Box, name: str, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> TextFrame:
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = name
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    return frame


def line_spacing(paragraph: object, points: float) -> None:
    paragraph.line_spacing = Pt(points)  # type: ignore[attr-defined]


def first_indent(paragraph: object, points: float, hanging: bool = False) -> None:
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    if hanging:  # a bullet hangs in the margin, its text aligned under itself
        ppr.set("marL", str(emu(points)))
        ppr.set("indent", str(-emu(points)))
    else:
        ppr.set("indent", str(emu(points)))


def bullet(paragraph: object, colour: str, face: Face) -> None:
    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    clr = etree.SubElement(ppr, qn("a:buClr"))
    etree.SubElement(clr, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())
    etree.SubElement(ppr, qn("a:buFont")).set("typeface", face.latin)
    etree.SubElement(ppr, qn("a:buChar")).set("char", "•")


def rectangle(slide: Slide, box: Box, colour: str, name: str) -> None:
    shape = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    )
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False


def _rgb(colour: str) -> object:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def write(
    frame: TextFrame, text: str, ink: Ink, size: float, colour: str, bold: bool = False
) -> None:
    """One paragraph of one style into an empty frame."""
    style_run(frame.paragraphs[0].add_run(), text, ink.face, size, colour, bold)


# --- title and footer ----------------------------------------------------------------------------


def slide_title(slide: Slide, title: str, ink: Ink, geo: Geometry) -> None:
    """The title on one line: a long one is set smaller rather than wrapped onto the rule."""
    placeholder = slide.shapes.title
    if placeholder is None:
        box = Box(geo.margin, emu(20), geo.body.width - emu(270), emu(54))
        frame = textbox(slide, box, "Title", MSO_ANCHOR.BOTTOM)
        width = box.width
    else:
        frame = placeholder.text_frame
        frame.clear()
        width = placeholder.width
    room = pt(width) - pt(frame.margin_left) - pt(frame.margin_right)
    size = one_line_size(title, room, TITLE_PT, TITLE_PT_SMALLEST)
    write(frame, title, ink, size, ink.primary, bold=True)


def drop_empty_placeholders(slide: Slide) -> None:
    """Placeholders the deck does not fill would show "click to add text" to the analyst."""
    for shape in list(slide.placeholders):
        if not shape.has_text_frame or not shape.text_frame.text:
            shape._element.getparent().remove(shape._element)


def footer(
    slide: Slide,
    document: Document,
    sources: tuple[str, ...],
    number: int,
    total: int,
    ink: Ink,
    geo: Geometry,
) -> None:
    """This slide's 数据来源, disclaimer, analyst and licences, n / N: in a band of its own."""
    box = geo.footer
    rule = slide.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, Emu(box.left), Emu(box.top), Emu(box.right), Emu(box.top)
    )
    rule.name = "Footer Rule"
    rule.line.color.rgb = _rgb(HAIRLINE)
    rule.line.width = Pt(0.6)
    y = box.top + emu(5)
    parts = (
        (
            "Footer Sources",
            sources_line(sources),
            SOURCES_PT,
            SOURCES_LINE,
            INK,
            geo.sources_height,
        ),
        (
            "Footer Disclaimer",
            document.compliance.disclaimer,
            SMALL_PT,
            SMALL_LINE,
            MUTED,
            geo.disclaimer_height,
        ),
    )
    for name, text, size, line, colour, height in parts:
        frame = textbox(slide, Box(box.left, y, box.width, emu(height)), name)
        write(frame, text, ink, size, colour)
        line_spacing(frame.paragraphs[0], line)
        y += emu(height + 2)
    page = emu(PAGE_NUMBER_WIDTH)
    credentials = Box(box.left, y, box.width - page, emu(geo.credentials_height))
    frame = textbox(slide, credentials, "Footer Credentials")
    write(frame, footer_lines(document), ink, SMALL_PT, MUTED)
    line_spacing(frame.paragraphs[0], SMALL_LINE)
    frame = textbox(slide, Box(box.right - page, y, page, emu(SMALL_LINE)), "Footer Page")
    write(frame, f"{number} / {total}", ink, SMALL_PT, INK, bold=True)
    frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    line_spacing(frame.paragraphs[0], SMALL_LINE)


def cover(slide: Slide, document: Document, ink: Ink, geo: Geometry) -> None:
    """Report title and date in the layout's placeholders; firm, analyst and licences below."""
    compliance = document.compliance
    title = slide.shapes.title
    subtitle = next((s for s in slide.placeholders if s.placeholder_format.idx == 1), None)
    if title is not None:
        title.text_frame.clear()
        write(title.text_frame, document.title, ink, 40, WHITE, bold=True)
    top = geo.body.top
    if subtitle is not None:
        frame = subtitle.text_frame
        frame.clear()
        write(frame, document.subtitle, ink, 22, WHITE)
        style_run(frame.add_paragraph().add_run(), document.date_text, ink.face, 18, WHITE)
        top = max(top, int(subtitle.top) + int(subtitle.height) + emu(54))
    else:
        box = Box(geo.margin, geo.body.top, geo.body.width, emu(60))
        frame = textbox(slide, box, "Cover Subtitle")
        write(frame, f"{document.subtitle}  {document.date_text}", ink, 22, ink.primary)
        top = box.bottom + emu(20)
    height = geo.footer.top - emu(16) - top
    rectangle(slide, Box(geo.margin, top, emu(3), height), ink.accent, "Cover Bar")
    left = Box(geo.margin + emu(16), top, geo.body.width // 2 - emu(16), height)
    frame = textbox(slide, left, "Cover Analyst")
    write(frame, "分析师", ink, 12, MUTED)
    lines = (
        (compliance.analyst, 22, INK, True),
        (f"从业资格证号：{compliance.qualification}", 13, INK, False),
        (f"投资咨询证号：{compliance.consulting}", 13, INK, False),
        (f"联系方式：{compliance.phone}", 13, INK, False),
    )
    for text, size, colour, bold in lines:
        style_run(frame.add_paragraph().add_run(), text, ink.face, size, colour, bold)
    right = Box(geo.margin + geo.body.width // 2, top, geo.body.width // 2, height)
    frame = textbox(slide, right, "Cover Firm")
    write(frame, compliance.firm, ink, 16, ink.primary, bold=True)
    for text in (compliance.licence, f"报告日期：{document.date_text}"):
        style_run(frame.add_paragraph().add_run(), text, ink.face, 13, INK)


# --- text ----------------------------------------------------------------------------------------


def _span_colour(role: str, block: object, ink: Ink) -> tuple[str, bool]:
    if role == "head":
        return ink.primary, True
    if role == "verdict":
        return ink.verdict(block.verdict), True  # type: ignore[attr-defined]
    if role == "callout":
        return ink.primary, True
    return INK, False


def _runs(paragraph: object, piece: p.Piece, size: float, ink: Ink) -> None:
    """The piece's share of the block's spans, each in its own style."""
    at = 0
    for span in p.spans(piece.block):  # type: ignore[arg-type]
        lo, hi = max(at, piece.start), min(at + len(span.text), piece.end)
        if lo < hi:
            colour, bold = _span_colour(span.role, piece.block, ink)
            text = span.text[lo - at : hi - at]
            style_run(paragraph.add_run(), text, ink.face, size, colour, bold)  # type: ignore[attr-defined]
        at += len(span.text)


def _prose(slide: Slide, pieces: Sequence[p.Piece], box: Box, ink: Ink) -> None:
    """Paragraphs and factors in one text box, as an analyst would type them: the text flows
    on its own when edited, and no estimate shows as a gap between two paragraphs."""
    frame = textbox(slide, box, "Text")
    for n, piece in enumerate(pieces):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.JUSTIFY
        line_spacing(paragraph, p.BODY_LINE)
        paragraph.space_after = Pt(p.BLOCK_GAP)
        if p.indent(piece.block, piece.first):
            first_indent(paragraph, p.indent(piece.block, True))
        _runs(paragraph, piece, p.BODY_PT, ink)


def _callout(slide: Slide, piece: p.Piece, box: Box, ink: Ink) -> None:
    rectangle(slide, box, tint(ink.accent, 0.08), "Callout Fill")
    rectangle(slide, Box(box.left, box.top, emu(4), box.height), ink.accent, "Callout Bar")
    pad = emu(p.CALLOUT_PAD)
    inner = Box(
        box.left + pad + emu(6), box.top + pad, box.width - 2 * pad - emu(6), box.height - 2 * pad
    )
    frame = textbox(slide, inner, "Callout")
    line_spacing(frame.paragraphs[0], p.CALLOUT_LINE)
    _runs(frame.paragraphs[0], piece, p.CALLOUT_PT, ink)


def _bullets(slide: Slide, piece: p.Piece, box: Box, ink: Ink) -> None:
    block: BulletList = piece.block  # type: ignore[assignment]
    label = Box(box.left, box.top, emu(p.LABEL_WIDTH), emu(p.BODY_LINE))
    frame = textbox(slide, label, "Bullet Label")
    text = block.label if piece.first else block.label + p.CONTINUED
    write(frame, text, ink, p.BODY_PT, ink.primary, bold=True)
    line_spacing(frame.paragraphs[0], p.BODY_LINE)
    items = Box(box.left + label.width, box.top, box.width - label.width, box.height)
    frame = textbox(slide, items, "Bullets")
    for n, item in enumerate(block.items[piece.start : piece.end] or ("",)):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        line_spacing(paragraph, p.BODY_LINE)
        paragraph.space_after = Pt(3)
        first_indent(paragraph, p.BULLET_INDENT, hanging=True)
        bullet(paragraph, ink.accent, ink.face)
        style_run(paragraph.add_run(), item, ink.face, p.BODY_PT, INK)


def _gap_after(piece: p.Piece) -> float:
    return p.BLOCK_GAP + (4 if isinstance(piece.block, Callout | BulletList) else 0)


def text_slide(slide: Slide, plan: p.SlidePlan, ink: Ink, geo: Geometry) -> None:
    columns = plan.column_count
    gap = emu(p.COLUMN_GAP)
    width = (geo.body.width - (columns - 1) * gap) // columns
    for n, column in enumerate(plan.columns):
        x = geo.body.left + n * (width + gap)
        y = geo.body.top
        prose: list[p.Piece] = []
        for piece in [*column, None]:
            if isinstance(piece, p.Piece) and isinstance(piece.block, Paragraph | FactorLine):
                prose.append(piece)
                continue
            if prose:
                height = sum(piece.height for piece in prose)
                _prose(slide, prose, Box(x, y, width, emu(height - p.BLOCK_GAP)), ink)
                y += emu(height)
                prose = []
            if piece is None:
                break
            box = Box(x, y, width, emu(piece.height - _gap_after(piece)))
            if isinstance(piece.block, Callout):
                _callout(slide, piece, box, ink)
            else:
                _bullets(slide, piece, box, ink)
            y += emu(piece.height)


# --- tables --------------------------------------------------------------------------------------


def _cell_border(
    cell: object, top: tuple[float, str] | None, bottom: tuple[float, str] | None
) -> None:
    """Cell fill and rules written in schema order (lines before the fill)."""
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    for tag, spec in (("a:lnL", None), ("a:lnR", None), ("a:lnT", top), ("a:lnB", bottom)):
        line = etree.SubElement(tc_pr, qn(tag))
        if spec is None:
            line.set("w", "0")
            etree.SubElement(line, qn("a:noFill"))
        else:
            line.set("w", str(emu(spec[0])))
            fill = etree.SubElement(line, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr")).set("val", spec[1].lstrip("#").upper())


def _fill_cell(cell: object, colour: str | None) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    if colour is None:
        etree.SubElement(tc_pr, qn("a:noFill"))
    else:
        fill = etree.SubElement(tc_pr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())


def _set_cell(
    cell: object,
    text: str,
    ink: Ink,
    colour: str,
    bold: bool,
    right: bool,
    size: float = p.TABLE_PT,
) -> None:
    """Margins, anchor, alignment and one run, written straight into the cell's XML: python-pptx's
    property setters cost a millisecond a cell, and a deck has a thousand cells."""
    tc = cell._tc  # type: ignore[attr-defined]
    tc_pr = tc.get_or_add_tcPr()
    tc_pr.set("marL", str(emu(p.CELL_PAD)))
    tc_pr.set("marR", str(emu(p.CELL_PAD)))
    tc_pr.set("marT", str(emu(2)))
    tc_pr.set("marB", str(emu(2)))
    tc_pr.set("anchor", "ctr")
    paragraph = tc.find(qn("a:txBody")).find(qn("a:p"))
    etree.SubElement(paragraph, qn("a:pPr")).set("algn", "r" if right else "l")
    run = etree.SubElement(paragraph, qn("a:r"))
    run.append(run_properties(ink.face, size, colour, bold))
    etree.SubElement(run, qn("a:t")).text = text


def native_table(
    slide: Slide,
    box: Box,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[bool],
    ink: Ink,
    muted_rows: frozenset[int] = frozenset(),
    ruled_rows: frozenset[int] = frozenset(),
    size: float = p.TABLE_PT,
    name: str = "Table",
    bands: Sequence[tuple[str, int]] = (),
) -> None:
    """A PowerPoint table: header row in the brand, zebra rows, a rule above each category;
    with `bands`, a first head row groups the columns after the first (2024年 | 2025年)."""
    heads = 2 if bands else 1
    # a merged cell keeps the text of every cell it swallows: the band names itself once
    band_row = [""] + [b if i == 0 else "" for b, n in bands for i in range(n)]
    heights = (
        [p.row_height([""], widths, size)] * (heads - 1)
        + [p.row_height(header, widths, size)]
        + [p.row_height(r, widths, size) for r in rows]
    )
    shape = slide.shapes.add_table(
        len(rows) + heads,
        len(header),
        Emu(box.left),
        Emu(box.top),
        Emu(box.width),
        Emu(emu(sum(heights))),
    )
    shape.name = name
    table = shape.table
    table.first_row, table.horz_banding = True, False
    # a new table has a:tblPr (and setting the flags above gets or adds it)
    style = table._tbl.get_or_add_tblPr().find(qn("a:tableStyleId"))
    if style is not None:
        style.text = NO_STYLE_TABLE
    for c, w in enumerate(widths):
        table.columns[c].width = Emu(emu(w))
    for r, h in enumerate(heights):
        table.rows[r].height = Emu(emu(h))
    rule = tint(ink.primary, 0.45)
    zebra = tint(ink.primary, 0.06)
    for r, texts in enumerate([band_row, header][-heads:]):
        for c, head in enumerate(texts):
            cell = table.cell(r, c)
            _set_cell(cell, head, ink, WHITE, True, numeric[c] and r == heads - 1, size)
            _cell_border(cell, None, (0.5, WHITE) if r < heads - 1 else None)
            _fill_cell(cell, ink.primary)
    at = 1
    for _, n in bands:  # each year's heads under one merged cell
        if n > 1:
            table.cell(0, at).merge(table.cell(0, at + n - 1))
        at += n
    last = len(rows) + heads - 1
    for r, cells in enumerate(rows, start=heads):
        colour = MUTED if r - heads in muted_rows else INK
        top = (0.75, rule) if r - heads in ruled_rows and r > heads else None
        bottom = (1.0, ink.primary) if r == last else None
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            _set_cell(cell, text, ink, colour, False, numeric[c], size)
            _cell_border(cell, top, bottom)
            _fill_cell(cell, zebra if (r - heads) % 2 == 1 else None)


def table_slide(slide: Slide, plan: p.SlidePlan, ink: Ink, geo: Geometry) -> None:
    table = plan.table
    assert table is not None
    numeric = figure_columns(table)
    ncols = len(table.header)
    y = geo.body.top
    if table.title and not plan.title.startswith(table.title):
        frame = textbox(
            slide, Box(geo.body.left, y, geo.body.width, emu(p.TABLE_CAPTION)), "Table Caption"
        )
        write(frame, table.title, ink, 13, ink.primary, bold=True)
        y += emu(p.TABLE_CAPTION)
    rows, muted, ruled = [], set(), set()
    for n, index in enumerate(plan.rows):
        row = table.rows[index]
        cells = list(row.cells[:ncols]) + [""] * (ncols - len(row.cells))
        if n == 0 and not cells[0]:  # a category continued from the previous slide names itself
            cells[0] = next(
                (table.rows[i].cells[0] for i in range(index, -1, -1) if table.rows[i].cells[0]), ""
            )
        if row.stale:  # the layout marks the cell and explains the mark; here it is greyed
            muted.add(n)
        if row.group_start:
            ruled.add(n)
        rows.append(cells)
    widths = p.column_widths(table, pt(geo.body.width), numeric)
    box = Box(geo.body.left, y, geo.body.width, 0)
    native_table(
        slide, box, table.header, rows, widths, numeric, ink, frozenset(muted), frozenset(ruled)
    )
    # the note explains the marks: on each slide that has one, or once at the table's end
    last_slide = plan.rows and plan.rows[-1] == len(table.rows) - 1
    note = table.note
    if note and (muted or (last_slide and not any(r.stale for r in table.rows))):
        # at the foot of the body, in the room the planner kept free for it
        note_box = Box(
            geo.body.left,
            geo.body.bottom - emu(p.TABLE_NOTE - 6),
            geo.body.width,
            emu(p.TABLE_NOTE - 6),
        )
        frame = textbox(slide, note_box, "Table Note")
        write(frame, note, ink, 10, MUTED)


def chart_boxes(body: Box, count: int) -> list[Box]:
    """One to four slots: side by side up to three, two by two for four."""
    gap = round(0.22 * EMU_PER_IN)
    columns, rows = (2, 2) if count == 4 else (count, 1)
    width = (body.width - (columns - 1) * gap) // columns
    height = (body.height - (rows - 1) * gap) // rows
    return [
        Box(
            body.left + (n % columns) * (width + gap),
            body.top + (n // columns) * (height + gap),
            width,
            height,
        )
        for n in range(count)
    ]
