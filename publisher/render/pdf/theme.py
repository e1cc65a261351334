"""PDF renderer: page geometry, brand colours and paragraph styles, derived from the Document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from publisher.layout.model import Document
from publisher.render.pdf.fonts import BOLD, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# 17.5 mm margins leave 175 mm: exactly one wide chart or two 85 mm charts and a 5 mm gutter,
# the sizes the charts stage draws at, so artwork is placed at 1:1 scale.
MARGIN_X = 17.5 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GUTTER = 5 * mm
HEADER_RULE = 19 * mm  # page top to the rule under the header
BODY_TOP = PAGE_HEIGHT - 24 * mm
FOOTER_BOTTOM = 9 * mm
FOOTER_GAP = 5 * mm  # between the body frame and the footer's rule
FOOTER_SIZE = 6.5  # credentials, licence line and the page number

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#6B6B6B")
HAIRLINE = colors.HexColor("#BFBFBF")
WHITE = colors.white
# Chinese market convention: red for bullish, green for bearish.
VERDICT_COLOURS = {
    "偏多": colors.HexColor("#C0392B"),
    "偏空": colors.HexColor("#1E8449"),
    "中性": colors.HexColor("#7F8C8D"),
}

BODY_SIZE = 10.5
BODY_LEADING = 18
SOURCES_LABEL = "数据来源："  # the footer's line and the line under each chart


def tint(colour: colors.Color, share: float) -> colors.Color:
    """`colour` mixed into white: `share` 0 is white, 1 is the colour itself."""
    return colors.Color(
        1 - share * (1 - colour.red),
        1 - share * (1 - colour.green),
        1 - share * (1 - colour.blue),
    )


@dataclass(frozen=True)
class Theme:
    """Colours and styles for one document; every style names an embedded font."""

    primary: colors.Color
    accent: colors.Color
    # the document's order of sources, for every line that lists them
    order_sources: Callable[[tuple[str, ...]], tuple[str, ...]]
    body: ParagraphStyle
    plain: ParagraphStyle
    section: ParagraphStyle
    caption: ParagraphStyle
    chart_title: ParagraphStyle
    chart_source: ParagraphStyle
    note: ParagraphStyle
    callout: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    footer: ParagraphStyle
    sources: ParagraphStyle
    disclaimer: ParagraphStyle

    @property
    def zebra(self) -> colors.Color:
        return tint(self.primary, 0.06)

    @property
    def callout_fill(self) -> colors.Color:
        return tint(self.accent, 0.08)

    def verdict_colour(self, verdict: str) -> colors.Color:
        return VERDICT_COLOURS.get(verdict, self.primary)


def _style(name: str, size: float, leading: float, **extra: object) -> ParagraphStyle:
    base = {
        "fontName": REGULAR,
        "fontSize": size,
        "leading": leading,
        "textColor": INK,
        "wordWrap": "CJK",
        "alignment": TA_LEFT,
        "bulletFontName": REGULAR,
        "allowWidows": 0,
    }
    return ParagraphStyle(name, **{**base, **extra})


def theme_for(document: Document) -> Theme:
    register_fonts()
    primary = colors.HexColor(document.primary)
    accent = colors.HexColor(document.accent)
    return Theme(
        primary=primary,
        accent=accent,
        order_sources=document.ordered_sources,
        body=_style(
            "body",
            BODY_SIZE,
            BODY_LEADING,
            alignment=TA_JUSTIFY,
            firstLineIndent=2 * BODY_SIZE,
            spaceAfter=6,
        ),
        plain=_style("plain", BODY_SIZE, BODY_LEADING, alignment=TA_JUSTIFY),
        section=_style("section", 15, 20, fontName=BOLD, textColor=primary),
        caption=_style("caption", 10, 14, fontName=BOLD, textColor=primary, spaceAfter=4),
        chart_title=_style("chart_title", 8.5, 11, fontName=BOLD, textColor=INK),
        chart_source=_style("chart_source", 6.5, 8, textColor=MUTED),
        note=_style("note", 7.5, 10.5, textColor=MUTED, spaceBefore=3),
        callout=_style("callout", 11, 16, fontName=BOLD, textColor=primary),
        cell=_style("cell", 8.5, 10.5),
        cell_bold=_style("cell_bold", 8.5, 10.5, fontName=BOLD, textColor=WHITE),
        footer=_style("footer", FOOTER_SIZE, 8.5, textColor=MUTED),
        sources=_style("sources", 7, 9.5, textColor=INK, alignment=TA_JUSTIFY),
        disclaimer=_style("disclaimer", 6.5, 8.5, textColor=MUTED, alignment=TA_JUSTIFY),
    )
