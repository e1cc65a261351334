"""Metrics stage: sum, ratio and convert rows on tiny frames, with the units they work out."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import LayoutError
from publisher.metrics.figures import Figure
from publisher.metrics.overview import compute_metrics
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout

CATALOG = """\
id,name,unit,frequency,source,product,decimals,min,max
si_fut_07,07合约,元/吨,daily,WIND,si,,,
si_spot_553,华东不通氧553#硅,元/吨,daily,SMM,si,,,
inv_yunnan,云南库存,万吨,weekly,SMM,si,2,,
inv_xinjiang,新疆库存,万吨,weekly,上海钢联,si,2,,
inv_capacity,周度产能,万吨,weekly,SMM,si,2,,
inv_port,港口库存,吨,weekly,SMM,si,,,
wafer_gw,硅片产量,GW,weekly,SMM,ps,,,
ps_spot,多晶硅致密料,元/吨,daily,SMM,ps,,,
ps_fob,多晶硅出口价,美元/吨,daily,SMM,ps,,,
usdcny,美元兑人民币中间价,元/美元,daily,WIND,ps,,,
"""

OBSERVATIONS = """\
series,date,value
si_fut_07,2025-05-26,7610
si_fut_07,2025-05-27,7440
si_spot_553,2025-05-26,8450
si_spot_553,2025-05-27,8350
inv_yunnan,2025-05-16,10.25
inv_yunnan,2025-05-23,10.5
inv_xinjiang,2025-05-16,5.1
inv_xinjiang,2025-05-23,5
inv_capacity,2025-05-16,50
inv_capacity,2025-05-23,40
inv_port,2025-05-16,200000
inv_port,2025-05-23,210000
wafer_gw,2025-05-16,12.5
wafer_gw,2025-05-23,14
ps_spot,2025-05-26,36500
ps_spot,2025-05-27,36000
ps_fob,2025-05-26,600
ps_fob,2025-05-27,612
usdcny,2025-05-26,7.2
usdcny,2025-05-27,7.1848
"""

TABLE = (
    '[[tables]]\nid = "t"\nproduct = "si"\n[[tables.sections]]\ncategory = "c"\nrows = [{rows}]\n'
)


@pytest.fixture
def snapshot(tiny_snapshot: Path) -> Path:
    (tiny_snapshot / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    (tiny_snapshot / "observations.csv").write_text(OBSERVATIONS, encoding="utf-8")
    return tiny_snapshot


def _row(snapshot: Path, folder: Path, row: str) -> Figure:
    (folder / "t.toml").write_text(TABLE.format(rows=row), encoding="utf-8")
    loaded = load_snapshot(snapshot)
    metrics = compute_metrics(loaded, load_layout("t", loaded.catalog, folder))
    return metrics.tables[0].rows[0]


def _printed(fig: Figure) -> tuple[str, ...]:
    return (fig.label, fig.text.current, fig.text.previous, fig.text.change, fig.text.pct)


def it_sums_segments_in_their_unit(snapshot: Path, tmp_path: Path) -> None:
    fig = _row(
        snapshot, tmp_path, '{ id = "t", label = "合计", sum = ["inv_yunnan", "inv_xinjiang"] }'
    )
    assert _printed(fig) == ("合计（万吨）", "15.50", "15.35", "+0.15", "+0.98%")
    assert fig.sources == ("SMM", "上海钢联") and fig.frequency == "weekly"


def it_refuses_a_sum_of_two_units(snapshot: Path, tmp_path: Path) -> None:
    with pytest.raises(LayoutError) as refused:
        _row(snapshot, tmp_path, '{ id = "t", label = "合计", sum = ["inv_yunnan", "inv_port"] }')
    assert "row '合计' adds up series in 万吨 and 吨" in refused.value.what
    assert refused.value.where.endswith("t.toml") and "display" in refused.value.fix


def it_prints_a_ratio_of_one_unit_in_percent(snapshot: Path, tmp_path: Path) -> None:
    fig = _row(
        snapshot, tmp_path, '{ id = "t", label = "库容比", ratio = ["inv_yunnan", "inv_capacity"] }'
    )
    # 10.5 / 40 and 10.25 / 50, in %
    assert _printed(fig) == ("库容比（%）", "26.25", "20.50", "+5.75", "+28.05%")


def it_prints_a_ratio_in_multiples_when_the_row_asks(snapshot: Path, tmp_path: Path) -> None:
    row = '{ id = "t", label = "多晶硅/工业硅", ratio = ["ps_spot", "si_spot_553"], unit = "倍" }'
    fig = _row(snapshot, tmp_path, row)
    # 36000 / 8350 = 4.311…, 36500 / 8450 = 4.319…
    assert _printed(fig) == ("多晶硅/工业硅（倍）", "4.31", "4.32", "-0.01", "-0.23%")


def it_cancels_a_larger_unit_against_a_smaller_one(snapshot: Path, tmp_path: Path) -> None:
    fig = _row(
        snapshot, tmp_path, '{ id = "t", label = "占比", ratio = ["inv_yunnan", "inv_port"] }'
    )
    # 10.5 万吨 of 210000 吨 is a half; 10.25 万吨 of 200000 吨 is 51.25 %
    assert _printed(fig) == ("占比（%）", "50.00", "51.25", "-1.25", "-2.44%")


def it_names_the_unit_of_a_ratio_of_two_units(snapshot: Path, tmp_path: Path) -> None:
    fig = _row(
        snapshot, tmp_path, '{ id = "t", label = "单耗", ratio = ["inv_yunnan", "wafer_gw"] }'
    )
    # 10.5 / 14 = 0.75, 10.25 / 12.5 = 0.82
    assert _printed(fig) == ("单耗（万吨/GW）", "0.75", "0.82", "-0.07", "-8.54%")


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        (
            '{ id = "t", label = "r", ratio = ["inv_yunnan", "wafer_gw"], unit = "倍" }',
            "row 'r' asks for 倍, but 万吨 over GW is in 万吨/GW",
        ),
        (
            '{ id = "t", label = "r", ratio = ["ps_spot", "wafer_gw"] }',
            "row 'r' divides 元/吨 by GW, which leaves no unit to print",
        ),
        (
            '{ id = "t", label = "r", convert = ["ps_fob", "si_spot_553"] }',
            "row 'r' converts 美元/吨 by a rate in 元/吨, which leaves no unit to print",
        ),
    ],
)
def it_refuses_a_unit_it_cannot_name(snapshot: Path, tmp_path: Path, row: str, complaint: str):
    with pytest.raises(LayoutError) as refused:
        _row(snapshot, tmp_path, row)
    assert complaint in refused.value.what and refused.value.fix


def it_converts_dollars_to_yuan_by_the_rate_series(snapshot: Path, tmp_path: Path) -> None:
    fig = _row(
        snapshot, tmp_path, '{ id = "t", label = "出口价折人民币", convert = ["ps_fob", "usdcny"] }'
    )
    # 612 × 7.1848 = 4397.0976 and 600 × 7.2 = 4320, in 元/吨's whole yuan
    assert _printed(fig) == ("出口价折人民币（元/吨）", "4397", "4320", "+77", "+1.78%")
    assert fig.sources == ("SMM", "WIND")


def it_prints_dollars_per_tonne_in_whole_dollars_by_default(snapshot: Path, tmp_path: Path):
    fig = _row(snapshot, tmp_path, '{ series = "ps_fob" }')
    assert (fig.text.current, fig.decimals) == ("612", 0)


def it_takes_the_digits_a_derived_row_gives(snapshot: Path, tmp_path: Path) -> None:
    row = '{ id = "t", label = "折人民币", convert = ["ps_fob", "usdcny"], decimals = 1 }'
    assert _row(snapshot, tmp_path, row).text.current == "4397.1"
