"""Snapshot stage: a series stored in one unit is printed in its catalog display unit, and a
brand's [numbers] rule groups every figure's thousands or none."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.errors import ImplausibleValueError, SnapshotError
from publisher.metrics.figures import figure
from publisher.snapshot import load_snapshot
from tests.snapshot.test_mutations import mutants

HEADER = "id,name,unit,display,frequency,source,product,decimals,min,max\n"
FUTURES = "si_fut_07,07合约,元/吨,,daily,WIND,si,,1000,50000\n"
SPOT = "si_spot_553,华东不通氧553#硅,元/吨,,daily,SMM,si,,1000,50000\n"
STOCK = "si_social_stock,周度社会库存,万吨,,weekly,SMM,si,1,0,200\n"
SAMPLE_STOCK = (
    "si_sample_stock,周度样本企业库存,吨,{display},weekly,上海钢联,si,{decimals},0,{max}\n"
)


def _catalog(folder: Path, display: str = "万吨", decimals: str = "", hi: str = "1000000") -> None:
    row = SAMPLE_STOCK.format(display=display, decimals=decimals, max=hi)
    (folder / "catalog.csv").write_text(HEADER + FUTURES + SPOT + STOCK + row, encoding="utf-8")
    with (folder / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("si_sample_stock,2025-05-16,247600\nsi_sample_stock,2025-05-23,234200\n")


def _refusal(folder: Path) -> str:
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def it_converts_tonnes_to_10k_tonnes_once_at_load(tiny_snapshot: Path) -> None:
    _catalog(tiny_snapshot)
    snapshot = load_snapshot(tiny_snapshot)
    spec = snapshot.spec("si_sample_stock")
    assert (spec.unit, spec.stored, spec.per, spec.decimals) == ("万吨", "吨", 10_000, 2)
    assert (spec.lo, spec.hi) == (0.0, 100.0)  # the catalog's 0–1000000 吨
    assert spec.label == "周度样本企业库存（万吨）"
    assert snapshot.series("si_sample_stock").tolist() == [24.76, 23.42]
    text = figure("s", snapshot.series("si_sample_stock"), spec, snapshot.as_of).text
    assert (text.current, text.previous, text.change, text.pct) == (
        "23.42",
        "24.76",
        "-1.34",
        "-5.41%",
    )


def it_prints_the_catalog_decimals_in_the_display_unit(tiny_snapshot: Path) -> None:
    _catalog(tiny_snapshot, decimals="1")
    snapshot = load_snapshot(tiny_snapshot)
    spec = snapshot.spec("si_sample_stock")
    assert spec.decimals == 1
    assert figure("s", snapshot.series("si_sample_stock"), spec, snapshot.as_of).text.current == (
        "23.4"
    )


@pytest.mark.parametrize("display", ["", "吨"])
def it_leaves_a_series_without_a_display_unit_as_stored(tiny_snapshot: Path, display: str) -> None:
    _catalog(tiny_snapshot, display=display)
    snapshot = load_snapshot(tiny_snapshot)
    spec = snapshot.spec("si_sample_stock")
    assert (spec.unit, spec.stored, spec.per, spec.decimals, spec.hi) == ("吨", "吨", 1, 0, 1e6)
    assert snapshot.series("si_sample_stock").tolist() == [247600, 234200]


@pytest.mark.parametrize(
    ("unit", "display", "known"),
    [
        ("吨", "亿吨", "吨→万吨"),  # the unit has conversions: those are named
        ("元/吨", "万元/吨", "个→亿个"),  # it has none: every known one is named
    ],
)
def it_refuses_a_conversion_it_does_not_know(
    tiny_snapshot: Path, unit: str, display: str, known: str
) -> None:
    row = f"si_sample_stock,样本库存,{unit},{display},weekly,SMM,si,,,\n"
    (tiny_snapshot / "catalog.csv").write_text(HEADER + FUTURES + SPOT + STOCK + row, "utf-8")
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(tiny_snapshot)
    error = caught.value
    assert error.where.endswith("catalog.csv, row 5")
    assert f"'si_sample_stock' is stored in {unit} but its display is {display}" in error.what
    assert known in error.fix and "leave display blank" in error.fix
    assert "si_sample_stock" in _refusal(tiny_snapshot)


def it_checks_the_plausible_range_in_the_stored_unit(tiny_snapshot: Path) -> None:
    _catalog(tiny_snapshot, hi="240000")  # 247600 吨 is over it
    with pytest.raises(ImplausibleValueError) as caught:
        load_snapshot(tiny_snapshot)
    assert "is 247600 吨 on 2025-05-16, outside its plausible range 0–240000 吨" in (
        caught.value.what
    )


def it_writes_a_refused_value_out_in_full_not_as_an_exponent(tiny_snapshot: Path) -> None:
    _catalog(tiny_snapshot, hi="240000")
    with (tiny_snapshot / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("si_sample_stock,2025-05-09,1200000\n")  # :g printed 1.2e+06
    with pytest.raises(ImplausibleValueError) as caught:
        load_snapshot(tiny_snapshot)
    assert "is 1200000 吨 on 2025-05-09, outside its plausible range 0–240000 吨" in (
        caught.value.what
    )


def it_keeps_a_value_on_its_bound_inside_after_converting(tiny_snapshot: Path) -> None:
    _catalog(tiny_snapshot, hi="247600")
    assert load_snapshot(tiny_snapshot).series("si_sample_stock").max() == 24.76


# ── the brand's number rule ─────────────────────────────────────────────────────────────────


def _brand(folder: Path, table: str) -> None:
    with (folder / "brand.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + table)


def it_groups_no_thousands_unless_the_brand_says_so(tiny_snapshot: Path) -> None:
    assert load_snapshot(tiny_snapshot).brand.thousands is False
    _brand(tiny_snapshot, "[numbers]\nthousands = true\n")
    assert load_snapshot(tiny_snapshot).brand.thousands is True


@pytest.mark.parametrize(
    ("table", "what"),
    [
        ('[numbers]\nthousands = "yes"\n', "numbers.thousands is 'yes', not true or false"),
        ("[numbers]\ngrouping = true\n", "[numbers] has the unknown key 'grouping'"),
        ("numbers = 1\n", "numbers is not a table"),
    ],
)
def it_refuses_a_number_rule_it_cannot_read(tiny_snapshot: Path, table: str, what: str) -> None:
    if table.startswith("numbers"):  # a top-level key must come before the first table
        text = (tiny_snapshot / "brand.toml").read_text(encoding="utf-8")
        (tiny_snapshot / "brand.toml").write_text(table + text, encoding="utf-8")
    else:
        _brand(tiny_snapshot, table)
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(tiny_snapshot)
    assert caught.value.where.endswith("brand.toml") and what in caught.value.what
    assert "brand.toml" in _refusal(tiny_snapshot)


def it_loads_or_refuses_every_mutant_of_the_number_rule(tiny_snapshot: Path) -> None:
    path = tiny_snapshot / "brand.toml"
    table = "[numbers]\nthousands = true\n"
    original = path.read_text(encoding="utf-8")
    for label, text in mutants(table):
        path.write_text(original + "\n" + text + "\n", encoding="utf-8")
        try:
            load_snapshot(tiny_snapshot)
        except SnapshotError:
            pass
        except Exception as exc:
            pytest.fail(f"[numbers] {label}: {type(exc).__name__}: {exc}")
