"""Layout: how table columns share a width — figures stay whole, names wrap."""

from __future__ import annotations

import pytest

from publisher.layout.columns import figure_columns, fit_columns, label_columns
from publisher.layout.model import Table, TableRow


def it_shares_the_width_in_proportion_when_every_column_has_room() -> None:
    assert fit_columns([1, 2, 3], [0, 30, 40], 120) == [20, 40, 60]


def it_holds_a_figure_column_at_its_widest_figure_and_narrows_the_others() -> None:
    assert fit_columns([1, 2, 1], [0, 0, 50], 100) == pytest.approx([50 / 3, 100 / 3, 50])


def it_narrows_again_when_holding_one_column_squeezes_the_next() -> None:
    # 2:1:1 of 100: the third (25) is held at 40; of the 60 left the second gets 20, below
    # its 22, so it is held too and the first takes the remaining 38
    assert fit_columns([2, 1, 1], [0, 22, 40], 100) == pytest.approx([38, 22, 40])


def it_shrinks_alike_when_the_figures_alone_overflow() -> None:
    assert fit_columns([1, 1, 1], [0, 60, 100], 80) == pytest.approx([0, 30, 50])


def it_fills_the_width_exactly() -> None:
    widths = fit_columns([1.2, 4.6, 1.2, 1.2, 1.1, 1.1], [0, 0, 62, 62, 66, 44], 496)
    assert sum(widths) == pytest.approx(496)
    assert min(w - least for w, least in zip(widths, [0, 0, 62, 62, 66, 44], strict=True)) >= 0


def it_takes_a_column_of_mostly_figures_for_a_figure_column() -> None:
    rows = (
        TableRow(("硅片", "N型182mm", "0.94", "-112,899,898", "—")),
        TableRow(("", "N型210mm", "1.28", "+0.70", "+5.74%")),
        TableRow(("", "硅片库存", "暂无", "-7.50", "-22.06%")),
    )
    table = Table("", ("类别", "指标", "现值", "涨跌", "涨跌幅"), rows)
    assert figure_columns(table) == (False, False, True, True, True)


def it_holds_a_column_of_short_names_at_its_widest_name() -> None:
    rows = (
        TableRow(("部分合约价差", "近月-连1（元/吨）", "-25"), group_start=True),
        TableRow(("", "连1-连2（元/吨）", "-35")),
        TableRow(("仓单", "注册仓单数量（手）", "64626"), group_start=True),
    )
    table = Table("", ("类别", "指标", "现值"), rows)
    assert label_columns(table) == (True, False, False)  # names of 9 and more characters wrap
