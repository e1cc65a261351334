"""PDF renderer: lays a Document out on A4 with reportlab, places chart artwork with pikepdf."""

from __future__ import annotations

import io
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from publisher.atomic import write_atomically
from publisher.layout.model import Document
from publisher.render.pdf.blocks import story
from publisher.render.pdf.charts import ArtworkLibrary, Drawing, compose
from publisher.render.pdf.fonts import register_fonts
from publisher.render.pdf.pages import NumberedCanvas, PageLog, ReportDoc
from publisher.render.pdf.pdfa import save_pdfa
from publisher.render.pdf.theme import theme_for
from publisher.render.results import PdfResult

__all__ = ["LaidOut", "PdfResult", "finish_pdf", "lay_out_pdf", "load_pdf_renderer", "render_pdf"]


@dataclass(frozen=True)
class LaidOut:
    """The pages laid out, charts as empty slots recorded in the log with their pages."""

    pdf: bytes
    pages: int
    log: PageLog


def load_pdf_renderer() -> None:
    """What rendering needs loaded, for a process that renders later: the fonts registered,
    and pikepdf.pdfa, which imports its validator's modules (~0.15 s)."""
    register_fonts()
    from pikepdf import pdfa  # noqa: F401


def lay_out_pdf(document: Document, drawing: Drawing | None = None) -> LaidOut:
    """One reportlab pass over `document`. It needs only each chart's aspect: `drawing`
    knows most before they are drawn (a table's is read from its artwork)."""
    with closing(ArtworkLibrary(drawing)) as library:
        theme = theme_for(document)
        log = PageLog()
        buffer = io.BytesIO()
        doc = ReportDoc(buffer, document, theme, log)
        doc.build(story(document, theme, library, log.slots), canvasmaker=NumberedCanvas)
        return LaidOut(buffer.getvalue(), doc.page, log)


def _pdf_date(document: Document) -> str:
    # The report's own date, never the clock: two builds of one snapshot are byte-identical.
    return f"D:{document.as_of:%Y%m%d}000000+08'00'"


def render_pdf(document: Document, out: Path, drawing: Drawing | None = None) -> PdfResult:
    """Render `document` to the PDF/A-2b file `out`, replacing it only once the new one is
    complete and validated. Charts without artwork in the document take theirs from
    `drawing`, which may still be drawing them while the pages are laid out."""
    return finish_pdf(document, lay_out_pdf(document, drawing), drawing, out)


def finish_pdf(document: Document, laid: LaidOut, drawing: Drawing | None, out: Path) -> PdfResult:
    """Compose `document`'s pages as `lay_out_pdf` laid them out with the charts' artwork
    from `drawing` and write the PDF/A-2b file `out` (`render_pdf` in two steps: a process
    may lay the pages out while the charts are still being drawn)."""
    out = Path(out)
    with closing(ArtworkLibrary(drawing)) as library, pikepdf.open(io.BytesIO(laid.pdf)) as pdf:
        compose(pdf, laid.log.slots, library)
        pdf.docinfo[pikepdf.Name.CreationDate] = _pdf_date(document)
        pdf.docinfo[pikepdf.Name.ModDate] = _pdf_date(document)
        data = save_pdfa(pdf, document.as_of, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, data)
    return PdfResult(
        path=out,
        pages=laid.pages,
        sources=tuple(
            document.ordered_sources(tuple(laid.log.sources.get(page, ())))
            for page in range(1, laid.pages + 1)
        ),
        charts=tuple((slot.chart_id, slot.page) for slot in laid.log.slots),
    )
