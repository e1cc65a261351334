"""Deck renderer: text measured without a font file, conservatively; runs naming both faces."""

from __future__ import annotations

import copy
import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.oxml.ns import qn
from pptx.text.text import _Run

# Widths in em. CJK and full-width forms take a full em; Latin faces are narrower, but a client's
# PowerPoint may substitute a wider face than ours, so Latin is rounded up, never down.
NARROW = 0.62
CAPITAL = 0.74
SPACE = 0.34
# Latin that some face sets nearly an em wide (Noto Sans CJK's % is 0.96 em, its m 0.96).
WIDE_LATIN = frozenset("%@&MWmw")
# PowerPoint and LibreOffice wrap a little earlier than the sum of widths (kinsoku moves a
# character whose successor may not start a line): the usable width is taken a little short.
WRAP_SHARE = 0.94
NO_LINE_START = set("，。、；：？！）》」』】〕”’…%,.;:?!)]}")


@functools.cache  # a deck measures ~130,000 characters, of a few hundred kinds
def wide(char: str) -> bool:
    """An ideograph or full-width form: a line may break before and after it."""
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


@functools.cache  # as wide
def char_em(char: str) -> float:
    if char == " ":
        return SPACE
    if wide(char) or char in WIDE_LATIN:
        return 1.0
    if char.isupper():
        return CAPITAL
    return NARROW


def text_width(text: str, size: float) -> float:
    """Width of `text` in points at `size` points."""
    return size * sum(char_em(c) for c in text)


def one_line_size(text: str, width: float, largest: float, smallest: float) -> float:
    """The largest size, in half points from `largest` down to `smallest`, at which `text`
    fits one line `width` points wide; `smallest` if none does (it then wraps)."""
    size = largest
    while size > smallest and text_width(text, size) > width * WRAP_SHARE:
        size -= 0.5
    return max(size, smallest)


def tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character alone, a run of Latin letters or digits whole."""
    found: list[str] = []
    for char in text:
        narrow = not wide(char) and char != " "
        if narrow and found and found[-1] and not wide(found[-1][-1]) and found[-1][-1] != " ":
            found[-1] += char
        else:
            found.append(char)
    return found


def break_lines(
    text: str, advances: Sequence[float], room: float, indent: float = 0.0
) -> list[str]:
    """The lines `text` takes when character i is `advances[i]` points wide and a line holds
    `room` points (the first `indent` less). Joined, they give `text` back."""
    lines: list[str] = []
    line, used, at = "", indent, 0
    widths: list[float] = []  # of the line's characters, to take the last one back
    for token in tokens(text):
        own = list(advances[at : at + len(token)])
        at += len(token)
        w = sum(own)
        if line and used + w > room:
            if token == " ":  # a space at a break stays at the line's end, invisible
                lines.append(line + token)
                line, used, widths = "", 0.0, []
                continue
            # a closing mark never starts a line: it pulls the last character down with it
            if token[0] in NO_LINE_START and len(line) > 1:
                lines.append(line[:-1])
                line, widths = line[-1], widths[-1:]
            else:
                lines.append(line)
                line, widths = "", []
            used = sum(widths)
        line += token
        widths += own
        used += w
    if line or not lines:
        lines.append(line)
    return lines


def wrap(text: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    """The lines `text` takes in a box `width` points wide (the first line indented by
    `indent`), measured conservatively; a line count is also a place to cut."""
    return list(_lines(text, size, width, indent))


def line_count(text: str, size: float, width: float, indent: float = 0.0) -> int:
    return len(_lines(text, size, width, indent))


# planning measures a text again at each try, drawing once more: ~9,000 wraps, ~800 distinct
@functools.lru_cache(maxsize=4096)
def _lines(text: str, size: float, width: float, indent: float) -> tuple[str, ...]:
    advances = [size * char_em(c) for c in text]
    return tuple(break_lines(text, advances, width * WRAP_SHARE, indent))


@dataclass(frozen=True)
class Face:
    """The faces a run names: Latin for Western text, East Asian for Chinese."""

    latin: str
    ea: str


@functools.cache
def _rpr_template(face: Face, size: float, colour: str, bold: bool) -> etree._Element:
    rpr = etree.Element(qn("a:rPr"))
    rpr.set("lang", "zh-CN")
    rpr.set("altLang", "en-US")
    rpr.set("sz", str(round(size * 100)))
    rpr.set("b", "1" if bold else "0")
    fill = etree.SubElement(rpr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", colour.lstrip("#").upper())
    etree.SubElement(rpr, qn("a:latin")).set("typeface", face.latin)
    etree.SubElement(rpr, qn("a:ea")).set("typeface", face.ea)
    etree.SubElement(rpr, qn("a:cs")).set("typeface", face.latin)
    return rpr


def run_properties(face: Face, size: float, colour: str, bold: bool = False) -> etree._Element:
    """Size, colour and both typefaces: python-pptx's font.name writes only a:latin, and
    PowerPoint sets Chinese in a:ea, so a run without it falls back to the theme's face."""
    return copy.deepcopy(_rpr_template(face, size, colour, bold))


def style_run(
    run: _Run, text: str, face: Face, size: float, colour: str, bold: bool = False
) -> None:
    """The run's text in the given style (see run_properties)."""
    run.text = text
    r = run._r
    old = r.find(qn("a:rPr"))
    if old is not None:
        r.remove(old)
    r.insert(0, run_properties(face, size, colour, bold))
