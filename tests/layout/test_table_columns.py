"""Layout stage: a table prints the figure columns its layout lists, 同比 among them, in the
strings the figures were formatted in once."""

from __future__ import annotations

from pathlib import Path

from publisher.layout.engine import TABLE_HEADER, TABLE_WIDTHS, overview_table
from publisher.layout.model import Table
from publisher.metrics.overview import compute_metrics
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout

LAYOUT = """\
[[tables]]
id = "t"
product = "si"
{columns}
[[tables.sections]]
category = "期货"
rows = [{{ series = "si_fut_07" }}, {{ series = "si_social_stock" }}]
"""


def _table(snapshot: Path, folder: Path, columns: str = "") -> Table:
    # a year before the tiny snapshot's last close (7440 on 2025-05-27): 8000
    with (snapshot / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("si_fut_07,2024-05-27,8000\n")
    (folder / "t.toml").write_text(LAYOUT.format(columns=columns), encoding="utf-8")
    loaded = load_snapshot(snapshot)
    return overview_table(
        compute_metrics(loaded, load_layout("t", loaded.catalog, folder)).tables[0]
    )


def it_prints_the_four_columns_unless_the_layout_asks_for_others(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    table = _table(tiny_snapshot, tmp_path)
    assert (table.header, table.widths) == (TABLE_HEADER, TABLE_WIDTHS)
    assert table.rows[0].cells == ("期货", "07合约（元/吨）", "7440", "7610", "-170", "-2.23%")


def it_prints_year_on_year_where_the_layout_lists_it(tiny_snapshot: Path, tmp_path: Path) -> None:
    columns = 'columns = ["现值", "前值", "涨跌", "涨跌幅", "同比"]'
    table = _table(tiny_snapshot, tmp_path, columns)
    assert table.header == (*TABLE_HEADER, "同比")
    assert len(table.widths) == len(table.header)
    # 7440 against 8000 a year before; the weekly stock has no history a year back
    assert table.rows[0].cells[-1] == "-7.00%"
    assert table.rows[1].cells[-1] == "—"


def it_prints_only_and_in_the_order_the_layout_lists(tiny_snapshot: Path, tmp_path: Path):
    table = _table(tiny_snapshot, tmp_path, 'columns = ["同比", "现值"]')
    assert table.header == ("类别", "指标", "同比", "现值")
    assert table.rows[0].cells == ("期货", "07合约（元/吨）", "-7.00%", "7440")
