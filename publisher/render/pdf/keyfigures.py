"""PDF renderer: key figures — range calls in large figures, verdicts, 今日要点."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from publisher.layout.model import Highlight, KeyFigures, ProductCall
from publisher.render.pdf.fonts import BOLD, REGULAR
from publisher.render.pdf.kinsoku import wrap
from publisher.render.pdf.theme import INK, MUTED, Theme, tint

PER_ROW = 2  # panels side by side; a third product starts a row of its own
GAP = 10.0  # between panels, and between a caption and the panels
PAD = 9.0
CAPTION = "核心观点"
CAPTION_PT, HEADING_PT, RANGE_PT, LABEL_PT = 10.0, 11.0, 26.0, 8.5
FACTOR_PT, VERDICT_PT = 9.0, 10.5
CELL_HEIGHT, CELL_GAP = 21.0, 4.0
WIDE = 380.0  # a panel this wide sets its verdicts in one row of six, else in rows of three
HIGHLIGHTS = "今日要点"
HIGHLIGHT_PT, HIGHLIGHT_LEAD, BULLET_INDENT = 9.5, 13.5, 10.0


class KeyFiguresFlowable(Flowable):
    """Panels of one or two products a row: heading, the range in large figures, and the
    factor verdicts in their colours (red 偏多, green 偏空, grey 中性)."""

    def __init__(self, block: KeyFigures, theme: Theme) -> None:
        super().__init__()
        self.block, self.theme = block, theme
        self.data_sources = block.sources  # what the page log gathers for 数据来源
        self.spaceAfter = 8
        self.width = self.height = 0.0

    def _columns(self, width: float) -> int:
        return 6 if width >= WIDE else 3

    def _panel_height(self, width: float, call: ProductCall) -> float:
        rows = -(-len(call.verdicts) // self._columns(width)) if call.verdicts else 0
        grid = rows * CELL_HEIGHT + max(rows - 1, 0) * CELL_GAP
        return PAD + HEADING_PT * 1.3 + RANGE_PT * 1.25 + 8 + grid + PAD

    def _rows(self) -> list[tuple[ProductCall, ...]]:
        calls = self.block.calls
        return [calls[i : i + PER_ROW] for i in range(0, len(calls), PER_ROW)]

    def _panel_width(self, count: int) -> float:
        return (self.width - (count - 1) * GAP) / count

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        height = 0.0
        if self.block.calls:
            height = CAPTION_PT * 1.4 + GAP / 2
            for row in self._rows():
                width = self._panel_width(len(row))
                height += max(self._panel_height(width, call) for call in row) + GAP
        if self.block.highlights:
            height += self._highlights_height() + GAP
        self.height = height - GAP
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        if self.block.calls:
            y = self._calls(y)
        if self.block.highlights:
            self._highlights(y)

    def _caption(self, y: float, text: str) -> float:
        """A block's caption (核心观点, 今日要点) at `y`; returns where what follows starts."""
        canvas = self.canv
        canvas.setFillColor(self.theme.primary)
        canvas.setFont(BOLD, CAPTION_PT)
        y -= CAPTION_PT
        canvas.drawString(0, y, text)
        return y - (CAPTION_PT * 0.4 + GAP / 2)

    def _calls(self, y: float) -> float:
        y = self._caption(y, CAPTION)
        for row in self._rows():
            width = self._panel_width(len(row))
            height = max(self._panel_height(width, call) for call in row)
            for n, call in enumerate(row):
                self._panel(call, n * (width + GAP), y - height, width, height)
            y -= height + GAP
        return y

    def _lines(self, highlight: Highlight) -> list[str]:
        """The sentence broken to the width beside its bullet by the renderer's one line
        breaker (no line starts with a closing mark)."""
        chars = list(highlight.text)
        widths = [stringWidth(c, REGULAR, HIGHLIGHT_PT) for c in chars]
        spans = wrap(chars, widths, [self.width - BULLET_INDENT])
        return ["".join(chars[span.start : span.end]) for span in spans] or [""]

    def _highlights_height(self) -> float:
        count = sum(len(self._lines(h)) for h in self.block.highlights)
        return CAPTION_PT * 1.4 + GAP / 2 + count * HIGHLIGHT_LEAD

    def _highlights(self, y: float) -> None:
        """今日要点: a caption, then one bulleted sentence a figure."""
        canvas = self.canv
        y = self._caption(y, HIGHLIGHTS)
        for highlight in self.block.highlights:
            for n, line in enumerate(self._lines(highlight)):
                y -= HIGHLIGHT_LEAD
                if n == 0:
                    canvas.setFillColor(self.theme.accent)
                    canvas.rect(2, y + HIGHLIGHT_PT * 0.3, 3, 3, stroke=0, fill=1)
                canvas.setFillColor(INK)
                canvas.setFont(REGULAR, HIGHLIGHT_PT)
                canvas.drawString(BULLET_INDENT, y, line)

    def _panel(self, call: ProductCall, x: float, y: float, width: float, height: float) -> None:
        canvas, theme = self.canv, self.theme
        canvas.setFillColor(tint(theme.primary, 0.05))
        canvas.rect(x, y, width, height, stroke=0, fill=1)
        canvas.setFillColor(theme.accent)
        canvas.rect(x, y, 2.2, height, stroke=0, fill=1)
        left = x + PAD + 2
        top = y + height - PAD
        canvas.setFillColor(theme.primary)
        canvas.setFont(BOLD, HEADING_PT)
        canvas.drawString(left, top - HEADING_PT, call.heading)
        label_x = left + stringWidth(call.heading, BOLD, HEADING_PT) + 6
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, LABEL_PT)
        canvas.drawString(label_x, top - HEADING_PT, "区间预测")
        baseline = top - HEADING_PT * 1.3 - RANGE_PT * 0.95
        canvas.setFillColor(theme.primary)
        canvas.setFont(BOLD, RANGE_PT)
        canvas.drawString(left, baseline, call.range_text)
        inner = x + width - PAD - left
        self._verdicts(call, left, baseline - RANGE_PT * 0.3 - 8, inner, self._columns(width))

    def _verdicts(
        self, call: ProductCall, x: float, top: float, width: float, columns: int
    ) -> None:
        canvas, theme = self.canv, self.theme
        cell = (width - (columns - 1) * CELL_GAP) / columns
        for n, verdict in enumerate(call.verdicts):
            left = x + (n % columns) * (cell + CELL_GAP)
            bottom = top - (n // columns + 1) * CELL_HEIGHT - (n // columns) * CELL_GAP
            colour = theme.verdict_colour(verdict.verdict)
            canvas.setFillColor(tint(colour, 0.12))
            canvas.rect(left, bottom, cell, CELL_HEIGHT, stroke=0, fill=1)
            baseline = bottom + (CELL_HEIGHT - VERDICT_PT) / 2 + 1.5
            canvas.setFillColor(INK)
            canvas.setFont(REGULAR, FACTOR_PT)
            canvas.drawString(left + 5, baseline, verdict.factor)
            canvas.setFillColor(colour)
            canvas.setFont(BOLD, VERDICT_PT)
            canvas.drawRightString(left + cell - 5, baseline, verdict.verdict)
