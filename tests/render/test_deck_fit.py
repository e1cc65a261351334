"""Deck renderer: on every slide of the daily and the meeting deck, each text frame holds its
text as the bundled face really sets it, and the type is large enough for a screen."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from pptx.oxml.ns import qn
from pptx.slide import Slide

from publisher.assets import FONT_BOLD, FONT_REGULAR
from publisher.render.pptx import DeckResult
from publisher.render.pptx.text import break_lines, tokens
from tests.render.deck_fixtures import reopen, sample_deck
from tests.render.meeting_fixtures import meeting_deck, meeting_document

EMU_PER_PT = 12700
DECKS = {"daily": sample_deck, "meeting": meeting_deck}
FOOTER = ("Footer Sources", "Footer Disclaimer", "Footer Credentials", "Footer Page")
# Shapes that set the body text (prose, lists, a summary slide's key figures).
BODY = re.compile(r"^(Text|Bullets|Bullet Label|Callout|Call Heading|Verdicts Label|Verdict .*)$")


class Face:
    """A font's real advance widths and its own line height (ascent + descent + gap)."""

    def __init__(self, path: object) -> None:
        with TTFont(str(path), lazy=True) as font:  # closed: a font file left open warns
            self.upm = font["head"].unitsPerEm
            self.cmap = font.getBestCmap()
            self.advances = {g: width for g, (width, _) in font["hmtx"].metrics.items()}
            hhea = font["hhea"]
            self.line = (hhea.ascent - hhea.descent + hhea.lineGap) / self.upm

    def advance(self, char: str) -> float:
        """In em."""
        return self.advances[self.cmap.get(ord(char), ".notdef")] / self.upm


@functools.cache
def faces() -> dict[bool, Face]:
    return {False: Face(FONT_REGULAR), True: Face(FONT_BOLD)}


@dataclass(frozen=True)
class Setting:
    """One paragraph as the slide sets it: text, each character's advance, and spacing (pt)."""

    text: str
    advances: tuple[float, ...]
    size: float  # the largest run's
    line: float  # exact spacing, or the face's own line at `size`
    before: float
    after: float
    margin: float  # marL: every line starts here
    indent: float  # the first line's further indent


def _pt(value: str | None, scale: float) -> float:
    return int(value) / scale if value else 0.0


def setting(paragraph: etree._Element) -> Setting:
    text, advances, sizes = "", [], []
    for run in paragraph.iter(qn("a:r")):
        props = run.find(qn("a:rPr"))
        size = _pt(props.get("sz"), 100) if props is not None and props.get("sz") else 18.0
        bold = props is not None and props.get("b") == "1"
        chars = "".join(t.text or "" for t in run.iter(qn("a:t")))
        text += chars
        advances += [size * faces()[bold].advance(c) for c in chars]
        sizes.append(size)
    size = max(sizes, default=18.0)
    props = paragraph.find(qn("a:pPr"))

    def spacing(tag: str) -> float | None:
        node = props.find(qn(tag)) if props is not None else None
        points = node.find(qn("a:spcPts")) if node is not None else None
        return _pt(points.get("val"), 100) if points is not None else None

    line = spacing("a:lnSpc")
    percent = props.find(f"{qn('a:lnSpc')}/{qn('a:spcPct')}") if props is not None else None
    if line is None:
        share = _pt(percent.get("val"), 100_000) if percent is not None else 1.0
        line = share * size * faces()[False].line
    bulleted = props is not None and props.find(qn("a:buChar")) is not None
    margin = _pt(props.get("marL"), EMU_PER_PT) if props is not None else 0.0
    indent = _pt(props.get("indent"), EMU_PER_PT) if props is not None else 0.0
    return Setting(
        text,
        tuple(advances),
        size,
        line,
        spacing("a:spcBef") or 0.0,
        spacing("a:spcAft") or 0.0,
        margin,
        0.0 if bulleted else indent,  # a bullet hangs in the indent; the text starts at marL
    )


def overflow(body: etree._Element, width: float, height: float) -> list[str]:
    """What does not fit a text body `width` × `height` points (its insets taken off)."""
    problems, used = [], 0.0
    paragraphs = [setting(p) for p in body.iter(qn("a:p"))]
    for n, para in enumerate(paragraphs):
        room = width - para.margin
        at = 0
        for token in tokens(para.text):
            w = sum(para.advances[at : at + len(token)])
            at += len(token)
            if token != " " and w > room + 0.01:
                problems.append(f"'{token}' is {w:.1f} pt, wider than its {room:.1f} pt frame")
        lines = len(break_lines(para.text, para.advances, room, para.indent)) if para.text else 1
        used += lines * para.line + (para.before if n else 0.0)
        used += para.after if n < len(paragraphs) - 1 else 0.0
    if used > height + 0.5:
        problems.append(f"takes {used:.1f} pt of a {height:.1f} pt frame")
    return problems


def text_frames(slide: Slide) -> Iterator[tuple[str, etree._Element, float, float]]:
    """(name, text body, inner width, inner height) of every text frame and table cell with
    text, in points."""
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            frame = shape.text_frame
            width = shape.width - frame.margin_left - frame.margin_right
            height = shape.height - frame.margin_top - frame.margin_bottom
            yield shape.name, frame._txBody, width / EMU_PER_PT, height / EMU_PER_PT
        if getattr(shape, "has_table", False) and shape.has_table:
            table = shape.table
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    if cell.is_spanned or not cell.text.strip():
                        continue
                    span = range(c, c + cell.span_width)
                    width = sum(table.columns[i].width for i in span)
                    height = sum(table.rows[i].height for i in range(r, r + cell.span_height))
                    width -= cell.margin_left + cell.margin_right
                    height -= cell.margin_top + cell.margin_bottom
                    name = f"{shape.name} cell {r},{c}"
                    yield name, cell._tc.txBody, width / EMU_PER_PT, height / EMU_PER_PT


@pytest.mark.parametrize("deck", DECKS)
def it_fits_every_text_frame_as_the_bundled_face_sets_it(deck: str) -> None:
    problems = [
        f"slide {number} {name}: {problem}"
        for number, slide in enumerate(reopen(DECKS[deck]()).slides, start=1)
        for name, body, width, height in text_frames(slide)
        for problem in overflow(body, width, height)
    ]
    assert not problems, "\n".join(problems)


def it_sees_a_frame_too_small_for_its_text() -> None:
    """The check itself can fail: a line of 30 ideographs at 18 pt in frames too small."""
    xml = (
        '<p:txBody xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:bodyPr/><a:p>'
        '<a:pPr><a:lnSpc><a:spcPts val="2600"/></a:lnSpc></a:pPr>'
        f'<a:r><a:rPr sz="1800"/><a:t>{"硅" * 30}</a:t></a:r></a:p></p:txBody>'
    )
    body = etree.fromstring(xml)
    assert overflow(body, 540.5, 26) == []  # 30 × 18 pt on one line of 26 pt
    assert overflow(body, 530, 26) and overflow(body, 540.5, 20)
    digits = etree.fromstring(xml.replace("硅" * 30, "7335-7545"))
    assert any("wider than" in p for p in overflow(digits, 40, 100))


def _runs(slide: Slide) -> Iterator[tuple[str, float]]:
    """(shape name, size in pt) of every run on the slide, table cells included."""
    for shape in slide.shapes:
        for props in shape._element.iter(qn("a:rPr")):
            if props.get("sz") and (props.getparent().findtext(qn("a:t")) or "").strip():
                yield shape.name, int(props.get("sz")) / 100


def _chart_sizes(deck: DeckResult) -> set[float]:
    sizes = set()
    for slide in reopen(deck).slides:
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                space = shape.chart._chartSpace
                sizes |= {int(s) / 100 for s in space.xpath(".//a:defRPr/@sz | .//a:rPr/@sz")}
    return sizes


@pytest.mark.parametrize(("deck", "body"), [("daily", 16.0), ("meeting", 18.0)])
def it_sets_type_a_room_can_read(deck: str, body: float) -> None:
    """Titles 24 pt, body 16 (18 in the meeting layout), tables and chart text 12, and only
    the compliance footer smaller, at 8 pt at least."""
    result = DECKS[deck]()
    for number, slide in enumerate(reopen(result).slides, start=1):
        for name, size in _runs(slide):
            where = f"slide {number} {name}"
            assert size >= (8.0 if name in FOOTER else 12.0), where
            if BODY.match(name):
                assert size >= body, where
            if name == "Title" or (number > 1 and name.startswith("Title")):
                assert size >= 24.0, where
    assert min(_chart_sizes(result)) >= 12.0


def it_lets_the_layout_ask_for_its_body_size() -> None:
    assert meeting_document().deck.body_pt == 18.0
    sizes = {size for s in reopen(meeting_deck()).slides for n, size in _runs(s) if n == "Bullets"}
    assert sizes == {18.0}
