"""Metrics stage: the one place a number becomes text (tables, narrative, charts and slides)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

DASH = "—"  # printed where a figure does not exist or has no meaning
# Empty: grouping is the brand's one rule for every figure (`thousands`), never a unit's.
# Kept only while render/pptx/charts.py still imports it.
THOUSANDS_UNITS: frozenset[str] = frozenset()


def rounded(value: float, decimals: int) -> float:
    """Round half away from zero, as a desk (and Excel) does, not banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def number(value: float | None, decimals: int, unit: str = "", *, thousands: bool = False) -> str:
    """A level: 8350, 58.2, 0.943; with the brand's `thousands`, 1,234,567.

    `unit` does not change the text (the grouping rule is the report's, not a unit's); it is
    taken so callers can pass the figure's unit as they always have.
    """
    if value is None or not math.isfinite(value):
        return DASH
    value = rounded(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    grouping = "," if thousands else ""
    return f"{value:{grouping}.{decimals}f}"


def change(value: float | None, decimals: int, unit: str = "", *, thousands: bool = False) -> str:
    """A change carries its sign: +65, -165, 0."""
    text = number(value, decimals, unit, thousands=thousands)
    if text == DASH or value is None:
        return text
    return "+" + text if rounded(value, decimals) > 0 else text


def percent(value: float | None, *, thousands: bool = False) -> str:
    """A % change, two decimals, signed: +7.47%, -2.18%, 0.00% (+12,345.00% when grouped)."""
    if value is None or not math.isfinite(value):
        return DASH
    return change(value, 2, thousands=thousands) + "%"


def day(date: dt.date) -> str:
    """A day as desks write it in prose and titles: 5月27日, 6月10日 (no leading zeros)."""
    return f"{date.month}月{date.day}日"


def date_note(date: dt.date, as_of: dt.date, stale: bool) -> str:
    """A figure's date in prose: （5月26日）, （4月10日，未更新） when stale (the tables' mark),
    with the year when it is not the report's."""
    text = day(date) if date.year == as_of.year else f"{date.year}年{day(date)}"
    return f"（{text}，未更新）" if stale else f"（{text}）"


def magnitude(text: str) -> str:
    """The figure without its sign, for prose that says 增加/减少 in words."""
    return text.lstrip("+-")
