"""Snapshot stage: refuse analyst text the report cannot print (length, control codes, glyphs)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from publisher.assets import FONT_REGULAR
from publisher.errors import SnapshotError
from publisher.snapshot.model import Judgement

# Longest text a field may hold, in characters; longer text would overrun its box on the page.
LIMITS: Mapping[str, int] = {
    "name": 20,
    "contract": 20,
    "comment": 500,
    "outlook": 2000,
    "logic": 1000,
    "risks": 1000,
    "bullish": 100,
    "bearish": 100,
}
# Line breaks and tabs are layout, not glyphs: the renderers turn them into spaces or breaks.
LAYOUT_CHARACTERS = frozenset("\n\r\t")


def check_judgement(path: Path, judgement: Judgement) -> Judgement:
    """The judgement unchanged, or a SnapshotError naming the first unprintable field."""
    for field, kind, value in _texts(judgement):
        check_text(path, field, kind, value)
    return judgement


def check_text(path: Path, field: str, kind: str, value: object) -> str:
    """One analyst text, kept verbatim (markup included) if the report can print it."""
    if not isinstance(value, str):
        raise SnapshotError(
            path, f"{field} is not text ({type(value).__name__})", "write it in quotes"
        )
    limit = LIMITS[kind]
    if len(value) > limit:
        raise SnapshotError(
            path,
            f"{field} is {len(value)} characters long, over the {limit}-character limit",
            "shorten it; the report has room for that much",
        )
    for position, char in enumerate(value, start=1):
        if not xml_legal(char):
            raise SnapshotError(
                path,
                f"{field} holds the control character {code_point(char)} at position {position}",
                "delete it (it is invisible; retype the text around it if need be)",
            )
        if char not in LAYOUT_CHARACTERS and ord(char) not in report_glyphs():
            raise SnapshotError(
                path,
                f"{field} has {code_point(char)} {char} at position {position}, "
                "which is not in the report font",
                "write it in words or with a character the font has",
            )
    return value


def xml_legal(char: str) -> bool:
    """XML 1.0's Char production: reportlab's paragraph parser and PPTX's XML refuse the rest."""
    point = ord(char)
    return (
        point in (0x9, 0xA, 0xD)
        or 0x20 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or 0x10000 <= point <= 0x10FFFF
    )


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


@cache
def report_glyphs(font: Path = FONT_REGULAR) -> frozenset[int]:
    """Code points the report font draws; read once, since the cmap lookup is per character."""
    with TTFont(font, lazy=True) as face:
        return frozenset(face.getBestCmap())


def _texts(judgement: Judgement) -> Iterator[tuple[str, str, object]]:
    where = f"products.{judgement.product}"
    yield f"{where}.name", "name", judgement.name
    yield f"{where}.range_call.contract", "contract", judgement.range_call.contract
    yield f"{where}.outlook", "outlook", judgement.outlook
    for side in ("bullish", "bearish"):
        for number, item in enumerate(getattr(judgement, side), start=1):
            yield f"{where}.{side} item {number}", side, item
    yield f"{where}.logic", "logic", judgement.logic
    yield f"{where}.risks", "risks", judgement.risks
    for factor in judgement.factors:
        yield f"{where}.factors.{factor.name}.comment", "comment", factor.comment
