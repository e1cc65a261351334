"""Write the sample snapshot samples/silicon-2025-05-27 (工业硅/多晶硅 每日观点, as of 2025-05-27).

The history is SYNTHETIC: plausible magnitudes, trends and seasonality, not real market data.
Only the last two observations of the series shown in the reference report's two overview
tables (工业硅行情概览, 多晶硅行情概览) are anchored to its 现值/前值, plus the 2024-03 … 2025-03
numbers of its 多晶硅月度供需平衡 chart. A few series the overview does not show are pinned to
what the narrative says (weekly supply 6.7 and demand 7.7 万吨, polysilicon output 21500 吨,
recycled-alloy run rate 54.6%, A356 freight 593.8 元/吨) or to its calls (主力持仓 净空/空减 for
工业硅, 净多/多增 for 多晶硅); the script checks that the 07 contracts close below a falling MA20.

Deterministic (numpy default_rng with a fixed seed, no clock): `python samples/generate.py`
rewrites snapshot.toml, catalog.csv and observations.csv byte for byte.
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "silicon-2025-05-27"
AS_OF = pd.Timestamp("2025-05-27")  # a Tuesday; the previous trading day is 2025-05-26
SEED = 20250527

D, W, M = "daily", "weekly", "monthly"  # business days / Fridays / month ends
WIND, SMM, MYSTEEL, GFEX = "WIND", "SMM", "上海钢联", "广期所"

# ─── Trends ──────────────────────────────────────────────────────────────────────────────────
# "rel" knots are multiples of the series' level (rescaled so the last date is the level);
# "abs" knots are values in the series' unit (for margins that cross zero).
# fmt: off
SHAPES: dict[str, tuple[str, dict[str, float]]] = {
    "flat": ("rel", {"2019-01-01": 1.0}),
    "si_price": ("rel", {
        "2022-12-01": 2.25, "2023-03-01": 2.1, "2023-06-01": 1.65, "2023-09-01": 1.9,
        "2023-12-01": 1.95, "2024-03-01": 1.75, "2024-06-03": 1.5, "2024-09-02": 1.3,
        "2024-12-02": 1.57, "2025-02-05": 1.45, "2025-03-03": 1.3, "2025-04-01": 1.22,
        "2025-04-25": 1.15, "2025-05-27": 1.0}),
    "si_cost": ("rel", {
        "2022-12-01": 1.1, "2023-06-01": 1.1, "2024-01-02": 1.08, "2024-06-03": 1.04,
        "2025-05-27": 1.0}),
    "xj_cost": ("rel", {
        "2022-12-01": 1.32, "2023-06-01": 1.15, "2024-01-02": 1.1, "2024-06-03": 1.05,
        "2025-05-27": 1.0}),
    "inputs": ("rel", {
        "2022-12-01": 1.35, "2023-06-01": 1.15, "2024-01-02": 1.1, "2024-06-03": 1.05,
        "2025-05-27": 1.0}),
    "si_stock": ("rel", {
        "2022-12-01": 0.45, "2023-06-01": 0.65, "2023-12-01": 0.6, "2024-06-03": 0.9,
        "2024-12-02": 0.85, "2025-03-03": 1.05, "2025-05-27": 1.0}),
    "receipts": ("rel", {
        "2023-01-03": 0.02, "2023-06-01": 0.4, "2023-12-01": 0.55, "2024-06-03": 1.2,
        "2024-10-31": 1.3, "2024-11-29": 0.45, "2025-02-05": 0.85, "2025-05-27": 1.0}),
    "si_oi": ("rel", {
        "2022-12-01": 0.15, "2023-06-01": 0.45, "2024-01-02": 0.7, "2024-06-03": 1.0,
        "2025-05-27": 1.0}),
    "xj_output": ("rel", {
        "2022-12-01": 1.25, "2023-06-01": 1.3, "2024-03-01": 1.55, "2024-09-02": 1.5,
        "2024-12-02": 1.3, "2025-03-03": 1.1, "2025-05-27": 1.0}),
    "si_output": ("rel", {
        "2022-01-31": 1.0, "2023-01-31": 1.05, "2024-01-31": 1.25, "2024-09-30": 1.28,
        "2024-12-31": 1.2, "2025-04-30": 1.0}),
    "si_demand": ("rel", {
        "2022-01-31": 0.95, "2023-01-31": 1.0, "2024-06-30": 1.3, "2024-09-30": 1.32,
        "2024-12-31": 1.1,
        "2025-04-30": 1.0}),
    "dmc": ("rel", {
        "2022-12-01": 1.55, "2023-06-01": 1.15, "2023-12-01": 1.25, "2024-06-03": 1.2,
        "2024-12-02": 1.15, "2025-03-03": 1.1, "2025-05-27": 1.0}),
    "dmc_run": ("rel", {
        "2022-12-01": 1.15, "2024-06-03": 1.35, "2024-12-02": 1.2, "2025-05-27": 1.0}),
    "dmc_stock": ("rel", {
        "2022-12-31": 0.7, "2023-06-30": 0.9, "2024-06-30": 0.85, "2025-02-28": 1.1,
        "2025-04-30": 1.0}),
    "dmc_margin": ("abs", {
        "2022-12-01": -800, "2023-06-01": -1500, "2023-12-01": -500, "2024-06-03": -800,
        "2024-12-02": 300, "2025-03-03": 100, "2025-05-27": 25}),
    "dmc_exports": ("rel", {"2022-01-31": 0.7, "2024-01-31": 0.9, "2025-04-30": 1.0}),
    "alu": ("rel", {
        "2022-12-01": 0.97, "2023-06-01": 0.92, "2024-06-03": 1.02, "2024-12-02": 1.05,
        "2025-03-03": 1.03, "2025-05-27": 1.0}),
    "alloy_output": ("rel", {
        "2019-01-31": 0.65, "2021-01-31": 0.75, "2023-01-31": 0.88, "2025-04-30": 1.0}),
    "auto": ("rel", {
        "2022-01-31": 0.87, "2023-01-31": 0.92, "2024-01-31": 0.97, "2025-04-30": 1.0}),
    "ps_fut": ("rel", {
        "2024-12-26": 1.36, "2025-01-20": 1.3, "2025-02-20": 1.27, "2025-03-20": 1.24,
        "2025-04-15": 1.14, "2025-05-06": 1.12, "2025-05-16": 1.06, "2025-05-22": 0.99,
        "2025-05-27": 1.0}),
    "ps_oi": ("rel", {
        "2024-12-26": 0.3, "2025-02-05": 0.6, "2025-04-01": 0.9, "2025-05-27": 1.0}),
    "ps_spot": ("rel", {
        "2023-01-03": 5.8, "2023-02-15": 6.3, "2023-06-30": 1.9, "2023-09-15": 2.3,
        "2023-12-29": 1.75, "2024-04-01": 1.6, "2024-06-28": 1.05, "2024-10-15": 1.15,
        "2025-01-15": 1.15, "2025-03-14": 1.14, "2025-04-30": 1.03, "2025-05-27": 1.0}),
    "ps_cost": ("rel", {
        "2023-01-03": 1.7, "2023-12-29": 1.2, "2024-06-28": 1.05, "2025-05-27": 1.0}),
    "ps_output": ("rel", {
        "2023-01-06": 1.25, "2023-12-29": 1.65, "2024-05-31": 1.95, "2024-09-27": 1.3,
        "2024-12-27": 1.1, "2025-05-23": 1.0}),
    "ps_stock": ("rel", {
        "2023-01-06": 0.25, "2023-12-29": 0.45, "2024-06-28": 1.0, "2024-09-27": 1.1,
        "2025-01-03": 1.1, "2025-05-23": 1.0}),
    "ps_supply": ("rel", {
        "2022-01-31": 0.57, "2022-12-31": 0.95, "2023-06-30": 1.3, "2023-12-31": 1.6,
        "2024-02-29": 1.75, "2025-03-31": 1.0}),
    "ps_consumption": ("rel", {
        "2022-01-31": 0.55, "2022-12-31": 0.85, "2023-06-30": 1.1, "2023-12-31": 1.35,
        "2024-02-29": 1.45, "2025-03-31": 1.0}),
    "ps_imports": ("rel", {
        "2022-01-31": 3.0, "2023-06-30": 1.8, "2024-02-29": 1.6, "2025-03-31": 1.0}),
    "wafer": ("rel", {
        "2023-01-03": 5.0, "2023-03-01": 6.0, "2023-07-03": 3.0, "2023-12-29": 2.2,
        "2024-06-28": 1.2, "2024-12-31": 1.12, "2025-03-14": 1.25, "2025-05-27": 1.0}),
    "cell": ("rel", {
        "2023-01-03": 3.8, "2023-06-30": 2.8, "2023-12-29": 1.6, "2024-06-28": 1.1,
        "2024-12-31": 1.05, "2025-03-14": 1.12, "2025-05-27": 1.0}),
    "module": ("rel", {
        "2023-01-03": 2.5, "2023-06-30": 2.0, "2023-12-29": 1.35, "2024-06-28": 1.15,
        "2024-12-31": 1.03, "2025-03-14": 1.05, "2025-05-27": 1.0}),
    "wafer_profit": ("abs", {
        "2023-01-03": 0.15, "2023-06-30": 0.05, "2023-12-29": -0.02, "2024-06-28": -0.05,
        "2024-12-31": -0.03, "2025-03-14": 0.01, "2025-05-27": -0.04}),
    "cell_profit": ("abs", {
        "2023-01-03": 0.08, "2023-06-30": 0.05, "2023-12-29": 0.0, "2024-06-28": -0.03,
        "2024-12-31": -0.02, "2025-03-14": 0.0, "2025-05-27": -0.03}),
    "module_profit": ("abs", {
        "2023-01-03": 0.05, "2023-06-30": 0.04, "2023-12-29": -0.02, "2024-06-28": -0.04,
        "2024-12-31": -0.01, "2025-03-14": 0.02, "2025-05-27": 0.01}),
    "wafer_output": ("rel", {
        "2023-01-06": 0.8, "2023-12-29": 1.05, "2024-06-28": 1.15, "2024-12-27": 0.95,
        "2025-05-23": 1.0}),
    "pv_stock": ("rel", {"2023-01-06": 0.8, "2024-06-28": 1.3, "2025-05-23": 1.0}),
    "eu_stock": ("rel", {
        "2023-01-31": 1.5, "2023-06-30": 1.8, "2023-12-31": 1.6, "2024-06-30": 1.2,
        "2025-04-30": 1.0}),
    "pv_output": ("rel", {
        "2023-01-31": 0.5, "2023-12-31": 0.85, "2024-06-30": 1.0, "2024-12-31": 0.9,
        "2025-04-30": 1.0}),
    "cell_exports": ("rel", {"2023-01-31": 0.35, "2024-01-31": 0.6, "2025-04-30": 1.0}),
    "pv_grid": ("rel", {
        "2022-01-31": 0.25, "2023-01-31": 0.55, "2024-01-31": 0.8, "2025-04-30": 1.0}),
    "pv_glass": ("rel", {
        "2023-01-03": 1.35, "2024-06-28": 1.2, "2024-12-31": 1.0, "2025-03-14": 1.05,
        "2025-05-27": 1.0}),
    "eva": ("rel", {"2023-01-03": 1.5, "2024-06-28": 0.95, "2025-05-27": 1.0}),
}

# ─── Seasonality: factors for Jan … Dec (relative; the curve is smooth between mid-months) ───
SEASONS: dict[str, tuple[float, ...]] = {
    # Sichuan/Yunnan smelters run on hydropower: idle in the dry season, busy in the wet one
    "hydro":        (0.5, 0.4, 0.45, 0.6, 1.0, 2.6, 4.0, 4.5, 4.4, 3.5, 1.6, 0.8),
    "hydro_cost":   (1.2, 1.2, 1.16, 1.08, 1.0, 0.95, 0.93, 0.93, 0.95, 1.0, 1.1, 1.17),
    "xj_cost":      (1.03, 1.03, 1.02, 1.0, 1.0, 0.99, 0.98, 0.98, 0.99, 1.0, 1.02, 1.03),
    "si_output":    (0.92, 0.88, 0.92, 0.95, 0.98, 1.02, 1.05, 1.08, 1.08, 1.05, 1.0, 0.95),
    "si_demand":    (0.97, 0.88, 1.0, 1.02, 1.02, 1.0, 0.99, 1.0, 1.02, 1.03, 1.03, 1.01),
    "dmc":          (1.0, 0.95, 1.0, 1.02, 1.0, 0.97, 0.96, 0.98, 1.0, 1.02, 1.02, 1.0),
    # Spring Festival: February is the low month for alloy, autos, wheels
    "alloy_output": (0.93, 0.75, 1.0, 1.02, 1.02, 1.0, 0.96, 0.98, 1.02, 1.03, 1.04, 1.02),
    "alloy_rate":   (0.92, 0.7, 0.98, 1.02, 1.02, 1.0, 0.96, 0.97, 1.02, 1.03, 1.03, 1.0),
    "alloy_stock":  (1.0, 1.35, 1.25, 1.05, 1.0, 0.95, 0.95, 0.95, 0.95, 0.9, 0.9, 0.95),
    "auto":         (0.95, 0.75, 1.0, 0.92, 0.95, 1.02, 0.95, 0.98, 1.07, 1.1, 1.15, 1.2),
    "wheel":        (0.95, 0.7, 0.98, 1.0, 1.0, 1.0, 0.97, 0.98, 1.02, 1.03, 1.03, 1.0),
    "pv_output":    (0.95, 0.8, 1.0, 1.05, 1.05, 1.0, 0.95, 0.95, 0.97, 0.98, 0.97, 0.92),
    "pv_grid":      (0.9, 0.8, 1.0, 1.0, 1.2, 1.6, 0.9, 0.8, 1.0, 0.9, 1.3, 2.8),
}
# fmt: on


@dataclass(frozen=True)
class Spec:
    """One series: its catalog row and how its synthetic history is made."""

    id: str  # the product is the id's prefix: si_… 工业硅, ps_… 多晶硅
    name: str
    unit: str
    freq: str
    source: str
    decimals: int  # digits of the observations (and printed, unless `display` says otherwise)
    lo: float  # catalog min/max: the plausibility range, in `unit`
    hi: float
    start: str
    cur: float | None = None  # anchors: the reference's 现值 and 前值
    prev: float | None = None
    kind: str = "walk"  # walk | season | stock | derived (see GENERATORS, DERIVED)
    shape: str = "flat"  # trend, a key of SHAPES
    level: float | None = None  # value of the trend on the last date (default: cur)
    vol: float = 0.01  # per-step noise: a fraction of the trend for "rel" shapes, else units
    season: str | None = None  # a key of SEASONS
    base: str | None = None  # made as this series plus its own spread walk (vol in units)
    tick: float | None = None  # prices move in ticks (futures 5 元/吨, spot 50 元/吨 …)
    hold: float = 0.0  # chance a quote is unchanged from the day before
    end: str | None = None  # last observation if earlier than the frequency allows
    display: str | None = None  # the catalog's display unit, for figures of six or more digits
    shown: int | None = None  # digits printed in the display unit

    @property
    def product(self) -> str:
        return self.id.split("_", 1)[0]


def block(defaults: dict, *rows: tuple) -> list[Spec]:
    """Rows (id, name, 现值, 前值[, overrides]) sharing the defaults of one table section."""
    return [
        Spec(row[0], row[1], cur=row[2], prev=row[3], **{**defaults, **(row[4:] or [{}])[0]})
        for row in rows
    ]


def kw(**overrides: object) -> dict:
    return overrides


_ = None  # no anchor: the series is not in the reference's overview tables
# 工业硅's open interest runs to six digits in 手: it prints in 万手 (多晶硅's, five, stays in 手).
OI = kw(vol=0.02, display="万手", shown=2)

# ─── The series ──────────────────────────────────────────────────────────────────────────────
# fmt: off
SERIES: list[Spec] = [
    # 工业硅 futures closes: 07 is the main contract, the others are 07 plus a spread walk
    *block(kw(unit="元/吨", freq=D, source=WIND, decimals=0, lo=4000, hi=30000,
              start="2022-12-01", shape="si_price", base="si_fut_07", vol=12, tick=5),
        ("si_fut_01", "01合约", 8140, 8330),
        ("si_fut_02", "02合约", 8190, 8385),
        ("si_fut_03", "03合约", 8235, 8415),
        ("si_fut_04", "04合约", 8265, 8425),
        ("si_fut_05", "05合约", 8265, 8455),
        ("si_fut_06", "06合约", 7415, 7580),
        ("si_fut_07", "07合约", 7440, 7610, kw(base=None, vol=0.012)),
        ("si_fut_08", "08合约", 7475, 7645),
        ("si_fut_09", "09合约", 7510, 7675),
        ("si_fut_10", "10合约", 7535, 7690),
        ("si_fut_11", "11合约", 7565, 7720),
        ("si_fut_12", "12合约", 8125, 8295)),
    # spot: 553 is 07 plus the basis; the other grades are 553 plus a grade spread
    *block(kw(unit="元/吨", freq=D, source=SMM, decimals=0, lo=4000, hi=30000,
              start="2022-12-01", base="si_spot_553_no_oxygen", vol=15, tick=50, hold=0.4),
        ("si_spot_553_no_oxygen", "华东不通氧553#硅", 8350, 8450, kw(base="si_fut_07", vol=40)),
        ("si_spot_553_oxygen",    "华东通氧553#硅",   8500, 8600),
        ("si_spot_421",           "华东421#硅",       9250, 9400, kw(vol=25)),
        ("si_spot_421_organic",   "华东有机硅用421#硅", 10600, 10700, kw(vol=30))),
    *block(kw(unit="手", freq=D, source=GFEX, decimals=0, lo=0, hi=600000, start="2022-12-01"),
        ("si_receipts",  "注册仓单数", 64626, 64913,
         kw(kind="stock", shape="receipts", start="2023-01-03", vol=0.012, hi=200000)),
        # not in the overview: picked for 主力持仓净空，空减
        ("si_pos_long",  "主力合约前20名多头持仓", 182350, 181760, kw(shape="si_oi", **OI)),
        ("si_pos_short", "主力合约前20名空头持仓", 213480, 216020, kw(shape="si_oi", **OI))),
    # organic silicon (有机硅)
    *block(kw(unit="元/吨", freq=D, source=SMM, decimals=0, lo=5000, hi=40000,
              start="2022-12-01", base="si_dmc_price", vol=30, tick=50, hold=0.8),
        ("si_dmc_price",          "日度DMC",  11500, 11500, kw(base=None, shape="dmc", vol=0.007)),
        ("si_107_price",          "日度107胶", 12150, 12150),
        ("si_silicone_oil_price", "日度硅油",  14050, 14250, kw(vol=40)),
        ("si_raw_rubber_price",   "日度生胶",  12850, 12950),
        ("si_d4_price",           "日度D4",   11950, 11950),
        ("si_dmc_cost",           "日度成本",  11275, 11275, kw(vol=40, tick=5, hold=0.7)),
        ("si_dmc_margin",         "日度毛利",  25, 25,
         kw(base=None, shape="dmc_margin", vol=30, tick=5, hold=0.7, lo=-10000, hi=10000))),
    *block(kw(unit="%", freq=D, source=SMM, decimals=2, lo=0, hi=100, start="2022-12-01"),
        ("si_dmc_util", "日度产能利用率", 59.31, 59.31, kw(shape="dmc_run", vol=0.006, hold=0.7))),
    *block(kw(unit="万吨", freq=W, source=SMM, decimals=2, lo=0, hi=20, start="2022-12-02"),
        ("si_dmc_output_week", "周度DMC产量", 3.90, 3.92,
         kw(kind="season", shape="dmc_run", season="dmc", vol=0.02))),
    *block(kw(unit="吨", freq=M, source=SMM, decimals=0, lo=0, hi=400000, start="2022-12-31",
              display="万吨", shown=2),
        ("si_dmc_inv_month", "月度DMC库存", 105000, 113500,
         kw(kind="stock", shape="dmc_stock", vol=0.05, tick=500))),
    *block(kw(unit="万吨", freq=M, source=SMM, decimals=2, lo=0, hi=20, start="2022-01-31",
              kind="season", season="dmc", vol=0.08),
        ("si_dmc_export_month", "月度DMC出口量", _, _, kw(level=4.8, shape="dmc_exports")),
        ("si_dmc_import_month", "月度DMC进口量", _, _, kw(level=1.3))),
    # aluminium alloy (铝合金)
    *block(kw(unit="元/吨", freq=D, source=SMM, decimals=0, lo=10000, hi=40000,
              start="2022-12-01", base="si_adc12_price", vol=20, tick=50, hold=0.5),
        ("si_adc12_price",        "日度SMM铝合金ADC12价格", 20300, 20400,
         kw(base=None, shape="alu", vol=0.005)),
        ("si_adc12_import_price", "日度进口ADC12宁波港自提均价", 19300, 19400),
        ("si_adc12_import_cost",  "日度进口ADC12宁波自提成本", 19517, 19477,
         kw(vol=25, tick=None, hold=0.3)),
        ("si_adc12_import_profit", "日度进口ADC12实际即时利润", -217, -77,
         kw(kind="derived", lo=-5000, hi=5000)),
        # not in the overview: the narrative's 593.8 元/吨
        ("si_a356_freight_profit", "A356铝送至无锡运费和利润", 593.8, 588.6,
         kw(base=None, decimals=1, lo=-2000, hi=3000, vol=0.03, tick=None, hold=0.3))),
    *block(kw(unit="万吨", freq=M, source=MYSTEEL, decimals=2, lo=0, hi=150, start="2019-01-31",
              kind="season", shape="alloy_output", season="alloy_output", vol=0.03),
        ("si_alloy_output_primary",  "月度原铝铝合金锭产量", 12.91, 12.36),
        ("si_alloy_output_recycled", "月度再生铝合金锭产量", 61.00, 64.40)),
    *block(kw(unit="万吨", freq=W, source=SMM, decimals=2, lo=0, hi=20, start="2022-01-07"),
        ("si_alloy_inv_week", "周度铝合金锭社会库存", 1.57, 1.39,
         kw(kind="stock", season="alloy_stock", vol=0.06))),
    *block(kw(unit="%", freq=W, source=SMM, decimals=2, lo=0, hi=100, start="2020-01-03",
              kind="season", season="alloy_rate", vol=0.025),
        ("si_alloy_rate_primary",  "原生铝合金周度开工率", _, _, kw(level=56)),
        # not in the overview: the narrative's 54.6%, 环比减少0.72 (percentage points)
        ("si_alloy_rate_recycled", "再生铝合金周度开工率", 54.6, 55.32),
        ("si_wheel_rate", "铝合金车轮周度开工率", _, _,
         kw(level=68, season="wheel", start="2022-01-07", vol=0.02))),
    *block(kw(unit="万辆", freq=M, source=MYSTEEL, decimals=2, lo=0, hi=500, start="2022-01-31"),
        ("si_auto_output_month", "汽车月度产量", _, _,
         kw(kind="season", level=262, shape="auto", season="auto", vol=0.03))),
    # inventories: sample enterprises by region and main ports; the totals are exact sums
    *block(kw(unit="万吨", freq=W, source=SMM, decimals=1, lo=0, hi=200, start="2022-12-02",
              kind="stock", shape="si_stock", vol=0.04),
        ("si_inv_social",      "周度社会库存", 58.2, 59.9, kw(vol=0.025)),
        ("si_inv_port_kunming", "周度昆明港",   5,   5),
        ("si_inv_port_tianjin", "周度天津港",   5.9, 6.1),
        ("si_inv_port_huangpu", "周度黄埔港",   2.1, 2.1),
        ("si_inv_port_total",  "周度主要港口库存", 13, 13.2, kw(kind="derived"))),
    *block(kw(unit="吨", freq=W, source=MYSTEEL, decimals=0, lo=0, hi=1000000,
              start="2022-12-02", kind="stock", shape="si_stock", vol=0.04, tick=50,
              display="万吨", shown=2),
        ("si_inv_sample_yunnan",   "周度云南样本企业库存", 24100, 23800),
        ("si_inv_sample_xinjiang", "周度新疆样本企业库存", 187350, 201350),
        ("si_inv_sample_sichuan",  "周度四川样本企业库存", 22750, 22450),
        ("si_inv_sample_total",    "周度样本企业库存", 234200, 247600, kw(kind="derived"))),
    # output and run rates: Sichuan/Yunnan follow the wet season; rates are output / capacity
    *block(kw(unit="吨", freq=W, source=MYSTEEL, decimals=0, lo=0, hi=1000000,
              start="2022-12-02", kind="season", vol=0.05, tick=5),
        ("si_output_sichuan",      "周度四川样本产量", 1085, 1085, kw(season="hydro")),
        ("si_output_xinjiang",     "周度新疆样本产量", 23670, 23570,
         kw(shape="xj_output", vol=0.02)),
        ("si_output_yunnan",       "周度云南样本产量", 1180, 1150, kw(season="hydro")),
        ("si_output_sample_total", "周度样本企业产量", 25935, 25805, kw(kind="derived"))),
    *block(kw(unit="%", freq=W, source=MYSTEEL, decimals=2, lo=0, hi=100, start="2022-12-02",
              kind="derived"),
        ("si_rate_sichuan",  "周度四川样本开工率", 16.56, 16.56),
        ("si_rate_xinjiang", "周度新疆样本开工率", 48.85, 48.64),
        ("si_rate_yunnan",   "周度云南样本开工率", 13.21, 12.88)),
    # supply and demand (not in the overview; weekly pinned to the narrative)
    *block(kw(unit="万吨", freq=W, source=SMM, decimals=1, lo=0, hi=30, start="2022-12-02",
              kind="season"),
        ("si_supply_week",  "工业硅周度供应量", 6.7, 6.7,
         kw(shape="si_output", season="si_output", vol=0.02)),
        ("si_demand_week",  "工业硅周度需求量", 7.7, 7.3,
         kw(shape="si_demand", season="si_demand", vol=0.03)),
        ("si_balance_week", "工业硅周度供需平衡", _, _, kw(kind="derived", lo=-20, hi=20))),
    *block(kw(unit="万吨", freq=M, source=SMM, decimals=2, lo=0, hi=100, start="2022-01-31",
              kind="season"),
        ("si_output_month",  "全国工业硅月度产量", _, _,
         kw(level=30.2, shape="si_output", season="si_output", vol=0.03)),
        ("si_util_month",    "工业硅月度产能利用率", _, _, kw(kind="derived", unit="%")),
        ("si_supply_month",  "工业硅月度供应量", _, _, kw(kind="derived")),
        ("si_demand_month",  "工业硅月度需求量", _, _,
         kw(level=31.0, shape="si_demand", season="si_demand", vol=0.03)),
        ("si_balance_month", "工业硅月度供需平衡", _, _, kw(kind="derived", lo=-50, hi=50))),
    # cost components
    *block(kw(unit="元/吨", freq=W, source=SMM, decimals=0, lo=0, hi=50000, start="2022-12-02",
              shape="inputs", hold=0.6, tick=10),
        ("si_cost_power",     "工业硅平均电价", _, _,
         kw(unit="元/千瓦时", decimals=3, hi=2, level=0.40, season="hydro_cost", tick=0.005)),
        ("si_cost_silica",    "硅石",     _, _, kw(level=480)),
        ("si_cost_petcoke",   "石油焦",   _, _, kw(level=1450, vol=0.02)),
        ("si_cost_coal",      "精煤",     _, _, kw(level=1350, vol=0.015)),
        ("si_cost_electrode", "石墨电极", _, _, kw(level=12500, tick=100))),
    # regional cost and profit (profit = the region's 421/553 price − cost)
    *block(kw(unit="元/吨", freq=D, source=MYSTEEL, decimals=0, lo=8000, hi=30000,
              start="2022-12-01", shape="si_cost", vol=0.004, hold=0.3),
        ("si_cost_sc421",   "四川421成本", 13110, 13221, kw(season="hydro_cost")),
        ("si_profit_sc421", "四川421利润", -2710, -2821, kw(kind="derived", lo=-10000, hi=10000)),
        ("si_cost_yn421",   "云南421成本", 13542, 13886, kw(season="hydro_cost")),
        ("si_profit_yn421", "云南421利润", -3392, -3736, kw(kind="derived", lo=-10000, hi=10000)),
        ("si_cost_xj553",   "新疆通氧553成本", 11865, 11915,
         kw(shape="xj_cost", season="xj_cost")),
        ("si_profit_xj553", "新疆通氧553利润", -3665, -3715,
         kw(kind="derived", lo=-10000, hi=10000))),

    # 多晶硅 futures: listed 2024-12-26 (2506 … 2512); 01 … 05 have no data in the reference
    *block(kw(unit="元/吨", freq=D, source=WIND, decimals=0, lo=10000, hi=100000,
              start="2024-12-26", shape="ps_fut", base="ps_fut_07", vol=40, tick=5),
        ("ps_fut_06", "06合约", 37640, 36985),
        ("ps_fut_07", "07合约", 35290, 34885, kw(base=None, vol=0.015)),
        ("ps_fut_08", "08合约", 34180, 34030),
        ("ps_fut_09", "09合约", 33715, 33680),
        ("ps_fut_10", "10合约", 33635, 33565),
        ("ps_fut_11", "11合约", 33400, 33375),
        ("ps_fut_12", "12合约", 35105, 35110)),
    *block(kw(unit="手", freq=D, source=GFEX, decimals=0, lo=0, hi=400000, start="2024-12-26",
              shape="ps_oi", vol=0.02),
        # not in the overview: picked for 主力持仓净多，多增
        ("ps_pos_long",  "主力合约前20名多头持仓", 88430, 86950),
        ("ps_pos_short", "主力合约前20名空头持仓", 84210, 84650)),
    # polysilicon prices (元/千克) and costs
    *block(kw(unit="元/千克", freq=D, source=SMM, decimals=2, lo=0, hi=400, start="2023-01-03",
              shape="ps_spot", base="ps_spot_n_type", vol=0.1, tick=0.5, hold=0.75),
        ("ps_spot_n_type",      "日度N型多晶硅", 36.5, 36.5, kw(base=None, vol=0.008)),
        ("ps_spot_dense",       "日度致密料",   32,   32),
        ("ps_spot_cauliflower", "日度菜花料",   30,   30),
        ("ps_spot_recharge",    "日度复投料",   33.5, 33.5),
        ("ps_spot_granular",    "日度颗粒硅",   32.5, 32.5),
        ("ps_cost_avg",         "日度多晶硅行业平均成本", 36.12, 36.23,
         kw(base=None, shape="ps_cost", vol=0.004, tick=None, hold=0.5, hi=300))),
    *block(kw(unit="元/吨", freq=D, source=SMM, decimals=0, lo=10000, hi=200000,
              start="2023-01-03", shape="ps_cost", vol=0.004, hold=0.5),
        ("ps_cash_cost_siemens", "日度多晶硅氯化法现金成本", 44425, 44540),
        ("ps_cash_cost_silane",  "日度多晶硅硅烷法现金成本", 24157, 24272,
         kw(base="ps_cash_cost_siemens", vol=30))),
    *block(kw(unit="元/W", freq=D, source=SMM, decimals=3, lo=0, hi=1, start="2023-01-03",
              shape="ps_spot", vol=0.006, hold=0.8),
        ("ps_silicon_cost_182", "日度硅料成本-182mm", 0.06, 0.06),
        ("ps_silicon_cost_210", "日度硅料成本-210mm", 0.06, 0.06)),
    *block(kw(unit="万吨", freq=W, source=SMM, decimals=1, lo=0, hi=200, start="2023-01-06"),
        ("ps_inv_week", "周度总库存", 26, 25, kw(kind="stock", shape="ps_stock", vol=0.03))),
    *block(kw(unit="吨", freq=W, source=SMM, decimals=0, lo=0, hi=1000000, start="2023-01-06"),
        # not in the overview: the narrative's 21500 吨, 环比增加0.46%
        ("ps_output_week", "多晶硅周度产量", 21500, 21402,
         kw(kind="season", shape="ps_output", vol=0.02, tick=1))),
    # monthly balance: 2024-03 … 2025-03 are the chart's numbers (PV_BALANCE below)
    *block(kw(unit="万吨", freq=M, source=SMM, decimals=2, lo=0, hi=100, start="2022-01-31",
              end="2025-03-31", kind="season"),
        ("ps_supply_month",      "月度中国多晶硅供应量", 9.61, 9.01,
         kw(shape="ps_supply", vol=0.03)),
        ("ps_import_month",      "月度中国多晶硅进口量", 0.29, 0.31,
         kw(shape="ps_imports", vol=0.12, hi=10)),
        ("ps_export_month",      "月度中国多晶硅出口量", 0.2, 0.22, kw(vol=0.15, hi=10)),
        ("ps_consumption_month", "月度中国多晶硅消费量", 10.96, 10.24,
         kw(shape="ps_consumption", vol=0.03)),
        ("ps_balance_month",     "月度中国多晶硅供需平衡", -1.26, -1.14,
         kw(kind="derived", lo=-50, hi=50))),
    # wafers (硅片)
    *block(kw(unit="元/片", freq=D, source=SMM, decimals=2, lo=0, hi=20, start="2023-01-03",
              shape="wafer", vol=0.006, hold=0.85, tick=0.01),
        ("ps_wafer_n182_130", "日度N型182mm硅片（130μm）", 0.94, 0.94, kw(start="2024-01-02")),
        ("ps_wafer_n210_130", "日度N型210mm硅片（130μm）", 1.28, 1.28, kw(start="2024-01-02")),
        ("ps_wafer_n210r",    "日度N-210R硅片",            1.08, 1.08, kw(start="2024-01-02")),
        ("ps_wafer_g12_160",  "日度单晶硅片G12-210mm（160μm）", 1.58, 1.58),
        ("ps_wafer_m10_160",  "日度单晶硅片M10-182mm（160μm）", 1.03, 1.03)),
    *block(kw(unit="元/W", freq=D, source=SMM, decimals=3, lo=-1, hi=2, start="2023-01-03",
              hold=0.6),
        ("ps_wafer_profit_182",    "日度硅片利润-182mm", -0.043, -0.044,
         kw(shape="wafer_profit", vol=0.002)),
        ("ps_wafer_cost_cell_182", "日度电池片中硅片成本-182mm", 0.157, 0.158,
         kw(shape="wafer", vol=0.004)),
        ("ps_wafer_profit_210",    "日度硅片利润-210mm", -0.03, -0.031,
         kw(shape="wafer_profit", vol=0.002)),
        ("ps_wafer_cost_cell_210", "日度电池片中硅片成本-210mm", 0.158, 0.159,
         kw(shape="wafer", vol=0.004))),
    *block(kw(unit="GW", freq=W, source=SMM, decimals=2, lo=0, hi=200, start="2023-01-06"),
        ("ps_wafer_output_week", "周度硅片产量", 12.9, 12.2,
         kw(kind="season", shape="wafer_output", vol=0.04)),
        ("ps_wafer_inv_week",    "周度硅片库存", 26.5, 34,
         kw(kind="stock", shape="pv_stock", vol=0.06))),
    # cells (电池片)
    *block(kw(unit="元/W", freq=D, source=SMM, decimals=3, lo=-1, hi=3, start="2023-01-03",
              shape="cell", vol=0.006, hold=0.85),
        ("ps_cell_perc_m10",   "日度单晶PERC电池片M10-182mm均价", 0.285, 0.285),
        ("ps_cell_perc_g12",   "日度单晶PERC电池片G12-210mm均价", 0.278, 0.278),
        ("ps_cell_topcon_m10", "日度单晶Topcon电池片M10均价", 0.258, 0.258,
         kw(start="2023-06-01")),
        ("ps_cell_topcon_g12", "日度单晶Topcon电池片G12均价", 0.27, 0.27,
         kw(start="2023-06-01")),
        ("ps_cell_profit_182", "日度电池片利润-182mm", -0.034, -0.035,
         kw(shape="cell_profit", vol=0.002, hold=0.6)),
        ("ps_cell_cost_module_182", "日度组件中电池片成本-182mm", 0.292, 0.293,
         kw(vol=0.004, hold=0.6)),
        ("ps_cell_profit_210", "日度电池片利润-210mm", -0.029, -0.029,
         kw(shape="cell_profit", vol=0.002, hold=0.6)),
        ("ps_cell_cost_module_210", "日度组件中电池片成本-210mm", 0.307, 0.307,
         kw(vol=0.004, hold=0.6))),
    *block(kw(unit="GW", freq=W, source=SMM, decimals=2, lo=0, hi=100, start="2023-01-06"),
        ("ps_cell_inv_week", "光伏电池外销厂周度库存", 9.89, 7.91,
         kw(kind="stock", shape="pv_stock", vol=0.08))),
    *block(kw(unit="GW", freq=M, source=SMM, decimals=2, lo=0, hi=200, start="2023-01-31",
              kind="season", shape="pv_output", season="pv_output", vol=0.04),
        ("ps_cell_output_month",   "光伏电池月度产量", 65.55, 57.32),
        ("ps_module_output_month", "组件月度产量",    59.4, 51)),
    *block(kw(unit="个", freq=M, source=SMM, decimals=0, lo=0, hi=3e9, start="2023-01-31",
              kind="season", vol=0.08),
        ("ps_cell_export_month",   "光伏电池出口", 794309425, 907209323,
         kw(shape="cell_exports", display="亿个", shown=2)),
        ("ps_module_export_month", "组件月度出口", 43583779, 46521873,
         kw(hi=3e8, display="万个", shown=0))),
    # modules (组件)
    *block(kw(unit="元/W", freq=D, source=SMM, decimals=3, lo=-1, hi=5, start="2023-01-03",
              shape="module", vol=0.005, hold=0.85),
        ("ps_module_perc_mono_182", "日度单晶PERC组件单面-182mm平均价", 0.702, 0.702),
        ("ps_module_perc_mono_210", "日度单晶PERC组件单面-210mm平均价", 0.715, 0.715),
        ("ps_module_perc_bi_182",   "日度单晶PERC组件双面-182mm平均价", 0.731, 0.731),
        ("ps_module_perc_bi_210",   "日度单晶PERC组件双面-210mm平均价", 0.711, 0.711),
        ("ps_module_topcon_182",    "日度Topcon组件-182mm平均价", 0.687, 0.689,
         kw(start="2023-06-01")),
        ("ps_module_topcon_210",    "日度Topcon组件-210mm平均价", 0.692, 0.694,
         kw(start="2023-06-01")),
        ("ps_module_cost_182",   "日度组件总成本-182mm", 0.674, 0.675, kw(vol=0.004, hold=0.6)),
        ("ps_module_profit_182", "日度组件利润-182mm", 0.015, 0.014,
         kw(shape="module_profit", vol=0.002, hold=0.6)),
        ("ps_module_cost_210",   "日度组件总成本-210mm", 0.693, 0.694, kw(vol=0.004, hold=0.6)),
        ("ps_module_profit_210", "日度组件利润-210mm", 0.001, 0,
         kw(shape="module_profit", vol=0.002, hold=0.6))),
    *block(kw(unit="GW", freq=M, source=SMM, decimals=2, lo=0, hi=300, start="2023-01-31",
              kind="stock", vol=0.06),
        ("ps_module_inv_cn", "组件国内库存", 51.3, 45.91),
        ("ps_module_inv_eu", "组件欧洲库存", 41.28, 44.4, kw(shape="eu_stock", vol=0.05))),
    # PV accessories and grid connections
    *block(kw(unit="元/平方米", freq=D, source=SMM, decimals=2, lo=0, hi=100,
              start="2023-01-03", shape="pv_glass", vol=0.004, hold=0.9, tick=0.25),
        ("ps_glass_2mm",   "光伏玻璃2.0mm", _, _, kw(level=13.0)),
        ("ps_glass_3_2mm", "光伏玻璃3.2mm", _, _, kw(level=20.5))),
    *block(kw(unit="元/吨", freq=D, source=SMM, decimals=0, lo=0, hi=60000, start="2023-01-03",
              vol=0.006, hold=0.9, tick=50),
        ("ps_eva",   "光伏级EVA",  _, _, kw(level=10000, shape="eva")),
        ("ps_frame", "光伏铝边框", _, _, kw(level=23800, shape="alu", hold=0.5))),
    *block(kw(unit="GW", freq=M, source=MYSTEEL, decimals=2, lo=0, hi=300, start="2022-01-31"),
        ("ps_grid_month", "新增光伏并网容量", _, _,
         kw(kind="season", level=30, shape="pv_grid", season="pv_grid", vol=0.1))),
]

# 多晶硅月度供需平衡 (万吨), 2024-03 … 2025-03, as in the reference chart's data table.
# The chart draws 消费 and 出口 as negative bars; the series store positive quantities.
PV_MONTHS = pd.date_range("2024-03-31", "2025-03-31", freq="ME")
PV_BALANCE: dict[str, list[float]] = {
    "ps_consumption_month": [16.18, 15.27, 13.2, 11.1, 12.23, 12.63, 10.84,
                             10.72, 8.75, 9.73, 9.75, 10.24, 10.96],
    "ps_export_month":      [0.17, 0.2, 0.3, 0.37, 0.58, 0.4, 0.46,
                             0.36, 0.39, 0.58, 0.16, 0.22, 0.2],
    "ps_import_month":      [0.48, 0.37, 0.41, 0.38, 0.29, 0.45, 0.26,
                             0.24, 0.28, 0.33, 0.23, 0.31, 0.29],
    "ps_supply_month":      [17.1, 18.1, 17.7, 15.1, 15, 12.85, 13.02,
                             12.97, 11.16, 9.31, 9.44, 9.01, 9.61],
    "ps_balance_month":     [1.23, 3, 4.61, 4.01, 2.48, 0.27, 1.98,
                             2.13, 2.3, -0.67, -0.24, -1.14, -1.26],
}

# Weekly sample capacity (吨), as implied by the reference: 1085 吨 at 16.56%, 23670 at 48.85% …
SAMPLE_CAPACITY = {"sichuan": 6552, "xinjiang": 48456, "yunnan": 8932}
# National capacity (万吨 a month), for the monthly capacity utilisation
SI_CAPACITY = {"2022-01-31": 52, "2023-01-31": 58, "2024-01-31": 66, "2025-04-30": 74}
# The regions' 421/553 prices (上海钢联) on 2025-05-26 and 2025-05-27: 成本 + 利润 in the reference
REGION_PRICE = {"sc421": (10400, 10400), "yn421": (10150, 10150), "xj553": (8200, 8200)}
# fmt: on

# ─── The analyst's judgements (每日观点 pages and the summary page) ─────────────────────────────
SI_OUTLOOK = "供给端排产有所减少，处于历史平均水平附近，需求复苏处于低位，成本支撑有所上升。"
PS_OUTLOOK = (
    "供给端排产短期有所减少，中期有望恢复，需求端硅片生产短期有所减少，中期有望恢复，"
    "电池片生产短期有所减少，中期有望恢复，组件生产短期有所减少，中期有望恢复，"
    "总体需求表现为持续恢复。成本支撑有所减弱。"
)
LOGIC = "产能错配导致供强需弱，下行态势较难改变。"
RISKS = "停减产/检修计划冲击，多晶硅库存去化及复产走势。"
JUDGEMENTS: dict[str, dict] = {
    "si": {
        "name": "工业硅",
        "main": "si_fut_07",
        "contracts": [f"si_fut_{month:02d}" for month in range(1, 13)],
        "range_call": (7335, 7545),  # on the main contract, as the call names none
        "outlook": SI_OUTLOOK,
        "bullish": ["成本上行支撑", "厂家停减产计划"],
        "bearish": ["节后需求复苏迟缓", "下游多晶硅供强需弱"],
        "logic": LOGIC,
        "risks": RISKS,
        "factors": {
            "基本面": ("偏多", "供给排产减少，需求复苏偏弱，成本支撑上升。"),
            "基差": ("偏多", "基差走扩，现货相对坚挺。"),
            "库存": ("偏空", "社会库存、样本企业库存及港口库存环比减少，但总量仍处高位。"),
            "盘面": ("偏空", "短期仍有下探压力。"),
            "主力持仓": ("偏空", "空头减仓，下跌动能有所减弱。"),
            "预期": ("中性", "排产减少，需求复苏处于低位，成本支撑上升，区间震荡。"),
        },
    },
    "ps": {
        "name": "多晶硅",
        "main": "ps_fut_07",
        "contracts": [f"ps_fut_{month:02d}" for month in range(6, 13)],
        "range_call": (34690, 35890),
        "outlook": PS_OUTLOOK,
        "bullish": ["厂家停减产计划", "下游排产中期有望恢复"],
        "bearish": ["下游硅片、电池片生产亏损", "成本支撑有所减弱"],
        "logic": LOGIC,
        "risks": RISKS,
        "factors": {
            "基本面": ("偏多", "供给排产短期减少，硅片、电池片、组件生产中期有望恢复。"),
            "基差": ("偏多", "现货相对期货坚挺。"),
            "库存": ("中性", "库存继续累积，去化压力仍存。"),
            "盘面": ("偏空", "短期走势偏弱。"),
            "主力持仓": ("偏多", "多头增仓，情绪有所修复。"),
            "预期": ("中性", "供需短期减少、中期有望恢复，成本支撑有所减弱，区间震荡。"),
        },
    },
}


# ─── Generators ──────────────────────────────────────────────────────────────────────────────
def calendar(spec: Spec) -> pd.DatetimeIndex:
    """Business days, Fridays or month ends from the start to the as-of date (or spec.end)."""
    end = pd.Timestamp(spec.end) if spec.end else AS_OF
    if spec.freq == D:
        return pd.bdate_range(spec.start, end)
    if spec.freq == W:
        return pd.date_range(spec.start, end, freq="W-FRI")
    return pd.date_range(spec.start, end, freq="ME")


def interpolate(knots: dict[str, float], dates: pd.DatetimeIndex) -> np.ndarray:
    x = pd.DatetimeIndex(list(knots)).to_numpy("datetime64[D]").astype(float)
    return np.interp(dates.to_numpy("datetime64[D]").astype(float), x, list(knots.values()))


def season_factor(name: str | None, dates: pd.DatetimeIndex) -> np.ndarray:
    """A smooth yearly cycle through the twelve monthly factors (placed mid-month)."""
    if name is None:
        return np.ones(len(dates))
    factors = SEASONS[name]
    month = dates.month - 1 + (dates.day - 0.5) / dates.days_in_month - 0.5
    return np.interp(np.mod(month, 12), np.arange(13), [*factors, factors[0]])


def relative(spec: Spec) -> bool:
    return SHAPES[spec.shape][0] == "rel"


def trend(spec: Spec, dates: pd.DatetimeIndex) -> np.ndarray:
    """Level × trend shape × season, equal to the level on the last date."""
    mode, knots = SHAPES[spec.shape]
    shape = interpolate(knots, dates)
    if mode == "abs":
        return shape
    level = spec.level if spec.level is not None else spec.cur
    curve = shape * season_factor(spec.season, dates)
    return level * curve / curve[-1]


def tail(spec: Spec) -> list[float]:
    """The values pinned at the end of the series: 前值 then 现值 (or a whole chart table)."""
    if spec.id in PV_BALANCE:
        return PV_BALANCE[spec.id]
    return [] if spec.cur is None else [spec.prev, spec.cur]


def mean_reverting(target, pinned, vol, phi, rng, log) -> np.ndarray:
    """target with AR(1) deviations, drawn backwards in time from the pinned last values.

    Relative deviations are multiplicative (log-normal), so such a series is never negative.
    """
    n, k = len(target), len(pinned)
    pinned = np.asarray(pinned, dtype=float)
    dev = np.empty(n)
    if k:
        end = target[n - k :]
        dev[n - k :] = np.log(pinned / end) if log else pinned - end
    step = dev[n - k] if k else 0.0
    shocks = rng.standard_normal(n)
    for t in range(n - k - 1, -1, -1):
        step = phi * step + vol * shocks[t]
        dev[t] = step
    return target * np.exp(dev) if log else target + dev


def price_walk(spec: Spec, dates: pd.DatetimeIndex, rng) -> np.ndarray:
    """Prices: a random walk slowly pulled back to the trend."""
    return mean_reverting(trend(spec, dates), tail(spec), spec.vol, 0.985, rng, relative(spec))


def seasonal(spec: Spec, dates: pd.DatetimeIndex, rng) -> np.ndarray:
    """Output and run rates: the seasonal pattern with short-lived noise around it."""
    return mean_reverting(trend(spec, dates), tail(spec), spec.vol, 0.6, rng, relative(spec))


def stock(spec: Spec, dates: pd.DatetimeIndex, rng) -> np.ndarray:
    """Inventories: persistent, log-normal deviations from the trend, so never negative."""
    assert relative(spec), f"{spec.id}: inventories need a relative shape"
    return mean_reverting(trend(spec, dates), tail(spec), spec.vol, 0.93, rng, True)


def on_base(spec: Spec, dates: pd.DatetimeIndex, base: pd.Series, rng) -> np.ndarray:
    """Another contract or grade: the base series plus its own mean-reverting spread."""
    base = base.reindex(dates)
    assert base.notna().all(), f"{spec.id}: {spec.base} does not cover {spec.start}"
    pinned = [v - b for v, b in zip(tail(spec), base.iloc[-2:], strict=True)]
    target = np.full(len(dates), pinned[-1] if pinned else spec.level)
    return base.to_numpy() + mean_reverting(target, pinned, spec.vol, 0.97, rng, False)


GENERATORS = {"walk": price_walk, "season": seasonal, "stock": stock}

Get = Callable[[str], pd.Series]


def total(*ids: str):
    return lambda get, dates, rng: sum(get(i).reindex(dates) for i in ids)


def run_rate(output: str, region: str):
    return lambda get, dates, rng: get(output).reindex(dates) / SAMPLE_CAPACITY[region] * 100


def regional_profit(spot: str, cost: str, region: str):
    """The region's price is the East-China spot plus a wandering premium; profit = price − cost."""

    def make(get: Get, dates: pd.DatetimeIndex, rng) -> pd.Series:
        spot_price = get(spot).reindex(dates)
        premium = [p - s for p, s in zip(REGION_PRICE[region], spot_price.iloc[-2:], strict=True)]
        target = np.full(len(dates), premium[-1])
        premium = np.round(mean_reverting(target, premium, 40, 0.97, rng, False), -1)
        return spot_price + premium - get(cost).reindex(dates)

    return make


def si_supply_month(get: Get, dates: pd.DatetimeIndex, rng) -> pd.Series:
    """供应 = 产量 + 进口 (imports are small, about 0.2 万吨 a month)."""
    imports = mean_reverting(np.full(len(dates), 0.2), [], 0.2, 0.6, rng, True)
    return get("si_output_month").reindex(dates) + imports.round(2)


def si_util_month(get: Get, dates: pd.DatetimeIndex, rng) -> pd.Series:
    return get("si_output_month").reindex(dates) / interpolate(SI_CAPACITY, dates) * 100


def ps_balance(get: Get, dates: pd.DatetimeIndex, rng) -> pd.Series:
    """平衡 = 供应 + 进口 − 出口 − 消费."""
    supply, imports, exports, consumption = (
        get(f"ps_{s}_month").reindex(dates) for s in ("supply", "import", "export", "consumption")
    )
    return supply + imports - exports - consumption


DERIVED: dict[str, Callable[[Get, pd.DatetimeIndex, np.random.Generator], pd.Series]] = {
    "si_inv_port_total": total("si_inv_port_kunming", "si_inv_port_tianjin", "si_inv_port_huangpu"),
    "si_inv_sample_total": total(
        "si_inv_sample_yunnan", "si_inv_sample_xinjiang", "si_inv_sample_sichuan"
    ),
    "si_output_sample_total": total("si_output_sichuan", "si_output_xinjiang", "si_output_yunnan"),
    "si_rate_sichuan": run_rate("si_output_sichuan", "sichuan"),
    "si_rate_xinjiang": run_rate("si_output_xinjiang", "xinjiang"),
    "si_rate_yunnan": run_rate("si_output_yunnan", "yunnan"),
    "si_balance_week": lambda get, dates, rng: get("si_supply_week") - get("si_demand_week"),
    "si_supply_month": si_supply_month,
    "si_util_month": si_util_month,
    "si_balance_month": lambda get, dates, rng: get("si_supply_month") - get("si_demand_month"),
    "si_adc12_import_profit": lambda get, dates, rng: (
        get("si_adc12_import_price") - get("si_adc12_import_cost")
    ),
    "si_profit_sc421": regional_profit("si_spot_421", "si_cost_sc421", "sc421"),
    "si_profit_yn421": regional_profit("si_spot_421", "si_cost_yn421", "yn421"),
    "si_profit_xj553": regional_profit("si_spot_553_oxygen", "si_cost_xj553", "xj553"),
    "ps_balance_month": ps_balance,
}


def make(spec: Spec, get: Get) -> pd.Series:
    """One series' synthetic history, rounded to its ticks and decimals, tail pinned."""
    dates = calendar(spec)
    rng = np.random.default_rng([SEED, zlib.crc32(spec.id.encode())])
    if spec.kind == "derived":
        values = pd.Series(DERIVED[spec.id](get, dates, rng)).reindex(dates).to_numpy(float)
    elif spec.base:
        values = on_base(spec, dates, get(spec.base), rng)
    else:
        values = GENERATORS[spec.kind](spec, dates, rng)
    series = pd.Series(values, index=dates)
    if spec.kind == "derived":  # exact arithmetic on rounded inputs: must match by itself
        return series.round(spec.decimals) + 0.0
    if spec.hold:  # quotes that stay unchanged for days
        keep = rng.random(len(dates)) >= spec.hold
        keep[0] = True
        series = series.where(keep).ffill()
    if spec.tick:
        series = (series / spec.tick).round() * spec.tick
    series = series.round(spec.decimals)
    pinned = tail(spec)
    if pinned:
        series.iloc[-len(pinned) :] = pinned
    return series + 0.0  # no negative zeros


def build() -> dict[str, pd.Series]:
    specs = {spec.id: spec for spec in SERIES}
    assert len(specs) == len(SERIES), "duplicate series id"
    made: dict[str, pd.Series] = {}

    def get(series_id: str) -> pd.Series:
        if series_id not in made:
            made[series_id] = make(specs[series_id], get)
        return made[series_id]

    for spec in SERIES:
        get(spec.id)
    return {spec.id: made[spec.id] for spec in SERIES}


# ─── Checks ──────────────────────────────────────────────────────────────────────────────────
def check(data: dict[str, pd.Series]) -> None:
    """What the sample promises: anchors, exact sums, ranges, and the reference's calls."""
    for spec in SERIES:
        values = data[spec.id]
        assert values.notna().all() and values.index.max() <= AS_OF, spec.id
        assert values.between(spec.lo, spec.hi).all(), (spec.id, values.min(), values.max())
        pinned = tail(spec)
        if pinned:
            assert np.allclose(values.iloc[-len(pinned) :], pinned, atol=1e-9), spec.id
        if spec.kind == "stock" or "_inv_" in spec.id:
            assert (values >= 0).all(), spec.id
    assert (data["ps_balance_month"].loc[PV_MONTHS] == PV_BALANCE["ps_balance_month"]).all()
    for product in ("si", "ps"):
        close = data[f"{product}_fut_07"]
        ma20 = close.rolling(20).mean()
        assert ma20.iloc[-1] < ma20.iloc[-2], f"{product}: MA20 should slope down"
        assert close.iloc[-1] < ma20.iloc[-1], f"{product}: 07 should close below MA20"
    long, short = data["si_pos_long"], data["si_pos_short"]
    assert short.iloc[-1] > long.iloc[-1] and short.iloc[-1] < short.iloc[-2]  # 净空，空减
    long, short = data["ps_pos_long"], data["ps_pos_short"]
    assert long.iloc[-1] > short.iloc[-1] and long.iloc[-1] > long.iloc[-2]  # 净多，多增
    assert (data["si_spot_553_no_oxygen"] - data["si_fut_06"]).iloc[-2:].tolist() == [870, 935]


# ─── Writing ─────────────────────────────────────────────────────────────────────────────────
def number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def write_catalog(path: Path) -> None:
    rows = [
        {
            "id": s.id,
            "name": s.name,
            "unit": s.unit,
            "display": s.display or "",
            "frequency": s.freq,
            "source": s.source,
            "product": s.product,
            "decimals": s.decimals if s.shown is None else s.shown,
            "min": number(s.lo, 6),
            "max": number(s.hi, 6),
        }
        for s in SERIES
    ]
    pd.DataFrame(rows).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_observations(data: dict[str, pd.Series], path: Path) -> None:
    """Wide: a date column, one column per series id, empty where there is no observation."""
    columns = {
        s.id: pd.Series([number(v, s.decimals) for v in data[s.id]], index=data[s.id].index)
        for s in SERIES
    }
    wide = pd.DataFrame(columns).sort_index().fillna("")
    wide.index = wide.index.strftime("%Y-%m-%d")
    wide.index.name = "date"
    wide.to_csv(path, lineterminator="\n", encoding="utf-8")


def contract_label(series: str) -> str:
    """The contract a month's series quotes on the as-of date: 07 is 2507; a month already
    delivered (May's contract stops trading mid-month) is next year's, 01 is 2601."""
    month = int(series[-2:])
    return f"{AS_OF.year % 100 + (month <= AS_OF.month)}{month:02d}"


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON string escapes are valid TOML


def write_manifest(path: Path) -> None:
    lines = [
        "# Sample snapshot: SYNTHETIC history, written by samples/generate.py; do not edit.",
        "[report]",
        'id = "silicon-daily"',
        'title = "每日观点"',
        f"as_of = {AS_OF:%Y-%m-%d}",
        'layout = "silicon-daily"',
        'analyst = "analyst-a"',
        'brand = "../brand/brand.toml"',
        "",
        "[data]",
        'catalog = "catalog.csv"',
        'observations = ["observations.csv"]',
    ]
    for key, j in JUDGEMENTS.items():
        low, high = j["range_call"]
        lines += [
            "",
            f"[products.{key}]",
            f"name = {toml_string(j['name'])}",
            f"main = {toml_string(j['main'])}  # 主力合约: a key of [products.{key}.contracts]",
            f"range_call = {{ low = {low}, high = {high} }}  # on the main contract",
            f"outlook = {toml_string(j['outlook'])}",
            f"bullish = [{', '.join(map(toml_string, j['bullish']))}]",
            f"bearish = [{', '.join(map(toml_string, j['bearish']))}]",
            f"logic = {toml_string(j['logic'])}",
            f"risks = {toml_string(j['risks'])}",
            "",
            f"[products.{key}.contracts]  # each contract's series and label, by delivery",
        ]
        lines += [
            f"{series} = {toml_string(contract_label(series))}"
            for series in sorted(j["contracts"], key=contract_label)
        ]
        lines += [
            "",
            f"[products.{key}.factors]",
        ]
        lines += [
            f"{toml_string(name)} = {{ verdict = {toml_string(v)}, comment = {toml_string(c)} }}"
            for name, (v, c) in j["factors"].items()
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    out = parser.parse_args(argv).out
    data = build()
    check(data)
    out.mkdir(parents=True, exist_ok=True)
    write_manifest(out / "snapshot.toml")
    write_catalog(out / "catalog.csv")
    write_observations(data, out / "observations.csv")
    print(f"wrote {out} ({len(SERIES)} series)")


if __name__ == "__main__":
    main()
