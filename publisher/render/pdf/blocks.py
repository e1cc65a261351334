"""PDF renderer: the story, one list of flowables per section, each carrying its block's sources."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
)

from publisher.layout.model import (
    BulletList,
    Callout,
    ChartGrid,
    Document,
    FactorLine,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)
from publisher.render.pdf.charts import (
    ArtworkLibrary,
    Slot,
    chart_grid_flowables,
    last_on_its_page,
)
from publisher.render.pdf.correction import CorrectionNote
from publisher.render.pdf.fonts import REGULAR
from publisher.render.pdf.keyfigures import KeyFiguresFlowable
from publisher.render.pdf.kinsoku import KinsokuParagraph, escape
from publisher.render.pdf.tables import SourcedTable, overview_table
from publisher.render.pdf.theme import BODY_SIZE, BODY_WIDTH, HAIRLINE, Theme
from publisher.render.pdf.titles import SectionTitle, headed, repeats

SECTION_GAP = 14  # between two sections sharing a page
# A table selects its cells' font even for paragraph cells: Helvetica unless told otherwise.
NO_HELVETICA = ("FONT", (0, 0), (-1, -1), REGULAR, BODY_SIZE)
LABEL_WIDTH = 72  # the label column of bullet lists: 主要风险点 in bold, and air


def _paragraph(markup: str, style: ParagraphStyle, sources: tuple[str, ...]) -> KinsokuParagraph:
    flowable = KinsokuParagraph(markup, style)
    flowable.data_sources = sources
    return flowable


def _hex(colour: Any) -> str:
    return colour.hexval().replace("0x", "#")


def _factor(block: FactorLine, theme: Theme) -> KinsokuParagraph:
    head = f"{block.number}、{block.name}："
    markup = f'<b><font color="{_hex(theme.primary)}">{escape(head)}</font></b>'
    if block.text:
        markup += escape(block.text) + " "
    colour = _hex(theme.verdict_colour(block.verdict))
    markup += f'<b><font color="{colour}">{escape(block.verdict)}</font></b>'
    style = ParagraphStyle("factor", parent=theme.plain, spaceAfter=5)
    return _paragraph(markup, style, block.sources)


def _callout(block: Callout, theme: Theme) -> SourcedTable:
    body = KinsokuParagraph(escape(block.text), theme.callout)
    return SourcedTable(
        [[body]],
        colWidths=[BODY_WIDTH],
        style=[
            NO_HELVETICA,
            ("BACKGROUND", (0, 0), (-1, -1), theme.callout_fill),
            ("LINEBEFORE", (0, 0), (0, -1), 3, theme.accent),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ],
        spaceBefore=4,
        spaceAfter=8,
        row_sources=[block.sources],
    )


def _bullets(block: BulletList, theme: Theme) -> SourcedTable:
    label = ParagraphStyle(
        "label", parent=theme.plain, fontName=theme.caption.fontName, textColor=theme.primary
    )
    item = ParagraphStyle(
        "item", parent=theme.plain, leftIndent=10, bulletIndent=0, bulletColor=theme.accent
    )
    items = block.items or ("",)
    rows = [
        [
            KinsokuParagraph(escape(block.label) if i == 0 else "", label),
            KinsokuParagraph(escape(text), item, bulletText="•"),
        ]
        for i, text in enumerate(items)
    ]
    return SourcedTable(
        rows,
        colWidths=[LABEL_WIDTH, BODY_WIDTH - LABEL_WIDTH],
        style=[
            NO_HELVETICA,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, -1), (-1, -1), 0.5, HAIRLINE),
        ],
        spaceAfter=8,
        row_sources=[block.sources] * len(rows),
    )


def _table(block: Table, theme: Theme, section: str) -> list[Flowable]:
    flowables: list[Flowable] = []
    if block.title and not repeats(block.title, section):
        caption = KinsokuParagraph(escape(block.title), theme.caption)
        caption.keepWithNext = True
        flowables.append(caption)
    flowables.append(overview_table(block, theme, section))
    note = block.note  # the layout marks stale cells and explains the mark
    if note:
        flowables.append(KinsokuParagraph(escape(note), theme.note))
    return flowables


def block_flowables(
    block: Any, theme: Theme, library: ArtworkLibrary, slots: list[Slot], section: str = ""
) -> list[Flowable]:
    """The flowables of one block of the section titled `section`."""
    if isinstance(block, Paragraph):
        return [_paragraph(escape(block.text), theme.body, block.sources)]
    if isinstance(block, FactorLine):
        return [_factor(block, theme)]
    if isinstance(block, Callout):
        return [_callout(block, theme)]
    if isinstance(block, BulletList):
        return [_bullets(block, theme)]
    if isinstance(block, KeyFigures):
        return [KeyFiguresFlowable(block, theme)]
    if isinstance(block, Table):
        return _table(block, theme, section)
    if isinstance(block, ChartGrid):
        return chart_grid_flowables(block, theme, library, slots, section)
    raise TypeError(f"the PDF renderer has no drawing for {type(block).__name__}")


def template_for(section: Section) -> str:
    return "cover" if section.kind == "cover" else "body"


def _section(
    index: int, section: Section, theme: Theme, library: ArtworkLibrary, slots: list[Slot]
) -> list[Flowable]:
    # The cover's design already says what it is: its title is only a bookmark.
    visible = section.kind != "cover"
    key = f"s{index}-{section.id}"
    title = SectionTitle(key, section.title, theme, visible)
    title.data_sources = section.title_sources  # a title template's figures are cited too
    flowables: list[Flowable] = [title]
    for block in section.blocks:
        flowables += block_flowables(block, theme, library, slots, section.title)
    return headed(flowables)


def story(
    document: Document, theme: Theme, library: ArtworkLibrary, slots: list[Slot]
) -> list[Flowable]:
    flowables: list[Flowable] = []
    sections = document.sections
    correction = document.correction
    if correction and not (sections and template_for(sections[0]) == "cover"):
        flowables.append(CorrectionNote(correction, theme))  # no cover to carry it: page 1
    for index, section in enumerate(sections):
        part = _section(index, section, theme, library, slots)
        if index + 1 == len(sections) or sections[index + 1].new_page:
            last_on_its_page(part)
        if index and section.new_page:
            flowables += [NextPageTemplate(template_for(section)), PageBreak()]
        elif index:
            # A title needs room for a few lines under it, or it starts the next page. The gap
            # is space before the title, which a frame drops at a page's top (a spacer would
            # stay there, taking room from what the page can hold).
            flowables.append(CondPageBreak(90))
            part[0].spaceBefore = SECTION_GAP
        flowables += part
        if section.kind == "cover":  # what flows on from a cover's page goes on body pages
            flowables.append(NextPageTemplate("body"))
    return flowables
