"""Chart fixtures: tiny in-memory snapshots and catalogs built from a few frames."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pytest

from publisher.charts.catalog import ChartCatalog, ChartSpec, load_catalog
from publisher.snapshot.model import UNIT_DECIMALS, Analyst, Brand, SeriesSpec, Snapshot

AS_OF = dt.date(2025, 5, 27)
BRAND = Brand(
    firm="测试期货（示例）",
    licence="交易咨询业务资格：示例",
    disclaimer="重要提示：测试。",
    primary="#1F4E79",
    accent="#C00000",
    palette=("#1F4E79", "#C00000", "#7F7F7F", "#ED7D31", "#5B9BD5", "#70AD47", "#FFC000"),
    logo=None,
    analysts=MappingProxyType(
        {"a": Analyst("a", "测试分析师", "F00000000", "Z00000000", "000-00000000")}
    ),
)


def spec(
    series_id: str,
    name: str,
    unit: str = "元/吨",
    frequency: str = "daily",
    source: str = "SMM",
) -> SeriesSpec:
    return SeriesSpec(
        id=series_id,
        name=name,
        unit=unit,
        frequency=frequency,
        source=source,
        product="si",
        decimals=UNIT_DECIMALS.get(unit, 2),
    )


def frame(values: Mapping[str, float]) -> pd.Series:
    """A series from {"2025-05-26": 8450, …}."""
    return pd.Series(
        list(values.values()), index=pd.DatetimeIndex(list(values)), dtype=float
    ).sort_index()


def snapshot_of(series: Mapping[str, tuple[SeriesSpec, pd.Series]], as_of=AS_OF) -> Snapshot:
    return Snapshot(
        path=Path("tiny/snapshot.toml"),
        report_id="tiny",
        title="每日观点",
        as_of=as_of,
        layout="tiny",
        analyst=BRAND.analysts["a"],
        brand=BRAND,
        catalog=MappingProxyType({k: s for k, (s, _) in series.items()}),
        observations=MappingProxyType({k: v for k, (_, v) in series.items()}),
        judgements=MappingProxyType({}),
    )


@pytest.fixture
def catalog_file(tmp_path: Path) -> Callable[[str], Path]:
    """Write a chart catalog from TOML text and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "charts.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def one_chart(catalog_file: Callable[[str], Path]) -> Callable[[str], ChartSpec]:
    """Parse a single [[chart]] table."""

    def parse(text: str) -> ChartSpec:
        catalog: ChartCatalog = load_catalog(catalog_file("[[chart]]\n" + textwrap.dedent(text)))
        return catalog.charts[0]

    return parse


EXAMPLES = """
[[chart]]
id = "basis"
kind = "lines"
title = "工业硅现货与基差"
series = [
    { series = "spot", label = "华东不通氧553#硅" },
    { basis = ["spot", "fut"], label = "07合约基差（右轴）", axis = "secondary", draw = "bar" },
]

[[chart]]
id = "cost"
kind = "cost_profit"
title = "四川421成本利润"
start = 2022-12-01
series = [{ series = "profit", role = "profit" }, { series = "cost", role = "cost" }]

[[chart]]
id = "ports"
kind = "stacked"
title = "工业硅主要港口库存"
series = ["km", "tj", { series = "total", role = "total" }]

[[chart]]
id = "rate"
kind = "seasonal"
title = "原生铝合金周度开工率"
band = true
series = ["rate"]

[[chart]]
id = "pv"
kind = "balance"
title = "多晶硅月度供需平衡"
series = [
    { series = "supply", role = "supply" },
    { series = "imports", role = "inflow" },
    { series = "exports", role = "outflow" },
    { series = "use", role = "outflow" },
]

[[chart]]
id = "sheet"
kind = "table"
title = "工业硅周度供需平衡表"
size = "full"
series = ["km", "tj", "total"]
"""


def _walk(start: str, end: str, freq: str, base: float, step: float) -> pd.Series:
    """A deterministic wavy series: base + step × a slow zigzag."""
    days = pd.date_range(start, end, freq=freq)
    wave = [((n * 7) % 40 - 20) * step + base for n in range(len(days))]
    return pd.Series(wave, index=days, dtype=float)


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Snapshot, ChartCatalog]:
    """One chart of every kind over a couple of years of made-up data."""
    series = {
        "spot": (spec("spot", "华东不通氧553#硅"), _walk("2023-01-02", AS_OF, "B", 9000, 20)),
        "fut": (spec("fut", "07合约", source="WIND"), _walk("2023-01-02", AS_OF, "B", 8600, 15)),
        "cost": (
            spec("cost", "四川421成本", source="上海钢联"),
            _walk("2022-12-01", AS_OF, "B", 15000, 40),
        ),
        "profit": (
            spec("profit", "四川421利润", source="上海钢联"),
            _walk("2022-12-01", AS_OF, "B", -500, 90),
        ),
        "km": (
            spec("km", "昆明港", "万吨", "weekly"),
            _walk("2023-06-02", AS_OF, "W-FRI", 5, 0.05),
        ),
        "tj": (
            spec("tj", "天津港", "万吨", "weekly"),
            _walk("2023-06-02", AS_OF, "W-FRI", 6, 0.05),
        ),
        "total": (
            spec("total", "合计", "万吨", "weekly"),
            _walk("2023-06-02", AS_OF, "W-FRI", 11, 0.1),
        ),
        "rate": (
            spec("rate", "原生铝合金开工率", "%", "weekly"),
            _walk("2020-01-03", AS_OF, "W-FRI", 55, 0.5),
        ),
        "supply": (
            spec("supply", "供应", "万吨", "monthly"),
            _walk("2023-01-31", "2025-03-31", "ME", 12, 0.3),
        ),
        "imports": (
            spec("imports", "进口", "万吨", "monthly"),
            _walk("2023-01-31", "2025-03-31", "ME", 0.3, 0.01),
        ),
        "exports": (
            spec("exports", "出口", "万吨", "monthly"),
            _walk("2023-01-31", "2025-03-31", "ME", 0.3, 0.01),
        ),
        "use": (
            spec("use", "消费", "万吨", "monthly"),
            _walk("2023-01-31", "2025-03-31", "ME", 11, 0.3),
        ),
    }
    path = tmp_path_factory.mktemp("examples") / "charts.toml"
    path.write_text(EXAMPLES, encoding="utf-8")
    return snapshot_of(series), load_catalog(path)
