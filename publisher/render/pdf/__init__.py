"""PDF renderer: lays a Document out on A4 with reportlab, places chart artwork with pikepdf."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from publisher.atomic import write_atomically
from publisher.layout.model import Document
from publisher.render.pdf.blocks import story
from publisher.render.pdf.charts import ArtworkLibrary, Drawing, compose
from publisher.render.pdf.pages import NumberedCanvas, PageLog, ReportDoc
from publisher.render.pdf.pdfa import save_pdfa
from publisher.render.pdf.theme import theme_for

__all__ = ["PdfResult", "render_pdf"]


@dataclass(frozen=True)
class PdfResult:
    """What was written: the file, its page count, and what each page's 数据来源 line lists."""

    path: Path
    pages: int
    sources: tuple[tuple[str, ...], ...]  # per page, in the order printed; () for none
    charts: tuple[tuple[str, int], ...] = ()  # (chart id, 1-based page) in reading order


def _lay_out(document: Document, library: ArtworkLibrary) -> tuple[bytes, int, PageLog]:
    """One reportlab pass; charts are empty slots, recorded in the log with their pages."""
    theme = theme_for(document)
    log = PageLog()
    buffer = io.BytesIO()
    doc = ReportDoc(buffer, document, theme, log)
    doc.build(story(document, theme, library, log.slots), canvasmaker=NumberedCanvas)
    return buffer.getvalue(), doc.page, log


def _pdf_date(document: Document) -> str:
    # The report's own date, never the clock: two builds of one snapshot are byte-identical.
    return f"D:{document.as_of:%Y%m%d}000000+08'00'"


def _finish(
    document: Document, laid: bytes, log: PageLog, library: ArtworkLibrary, out: Path
) -> bytes:
    with pikepdf.open(io.BytesIO(laid)) as pdf:
        compose(pdf, log.slots, library)
        pdf.docinfo[pikepdf.Name.CreationDate] = _pdf_date(document)
        pdf.docinfo[pikepdf.Name.ModDate] = _pdf_date(document)
        return save_pdfa(pdf, document.as_of, out)


def render_pdf(document: Document, out: Path, drawing: Drawing | None = None) -> PdfResult:
    """Render `document` to the PDF/A-2b file `out`, replacing it only once the new one is
    complete and validated. Charts without artwork in the document take theirs from
    `drawing`, which may still be drawing them while the pages are laid out."""
    out = Path(out)
    library = ArtworkLibrary(drawing)
    try:
        laid, pages, log = _lay_out(document, library)
        data = _finish(document, laid, log, library, out)
    finally:
        library.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, data)
    return PdfResult(
        path=out,
        pages=pages,
        sources=tuple(
            document.ordered_sources(tuple(log.sources.get(page, ())))
            for page in range(1, pages + 1)
        ),
        charts=tuple((slot.chart_id, slot.page) for slot in log.slots),
    )
