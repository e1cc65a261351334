"""PDF renderer: the charts' text set with reportlab in the report's own font, one page per
chart the size of its drawing, to lay over it where the chart is placed."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas

from publisher.charts.artwork import ChartText, PrintArtwork
from publisher.render.pdf.fonts import register_fonts


def text_pages(artworks: Sequence[PrintArtwork]) -> bytes:
    """A PDF whose page i carries the text of `artworks[i]`, each line where the chart's
    layout put it. One document, so the text of every chart shares one font subset."""
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    # the page preamble selects a font: ours, not an unembedded Helvetica (PDF/A)
    canvas = Canvas(buffer, invariant=True, initialFontName=regular)
    for artwork in artworks:
        canvas.setPageSize((artwork.width, artwork.height))
        for text in artwork.texts:
            _set(canvas, text, bold if text.bold else regular)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _set(canvas: Canvas, text: ChartText, font: str) -> None:
    canvas.saveState()
    canvas.translate(text.x, text.y)
    if text.angle:
        canvas.rotate(text.angle)
    canvas.setFont(font, text.size)
    canvas.setFillColorRGB(*text.rgb)
    if text.alpha < 1:
        canvas.setFillAlpha(text.alpha)
    canvas.drawString(0, 0, text.text)
    canvas.restoreState()
