"""PDF renderer: registers Publisher Sans SC with reportlab; every glyph is an embedded subset."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from publisher.assets import FONT_BOLD, FONT_REGULAR

REGULAR = "PublisherSansSC-Regular"
BOLD = "PublisherSansSC-Bold"
FAMILY = "PublisherSansSC"


@cache
def register_fonts() -> tuple[str, str]:
    """Register both weights once per process; `<b>` in markup maps to the bold face."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_BOLD)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return REGULAR, BOLD
