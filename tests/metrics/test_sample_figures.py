"""Metrics stage on the sample: tables match the reference where it is right, fix it where not."""

from __future__ import annotations

import re

import pytest

from publisher.metrics.overview import Metrics
from publisher.pipeline import Prepared, prepare
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(SAMPLE)


@pytest.fixture(scope="module")
def metrics(prepared: Prepared) -> Metrics:
    return prepared.metrics


def _row(metrics: Metrics, table: str, label: str) -> tuple[str, ...]:
    for row in metrics.table(table).rows:
        if row.name == label:
            return (row.text.current, row.text.previous, row.text.change, row.text.pct)
    raise AssertionError(f"{label} not in {table}")


@pytest.mark.parametrize(
    ("table", "label", "expected"),
    [
        ("si_overview", "06合约", ("7415", "7580", "-165", "-2.18%")),
        ("si_overview", "06合约基差", ("935", "870", "+65", "+7.47%")),
        ("si_overview", "01合约基差", ("210", "120", "+90", "+75.00%")),
        ("si_overview", "12合约基差", ("225", "155", "+70", "+45.16%")),
        ("si_overview", "近月-连1", ("-25", "-30", "+5", "+16.67%")),
        ("si_overview", "连1-连2", ("-35", "-35", "0", "0.00%")),
        ("si_overview", "421-553价差", ("900", "950", "-50", "-5.26%")),
        ("si_overview", "周度社会库存", ("58.2", "59.9", "-1.7", "-2.84%")),
        # stored in 吨 as the reference prints it (234200, 247600), shown in 万吨
        ("si_overview", "周度样本企业库存", ("23.42", "24.76", "-1.34", "-5.41%")),
        ("ps_overview", "06合约基差", ("-1140", "-485", "-655", "-135.05%")),
        ("ps_overview", "12合约基差", ("1395", "1390", "+5", "+0.36%")),
    ],
)
def it_reproduces_the_reference_where_it_is_self_consistent(
    metrics: Metrics, table: str, label: str, expected: tuple[str, ...]
) -> None:
    assert _row(metrics, table, label) == expected


@pytest.mark.parametrize(
    ("table", "label", "expected"),
    [
        ("si_overview", "07合约基差", ("910", "840", "+70", "+8.33%")),  # reference: 7.70%/-36.80%
        ("si_overview", "08合约基差", ("875", "805", "+70", "+8.70%")),  # reference: 795 90.90%
        ("ps_overview", "07合约基差", ("1210", "1615", "-405", "-25.08%")),  # reference: -40
        ("si_overview", "05合约基差", ("85", "-5", "+90", "—")),  # reference: -1800.00%
        ("si_overview", "新疆通氧553利润", ("-3665", "-3715", "+50", "+1.35%")),  # reference -1.34%
        ("ps_overview", "日度组件利润-210mm", ("0.001", "0.000", "+0.001", "—")),  # #DIV/0!
        ("si_overview", "月度DMC库存", ("10.50", "11.35", "-0.85", "-7.49%")),  # ref: 吨 as 万吨
    ],
)
def it_corrects_the_reference_where_it_is_wrong(
    metrics: Metrics, table: str, label: str, expected: tuple[str, ...]
) -> None:
    assert _row(metrics, table, label) == expected


def it_labels_each_indicator_with_the_catalog_unit(metrics: Metrics) -> None:
    labels = {row.label for row in metrics.table("si_overview").rows}
    assert "月度DMC库存（万吨）" in labels and "周度社会库存（万吨）" in labels


def it_marks_the_month_old_balance_as_stale_and_nothing_daily(metrics: Metrics) -> None:
    stale = {row.key for row in metrics.table("ps_overview").rows if row.stale}
    assert "ps_balance_month" in stale
    assert not any(
        row.stale for row in metrics.table("si_overview").rows if row.frequency == "daily"
    )


def it_never_prints_an_error_code_or_nan(metrics: Metrics) -> None:
    for table in metrics.tables:
        for row in table.rows:
            for cell in (row.text.current, row.text.previous, row.text.change, row.text.pct):
                assert not re.search(r"nan|inf|#|None", cell, re.IGNORECASE), (row.key, cell)


# Numbers that are names, not figures: contract months, grades, MA20, dates, wafer sizes.
NAME_NUMBERS = re.compile(r"\d{2}合约|MA20|553|421|A356|\d+月\d+日|\d+mm|2507：在[\d-]+")
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def it_prints_in_the_narrative_exactly_the_figures_of_the_tables(prepared: Prepared) -> None:
    printed = set()
    for fig in prepared.metrics.figures.values():
        for text in (fig.text.current, fig.text.previous, fig.text.change, fig.text.pct):
            printed.add(text.lstrip("+-"))
        if fig.unit == "%":  # a run rate's level is printed with its unit: 59.31%
            printed.add(fig.text.current.lstrip("+-") + "%")
    for view in prepared.views:
        prose = "".join(view.paragraphs) + "".join(f.text for f in view.factors[:5])
        numbers = NUMBER.findall(NAME_NUMBERS.sub("", prose))
        assert numbers, view.name
        assert not [n for n in numbers if n not in printed], view.name


def it_writes_the_reference_sentences_from_the_data(prepared: Prepared) -> None:
    si = next(v for v in prepared.views if v.product == "si")
    factors = {f.name: f for f in si.factors}
    assert "07合约基差为910元/吨，现货升水期货" in factors["基差"].text
    assert "社会库存为58.2万吨，环比减少2.84%" in factors["库存"].text  # the table's -2.84%
    assert factors["盘面"].text.startswith("MA20向下，07合约期价收于MA20下方。")
    assert factors["主力持仓"].text.startswith("主力持仓净空，空减。")
    assert si.range_call == "工业硅2507：在7335-7545区间震荡。"
    ps = next(v for v in prepared.views if v.product == "ps")
    assert next(f for f in ps.factors if f.name == "主力持仓").text.startswith(
        "主力持仓净多，多增。"
    )
