"""PDF renderer: a correction's note (更正) — what it changes in the revision it corrects."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from publisher.layout.model import Correction
from publisher.render.pdf.fonts import BOLD, REGULAR
from publisher.render.pdf.kinsoku import wrap
from publisher.render.pdf.theme import INK, Theme, tint

PAD = 7.0
HEADING_PT, LINE_PT, LEAD = 10.0, 8.5, 11.5
ELLIPSIS = "…"


class CorrectionNote(Flowable):
    """A tinted box: the heading in the accent colour, then the note's lines, broken by the
    renderer's kinsoku wrap. Given a `height`, lines that would not fit end in an ellipsis
    rather than run out of the box (the cover leaves it a fixed place)."""

    def __init__(self, correction: Correction, theme: Theme, height: float | None = None) -> None:
        super().__init__()
        self.correction, self.theme, self.fixed = correction, theme, height
        self.data_sources = correction.sources  # what the page log gathers for 数据来源
        self.spaceAfter = 8
        self.width = self.height = 0.0
        self.broken: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.broken = [line for text in self.correction.lines for line in self._broken(text)]
        natural = PAD + HEADING_PT * 1.4 + len(self.broken) * LEAD + PAD
        if self.fixed is not None:
            room = int((self.fixed - PAD * 2 - HEADING_PT * 1.4) // LEAD)
            if len(self.broken) > room:
                self.broken = [*self.broken[: max(room - 1, 0)], ELLIPSIS][:room]
        self.height = self.fixed if self.fixed is not None else natural
        return self.width, self.height

    def _broken(self, text: str) -> list[str]:
        chars = list(text)
        widths = [stringWidth(c, REGULAR, LINE_PT) for c in chars]
        spans = wrap(chars, widths, [self.width - 2 * PAD - 2])
        return ["".join(chars[s.start : s.end]) for s in spans] or [""]

    def draw(self) -> None:
        canvas, theme = self.canv, self.theme
        canvas.setFillColor(tint(theme.accent, 0.08))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(theme.accent)
        canvas.rect(0, 0, 2.2, self.height, stroke=0, fill=1)
        y = self.height - PAD - HEADING_PT
        canvas.setFont(BOLD, HEADING_PT)
        canvas.drawString(PAD + 2, y, self.correction.heading)
        y -= HEADING_PT * 0.4
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, LINE_PT)
        for line in self.broken:
            y -= LEAD
            canvas.drawString(PAD + 2, y, line)
