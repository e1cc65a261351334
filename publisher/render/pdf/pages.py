"""PDF renderer: page templates: cover design, branded header, compliance footer on every page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from publisher.layout.model import Document
from publisher.render.pdf.blocks import template_for
from publisher.render.pdf.charts import Slot
from publisher.render.pdf.correction import CorrectionNote
from publisher.render.pdf.fonts import BOLD, REGULAR
from publisher.render.pdf.kinsoku import KinsokuParagraph, escape, install_justify_callback
from publisher.render.pdf.theme import (
    BODY_SIZE,
    BODY_TOP,
    BODY_WIDTH,
    FOOTER_BOTTOM,
    FOOTER_GAP,
    FOOTER_SIZE,
    HAIRLINE,
    HEADER_RULE,
    INK,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SOURCES_LABEL,
    WHITE,
    Theme,
    tint,
)
from publisher.render.pdf.titles import SectionTitle

NO_DATA = "本页不含数据"
PAGE_NUMBER_WIDTH = 42  # room for "999 / 999" right of the credentials
NBSP = "&nbsp;"
COVER_BAND = 100 * mm
COVER_CARD_TOP = PAGE_HEIGHT - COVER_BAND - 20 * mm
COVER_BODY_TOP = COVER_CARD_TOP - 52 * mm
COVER_CARD_HEIGHT = 40 * mm  # the analyst's card; a correction's note sits beside it


@dataclass
class PageLog:
    """What each page shows, gathered as flowables are drawn: sources, section, chart slots."""

    sources: dict[int, set[str]] = field(default_factory=dict)
    sections: dict[int, str] = field(default_factory=dict)
    slots: list[Slot] = field(default_factory=list)
    current: str = ""

    def drawn(self, page: int, flowable: Flowable) -> None:
        if isinstance(flowable, SectionTitle) and flowable.key:  # a start, not a "（续）"
            self.current = flowable.title
        # Spacers and page actions left over from the previous section draw nothing.
        if self.current and not isinstance(flowable, Spacer | ActionFlowable):
            self.sections.setdefault(page, self.current)
        self.sources.setdefault(page, set()).update(getattr(flowable, "data_sources", ()))


def sources_line(document: Document, sources: set[str] | tuple[str, ...]) -> str:
    ordered = document.ordered_sources(tuple(sources))
    return SOURCES_LABEL + ("，".join(ordered) if ordered else NO_DATA)


class Footer:
    """The compliance footer: sources of this page, disclaimer, credentials, licence, page n / N.

    Its height is fixed for the whole document, sized for the longest possible sources line,
    so the body frame can end above it and nothing ever overlaps it.
    """

    def __init__(self, document: Document, theme: Theme) -> None:
        self.document = document
        self.theme = theme
        compliance = document.compliance
        self.disclaimer = KinsokuParagraph(escape(compliance.disclaimer), theme.disclaimer)
        gap = NBSP * 4
        meta = escape(compliance.credentials).replace("  ", NBSP * 2)
        self.meta = KinsokuParagraph(meta + gap + escape(compliance.licence), theme.footer)
        every = {s for section in document.sections for s in section.sources}
        every |= set(document.correction.sources if document.correction else ())
        self.sources_height = self._sources(every).wrap(BODY_WIDTH, PAGE_HEIGHT)[1]
        self.disclaimer_height = self.disclaimer.wrap(BODY_WIDTH, PAGE_HEIGHT)[1]
        meta_width = BODY_WIDTH - PAGE_NUMBER_WIDTH
        self.meta_height = self.meta.wrap(meta_width, PAGE_HEIGHT)[1]
        self.height = 4 + self.sources_height + 3 + self.disclaimer_height + 2 + self.meta_height

    @property
    def top(self) -> float:
        return FOOTER_BOTTOM + self.height

    def _sources(self, sources: set[str]) -> KinsokuParagraph:
        return KinsokuParagraph(escape(sources_line(self.document, sources)), self.theme.sources)

    def draw(self, canvas: Canvas, page: int, sources: set[str]) -> None:
        install_justify_callback(canvas)
        canvas.saveState()
        canvas.setStrokeColor(HAIRLINE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, self.top, MARGIN_X + BODY_WIDTH, self.top)
        y = self.top - 4
        line = self._sources(sources)
        _, height = line.wrap(BODY_WIDTH, self.sources_height + 1)
        line.drawOn(canvas, MARGIN_X, y - height)
        y -= self.sources_height + 3
        self.disclaimer.drawOn(canvas, MARGIN_X, y - self.disclaimer_height)
        y -= self.disclaimer_height + 2
        self.meta.drawOn(canvas, MARGIN_X, y - self.meta_height)
        ascent = getAscentDescent(REGULAR, self.theme.footer.fontSize)[0]
        # "n / N" is a form the canvas defines once the page count is known (NumberedCanvas).
        canvas.translate(MARGIN_X + BODY_WIDTH, y - ascent)
        canvas.doForm(page_number_form(page))
        canvas.restoreState()


def page_number_form(page: int) -> str:
    return f"pageNumber{page}"


class NumberedCanvas(Canvas):
    """A canvas that prints "n / N" on every page in one layout pass: each page draws a form
    named after its number, and the forms are defined at save, when N is known."""

    def save(self) -> None:
        total = self.getPageNumber() - 1  # save() comes after the last page was shown
        for page in range(1, total + 1):
            # The text is right-aligned on the form's origin, so its box reaches left of it.
            self.beginForm(
                page_number_form(page), lowerx=-PAGE_NUMBER_WIDTH, lowery=-4, upperx=1, uppery=12
            )
            self.setFont(BOLD, FOOTER_SIZE)
            self.setFillColor(INK)
            self.drawRightString(0, 0, f"{page} / {total}")
            self.endForm()
        super().save()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis until it fits `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def draw_header(canvas: Canvas, document: Document, theme: Theme, section: str) -> None:
    """Firm and report title on the left, section and date on the right, over a brand rule."""
    rule = PAGE_HEIGHT - HEADER_RULE
    baseline = rule + 5
    right = MARGIN_X + BODY_WIDTH
    canvas.saveState()
    firm = document.compliance.firm
    canvas.setFont(BOLD, 9.5)
    canvas.setFillColor(theme.primary)
    canvas.drawString(MARGIN_X, baseline, firm)
    x = MARGIN_X + stringWidth(firm, BOLD, 9.5) + 8
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(x, baseline, document.title)
    canvas.drawRightString(right, baseline, document.date_text)
    room = right - stringWidth(document.date_text, REGULAR, 8.5) - 10
    left_end = x + stringWidth(document.title, REGULAR, 8.5) + 16
    if section:
        text = _fit(section, BOLD, 8.5, room - left_end)
        canvas.setFont(BOLD, 8.5)
        canvas.setFillColor(INK)
        canvas.drawRightString(room, baseline, text)
    canvas.setStrokeColor(theme.primary)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, rule, right, rule)
    canvas.setFillColor(theme.accent)
    canvas.rect(MARGIN_X, rule - 0.6, 28 * mm, 2.2, stroke=0, fill=1)
    canvas.restoreState()


def draw_cover(canvas: Canvas, document: Document, theme: Theme) -> None:
    """A brand band with firm, title, subtitle and date; below it the analyst's card."""
    compliance = document.compliance
    band = PAGE_HEIGHT - COVER_BAND
    canvas.saveState()
    canvas.setFillColor(theme.primary)
    canvas.rect(0, band, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
    # A lighter facet on the right gives the band depth without another colour.
    canvas.setFillColor(tint(theme.primary, 0.82))
    facet = canvas.beginPath()
    facet.moveTo(PAGE_WIDTH * 0.62, PAGE_HEIGHT)
    facet.lineTo(PAGE_WIDTH, PAGE_HEIGHT)
    facet.lineTo(PAGE_WIDTH, band)
    facet.lineTo(PAGE_WIDTH * 0.80, band)
    facet.close()
    canvas.drawPath(facet, stroke=0, fill=1)
    canvas.setFillColor(theme.accent)
    canvas.rect(0, band - 2.5 * mm, PAGE_WIDTH, 2.5 * mm, stroke=0, fill=1)
    canvas.rect(MARGIN_X, PAGE_HEIGHT - 50 * mm, 14 * mm, 1.6 * mm, stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    canvas.setFont(BOLD, 12)
    canvas.drawString(MARGIN_X, PAGE_HEIGHT - 22 * mm, compliance.firm)
    canvas.setFont(BOLD, 34)
    canvas.drawString(MARGIN_X, PAGE_HEIGHT - 64 * mm, document.title)
    canvas.setFont(REGULAR, 15)
    canvas.drawString(MARGIN_X, PAGE_HEIGHT - 76 * mm, document.subtitle)
    canvas.setFont(REGULAR, 11.5)
    canvas.drawString(MARGIN_X, PAGE_HEIGHT - 89 * mm, document.date_text)
    _draw_analyst(canvas, document, theme)
    if document.correction:
        _draw_correction(canvas, document, theme)
    canvas.restoreState()


def _draw_correction(canvas: Canvas, document: Document, theme: Theme) -> None:
    """更正 beside the analyst's card, in the right half of the body width."""
    assert document.correction is not None
    note = CorrectionNote(document.correction, theme, COVER_CARD_HEIGHT)
    width, height = note.wrap(BODY_WIDTH / 2, COVER_CARD_HEIGHT)
    note.drawOn(canvas, MARGIN_X + BODY_WIDTH - width, COVER_CARD_TOP - height)


def _draw_analyst(canvas: Canvas, document: Document, theme: Theme) -> None:
    compliance = document.compliance
    top = COVER_CARD_TOP
    lines = (
        f"从业资格证号：{compliance.qualification}",
        f"投资咨询证号：{compliance.consulting}",
        f"联系方式：{compliance.phone}",
    )
    canvas.setFillColor(theme.accent)
    canvas.rect(MARGIN_X, top - COVER_CARD_HEIGHT, 2.2, COVER_CARD_HEIGHT, stroke=0, fill=1)
    x = MARGIN_X + 6 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(x, top - 4 * mm, "分析师")
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 17)
    canvas.drawString(x, top - 12 * mm, compliance.analyst)
    canvas.setFont(REGULAR, 9.5)
    for i, text in enumerate(lines):
        canvas.drawString(x, top - (21 + 6.5 * i) * mm, text)


class ReportDoc(BaseDocTemplate):
    """The report's page templates and the hooks that gather what each page shows."""

    def __init__(self, target: BinaryIO, document: Document, theme: Theme, log: PageLog) -> None:
        compliance = document.compliance
        title = f"{document.title}——{document.subtitle}" if document.subtitle else document.title
        super().__init__(
            target,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            title=title,
            author=f"{compliance.firm} {compliance.analyst}",
            subject=f"{title}（{document.date_text}）" + _corrected(document),
            keywords=", ".join(document.keywords),
            creator="publisher",
            producer="publisher",
            invariant=1,
            pageCompression=1,
            initialFontName=REGULAR,
            initialFontSize=BODY_SIZE,
            lang="zh-CN",
            displayDocTitle=1,
        )
        self.document, self.theme, self.log = document, theme, log
        self.footer = Footer(document, theme)
        bottom = self.footer.top + FOOTER_GAP
        body = _frame("body", bottom, BODY_TOP)
        cover = _frame("cover", bottom, COVER_BODY_TOP)
        templates = [
            PageTemplate("body", [body], onPageEnd=self._end_body),
            PageTemplate(
                "cover",
                [cover],
                onPage=self._begin_cover,
                onPageEnd=self._end_cover,
                autoNextPageTemplate="body",
            ),
        ]
        first = template_for(document.sections[0]) if document.sections else "body"
        templates.sort(key=lambda t: t.id != first)  # the first template is the first page's
        self.addPageTemplates(templates)

    def beforeDocument(self) -> None:
        self.canv.showOutline()
        install_justify_callback(self.canv)

    def afterFlowable(self, flowable: Flowable) -> None:
        self.log.drawn(self.page, flowable)

    def _footer(self, canvas: Canvas) -> None:
        self.footer.draw(canvas, self.page, self.log.sources.get(self.page, set()))

    def _begin_cover(self, canvas: Canvas, doc: Any) -> None:
        draw_cover(canvas, self.document, self.theme)
        if self.document.correction:  # the note prints figures: the footer cites them
            self.log.sources.setdefault(self.page, set()).update(self.document.correction.sources)

    def _end_cover(self, canvas: Canvas, doc: Any) -> None:
        self._footer(canvas)

    def _end_body(self, canvas: Canvas, doc: Any) -> None:
        section = self.log.sections.get(self.page, self.log.current)
        draw_header(canvas, self.document, self.theme, section)
        self._footer(canvas)


def _corrected(document: Document) -> str:
    """A correction says so in its metadata too: the note's heading after the subject."""
    return f" {document.correction.heading}" if document.correction else ""


def _frame(name: str, bottom: float, top: float) -> Frame:
    # No padding: the frame is exactly the body width, so charts sit at their drawn size.
    return Frame(
        MARGIN_X,
        bottom,
        BODY_WIDTH,
        top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )
