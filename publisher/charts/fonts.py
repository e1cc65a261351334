"""Charts stage: the house CJK fonts cut down to the glyphs charts print.

Embedding a 2 MB CJK TrueType font makes matplotlib subset it for every chart it saves —
parsing tens of thousands of glyphs and the layout tables each time (≈150 ms a chart).
Handing matplotlib a font that already holds just the chart's characters, without the
layout tables it never uses, makes that subset take a few milliseconds.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from publisher.assets import FONT_BOLD, FONT_REGULAR
from publisher.fontcache import CACHE_DIR as FONT_CACHE
from publisher.fontcache import code_points, cut_once

# Always there: ASCII, the minus sign matplotlib puts on negative ticks, date words, and the
# punctuation units and legends use.
BASE_TEXT = string.printable.strip() + " \u2212–—…·•°℃μ×年月日（）：，、。；％‰"
# Tables layout engines read and matplotlib does not (it lays out with FreeType alone).
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea", "vmtx", "VORG", "DSIG")
CACHE_DIR = FONT_CACHE / "charts"


@dataclass(frozen=True)
class ChartFonts:
    """Paths of the cut-down regular and bold fonts and the characters they cover."""

    regular: Path
    bold: Path
    covers: frozenset[str]


_stock: frozenset[str] = frozenset()
_stocked: tuple[Path, frozenset[str]] | None = None  # where, and to what, the stock is cut
_exact: dict[frozenset[str], ChartFonts] = {}


def chart_fonts(text: str = "") -> ChartFonts:
    """Fonts holding exactly the glyphs of `text` (and the always-there characters).

    Cut in two steps: once per process from the full font to a stock of every character
    met so far (slow: ~50 ms a face), then per chart from that stock to exactly its own
    characters (fast). The exact font depends only on the characters — glyphs keep the full
    font's order and names — so a chart's PDF has the same bytes whatever was drawn before.
    """
    global _stock
    needed = frozenset(text) | frozenset(BASE_TEXT)
    if needed not in _exact:
        if not needed <= _stock:
            _stock = _stock | needed
        regular = _cut(_cut(FONT_REGULAR, _stock), needed)
        bold = _cut(_cut(FONT_BOLD, _stock), needed)
        _exact[needed] = ChartFonts(regular, bold, needed)
    return _exact[needed]


def stock_up(text: str) -> None:
    """Cut the process's stock to cover `text` now, e.g. before starting worker processes."""
    global _stock, _stocked
    needed = frozenset(text) | frozenset(BASE_TEXT)
    if needed <= _stock and _stocked == (CACHE_DIR, _stock):
        return  # a worker is handed the same text with every chart: cut once
    _stock = _stock | needed
    _cut(FONT_REGULAR, _stock)
    _cut(FONT_BOLD, _stock)
    _stocked = (CACHE_DIR, _stock)


def missing_glyphs(text: str) -> str:
    """Characters of `text` the house font cannot draw (they would print as boxes)."""
    cmap = code_points(FONT_REGULAR)
    return "".join(sorted({ch for ch in text if ch.isprintable() and ord(ch) not in cmap}))


def _cut(font: Path, chars: frozenset[str]) -> Path:
    """`font` cut to `chars`, cached on disk under a name derived from both."""
    text = "".join(sorted(chars))

    def cut(out: Path) -> None:
        # here, not at the top: a build finds its cuts made (fontcache) and never loads the
        # subsetter (~75 ms of the build process's start)
        from fontTools import subset

        options = subset.Options(
            glyph_names=True,  # keep the full font's glyph names: the exact cut must not vary
            notdef_outline=True,
            hinting=False,
            layout_features=[],
            name_IDs=["*"],
            name_languages=["*"],
        )
        options.drop_tables += list(UNUSED_TABLES)
        face = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(face)
        subset.save_font(face, str(out), options)
        face.close()

    return cut_once(font, text, cut, CACHE_DIR)
