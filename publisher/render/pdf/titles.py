"""PDF renderer: section titles, where a section starts and where it goes on to a new page."""

from __future__ import annotations

from reportlab.platypus import Flowable

from publisher.render.pdf.kinsoku import KinsokuParagraph, escape
from publisher.render.pdf.theme import PAGE_HEIGHT, Theme, tint


class SectionTitle(Flowable):
    """A bold section title with a brand bar and rule; its page gets the section's bookmark
    (a title repeated where the section continues gets none: pass no key)."""

    def __init__(self, key: str, title: str, theme: Theme, visible: bool = True) -> None:
        super().__init__()
        self.key = key
        self.title = title
        self.visible = visible
        self.theme = theme
        self.keepWithNext = True
        self.paragraph = KinsokuParagraph(escape(title), theme.section)
        self.spaceAfter = 10 if visible else 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if not self.visible:
            self.height = 0
            return availWidth, 0
        _, text = self.paragraph.wrap(availWidth - 10, availHeight)
        self.height = text + 7
        return availWidth, self.height

    def draw(self) -> None:
        canvas = self.canv
        _, top = canvas.absolutePosition(0, self.height)
        # An invisible title (the cover's) sends the reader to the top of its page.
        top = top + 12 if self.visible else PAGE_HEIGHT
        if self.key:
            canvas.bookmarkPage(self.key, fit="XYZ", left=0, top=top)
            canvas.addOutlineEntry(self.title, self.key, level=0)
        if not self.visible:
            return
        text_height = self.height - 7
        canvas.saveState()
        canvas.setFillColor(self.theme.accent)
        canvas.rect(0, self.height - text_height + 2, 3.5, text_height - 4, stroke=0, fill=1)
        canvas.setStrokeColor(tint(self.theme.primary, 0.35))
        canvas.setLineWidth(0.6)
        canvas.line(0, 0.5, self.width, 0.5)
        canvas.restoreState()
        self.paragraph.drawOn(canvas, 10, self.height - text_height)
