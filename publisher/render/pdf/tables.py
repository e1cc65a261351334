"""PDF renderer: overview tables that split across pages between category groups, repeating
their header row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Table

from publisher.layout.columns import figure_columns, fit_columns, label_columns
from publisher.layout.groups import first_category_cell, group_of
from publisher.layout.model import CONTINUED
from publisher.layout.model import Table as TableBlock
from publisher.render.pdf.fonts import BOLD, REGULAR
from publisher.render.pdf.kinsoku import FUZZ, KinsokuParagraph, escape, wrap
from publisher.render.pdf.theme import BODY_WIDTH, MUTED, WHITE, Theme, tint
from publisher.render.pdf.titles import SectionTitle

CELL_SIZE = 8.5
PAD_X = 4
PAD_Y = 2.2


class SourcedTable(Table):
    """A reportlab Table that knows each row's data sources, also after it splits."""

    def __init__(self, *args: Any, row_sources: Sequence[tuple[str, ...]] = (), **kw: Any):
        super().__init__(*args, **kw)
        self.row_sources = list(row_sources)

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
        return parts


def _column_widths(block: TableBlock, figures: Sequence[bool]) -> list[float]:
    """The model's relative widths (or the natural ones), figure and label columns never
    narrower than their widest entry, stretched to the body width."""
    natural = []
    for c, head in enumerate(block.header):
        texts = [r.cells[c] for r in block.rows if c < len(r.cells)]
        widest = max(
            [stringWidth(head, BOLD, CELL_SIZE)]
            + [stringWidth(t, REGULAR, CELL_SIZE) for t in texts]
        )
        natural.append(widest + 2 * PAD_X + 2)
    share = block.widths if len(block.widths) == len(block.header) else natural
    kept = [f or label for f, label in zip(figures, label_columns(block), strict=True)]
    least = [n if keep else 0.0 for n, keep in zip(natural, kept, strict=True)]
    return fit_columns(share, least, BODY_WIDTH)


def _lines(text: str, width: float, style: ParagraphStyle) -> int:
    chars = list(text)
    widths = [stringWidth(ch, style.fontName, style.fontSize) for ch in chars]
    return len(wrap(chars, widths, [width]))


def _balanced(text: str, width: float, style: ParagraphStyle) -> ParagraphStyle:
    """`style` narrowed to the least width that still sets `text` in as few lines: the lines
    come out even, so none holds a lone character (部分合约价差 as 部分合 / 约价差, not
    部分合约价 / 差)."""
    lines = _lines(text, width, style)
    step = style.fontSize / 4
    narrow = width
    while narrow - step > 0 and _lines(text, narrow - step, style) == lines:
        narrow -= step
    if narrow == width:
        return style
    return ParagraphStyle(f"{style.name}-even", parent=style, rightIndent=width - narrow)


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Flowable:
    """Plain strings are fast and print literally; only text too wide becomes a paragraph,
    its lines balanced."""
    room = width - 2 * PAD_X
    if stringWidth(text, style.fontName, style.fontSize) <= room:
        return text
    return KinsokuParagraph(escape(text), _balanced(text, room, style))


def _category(text: str, width: float, style: ParagraphStyle) -> str | Flowable:
    """A 类别 cell. A name going on with （续） that leaves no room for the mark breaks before it:
    期货收盘价 / （续）, the name whole, not 期货收盘 / 价（续）."""
    name = text.removesuffix(CONTINUED)
    room = width - 2 * PAD_X
    fits = stringWidth(text, style.fontName, style.fontSize) <= room
    if name == text or fits or stringWidth(name, style.fontName, style.fontSize) > room:
        return _cell(text, width, style)
    return KinsokuParagraph(f"{escape(name)}<br/>{escape(CONTINUED)}", style)


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


@dataclass(frozen=True)
class _Setting:
    """What every part of one overview table is drawn with, wherever it splits."""

    block: TableBlock
    theme: Theme
    section: str
    numeric: tuple[bool, ...]
    widths: tuple[float, ...]
    styles: dict[str, ParagraphStyle]
    rows: dict[int, list[Any]] = field(default_factory=dict)  # each row's cells, once set


class OverviewTable(SourcedTable):
    """Rows `span` of an overview table. It splits between category groups: a group that does
    not fit in what is left of a page starts the next one, unless it is longer than a page;
    a part that starts inside a group names the group again, with （续）."""

    splits_by_itself = True  # its section's title is glued to its first part (titles.headed)

    def __init__(self, setting: _Setting, span: range) -> None:
        self.setting, self.span = setting, span
        super().__init__(
            _data(setting, span),
            colWidths=list(setting.widths),
            repeatRows=1,
            style=_commands(setting, span),
            row_sources=[(), *(setting.block.rows[i].sources for i in span)],
        )

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        fit, used = 0, heights[0]
        while fit < len(self.span) and used + heights[1 + fit] <= availHeight + FUZZ:
            used += heights[1 + fit]
            fit += 1
        if fit == len(self.span):
            return [self]
        cut = self._cut(fit, availHeight)
        if cut == 0:
            return []  # nothing of it here: it starts on the next page
        setting = self.setting
        first = OverviewTable(setting, self.span[:cut])
        rest = OverviewTable(setting, self.span[cut:])
        if not setting.section:
            return [first, rest]
        # the rest cannot start on this page: it starts the next under "…（续）"
        return [first, PageBreak(), self._continued(), rest]

    def _continued(self) -> SectionTitle:
        return SectionTitle("", self.setting.section + CONTINUED, self.setting.theme)

    def _page_room(self, availHeight: float) -> float:
        """The height rows have on a page of their own: under the header row and, where a
        section title is repeated, under its （续）."""
        frame = getattr(self, "_frame", None)
        full = frame._aH if frame is not None else availHeight
        if self.setting.section:
            title = self._continued()
            full -= title.wrap(BODY_WIDTH, full)[1] + title.spaceAfter
        return max(full, availHeight) - self._rowHeights[0]

    def _cut(self, fit: int, availHeight: float) -> int:
        """How many of the span's rows go on this page, when `fit` would."""
        block, heights = self.setting.block, self._rowHeights
        group = group_of(block, self.span[fit])
        if group.start == self.span[fit]:
            return fit  # the page ends between two groups
        begin = max(group.start - self.span.start, 0)
        end = min(group.stop - self.span.start, len(self.span))
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        if sum(heights[1 + begin : 1 + end]) <= self._page_room(availHeight) + FUZZ:
            # the whole group fits on the next page: it goes there (unless this is a page's
            # top already, when a caption above it leaves less room than a page has)
            return fit if begin == 0 and at_top else begin
        # Longer than a page: it fills this one, with at least two of its rows.
        return fit if fit - begin >= 2 or begin == 0 else begin


def _data(setting: _Setting, span: range) -> list[list[Any]]:
    """The header row and the span's rows; a span starting inside a group names it again."""
    block, widths, styles, numeric = setting.block, setting.widths, setting.styles, setting.numeric
    header = [
        _cell(h, widths[c], styles["head-r" if numeric[c] else "head-l"])
        for c, h in enumerate(block.header)
    ]
    return [header, *(_row(setting, i, first=i == span.start) for i in span)]


def _row(setting: _Setting, index: int, first: bool) -> list[Any]:
    """Row `index` as cells; `first` on a page, where a category going on names itself."""
    # A table is cut again for each page it reaches: each row is set once.
    if index not in setting.rows:
        texts = setting.block.rows[index].cells
        setting.rows[index] = [
            _set(setting, index, c, t) for c, t in enumerate(_padded(setting, texts))
        ]
    cells = list(setting.rows[index])
    own = setting.block.rows[index].cells[:1]
    label = first_category_cell(setting.block, index) if first and own else ""
    if label and label != own[0]:
        cells[0] = _set(setting, index, 0, label)
    return cells


def _padded(setting: _Setting, texts: Sequence[str]) -> list[str]:
    ncols = len(setting.block.header)
    return list(texts[:ncols]) + [""] * (ncols - len(texts))


def _set(setting: _Setting, index: int, column: int, text: str) -> str | Flowable:
    """One cell of row `index`: greyed when the row is stale, figures to the right."""
    kind = "stale" if setting.block.rows[index].stale else "body"
    style = setting.styles[f"{kind}-{'r' if setting.numeric[column] else 'l'}"]
    return (_category if column == 0 else _cell)(text, setting.widths[column], style)


def _commands(setting: _Setting, span: range) -> list[tuple[Any, ...]]:
    theme = setting.theme
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
        ("ALIGN", (c, 0), (c, -1), "RIGHT" if n else "LEFT") for c, n in enumerate(setting.numeric)
    ]
    rule = tint(theme.primary, 0.45)
    for r, index in enumerate(span, start=1):
        row = setting.block.rows[index]
        if row.stale:  # the layout marks the cell itself; here the row is only greyed
            commands.append(("TEXTCOLOR", (0, r), (-1, r), MUTED))
        if index % 2 == 1:  # stripes follow the table's rows, wherever a page starts
            commands.append(("BACKGROUND", (0, r), (-1, r), theme.zebra))
        if row.group_start and r > 1:
            commands.append(("LINEABOVE", (0, r), (-1, r), 0.6, rule))
    # every page's part ends with a rule, so a reader sees where the page's rows stop
    return [*commands, ("LINEBELOW", (0, -1), (-1, -1), 0.9, theme.primary)]


def overview_table(block: TableBlock, theme: Theme, section: str = "") -> OverviewTable:
    """The table; where it splits, the rest starts a page under `section`'s title + （续）."""
    numeric = figure_columns(block)
    setting = _Setting(
        block, theme, section, numeric, tuple(_column_widths(block, numeric)), _styles(theme)
    )
    return OverviewTable(setting, range(len(block.rows)))
