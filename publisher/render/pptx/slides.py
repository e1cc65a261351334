"""Deck renderer: drawing planned slides — title, text, tables, and the compliance footer."""

from __future__ import annotations

import copy
import functools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.package import Part
from pptx.oxml.ns import nsmap, qn
from pptx.oxml.shapes.shared import BaseShapeElement
from pptx.oxml.table import CT_TableCell
from pptx.parts.slide import SlidePart
from pptx.shapes.autoshape import Shape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from publisher.layout.columns import figure_columns
from publisher.layout.groups import first_category_cell
from publisher.layout.model import (
    BulletList,
    Callout,
    Correction,
    Document,
    FactorLine,
    Paragraph,
    ProductCall,
)
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
from publisher.render.pptx.text import Face, run_properties, style_run, wrap

INK = "#1A1A1A"
MUTED = "#6B6B6B"
HAIRLINE = "#BFBFBF"
WHITE = "#FFFFFF"
# Chinese market convention: red for bullish, green for bearish.
VERDICT_COLOURS = {"偏多": "#C0392B", "偏空": "#1E8449", "中性": "#7F8C8D"}
TITLE_PT = 24.0  # read from the back of a room: a long title wraps rather than shrinks
TITLE_LINE = 29.0  # exact spacing of a title that wraps (1.2 em: LibreOffice clips tighter)
TITLE_LINES_MAX = 2
# 8350, -165, -2.18%, 1,234.5, and the "no figure" dashes: right-aligned columns.
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"


# Tags, as Clark names once: qn parses its argument on every call, and a deck writes a thousand
# table cells and fifty footers.
LINES = tuple(qn(f"a:ln{side}") for side in "LRTB")
NO_FILL, SOLID_FILL, SRGB = qn("a:noFill"), qn("a:solidFill"), qn("a:srgbClr")
TX_BODY, P, P_PR, R, T = qn("a:txBody"), qn("a:p"), qn("a:pPr"), qn("a:r"), qn("a:t")
SP, P_TX_BODY, C_NV_PR = qn("p:sp"), qn("p:txBody"), qn("p:cNvPr")
# python-pptx's has_ph_elm, compiled once rather than for every shape of every slide
PLACEHOLDER = etree.XPath("./*[1]/p:nvPr/p:ph", namespaces=nsmap("p"))


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
    # the shape style's effect reference still casts the theme's shadow in LibreOffice
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


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
    """The title at 24 pt. A title too long for one line wraps onto a second, its box grown
    upwards (it sits on the rule), never set smaller: a room reads it from the back."""
    placeholder = slide.shapes.title
    if placeholder is None:
        box = Box(geo.margin, emu(20), geo.body.width - emu(270), emu(54))
        frame = textbox(slide, box, "Title", MSO_ANCHOR.BOTTOM)
        shape = cast(Shape, slide.shapes[-1])  # the box just added
    else:
        frame = placeholder.text_frame
        frame.clear()
        shape = placeholder
    left, top, width, height = _place(shape)
    room = pt(width) - pt(frame.margin_left) - pt(frame.margin_right)
    write(frame, title, ink, TITLE_PT, ink.primary, bold=True)
    lines = min(len(wrap(title, TITLE_PT, room)), TITLE_LINES_MAX)
    if lines > 1:
        line_spacing(frame.paragraphs[0], TITLE_LINE)
        frame.margin_top = frame.margin_bottom = Emu(0)
        grown = max(height, emu(lines * TITLE_LINE))
        bottom = top + height
        shape.top, shape.height = Emu(bottom - grown), Emu(grown)
        shape.left, shape.width = Emu(left), Emu(width)


# where each layout's title sits, read once: python-pptx walks the slide's layout (and its
# master) for each of a placeholder's four dimensions, on every slide
_layout_titles: weakref.WeakKeyDictionary[Part, tuple[int, int, int, int]] = (
    weakref.WeakKeyDictionary()
)


def _place(shape: Shape) -> tuple[int, int, int, int]:
    """Left, top, width and height of a title: its own, or else as its layout places it."""
    if shape._element.spPr.xfrm is not None:  # a box of its own, or a title moved on its slide
        return int(shape.left), int(shape.top), int(shape.width), int(shape.height)
    layout = cast(SlidePart, shape.part).slide_layout.part  # the title is a slide's
    place = _layout_titles.get(layout)
    if place is None:
        place = int(shape.left), int(shape.top), int(shape.width), int(shape.height)
        _layout_titles[layout] = place
    return place


def drop_empty_placeholders(slide: Slide) -> None:
    """Placeholders the deck does not fill would show "click to add text" to the analyst."""
    tree = slide.shapes._spTree
    for shape in list(tree.iter_shape_elms()):
        if PLACEHOLDER(shape) and not _shows_text(shape, slide):
            tree.remove(shape)


def _shows_text(shape: BaseShapeElement, slide: Slide) -> bool:
    """The text python-pptx's placeholder shows, read without a proxy for each shape: a text
    placeholder's paragraphs joined; a picture's or a chart's has no text frame."""
    body = shape.find(P_TX_BODY) if shape.tag == SP else None
    return body is not None and bool(TextFrame(body, slide).text)


# Most of a footer is the same on every slide of a deck: drawn through python-pptx once, its
# shapes are copied onto the other slides, with their own ids, sources and page number.
FOOTER_SHAPES = 5  # the rule and four text boxes, in the order drawn
SOURCES_BOX, PAGE_BOX = 1, 4
FOOTERS_KEPT = 8  # drawn footers kept, by what they show: a batch renders few firms and masters
EXT_LST = "p:extLst"  # a new shape goes before it, as python-pptx adds shapes
_footers: dict[tuple[object, ...], tuple[etree._Element, ...]] = {}


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
    key = (geo, ink, document.compliance.disclaimer, footer_lines(document))
    drawn = _footers.get(key)
    if drawn is None:
        draw_footer(slide, document, sources, number, total, ink, geo)
        if len(_footers) >= FOOTERS_KEPT:
            _footers.clear()
        shapes = list(slide.shapes._spTree.iter_shape_elms())[-FOOTER_SHAPES:]
        _footers[key] = tuple(copy.deepcopy(shape) for shape in shapes)
    else:
        stamp_footer(slide, drawn, sources_line(sources), f"{number} / {total}")


def stamp_footer(slide: Slide, drawn: Sequence[etree._Element], sources: str, page: str) -> None:
    """A footer drawn on another slide, copied: the same XML python-pptx writes for it here."""
    shapes = slide.shapes
    tree = shapes._spTree
    texts = {SOURCES_BOX: sources, PAGE_BOX: page}
    for n, template in enumerate(drawn):
        shape = copy.deepcopy(template)
        # the id python-pptx would give, counted or searched, as each shape goes in
        next(shape.iter(C_NV_PR)).set("id", str(shapes._next_shape_id))
        tree.insert_element_before(shape, EXT_LST)
        if n in texts:  # CT_RegularTextRun's setter, as style_run's: control characters escaped
            next(shape.iter(R)).text = texts[n]


def draw_footer(
    slide: Slide,
    document: Document,
    sources: tuple[str, ...],
    number: int,
    total: int,
    ink: Ink,
    geo: Geometry,
) -> None:
    """The footer through python-pptx, shape by shape."""
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
    if document.correction:
        below = emu(FIRM_LINES)
        note = Box(right.left, right.top + below, right.width, right.height - below)
        correction_note(slide, document.correction, note, ink)


FIRM_LINES = 58.0  # points the firm, licence and date lines take on the cover
NOTE_PT, NOTE_HEADING_PT, NOTE_PAD = 11.0, 13.0, 5.0


def correction_note(slide: Slide, correction: Correction, box: Box, ink: Ink) -> None:
    """更正 in a tinted box: the heading in the accent colour, then as many of the note's
    lines as the box holds (a line that would not fit is cut to an ellipsis)."""
    rectangle(slide, box, tint(ink.accent, 0.08), "Cover Correction Box")
    rectangle(slide, Box(box.left, box.top, emu(3), box.height), ink.accent, "Cover Correction Bar")
    pad = emu(NOTE_PAD)
    inner = Box(box.left + pad + emu(3), box.top + pad, box.width - 2 * pad, box.height - 2 * pad)
    frame = textbox(slide, inner, "Cover Correction")
    write(frame, correction.heading, ink, NOTE_HEADING_PT, ink.accent, bold=True)
    room = int((pt(inner.height) - NOTE_HEADING_PT * 1.2) // (NOTE_PT * 1.2))
    width = pt(inner.width)
    for text in correction.lines:
        lines = len(wrap(text, NOTE_PT, width))
        cut = lines > room
        if room < 1:
            break
        style_run(frame.add_paragraph().add_run(), "…" if cut else text, ink.face, NOTE_PT, INK)
        if cut:
            break
        room -= lines


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


def _prose(slide: Slide, pieces: Sequence[p.Piece], box: Box, ink: Ink, sizes: p.Sizes) -> None:
    """Paragraphs and factors in one text box, as an analyst would type them: the text flows
    on its own when edited, and no estimate shows as a gap between two paragraphs."""
    frame = textbox(slide, box, "Text")
    for n, piece in enumerate(pieces):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.JUSTIFY
        line_spacing(paragraph, sizes.line)
        paragraph.space_after = Pt(p.BLOCK_GAP)
        if p.indent(piece.block, piece.first, sizes):
            first_indent(paragraph, p.indent(piece.block, True, sizes))
        _runs(paragraph, piece, sizes.body, ink)


def _callout(slide: Slide, piece: p.Piece, box: Box, ink: Ink, sizes: p.Sizes) -> None:
    rectangle(slide, box, tint(ink.accent, 0.08), "Callout Fill")
    rectangle(slide, Box(box.left, box.top, emu(4), box.height), ink.accent, "Callout Bar")
    pad = emu(p.CALLOUT_PAD)
    inner = Box(
        box.left + pad + emu(6), box.top + pad, box.width - 2 * pad - emu(6), box.height - 2 * pad
    )
    frame = textbox(slide, inner, "Callout")
    line_spacing(frame.paragraphs[0], sizes.callout_line)
    _runs(frame.paragraphs[0], piece, sizes.callout, ink)


def _bullets(slide: Slide, piece: p.Piece, box: Box, ink: Ink, sizes: p.Sizes) -> None:
    block: BulletList = piece.block  # type: ignore[assignment]
    text = block.label if piece.first else block.label + p.CONTINUED
    # a continued label (主要风险点（续）) may take two lines of the label column
    lines = len(wrap(text, sizes.body, sizes.label_width))
    label = Box(box.left, box.top, emu(sizes.label_width), emu(lines * sizes.line))
    frame = textbox(slide, label, "Bullet Label")
    write(frame, text, ink, sizes.body, ink.primary, bold=True)
    line_spacing(frame.paragraphs[0], sizes.line)
    items = Box(box.left + label.width, box.top, box.width - label.width, box.height)
    frame = textbox(slide, items, "Bullets")
    for n, item in enumerate(block.items[piece.start : piece.end] or ("",)):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        line_spacing(paragraph, sizes.line)
        paragraph.space_after = Pt(3)
        first_indent(paragraph, sizes.bullet_indent, hanging=True)
        bullet(paragraph, ink.accent, ink.face)
        style_run(paragraph.add_run(), item, ink.face, sizes.body, INK)


def _gap_after(piece: p.Piece) -> float:
    return p.BLOCK_GAP + (4 if isinstance(piece.block, Callout | BulletList) else 0)


def text_slide(slide: Slide, plan: p.SlidePlan, ink: Ink, geo: Geometry) -> None:
    """Columns of text; a summary slide's key figures first, on the left."""
    sizes = plan.sizes
    columns = plan.column_count
    gap = emu(p.COLUMN_GAP)
    body = geo.body
    if plan.call is not None:
        panel = emu(p.figures_width(pt(body.width)))
        call_figures(slide, plan.call, Box(body.left, body.top, panel, body.height), ink, sizes)
        body = Box(body.left + panel + gap, body.top, body.width - panel - gap, body.height)
    width = (body.width - (columns - 1) * gap) // columns
    for n, column in enumerate(plan.columns):
        x = body.left + n * (width + gap)
        y = body.top
        prose: list[p.Piece] = []
        for piece in [*column, None]:
            if isinstance(piece, p.Piece) and isinstance(piece.block, Paragraph | FactorLine):
                prose.append(piece)
                continue
            if prose:
                height = sum(piece.height for piece in prose)
                _prose(slide, prose, Box(x, y, width, emu(height - p.BLOCK_GAP)), ink, sizes)
                y += emu(height)
                prose = []
            if piece is None:
                break
            box = Box(x, y, width, emu(piece.height - _gap_after(piece)))
            if isinstance(piece.block, Callout):
                _callout(slide, piece, box, ink, sizes)
            else:
                _bullets(slide, piece, box, ink, sizes)
            y += emu(piece.height)


def call_figures(slide: Slide, call: ProductCall, box: Box, ink: Ink, sizes: p.Sizes) -> None:
    """A product's call in figures: its name and contract, the range large, and a chip per
    factor, tinted in the verdict's colour, with the factor's name over the verdict."""
    panel = p.call_panel(call, pt(box.width), sizes)

    def at(frame: p.Frame) -> Box:
        return Box(
            box.left + emu(frame.left),
            box.top + emu(frame.top),
            emu(frame.width),
            emu(frame.height),
        )

    heading = textbox(slide, at(panel.heading), "Call Heading")
    write(heading, call.heading, ink, sizes.body, ink.primary, bold=True)
    style_run(heading.paragraphs[0].add_run(), "  区间预测", ink.face, sizes.body, MUTED)
    line_spacing(heading.paragraphs[0], sizes.line)
    figures = textbox(slide, at(panel.range), "Call Range")
    write(figures, call.range_text, ink, panel.range_pt, ink.primary, bold=True)
    line_spacing(figures.paragraphs[0], p.spacing(panel.range_pt))
    label = textbox(slide, at(panel.label), "Verdicts Label")
    write(label, p.VERDICTS_LABEL, ink, sizes.body, MUTED)
    line_spacing(label.paragraphs[0], sizes.line)
    for verdict, chip in zip(call.verdicts, panel.chips, strict=True):
        colour = ink.verdict(verdict.verdict)
        rectangle(slide, at(chip), tint(colour, 0.12), f"Verdict Chip {verdict.factor}")
        pad = p.CHIP_PAD
        inner = p.Frame(
            chip.left + pad, chip.top + pad, chip.width - 2 * pad, chip.height - 2 * pad
        )
        frame = textbox(slide, at(inner), f"Verdict {verdict.factor}")
        write(frame, verdict.factor, ink, sizes.body, INK)
        line_spacing(frame.paragraphs[0], sizes.line)
        paragraph = frame.add_paragraph()
        style_run(paragraph.add_run(), verdict.verdict, ink.face, panel.verdict_pt, colour, True)
        line_spacing(paragraph, p.spacing(panel.verdict_pt))


# --- tables --------------------------------------------------------------------------------------


def _colour_fill(parent: etree._Element, colour: str) -> None:
    fill = etree.SubElement(parent, SOLID_FILL)
    etree.SubElement(fill, SRGB).set("val", colour.lstrip("#").upper())


def _cell_border(
    tc: CT_TableCell, top: tuple[float, str] | None, bottom: tuple[float, str] | None
) -> None:
    """Cell fill and rules written in schema order (lines before the fill)."""
    tc_pr = tc.get_or_add_tcPr()
    for tag, spec in zip(LINES, (None, None, top, bottom), strict=True):
        line = etree.SubElement(tc_pr, tag)
        if spec is None:
            line.set("w", "0")
            etree.SubElement(line, NO_FILL)
        else:
            line.set("w", str(emu(spec[0])))
            _colour_fill(line, spec[1])


def _fill_cell(tc: CT_TableCell, colour: str | None) -> None:
    tc_pr = tc.get_or_add_tcPr()
    if colour is None:
        etree.SubElement(tc_pr, NO_FILL)
    else:
        _colour_fill(tc_pr, colour)


def _set_cell(
    tc: CT_TableCell,
    text: str,
    face: Face,
    colour: str,
    bold: bool,
    right: bool,
    size: float = p.TABLE_PT,
) -> None:
    """Margins, anchor, alignment and one run, written straight into the cell's XML: python-pptx's
    property setters cost a millisecond a cell, and a deck has a thousand cells."""
    tc_pr = tc.get_or_add_tcPr()
    tc_pr.set("marL", str(emu(p.CELL_PAD)))
    tc_pr.set("marR", str(emu(p.CELL_PAD)))
    tc_pr.set("marT", str(emu(2)))
    tc_pr.set("marB", str(emu(2)))
    tc_pr.set("anchor", "ctr")
    paragraph = tc.find(TX_BODY).find(P)
    etree.SubElement(paragraph, P_PR).set("algn", "r" if right else "l")
    run = etree.SubElement(paragraph, R)
    run.append(run_properties(face, size, colour, bold))
    etree.SubElement(run, T).text = text


class CellStyle(NamedTuple):
    """How a table cell looks: its run, its alignment, the rules above and below it, its fill."""

    face: Face
    colour: str
    bold: bool
    right: bool
    size: float
    top: tuple[float, str] | None
    bottom: tuple[float, str] | None
    fill: str | None


def style_cell(tc: CT_TableCell, style: CellStyle, text: str) -> None:
    """A new table's empty cell set as `style` shows `text`."""
    _set_cell(tc, text, style.face, style.colour, style.bold, style.right, style.size)
    _cell_border(tc, style.top, style.bottom)
    _fill_cell(tc, style.fill)


@functools.lru_cache(maxsize=256)  # a table has a dozen styles of cell, a deck a few dozen
def _styled_cell(style: CellStyle) -> CT_TableCell:
    tc = CT_TableCell.new()
    style_cell(tc, style, "")
    return tc


def cell(style: CellStyle, text: str) -> CT_TableCell:
    """A cell in `style` showing `text`: a copy of the style's cell, written once, not a
    dozen elements written again for each of a deck's thousand cells."""
    tc = copy.deepcopy(_styled_cell(style))
    next(tc.iter(T)).text = text
    return tc


def _size_grid(shape: GraphicFrame, widths: Sequence[float], heights: Sequence[float]) -> None:
    """Column widths and row heights, and the frame as their sums: what python-pptx's setters
    write, without their summing every column (row) again after each one."""
    tbl = shape.table._tbl
    columns = [emu(w) for w in widths]
    rows = [emu(h) for h in heights]
    for grid_col, w in zip(tbl.tblGrid.gridCol_lst, columns, strict=True):
        grid_col.w = Emu(w)
    for tr, h in zip(tbl.tr_lst, rows, strict=True):
        tr.h = Emu(h)
    shape.width, shape.height = Emu(sum(columns)), Emu(sum(rows))


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
    # one row through python-pptx, which parses each new cell's XML; the others copy its cells
    shape = slide.shapes.add_table(
        1, len(header), Emu(box.left), Emu(box.top), Emu(box.width), Emu(emu(sum(heights)))
    )
    shape.name = name
    table = shape.table
    first = table._tbl.tr_lst[0]
    table._tbl.extend(copy.deepcopy(first) for _ in range(len(rows) + heads - 1))
    table.first_row, table.horz_banding = True, False
    # a new table has a:tblPr (and setting the flags above gets or adds it)
    style = table._tbl.get_or_add_tblPr().find(qn("a:tableStyleId"))
    if style is not None:
        style.text = NO_STYLE_TABLE
    _size_grid(shape, widths, heights)
    trs = table._tbl.tr_lst  # the rows' cells, looked up once, not per cell
    rule = tint(ink.primary, 0.45)
    zebra = tint(ink.primary, 0.06)
    for r, texts in enumerate([band_row, header][-heads:]):
        under = (0.5, WHITE) if r < heads - 1 else None
        for c, (tc, head) in enumerate(zip(trs[r].tc_lst, texts, strict=False)):
            right = numeric[c] and r == heads - 1
            style = CellStyle(ink.face, WHITE, True, right, size, None, under, ink.primary)
            trs[r].replace(tc, cell(style, head))
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
        # a row shorter than the header leaves its last cells empty
        fill = zebra if (r - heads) % 2 == 1 else None
        for c, (tc, text) in enumerate(zip(trs[r].tc_lst, cells, strict=False)):
            style = CellStyle(ink.face, colour, False, numeric[c], size, top, bottom, fill)
            trs[r].replace(tc, cell(style, text))


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
        if n == 0:  # a category continued from the previous slide names itself, as in print
            cells[0] = first_category_cell(table, index)
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
        write(frame, note, ink, p.NOTE_PT, MUTED)


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
