"""Snapshot stage: the frozen model every later stage reads (series, judgements, brand)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FACTORS: tuple[str, ...] = ("基本面", "基差", "库存", "盘面", "主力持仓", "预期")
VERDICTS: tuple[str, ...] = ("偏多", "偏空", "中性")
FREQUENCIES: tuple[str, ...] = ("daily", "weekly", "monthly")

# Digits a desk prints for a unit when the catalog does not say otherwise; any other unit
# prints DEFAULT_DECIMALS.
UNIT_DECIMALS: Mapping[str, int] = {
    "元/吨": 0,
    "美元/吨": 0,  # import and LME-style quotes, in whole dollars as 元/吨 in whole yuan
    "吨": 0,
    "手": 0,
    "个": 0,
    "万吨": 2,
    "%": 2,
    "GW": 2,
    "元/片": 2,
    "元/千克": 2,
    "元/W": 3,
    "万辆": 2,
    "元/千瓦时": 3,
    "元/美元": 4,  # USD/CNY as the central parity prints it: 7.1848
    "倍": 2,  # a ratio row's multiple
    # display units (a catalog row's `display`): sized so the figure reads in a few digits
    "万个": 2,
    "亿个": 2,
    "万片": 2,
    "亿片": 2,
    "万元": 2,
    "亿元": 2,
    "万手": 2,
}
DEFAULT_DECIMALS = 2

# How a series stored in one unit may be printed in another: stored units in one printed unit.
# Divisors, not factors: x / 10000 is the double nearest the decimal, x * 0.0001 may not be.
DISPLAY_UNITS: Mapping[tuple[str, str], int] = {
    ("吨", "万吨"): 10_000,
    ("千克", "吨"): 1_000,
    ("个", "万个"): 10_000,
    ("个", "亿个"): 100_000_000,
    ("片", "万片"): 10_000,
    ("片", "亿片"): 100_000_000,
    ("元", "万元"): 10_000,
    ("元", "亿元"): 100_000_000,
    ("手", "万手"): 10_000,
    ("辆", "万辆"): 10_000,
    ("MW", "GW"): 1_000,
}


@dataclass(frozen=True)
class SeriesSpec:
    """One catalog row: what a series is, in what unit, from whom."""

    id: str
    name: str
    unit: str  # as printed: the catalog's display unit where it names one
    frequency: str
    source: str
    product: str
    decimals: int  # digits printed, in `unit`
    lo: float | None = None  # plausibility range, in `unit` like the values
    hi: float | None = None
    stored_unit: str | None = None  # the observation files' unit, when `unit` is a display unit
    per: int = 1  # stored units in one printed unit: 10000 吨 in 1 万吨

    @property
    def label(self) -> str:
        """The indicator as a reader sees it: name with its unit."""
        return f"{self.name}（{self.unit}）"

    @property
    def stored(self) -> str:
        """The unit the observation files and the catalog's min/max are written in."""
        return self.stored_unit or self.unit

    def as_stored(self, value: float) -> float:
        """A printed-unit value back in the files' unit, for messages that point into them."""
        return value * self.per


@dataclass(frozen=True)
class Factor:
    """One of the six scored factors of a daily view."""

    name: str
    verdict: str
    comment: str


@dataclass(frozen=True)
class RangeCall:
    """The analyst's expected trading range for the main contract."""

    contract: str
    low: float
    high: float


@dataclass(frozen=True)
class Contract:
    """A listed futures contract: its catalog series and the label the exchange gives it."""

    series: str
    label: str  # year and month: 2507 (3 digits, 507, where the exchange writes one)

    @property
    def month(self) -> str:
        """The delivery month as the desk's prose writes it: 07 of 2507."""
        return self.label[-2:]


@dataclass(frozen=True)
class Judgement:
    """The analyst's judgements for one product on the as-of date."""

    product: str
    name: str
    factors: tuple[Factor, ...]
    range_call: RangeCall
    outlook: str
    bullish: tuple[str, ...]
    bearish: tuple[str, ...]
    logic: str
    risks: str
    contracts: tuple[Contract, ...] = ()  # as the snapshot lists them
    main: str | None = None  # the main contract's series id, one of `contracts`

    def factor(self, name: str) -> Factor:
        return next(f for f in self.factors if f.name == name)

    @property
    def main_contract(self) -> Contract | None:
        """The contract the desk trades and quotes (主力合约); it rolls as contracts expire."""
        return next((c for c in self.contracts if c.series == self.main), None)


@dataclass(frozen=True)
class Analyst:
    """Who signs the report, with the licence numbers compliance requires."""

    key: str
    name: str
    qualification: str  # 从业资格证号
    consulting: str  # 投资咨询证号
    phone: str


@dataclass(frozen=True)
class Brand:
    """The firm: name, colours, compliance text."""

    firm: str
    licence: str
    disclaimer: str
    primary: str
    accent: str
    palette: tuple[str, ...]
    logo: Path | None
    analysts: Mapping[str, Analyst] = field(repr=False)
    template: Path | None = None  # the firm's .pptx master for decks
    thousands: bool = False  # [numbers] thousands: every figure grouped 1,234,567, or none


@dataclass(frozen=True)
class Snapshot:
    """Everything one report is built from, validated."""

    path: Path
    report_id: str
    title: str
    as_of: dt.date
    layout: str
    analyst: Analyst
    brand: Brand
    catalog: Mapping[str, SeriesSpec] = field(repr=False)
    observations: Mapping[str, pd.Series] = field(repr=False)
    judgements: Mapping[str, Judgement] = field(repr=False)
    files: tuple[Path, ...] = ()

    def series(self, series_id: str) -> pd.Series:
        """Observations of one series, indexed by date, oldest first."""
        return self.observations[series_id]

    def spec(self, series_id: str) -> SeriesSpec:
        return self.catalog[series_id]
