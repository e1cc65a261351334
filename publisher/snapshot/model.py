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

# Digits a desk prints for a unit when the catalog does not say otherwise.
UNIT_DECIMALS: Mapping[str, int] = {
    "元/吨": 0,
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
}


@dataclass(frozen=True)
class SeriesSpec:
    """One catalog row: what a series is, in what unit, from whom."""

    id: str
    name: str
    unit: str
    frequency: str
    source: str
    product: str
    decimals: int
    lo: float | None = None
    hi: float | None = None

    @property
    def label(self) -> str:
        """The indicator as a reader sees it: name with its unit."""
        return f"{self.name}（{self.unit}）"


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

    def factor(self, name: str) -> Factor:
        return next(f for f in self.factors if f.name == name)


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
