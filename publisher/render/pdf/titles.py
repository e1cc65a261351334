"""PDF renderer: section titles, where a section starts and where it goes on to a new page, and
the titles kept with the block under them."""

from __future__ import annotations

from reportlab.platypus import Flowable

from publisher.render.pdf.kinsoku import KinsokuParagraph, escape
from publisher.render.pdf.theme import PAGE_HEIGHT, Theme, tint

FORCE_SPLIT = 0xFFFFFF  # a height no frame has: the frame asks the flowable to split instead


def repeats(caption: str, section: str) -> bool:
    """Whether a table's or chart's caption only says again what its section's title says
    (工业硅周度供需平衡表 under 工业硅周度供需平衡表): such a caption is left out."""
    return bool(caption) and "".join(caption.split()) in "".join(section.split())


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


class Headed(Flowable):
    """Titles glued to the top of a block that splits (a table, a chart grid): they go where
    the block's first part goes, so a title never stands alone at the foot of a page, yet the
    block may start on the page the titles start (reportlab's keepWithNext would move the
    whole block to a new page whenever it does not fit in what is left)."""

    def __init__(self, heads: list[Flowable], body: Flowable) -> None:
        super().__init__()
        self.heads, self.body = heads, body

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, FORCE_SPLIT

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used = sum(h.wrap(availWidth, availHeight)[1] + h.getSpaceAfter() for h in self.heads)
        # the body measures the page it lands on by the frame, as if it were placed itself
        for name in ("_frame", "canv"):
            if hasattr(self, name):
                setattr(self.body, name, getattr(self, name))
        parts = self.body.split(availWidth, availHeight - used)
        if not parts:
            return []  # not even the body's first part fits: all of it starts the next page
        self.heads[0].spaceBefore = self.getSpaceBefore()
        return [*self.heads, *parts]


def headed(flowables: list[Flowable]) -> list[Flowable]:
    """`flowables` with the titles that lead them glued to the first block that splits."""
    lead = 0
    while lead < len(flowables) and getattr(flowables[lead], "keepWithNext", False):
        lead += 1
    if 0 < lead < len(flowables) and getattr(flowables[lead], "splits_by_itself", False):
        heads = flowables[:lead]
        for head in heads:
            head.keepWithNext = False
        return [Headed(heads, flowables[lead]), *flowables[lead + 1 :]]
    return flowables
