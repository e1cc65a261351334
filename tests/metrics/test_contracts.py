"""Metrics stage: a layout that reads `main` follows the snapshot's main contract through a
roll, with no edit: the same layout prints 2509 and reads the 09 series."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.errors import LayoutError
from publisher.layout.engine import product_call
from publisher.metrics import derive
from publisher.metrics import formatting as fmt
from publisher.metrics.narrative import DailyView
from publisher.metrics.overview import compute_metrics
from publisher.pipeline import Prepared, prepare
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """The sample after the July expiry: its snapshot names 09 as 工业硅's main contract."""
    root = tmp_path_factory.mktemp("rolled")
    shutil.copytree(SAMPLE.parent / "brand", root / "brand")
    folder = root / SAMPLE.name
    shutil.copytree(SAMPLE, folder)
    manifest = folder / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count('main = "si_fut_07"') == 1
    manifest.write_text(text.replace('main = "si_fut_07"', 'main = "si_fut_09"'), encoding="utf-8")
    return prepare(folder)


def _view(prepared: Prepared, product: str) -> DailyView:
    return next(v for v in prepared.views if v.product == product)


def _factor(view: DailyView, name: str) -> str:
    return next(f.text for f in view.factors if f.name == name)


def it_calls_the_range_on_the_new_main_contract(rolled: Prepared) -> None:
    assert _view(rolled, "si").range_call == "工业硅2509：在7335-7545区间震荡。"
    judgement = rolled.snapshot.judgements["si"]
    assert product_call(rolled, judgement).heading == "工业硅2509"
    assert _view(rolled, "ps").range_call == "多晶硅2507：在34690-35890区间震荡。"  # unrolled


def it_prints_the_basis_of_the_09_contract(rolled: Prepared) -> None:
    basis = rolled.metrics.figures["si_basis_09"].text.current
    assert basis != rolled.metrics.figures["si_basis_07"].text.current
    assert f"09合约基差为{basis}元/吨" in _factor(_view(rolled, "si"), "基差")
    assert rolled.metrics.figures["si_basis_main"].series == ("si_spot_553_no_oxygen", "si_fut_09")


def it_reads_the_ma20_of_the_09_series(rolled: Prepared) -> None:
    ma = rolled.metrics.figures["si_ma20_main"]
    closes = rolled.snapshot.series("si_fut_09")
    assert ma.name == "09合约MA20" and ma.series == ("si_fut_09",)
    assert ma.current == fmt.rounded(float(derive.moving_average(closes, 20).iloc[-1]), 0)
    assert _factor(_view(rolled, "si"), "盘面").startswith("MA20")
    assert "09合约期价收于MA20" in _factor(_view(rolled, "si"), "盘面")


def it_prints_the_07_contract_on_the_sample() -> None:
    views = prepare(SAMPLE).views
    si = next(v for v in views if v.product == "si")
    assert si.range_call == "工业硅2507：在7335-7545区间震荡。"
    assert "07合约基差为910元/吨" in _factor(si, "基差")


def it_refuses_main_where_the_snapshot_names_no_main_contract(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    (tmp_path / "t.toml").write_text(
        '[[tables]]\nid = "t"\nproduct = "si"\n[[tables.sections]]\ncategory = "c"\n'
        'rows = [{ id = "b", label = "{main}合约基差", basis = ["si_spot_553", "main"] }]\n',
        encoding="utf-8",
    )
    loaded = load_snapshot(tiny_snapshot)
    with pytest.raises(LayoutError) as refused:
        compute_metrics(loaded, load_layout("t", loaded.catalog, tmp_path))
    assert refused.value.where.endswith("t.toml")
    assert "row '{main}合约基差' reads the main contract, and snapshot.toml names none for " in (
        refused.value.what
    )
    assert "[products.si.contracts]" in refused.value.fix


def it_rolls_the_charts_that_read_the_main_contract(rolled: Prepared) -> None:
    from publisher.pipeline import draw_charts

    charts = draw_charts(rolled, jobs=1, artwork=False)
    chart = charts["si_basis_main"].data
    assert chart.title == "工业硅现货、09合约与基差"
    assert "si_fut_09" in chart.series_ids and "si_fut_07" not in chart.series_ids
    assert [s.name for s in chart.series][1:] == ["09合约", "09合约基差（右轴）"]
    assert charts["ps_basis_main"].data.title == "多晶硅07合约与基差"  # not rolled
