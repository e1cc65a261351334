"""PDF renderer: Chinese line breaking with kinsoku rules and justification, for reportlab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.textsplit import ALL_CANNOT_END, CANNOT_START_LINE
from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)

# reportlab's lists are Japanese-centred: they lack the Chinese full-width comma, semicolon,
# colon, ? and !, the closing book-title mark and the curly quotes, so we add them.
CANNOT_START = frozenset(CANNOT_START_LINE[0] + "，。、；：？！）》”’.,;:?!)]」』】〕］｝〉％%‰℃")
CANNOT_END = frozenset(ALL_CANNOT_END + "（《“‘([【「『〔［｛〈")
# Dashes and ellipses are drawn as pairs (—— ……) that must not be torn apart.
PAIRED = frozenset("—…")
FUZZ = 1e-6
# Wider gaps than this (a fraction of the font size) look worse than a ragged line.
MAX_CHAR_SPACE = 0.25
JUSTIFY_CALLBACK = "_publisher_char_space"


def escape(text: str) -> str:
    """User text as reportlab paragraph markup that prints literally (`<b>`, `&`)."""
    return _xml_escape(text)


@dataclass(frozen=True)
class Span:
    """One line: chars[start:end]; `hard` when it ends at an explicit line break."""

    start: int
    end: int
    hard: bool = False


def _is_word(ch: str) -> bool:
    """Latin letters, digits and their punctuation: a number like 7335-7545 stays whole."""
    return len(ch) == 1 and ch.isascii() and not ch.isspace()


def _visible(chars: Sequence[str], b: int, step: int) -> str:
    """The first non-space character from `b` in direction `step`: spaces at a break vanish."""
    while 0 <= b < len(chars) and chars[b] == " ":
        b += step
    return chars[b] if 0 <= b < len(chars) else ""


def _kinsoku_ok(chars: Sequence[str], b: int) -> bool:
    if _visible(chars, b, 1) in CANNOT_START or _visible(chars, b - 1, -1) in CANNOT_END:
        return False
    return not (chars[b - 1] == chars[b] and chars[b] in PAIRED)


def _clean_ok(chars: Sequence[str], b: int) -> bool:
    return _kinsoku_ok(chars, b) and not (_is_word(chars[b - 1]) and _is_word(chars[b]))


def _settle(chars: Sequence[str], start: int, end: int) -> int:
    """Move an overflow break at `end` back to the nearest allowed position.

    Pulling characters down (rather than hanging punctuation in the margin) keeps every
    line inside the frame; giving back at most half a line keeps progress and bounds ugliness.
    """
    floor = start + max(1, (end - start) // 2)
    for allowed in (_clean_ok, _kinsoku_ok):
        for b in range(end, floor - 1, -1):
            if allowed(chars, b):
                return b
    return end


def wrap(
    chars: Sequence[str],
    widths: Sequence[float],
    line_widths: Sequence[float],
    hard: frozenset[int] = frozenset(),
) -> list[Span]:
    """Greedy line filling with kinsoku: no line starts with a closer or ends with an opener.

    `hard` holds indices of explicit line breaks (zero-width entries ending a line).
    Spaces after a break stay at the end of the line before it, where they are invisible.
    """
    spans: list[Span] = []
    start, n = 0, len(chars)
    while start < n:
        limit = line_widths[min(len(spans), len(line_widths) - 1)]
        end, used, forced = start, 0.0, False
        while end < n:
            if end in hard:
                end, forced = end + 1, True
                break
            if used + widths[end] > limit + FUZZ and end > start:
                break
            used += widths[end]
            end += 1
        if not forced and end < n:
            end = _settle(chars, start, end)
            while end < n and chars[end] == " ":
                end += 1
        spans.append(Span(start, end, forced))
        start = end
    return spans


def _is_marker(frag: Any) -> bool:
    return getattr(getattr(frag, "cbDefn", None), "name", None) == JUSTIFY_CALLBACK


def _marker(frag: Any, char_space: float) -> cjkU:
    """A zero-width frag whose draw callback sets the text object's character spacing."""
    clone = frag.clone()
    clone.text = ""
    clone.cbDefn = ABag(kind="onDraw", name=JUSTIFY_CALLBACK, label=f"{char_space:.4f}")
    return cjkU("", clone, "utf8")


def _set_char_space(canvas: Any, kind: str, label: str) -> None:
    info = getattr(canvas, "_curr_tx_info", None)
    if info is not None:
        info["tx"].setCharSpace(float(label))


def install_justify_callback(canvas: Any) -> None:
    """Make the canvas answer the justification callback (reportlab 4.2+ and older APIs)."""
    if hasattr(canvas, "setNamedCB"):
        canvas.setNamedCB(JUSTIFY_CALLBACK, _set_char_space)
    else:  # pragma: no cover - reportlab before named callbacks looked them up as attributes
        setattr(canvas, JUSTIFY_CALLBACK, _set_char_space)


def _glyphs(units: Sequence[cjkU]) -> list[cjkU]:
    """The line without its trailing spaces and zero-width entries: what justification spreads."""
    visible = [u for u in units if u]
    while visible and visible[-1] == " ":
        visible.pop()
    return visible


def _split_lines(blPara: Any, start: int, stop: int) -> list[Any]:
    """Frags of lines start..stop for a split paragraph's second part, without markers.

    reportlab's own helper glues lines with a space, which is wrong for Chinese text.
    """
    return [w for line in blPara.lines[start:stop] for w in line.words if not _is_marker(w)]


class KinsokuParagraph(Paragraph):
    """A CJK paragraph that obeys kinsoku and justifies by character spacing.

    reportlab's CJK wrap only hangs a few Japanese closers in the margin and cannot justify
    text without spaces; this replaces its line breaking and keeps its drawing.
    """

    data_sources: tuple[str, ...] = ()

    def draw(self) -> None:
        install_justify_callback(self.canv)
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.data_sources = self.data_sources
        return parts

    def _get_split_blParaFunc(self) -> Any:  # reportlab's name
        if self.blPara.kind == 1:
            return _split_lines
        return super()._get_split_blParaFunc()

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # reportlab's names
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        frags = [f for f in self.frags if not _is_marker(f)]
        units = [cjkU(ch, f, "utf8") for f in frags for ch in (getattr(f, "text", "") or [""])]
        if not units:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        hard = frozenset(i for i, u in enumerate(units) if hasattr(u.frag, "lineBreak"))
        spans = wrap([str(u) for u in units], [u.width for u in units], maxWidths, hard)
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        bounds = auto not in ("", "off")
        lines = []
        for index, span in enumerate(spans):
            width = maxWidths[min(index, len(maxWidths) - 1)]
            line = units[span.start : span.end]
            last = span.hard or index == len(spans) - 1
            line, used, extra = self._justify(line, width, last)
            lines.append(makeCJKParaLine(line, width, used, extra, span.hard, bounds))
        return ParaLines(kind=1, lines=lines)

    def _justify(
        self, line: list[cjkU], width: float, last: bool
    ) -> tuple[list[cjkU], float, float]:
        """Spread a full line to both edges with character spacing set by draw callbacks.

        A justified line reports no extra space, so reportlab adds no word spacing on top.
        """
        glyphs = _glyphs(line)
        used = sum(u.width for u in glyphs)
        extra = width - used
        if self.style.alignment != TA_JUSTIFY or last or len(glyphs) < 2 or extra <= FUZZ:
            return line, used, extra
        space = extra / (len(glyphs) - 1)
        if space > MAX_CHAR_SPACE * self.style.fontSize:
            return line, used, extra
        frag = line[0].frag
        return [_marker(frag, space), *line, _marker(frag, 0.0)], used, 0.0
