"""Metrics stage: the one place a number becomes text (tables, narrative, charts and slides)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"  # printed where a figure does not exist or has no meaning
THOUSANDS_UNITS = frozenset({"个"})  # counts of pieces run to nine digits; group them


def rounded(value: float, decimals: int) -> float:
    """Round half away from zero, as a desk (and Excel) does, not banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def number(value: float | None, decimals: int, unit: str = "") -> str:
    """A level: 8350, 58.2, 0.943, 794,309,425 个."""
    if value is None or not math.isfinite(value):
        return DASH
    value = rounded(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    grouping = "," if unit in THOUSANDS_UNITS else ""
    return f"{value:{grouping}.{decimals}f}"


def change(value: float | None, decimals: int, unit: str = "") -> str:
    """A change carries its sign: +65, -165, 0."""
    text = number(value, decimals, unit)
    if text == DASH or value is None:
        return text
    return "+" + text if rounded(value, decimals) > 0 else text


def percent(value: float | None) -> str:
    """A % change, two decimals, signed: +7.47%, -2.18%, 0.00%."""
    if value is None or not math.isfinite(value):
        return DASH
    return change(value, 2) + "%"


def magnitude(text: str) -> str:
    """The figure without its sign, for prose that says 增加/减少 in words."""
    return text.lstrip("+-")
