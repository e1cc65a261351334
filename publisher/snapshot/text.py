"""Snapshot stage: refuse analyst text the report cannot print (length, control codes, glyphs)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from publisher.assets import FONT_REGULAR
from publisher.errors import SnapshotError
from publisher.fontcache import code_points
from publisher.snapshot.model import Judgement

# Longest text a field may hold, in characters; longer text would overrun its box on the page.
LIMITS: Mapping[str, int] = {
    "title": 40,
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
# Leaks of a missing value or a template slip, which no page may print: the compliance check
# (publisher/check.py) reads every page with this rule, and analyst text is held to it at load,
# so a pasted "#N/A" is refused by its snapshot.toml key, not found after the build. Words are
# matched whole and case-sensitively ("Financial", "info" pass); the rest anywhere.
FORBIDDEN_WORDS = re.compile(r"(?<![A-Za-z0-9_])(nan|NaN|None|inf)(?![A-Za-z0-9_])")
FORBIDDEN_TEXT: tuple[str, ...] = ("#DIV/0!", "#N/A", "#VALUE!", "{{")


def check_judgement(path: Path, judgement: Judgement) -> Judgement:
    """The judgement unchanged, or a SnapshotError naming the first unprintable field."""
    for field, kind, value in _texts(judgement):
        check_text(path, field, kind, value)
    return judgement


def forbidden_tokens(text: str) -> tuple[str, ...]:
    """Missing-value and template leaks in `text`, once each, in the order found."""
    found = FORBIDDEN_WORDS.findall(" ".join(text.split()))
    # Whitespace removed: PDF extraction breaks lines (and spaces CJK) where it likes.
    page = "".join(text.split())
    found += [token for token in FORBIDDEN_TEXT if token in page]
    return tuple(dict.fromkeys(found))


def line_ends(judgement: Judgement) -> Judgement:
    """Every text of the judgement with CR LF and lone CR as LF: python-pptx writes a CR as the
    literal `_x000D_` and reportlab as a space, while both break or space an LF as designed."""
    return dataclasses.replace(
        judgement,
        factors=tuple(dataclasses.replace(f, comment=lf(f.comment)) for f in judgement.factors),
        outlook=lf(judgement.outlook),
        bullish=tuple(lf(item) for item in judgement.bullish),
        bearish=tuple(lf(item) for item in judgement.bearish),
        logic=lf(judgement.logic),
        risks=lf(judgement.risks),
    )


def lf(value: str) -> str:
    """CR LF and a lone CR as LF, the one line end the renderers know."""
    if not isinstance(value, str):  # a number in a list, say: left for check_text to name
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n")


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
        if char not in LAYOUT_CHARACTERS and ord(char) not in code_points(FONT_REGULAR):
            raise SnapshotError(
                path,
                f"{field} has {code_point(char)} {char} at position {position}, "
                "which is not in the report font",
                "write it in words or with a character the font has",
            )
    _refuse_leaks(path, field, value)
    return value


def _refuse_leaks(path: Path, field: str, value: str) -> None:
    """Refuse text the compliance check would fail on the page, naming the field and token."""
    tokens = forbidden_tokens(value)
    if not tokens:
        return
    token = tokens[0]
    words = (m.start() for m in FORBIDDEN_WORDS.finditer(value) if m[1] == token)
    at = next(words, value.find(token))
    where = f" at position {at + 1}" if at >= 0 else ""  # "{ {" is found only spaces removed
    raise SnapshotError(
        path,
        f"{field} holds '{token}'{where}, which the compliance check refuses on any page",
        _leak_fix(token),
    )


def _leak_fix(token: str) -> str:
    if token == "{{":
        return "write it without the double brace (e.g. 「」); on a page it is a template slip"
    if token.startswith("#"):
        return "replace the pasted spreadsheet error with the figure or the words it stands for"
    return "write what is meant in words (e.g. 无 or 暂无数据), or delete it"


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
