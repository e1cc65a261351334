"""Deck renderer: the slide shortcuts taken for speed write what python-pptx's own routes write."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.oxml.table import CT_TableCell
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Pt

from publisher.assets import SAMPLE
from publisher.layout.model import Document
from publisher.render.pptx import plan as p
from publisher.render.pptx import slides
from publisher.render.pptx.embed import BUNDLED_FACE
from publisher.render.pptx.geometry import Box, Geometry, emu, geometry
from publisher.render.pptx.master import BrandSpec, build_template, layout, open_deck, tint
from publisher.render.pptx.slides import (
    INK,
    MUTED,
    NO_STYLE_TABLE,
    WHITE,
    CellStyle,
    Ink,
    cell,
    drop_empty_placeholders,
    footer,
    native_table,
    slide_title,
    style_cell,
)
from publisher.render.pptx.text import Face

BRAND = BrandSpec("测试期货", "#1F4E79", "#C00000")
TEMPLATE = SAMPLE.parent / "brand" / "template.pptx"
INKS = Ink("#1F4E79", "#C00000", Face("Arial", "Publisher Sans SC"))


def _bare() -> Deck:
    return Presentation(io.BytesIO(build_template(BRAND, BUNDLED_FACE)))


def _brand() -> Deck:
    return open_deck(TEMPLATE, BRAND)


def _xml(slide: Slide) -> bytes:
    return etree.tostring(slide.shapes._spTree)


def _slide(deck: Deck, shapes: int, counting: bool) -> Slide:
    """A content slide with `shapes` boxes on it already, its ids counted or searched."""
    slide = deck.slides.add_slide(layout(deck, "Content"))
    for n in range(shapes):
        slide.shapes.add_textbox(Emu(n), Emu(n), Emu(100), Emu(100))
    slide.shapes.turbo_add_enabled = counting
    return slide


# --- footer --------------------------------------------------------------------------------------

LONG_SOURCES = tuple(f"数据来源机构{n}号（示例）" for n in range(12))  # wraps onto a second line
CASES = (  # sources, page, pages, shapes already on the slide, ids counted
    ((), 1, 9, 0, True),
    (("WIND", "SMM"), 2, 9, 3, False),
    (LONG_SOURCES, 10, 12, 1, True),
    (("钢联\x07数据",), 11, 12, 5, False),  # a control character python-pptx escapes
    (("SMM",), 99, 100, 2, True),
)


@pytest.mark.parametrize("deck", [_bare, _brand])
def it_copies_a_footer_as_python_pptx_draws_it(
    deck: object, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: Deck = deck()  # type: ignore[operator]
    geo = geometry(made, document)
    monkeypatch.setattr(slides, "_footers", {})
    footer(_slide(made, 0, True), document, ("WIND",), 1, 9, INKS, geo)  # drawn, then kept
    draw = slides.draw_footer

    def not_again(*args: object) -> None:
        raise AssertionError("a footer kept is copied, not drawn again")

    monkeypatch.setattr(slides, "draw_footer", not_again)
    for sources, number, total, shapes, counting in CASES:
        drawn, copied = _slide(made, shapes, counting), _slide(made, shapes, counting)
        before = len(copied.shapes)
        draw(drawn, document, sources, number, total, INKS, geo)
        footer(copied, document, sources, number, total, INKS, geo)
        assert _xml(copied) == _xml(drawn)
        assert len(copied.shapes) == before + slides.FOOTER_SHAPES


def it_puts_a_copied_footer_before_the_shape_tree_extensions(
    document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _bare()
    geo = geometry(deck, document)
    monkeypatch.setattr(slides, "_footers", {})
    footer(_slide(deck, 0, True), document, (), 1, 2, INKS, geo)
    drawn, copied = _slide(deck, 2, True), _slide(deck, 2, True)
    for slide in (drawn, copied):
        slide.shapes._spTree.append(parse_xml(f"<p:extLst {nsdecls('p')}/>"))
    slides.draw_footer(drawn, document, ("SMM",), 2, 2, INKS, geo)
    footer(copied, document, ("SMM",), 2, 2, INKS, geo)
    assert _xml(copied) == _xml(drawn)


def it_draws_a_footer_again_for_another_look(
    document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slides, "_footers", {})
    deck = _bare()
    geo = geometry(deck, document)
    footer(_slide(deck, 0, True), document, (), 1, 2, INKS, geo)
    other = Ink(INKS.primary, INKS.accent, Face("Calibri", "微软雅黑"))
    drawn, copied = _slide(deck, 0, True), _slide(deck, 0, True)
    slides.draw_footer(drawn, document, (), 2, 2, other, geo)
    footer(copied, document, (), 2, 2, other, geo)  # drawn: its runs name other faces
    assert _xml(copied) == _xml(drawn)
    assert len(slides._footers) == 2


# --- titles --------------------------------------------------------------------------------------


def _inherited(shape: object) -> tuple[int, ...]:
    return tuple(int(getattr(shape, k)) for k in ("left", "top", "width", "height"))


@pytest.mark.parametrize("deck", [_bare, _brand])
def it_places_a_title_as_its_layout_does(deck: object) -> None:
    made: Deck = deck()  # type: ignore[operator]
    for name in ("Title", "Content", "Charts", "Content", "Title"):
        title = made.slides.add_slide(layout(made, name)).shapes.title
        assert title is not None
        assert slides._place(title) == _inherited(title)
    moved = made.slides.add_slide(layout(made, "Content")).shapes.title
    assert moved is not None
    moved.top, moved.height = Emu(1000), Emu(500_000)  # a title of its own place
    unmoved = made.slides.add_slide(layout(made, "Content")).shapes.title
    assert slides._place(moved) == _inherited(moved) != _inherited(unmoved)


@pytest.mark.parametrize("deck", [_bare, _brand])
def it_grows_a_long_title_over_its_layout_place(deck: object, document: Document) -> None:
    made: Deck = deck()  # type: ignore[operator]
    geo = geometry(made, document)
    for title in ("短标题", "工业硅期货主力合约震荡走弱，现货报价持稳，库存继续累积" * 3):
        ours, theirs = _slide(made, 0, True), _slide(made, 0, True)
        slide_title(ours, title, INKS, geo)
        placeholder = theirs.shapes.title
        assert placeholder is not None
        # the route replaced: python-pptx's inherited dimensions, read from the placeholder
        theirs_place = _inherited(placeholder)
        _title_by_proxies(theirs, title, geo, theirs_place)
        assert _xml(ours) == _xml(theirs)


def _title_by_proxies(
    slide: Slide, title: str, geo: Geometry, place: tuple[int, ...], ink: Ink = INKS
) -> None:
    placeholder = slide.shapes.title
    assert placeholder is not None
    frame = placeholder.text_frame
    frame.clear()
    left, top, width, height = place
    room = slides.pt(width) - slides.pt(frame.margin_left) - slides.pt(frame.margin_right)
    slides.write(frame, title, ink, slides.TITLE_PT, ink.primary, bold=True)
    lines = min(len(slides.wrap(title, slides.TITLE_PT, room)), slides.TITLE_LINES_MAX)
    if lines > 1:
        frame.paragraphs[0].line_spacing = Pt(slides.TITLE_LINE)
        frame.margin_top = frame.margin_bottom = Emu(0)
        grown = max(height, emu(lines * slides.TITLE_LINE))
        placeholder.top, placeholder.height = Emu(top + height - grown), Emu(grown)
        placeholder.left, placeholder.width = Emu(left), Emu(width)


# --- empty placeholders --------------------------------------------------------------------------

PICTURE = (
    f"<p:pic {nsdecls('p', 'a')}><p:nvPicPr><p:cNvPr id='40' name='Picture Placeholder'/>"
    "<p:cNvPicPr/><p:nvPr><p:ph type='pic' idx='13'/></p:nvPr></p:nvPicPr>"
    "<p:blipFill/><p:spPr/></p:pic>"
)


def _by_proxies(slide: Slide) -> None:
    """The route replaced: python-pptx's placeholder proxies and their text frames."""
    for shape in list(slide.placeholders):
        if not shape.has_text_frame or not shape.text_frame.text:
            shape._element.getparent().remove(shape._element)


def _fill(slide: Slide, how: str) -> None:
    placeholders = list(slide.placeholders)
    body = placeholders[-1].text_frame
    if how == "text":
        body.text = "正文"
    elif how == "two empty paragraphs":  # python-pptx reads "\n": not empty
        body.add_paragraph()
    elif how == "a line break":
        body.paragraphs[0].add_line_break()
    elif how == "no body":
        txbody = placeholders[-1]._element.txBody
        txbody.getparent().remove(txbody)
    elif how == "a picture":
        slide.shapes._spTree.append(parse_xml(PICTURE))
    if placeholders[0] is not placeholders[-1]:
        placeholders[0].text_frame.text = "标题"


@pytest.mark.parametrize("deck", [_bare, _brand])
@pytest.mark.parametrize(
    "how", ["empty", "text", "two empty paragraphs", "a line break", "no body", "a picture"]
)
def it_drops_the_placeholders_python_pptx_finds_empty(deck: object, how: str) -> None:
    made: Deck = deck()  # type: ignore[operator]
    for name in ("Title", "Content", "Charts"):
        ours = made.slides.add_slide(layout(made, name))
        theirs = made.slides.add_slide(layout(made, name))
        _fill(ours, how)
        _fill(theirs, how)
        before = len(ours.shapes)
        drop_empty_placeholders(ours)
        _by_proxies(theirs)
        assert _xml(ours) == _xml(theirs)
        if how in ("empty", "no body", "a picture") and before > 1:
            assert len(ours.shapes) < before


# --- tables --------------------------------------------------------------------------------------

STYLES = (
    CellStyle(INKS.face, WHITE, True, False, p.TABLE_PT, None, None, INKS.primary),
    CellStyle(INKS.face, WHITE, True, True, 9.0, None, (0.5, WHITE), INKS.primary),
    CellStyle(INKS.face, INK, False, True, p.TABLE_PT, (0.75, "#8FA7BC"), None, "#F0F3F7"),
    CellStyle(INKS.face, MUTED, False, False, p.TABLE_PT, None, (1.0, INKS.primary), None),
)


@pytest.mark.parametrize("style", STYLES)
def it_copies_a_cell_as_it_would_be_written(style: CellStyle) -> None:
    for text in ("8350", "", "—", "工业硅 <Si> & 多晶硅", "-2.18%"):
        written = CT_TableCell.new()
        style_cell(written, style, text)
        assert etree.tostring(cell(style, text)) == etree.tostring(written)


def _table_by_cells(
    slide: Slide,
    box: Box,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[bool],
    ink: Ink,
    muted_rows: frozenset[int],
    ruled_rows: frozenset[int],
    bands: Sequence[tuple[str, int]],
    size: float = p.TABLE_PT,
) -> None:
    """The route replaced: python-pptx's table of every row, each cell written in place."""
    heads = 2 if bands else 1
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
    shape.name = "Table"
    table = shape.table
    table.first_row, table.horz_banding = True, False
    table._tbl.get_or_add_tblPr().find(slides.qn("a:tableStyleId")).text = NO_STYLE_TABLE
    slides._size_grid(shape, widths, heights)
    trs = table._tbl.tr_lst
    rule, zebra = tint(ink.primary, 0.45), tint(ink.primary, 0.06)
    for r, texts in enumerate([band_row, header][-heads:]):
        under = (0.5, WHITE) if r < heads - 1 else None
        for c, (tc, head) in enumerate(zip(trs[r].tc_lst, texts, strict=False)):
            right = numeric[c] and r == heads - 1
            style = CellStyle(ink.face, WHITE, True, right, size, None, under, ink.primary)
            style_cell(tc, style, head)
    at = 1
    for _, n in bands:
        if n > 1:
            table.cell(0, at).merge(table.cell(0, at + n - 1))
        at += n
    last = len(rows) + heads - 1
    for r, cells in enumerate(rows, start=heads):
        colour = MUTED if r - heads in muted_rows else INK
        top = (0.75, rule) if r - heads in ruled_rows and r > heads else None
        bottom = (1.0, ink.primary) if r == last else None
        fill = zebra if (r - heads) % 2 == 1 else None
        for c, (tc, text) in enumerate(zip(trs[r].tc_lst, cells, strict=False)):
            style = CellStyle(ink.face, colour, False, numeric[c], size, top, bottom, fill)
            style_cell(tc, style, text)


HEADER = ("品种", "2024年一季度", "二季度", "2025年一季度", "二季度")
ROWS = (
    ("工业硅", "8,350", "-165", "-2.18%", "—"),
    ("多晶硅", "41,200", "1,234.5", "3.1%", "—"),
    ("有机硅", "13,600"),  # shorter than the header: its last cells stay empty
    ("硅片", "1.52", "0.03", "2.0%", "—"),
    ("电池片", "0.31", "-0.01", "-3.2%", "—"),
)
NUMERIC = (False, True, True, True, True)
WIDTHS = (120.0, 90.0, 80.5, 90.0, 80.5)


@pytest.mark.parametrize(
    ("bands", "muted", "ruled"),
    [
        ((), frozenset(), frozenset()),
        ((("2024年", 2), ("2025年", 2)), frozenset({1}), frozenset({0, 3})),
        ((("2024年", 1), ("2025年", 3)), frozenset({0, 4}), frozenset({2})),
    ],
)
def it_writes_a_table_as_one_written_cell_by_cell(
    bands: tuple[tuple[str, int], ...], muted: frozenset[int], ruled: frozenset[int]
) -> None:
    deck = _bare()
    box = Box(457200, 1_200_000, 11_000_000, 0)
    ours, theirs = _slide(deck, 1, True), _slide(deck, 1, True)
    native_table(ours, box, HEADER, ROWS, WIDTHS, NUMERIC, INKS, muted, ruled, bands=bands)
    _table_by_cells(theirs, box, HEADER, ROWS, WIDTHS, NUMERIC, INKS, muted, ruled, bands)
    assert _xml(ours) == _xml(theirs)
