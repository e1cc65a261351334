"""Shared fixtures: a tiny valid snapshot on disk that tests can spoil one file at a time."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "silicon-2025-05-27"

BRAND = """\
[firm]
name = "测试期货（示例）"
licence = "交易咨询业务资格：证监许可【0000】000号（示例）"
disclaimer = "重要提示：本报告仅作测试之用。"
colors = { primary = "#1F4E79", accent = "#C00000", palette = ["#1F4E79", "#C00000"] }

[analysts.analyst-a]
name = "测试分析师"
qualification = "F00000000"
consulting = "Z00000000"
phone = "000-00000000"
"""

CATALOG = """\
id,name,unit,frequency,source,product,decimals,min,max
si_fut_07,07合约,元/吨,daily,WIND,si,,1000,50000
si_spot_553,华东不通氧553#硅,元/吨,daily,SMM,si,,1000,50000
si_social_stock,周度社会库存,万吨,weekly,SMM,si,1,0,200
"""

OBSERVATIONS = """\
series,date,value
si_fut_07,2025-05-26,7610
si_fut_07,2025-05-27,7440
si_spot_553,2025-05-26,8450
si_spot_553,2025-05-27,8350
si_social_stock,2025-05-16,59.9
si_social_stock,2025-05-23,58.2
"""

FACTORS = "\n".join(
    f'"{name}" = {{ verdict = "偏空", comment = "测试" }}'
    for name in ("基本面", "基差", "库存", "盘面", "主力持仓", "预期")
)

MANIFEST = f"""\
[report]
id = "silicon-daily"
title = "每日观点"
as_of = 2025-05-27
layout = "silicon-daily"
analyst = "analyst-a"
brand = "brand.toml"

[data]
catalog = "catalog.csv"
observations = ["observations.csv"]

[products.si]
name = "工业硅"
range_call = {{ contract = "2507", low = 7335, high = 7545 }}
outlook = "震荡"
bullish = ["成本支撑"]
bearish = ["需求偏弱"]
logic = "供强需弱。"
risks = "减产。"

[products.si.factors]
{FACTORS}
"""


@pytest.fixture
def tiny_snapshot(tmp_path: Path) -> Path:
    """A minimal valid snapshot folder; tests overwrite one file to make it bad."""
    folder = tmp_path / "snap"
    folder.mkdir()
    for name, text in {
        "brand.toml": BRAND,
        "catalog.csv": CATALOG,
        "observations.csv": OBSERVATIONS,
        "snapshot.toml": MANIFEST,
    }.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """docs/new-commodity.md's desk folder, outside the repository, as the current folder,
    with no layout search path set."""
    from publisher.snapshot.layoutfile import ENV
    from tests.new_commodity import write_desk

    monkeypatch.delenv(ENV, raising=False)
    folder = write_desk(tmp_path)
    assert not folder.resolve().is_relative_to(REPO)
    monkeypatch.chdir(folder)
    return folder
