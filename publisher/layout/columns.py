"""Layout stage: how a table's columns share a width, the same rule for page and slide.

Renderers measure text in their own fonts; which columns hold figures and how the width is
shared between them and the names is decided here, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from publisher.layout.model import Table

# 8350, -165, -2.18%, 1,234.5, 7.70%/-36.80%, and the "no figure" dashes.
FIGURE = re.compile(r"^[+\-−]?[\d,]*\.?\d+%?(/[+\-−]?[\d,]*\.?\d+%?)*$|^[—–-]+$")
# Names up to this many characters are labels, never wrapped; longer text wraps as prose.
LABEL_CHARS = 8


def figure_columns(table: Table) -> tuple[bool, ...]:
    """Columns of mostly figures: right-aligned, header included, and never wrapped."""
    flags = []
    for c in range(len(table.header)):
        cells = [r.cells[c].strip() for r in table.rows if c < len(r.cells) and r.cells[c].strip()]
        figures = sum(1 for cell in cells if FIGURE.match(cell))
        flags.append(bool(cells) and figures * 2 >= len(cells))
    return tuple(flags)


def fit_columns(share: Sequence[float], least: Sequence[float], total: float) -> list[float]:
    """Widths filling `total` in proportion to `share`, none below its `least` width (the
    natural width of a figure column: a number broken over two lines misreads). Columns held
    at their least give up no more; the others share what is left in proportion. When even
    the least widths overflow, all shrink alike."""
    if sum(least) >= total:
        return [total * w / sum(least) for w in least]
    held: set[int] = set()
    while True:
        room = total - sum(least[i] for i in held)
        free = sum(w for i, w in enumerate(share) if i not in held)
        widths = [least[i] if i in held else room * w / free for i, w in enumerate(share)]
        short = {i for i, w in enumerate(widths) if i not in held and w < least[i]}
        if not short:
            return widths
        held |= short


def label_columns(table: Table) -> tuple[bool, ...]:
    """Columns of short names, such as 类别: held at least as wide as their widest name, so a
    name reads on one line (部分合约价差 broken leaves 差 alone on the next)."""
    figures = figure_columns(table)
    flags = []
    for c in range(len(table.header)):
        cells = [r.cells[c].strip() for r in table.rows if c < len(r.cells) and r.cells[c].strip()]
        short = bool(cells) and max(len(cell) for cell in cells) <= LABEL_CHARS
        flags.append(short and not figures[c])
    return tuple(flags)
