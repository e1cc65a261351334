"""Deck renderer: where things go — the body box from the template, the footer under it."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.presentation import Presentation as Deck

from publisher.layout.model import Document
from publisher.render.pptx.master import layout, placeholder_box
from publisher.render.pptx.text import line_count

EMU_PER_PT = 12700
EMU_PER_IN = 914400
SOURCES_PT, SOURCES_LINE = 9.0, 12.0
SMALL_PT, SMALL_LINE = 8.0, 11.0  # disclaimer and credentials: the smallest a deck sets
FOOTER_PAD = 5.0  # between the footer's rule and its first line
FOOTER_BOTTOM = 0.16 * EMU_PER_IN
BODY_GAP = 10.0  # between the body and the footer's rule
PAGE_NUMBER_WIDTH = 48.0
NO_DATA = "本页不含数据"
SOURCES_LABEL = "数据来源："


def pt(emu: float) -> float:
    return emu / EMU_PER_PT


def emu(points: float) -> int:
    return round(points * EMU_PER_PT)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def right(self) -> int:
        return self.left + self.width


def sources_line(sources: tuple[str, ...]) -> str:
    return SOURCES_LABEL + ("，".join(sources) if sources else NO_DATA)


def footer_lines(document: Document) -> str:
    compliance = document.compliance
    return f"{compliance.credentials}    {compliance.licence}"


@dataclass(frozen=True)
class Geometry:
    """Every slide's boxes; the footer is sized once, for the longest sources line, so the
    body ends above it on every slide and nothing ever overlaps it."""

    width: int
    height: int
    body: Box
    footer: Box
    sources_height: float  # points
    disclaimer_height: float
    credentials_height: float

    @property
    def margin(self) -> int:
        return self.body.left


def geometry(deck: Deck, document: Document) -> Geometry:
    if deck.slide_width is None or deck.slide_height is None:
        raise ValueError("the deck's template sets no slide size (p:sldSz)")
    width, height = int(deck.slide_width), int(deck.slide_height)
    content = layout(deck, "Content")
    title = placeholder_box(content, 0)
    body = placeholder_box(content, 1)
    margin = body[0] if body else round(0.5 * EMU_PER_IN)
    inner = width - 2 * margin
    every = tuple(dict.fromkeys(s for section in document.sections for s in section.sources))
    text_width = pt(inner)
    sources_h = line_count(sources_line(every), SOURCES_PT, text_width) * SOURCES_LINE
    disclaimer_h = line_count(document.compliance.disclaimer, SMALL_PT, text_width) * SMALL_LINE
    credentials_w = text_width - PAGE_NUMBER_WIDTH
    credentials_h = line_count(footer_lines(document), SMALL_PT, credentials_w) * SMALL_LINE
    footer_h = emu(FOOTER_PAD + sources_h + 2 + disclaimer_h + 2 + credentials_h)
    footer = Box(margin, round(height - FOOTER_BOTTOM - footer_h), inner, footer_h)
    if body:
        top = body[1]
    elif title:
        top = title[1] + title[3] + round(0.25 * EMU_PER_IN)
    else:
        top = round(1.3 * EMU_PER_IN)
    bottom = footer.top - emu(BODY_GAP)
    return Geometry(
        width,
        height,
        Box(margin, top, inner, bottom - top),
        footer,
        sources_h,
        disclaimer_h,
        credentials_h,
    )
