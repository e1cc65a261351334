"""PDF renderer: overview tables that split across pages, repeating their header row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Table

from publisher.layout.columns import figure_columns, fit_columns
from publisher.layout.model import CONTINUED
from publisher.layout.model import Table as TableBlock
from publisher.render.pdf.fonts import BOLD, REGULAR
from publisher.render.pdf.kinsoku import KinsokuParagraph, escape
from publisher.render.pdf.theme import BODY_WIDTH, MUTED, WHITE, Theme, tint
from publisher.render.pdf.titles import SectionTitle

CELL_SIZE = 8.5
PAD_X = 4
PAD_Y = 2.6


class SourcedTable(Table):
    """A reportlab Table that knows each row's data sources, also after it splits."""

    def __init__(
        self,
        *args: Any,
        row_sources: Sequence[tuple[str, ...]] = (),
        closing_rule: tuple[float, Any] | None = None,
        continued: Callable[[], Flowable] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.row_sources = list(row_sources)
        self.closing_rule = closing_rule
        self.continued = continued  # makes the title the rest starts under on its new page
        if closing_rule:
            self.setStyle([("LINEBELOW", (0, -1), (-1, -1), *closing_rule)])

    @property
    def data_sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for row in self.row_sources for s in row))

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            first, rest = parts
            n = len(first._cellvalues)
            repeated = self.repeatRows if isinstance(self.repeatRows, int) else 0
            first.row_sources = self.row_sources[:n]
            rest.row_sources = self.row_sources[:repeated] + self.row_sources[n:]
            # reportlab keeps a "last row" rule on the last piece only; every page's part ends
            # with one, so a reader sees where the page's rows stop.
            first.closing_rule = rest.closing_rule = self.closing_rule
            if self.closing_rule:
                first.setStyle([("LINEBELOW", (0, -1), (-1, -1), *self.closing_rule)])
            rest.continued = self.continued
            if self.continued:
                # the rest cannot start on this page: it starts the next under "…（续）"
                return [first, PageBreak(), self.continued(), rest]
        return parts


def _column_widths(block: TableBlock, figures: Sequence[bool]) -> list[float]:
    """The model's relative widths (or the natural ones), figure columns never narrower than
    their widest figure, stretched to the body width."""
    natural = []
    for c, head in enumerate(block.header):
        texts = [r.cells[c] for r in block.rows if c < len(r.cells)]
        widest = max(
            [stringWidth(head, BOLD, CELL_SIZE)]
            + [stringWidth(t, REGULAR, CELL_SIZE) for t in texts]
        )
        natural.append(widest + 2 * PAD_X + 2)
    share = block.widths if len(block.widths) == len(block.header) else natural
    least = [n if figure else 0.0 for n, figure in zip(natural, figures, strict=True)]
    return fit_columns(share, least, BODY_WIDTH)


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Flowable:
    """Plain strings are fast and print literally; only text too wide becomes a paragraph."""
    if stringWidth(text, style.fontName, style.fontSize) <= width - 2 * PAD_X:
        return text
    return KinsokuParagraph(escape(text), style)


def _styles(theme: Theme) -> dict[str, ParagraphStyle]:
    def aligned(base: ParagraphStyle, align: int, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(f"{base.name}-{align}", parent=base, alignment=align, **extra)

    return {
        "head-l": aligned(theme.cell_bold, TA_LEFT),
        "head-r": aligned(theme.cell_bold, TA_RIGHT),
        "body-l": aligned(theme.cell, TA_LEFT),
        "body-r": aligned(theme.cell, TA_RIGHT),
        "stale-l": aligned(theme.cell, TA_LEFT, textColor=MUTED),
        "stale-r": aligned(theme.cell, TA_RIGHT, textColor=MUTED),
    }


def overview_table(block: TableBlock, theme: Theme, section: str = "") -> SourcedTable:
    """The table; where it splits, the rest starts a page under `section`'s title + （续）."""
    numeric = figure_columns(block)
    widths = _column_widths(block, numeric)
    styles = _styles(theme)
    ncols = len(block.header)
    data: list[list[Any]] = [
        [
            _cell(h, widths[c], styles["head-r" if numeric[c] else "head-l"])
            for c, h in enumerate(block.header)
        ]
    ]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL_SIZE, CELL_SIZE + 2),
        ("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_SIZE + 2),
        ("TEXTCOLOR", (0, 0), (-1, 0), WHITE),
        ("BACKGROUND", (0, 0), (-1, 0), theme.primary),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
    ]
    commands += [
        ("ALIGN", (c, 0), (c, -1), "RIGHT" if n else "LEFT") for c, n in enumerate(numeric)
    ]
    rule = tint(theme.primary, 0.45)
    for r, row in enumerate(block.rows, start=1):
        cells = list(row.cells[:ncols]) + [""] * (ncols - len(row.cells))
        if row.stale:  # the layout marks the cell itself; here the row is only greyed
            commands.append(("TEXTCOLOR", (0, r), (-1, r), MUTED))
        kind = "stale" if row.stale else "body"
        data.append(
            [
                _cell(t, widths[c], styles[f"{kind}-{'r' if numeric[c] else 'l'}"])
                for c, t in enumerate(cells)
            ]
        )
        if r % 2 == 0:
            commands.append(("BACKGROUND", (0, r), (-1, r), theme.zebra))
        if row.group_start and r > 1:
            commands.append(("LINEABOVE", (0, r), (-1, r), 0.6, rule))
    return SourcedTable(
        data,
        colWidths=widths,
        repeatRows=1,
        style=commands,
        row_sources=[(), *(row.sources for row in block.rows)],
        closing_rule=(0.9, theme.primary),
        continued=partial(SectionTitle, "", section + CONTINUED, theme) if section else None,
    )
