"""Metrics stage: the unit of a ratio or a conversion, worked out from its inputs' units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from publisher.snapshot.model import DISPLAY_UNITS

# A larger unit in a smaller one (万吨 is 10000 吨), so that 万吨 over 吨 cancels to 10000.
IN_SMALLER: dict[str, tuple[str, int]] = {
    big: (small, per) for (small, big), per in DISPLAY_UNITS.items()
}


@dataclass(frozen=True)
class Derived:
    """The unit of a quotient or product of two series, and the factor their values take for
    it: 万吨 over 吨 is a pure number 10000 times the quotient of the values."""

    unit: str | None  # None: the units cancelled (a pure number: printed as % or 倍)
    factor: float = 1.0


def divided(top: str, bottom: str) -> Derived | None:
    """top ÷ bottom: 元/吨 ÷ 元/吨 is a pure number, 万吨 ÷ GW is 万吨/GW; None when the
    result is no unit one name prints (元/吨 ÷ GW)."""
    over, under = _terms(top), _terms(bottom)
    return _named([*over[0], *under[1]], [*over[1], *under[0]])


def multiplied(value: str, rate: str) -> Derived | None:
    """value × rate: 美元/吨 × 元/美元 is 元/吨; None as for `divided`."""
    first, second = _terms(value), _terms(rate)
    return _named([*first[0], *second[0]], [*first[1], *second[1]])


def _terms(unit: str) -> tuple[list[str], list[str]]:
    """元/吨 → ([元], [吨]); 万吨 → ([万吨], [])."""
    top, *per = unit.split("/")
    return [top], per


def _named(top: Sequence[str], bottom: Sequence[str]) -> Derived | None:
    top, bottom = list(top), list(bottom)
    factor = 1.0
    for term in list(top):
        match = next((b for b in bottom if _smallest(b)[0] == _smallest(term)[0]), None)
        if match is not None:
            factor *= _smallest(term)[1] / _smallest(match)[1]
            top.remove(term)
            bottom.remove(match)
    if len(top) > 1 or len(bottom) > 1 or (bottom and not top):
        return None
    if not top:
        return Derived(None, factor)
    return Derived(top[0] + (f"/{bottom[0]}" if bottom else ""), factor)


def _smallest(term: str) -> tuple[str, int]:
    """The smallest unit a term is counted in and how many of it make one: 万吨 → (千克, 10⁷)."""
    count = 1
    while term in IN_SMALLER:
        term, per = IN_SMALLER[term]
        count *= per
    return term, count
