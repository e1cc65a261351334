"""Snapshot stage: the data-quality report — errors that stop a build, warnings that do not."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tomllib
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pytest
from click.testing import CliRunner
from rich.console import Console

from publisher.cli import main
from publisher.errors import LayoutError
from publisher.metrics.quality import (
    Finding,
    QualityReport,
    assess,
    assess_path,
    collect,
    from_error,
    render_table,
)
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import LayoutSpec, load_layout
from tests.conftest import SAMPLE

LAYOUT = """\
[report]
charts = "charts/tiny.toml"

[[tables]]
id = "si_overview"
title = "工业硅行情概览"
product = "si"

[[tables.sections]]
category = "期货"
rows = [
  { series = "si_fut_07" },
  { id = "si_basis_07", label = "07合约基差", basis = ["si_spot_553", "si_fut_07"] },
]

[[tables.sections]]
category = "库存"
rows = [{ series = "si_social_stock" }]
"""


def _layout(tmp_path: Path, catalog: object, extra_rows: str = "", charts: str = "") -> LayoutSpec:
    """LAYOUT (plus a section of `extra_rows`) and its chart catalog, under tmp_path/layouts."""
    root = tmp_path / "layouts"
    (root / "charts").mkdir(parents=True, exist_ok=True)
    extra = f'\n[[tables.sections]]\ncategory = "其他"\nrows = [{extra_rows}]\n'
    (root / "tiny.toml").write_text(LAYOUT + (extra if extra_rows else ""), "utf-8")
    if charts:  # placed by a section naming the catalog's first chart
        (root / "charts" / "tiny.toml").write_text(charts, "utf-8")
        first = tomllib.loads(charts)["chart"][0]["id"]
        placing = f'\n[[sections]]\nkind = "charts"\ncharts = ["{first}"]\n'
        with (root / "tiny.toml").open("a", encoding="utf-8") as layout:
            layout.write(placing)
    return load_layout("tiny", catalog, root)  # type: ignore[arg-type]


def _assess(folder: Path, tmp_path: Path, extra_rows: str = "", charts: str = "") -> QualityReport:
    snapshot = load_snapshot(folder)
    return assess(snapshot, _layout(tmp_path, snapshot.catalog, extra_rows, charts))


def _observations(folder: Path, series: dict[str, list[tuple[str, float]]]) -> None:
    lines = ["series,date,value"]
    lines += [f"{name},{day},{value}" for name, rows in series.items() for day, value in rows]
    (folder / "observations.csv").write_text("\n".join(lines) + "\n", "utf-8")


def _catalog_row(folder: Path, row: str) -> None:
    with (folder / "catalog.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")


BASE = {
    "si_fut_07": [("2025-05-26", 7610.0), ("2025-05-27", 7440.0)],
    "si_spot_553": [("2025-05-26", 8450.0), ("2025-05-27", 8350.0)],
    "si_social_stock": [("2025-05-16", 59.9), ("2025-05-23", 58.2)],
}


def _by_series(report: QualityReport) -> dict[str | None, list[Finding]]:
    found: dict[str | None, list[Finding]] = {}
    for finding in report.findings:
        found.setdefault(finding.series, []).append(finding)
    return found


def it_finds_no_errors_in_the_sample_and_names_its_stale_monthlies() -> None:
    report = assess_path(SAMPLE)
    assert report.ok and report.errors == ()
    stale = {f.series for f in report.warnings if "is stale" in f.what}
    assert stale == {
        "ps_balance_month",
        "ps_consumption_month",
        "ps_export_month",
        "ps_import_month",
        "ps_supply_month",
    }
    assert "dated 2025-03-31" in report.warnings[0].what
    jumps = [f.series for f in report.warnings if "median absolute deviations" in f.what]
    assert jumps == ["ps_wafer_inv_week"]
    assert len(report.warnings) == 6


def it_passes_a_clean_snapshot_without_findings(tiny_snapshot: Path, tmp_path: Path) -> None:
    assert _assess(tiny_snapshot, tmp_path).findings == ()


def it_errors_on_a_series_the_layout_prints_but_has_no_value(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    _catalog_row(tiny_snapshot, "si_fut_08,08合约,元/吨,daily,WIND,si,,1000,50000")
    report = _assess(tiny_snapshot, tmp_path, extra_rows='{ series = "si_fut_08" }')
    assert not report.ok
    (error,) = report.errors
    assert error.series == "si_fut_08"
    assert "has no value on or before 2025-05-27" in error.what and "tiny" in error.what


def it_only_warns_on_an_empty_series_nothing_prints(tiny_snapshot: Path, tmp_path: Path) -> None:
    _catalog_row(tiny_snapshot, "si_fut_09,09合约,元/吨,daily,WIND,si,,1000,50000")
    report = _assess(tiny_snapshot, tmp_path)
    assert report.ok
    assert [f.series for f in report.warnings] == ["si_fut_09"]


def it_counts_series_that_placed_charts_draw_as_needed(tiny_snapshot: Path, tmp_path: Path) -> None:
    _catalog_row(tiny_snapshot, "si_dmc_price,DMC价格,元/吨,daily,SMM,si,,,")
    charts = """\
[[chart]]
id = "si_dmc"
kind = "lines"
title = "有机硅DMC价格"
series = [{ series = "si_dmc_price" }, { spread = ["si_fut_07", "si_ghost"] }]
"""
    report = _assess(tiny_snapshot, tmp_path, charts=charts)
    errors = _by_series(report)
    assert "has no value" in errors["si_dmc_price"][0].what
    assert "which the snapshot's catalog lacks" in errors["si_ghost"][0].what
    assert errors["si_ghost"][0].where.endswith("charts/tiny.toml")


@pytest.mark.parametrize(("last", "stale"), [("2025-05-21", True), ("2025-05-22", False)])
def it_warns_on_a_daily_series_three_business_days_old(
    tiny_snapshot: Path, tmp_path: Path, last: str, stale: bool
) -> None:
    rows = [("2025-05-20", 7610.0), (last, 7440.0)]
    _observations(tiny_snapshot, {**BASE, "si_fut_07": rows, "si_spot_553": rows})
    warned = {f.series for f in _assess(tiny_snapshot, tmp_path).warnings if "stale" in f.what}
    assert warned == ({"si_fut_07", "si_spot_553"} if stale else set())


def it_warns_on_a_daily_series_without_a_value_on_the_report_day(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    # the main contract's close missing today: the basis printed is yesterday's
    _observations(
        tiny_snapshot, {**BASE, "si_fut_07": [("2025-05-23", 7610.0), ("2025-05-26", 7440.0)]}
    )
    (warning,) = _assess(tiny_snapshot, tmp_path).warnings
    assert (warning.level, warning.series) == ("warning", "si_fut_07")
    assert "07合约（元/吨） has no value on the report date 2025-05-27" in warning.what
    assert "its latest is 2025-05-26" in warning.what


def it_names_the_daily_series_missing_the_report_day_in_publisher_validate(
    tmp_path: Path,
) -> None:
    shutil.copytree(SAMPLE.parent, tmp_path / "samples")
    observations = tmp_path / "samples" / SAMPLE.name / "observations.csv"
    wide = pd.read_csv(observations, dtype=str, keep_default_na=False)
    wide.loc[wide["date"] == "2025-05-27", "si_fut_07"] = ""
    wide.to_csv(observations, index=False)
    result = CliRunner().invoke(main, ["validate", str(observations.parent), "--json"])
    assert result.exit_code == 0, result.output
    (finding,) = [f for f in json.loads(result.output)["findings"] if f["series"] == "si_fut_07"]
    assert finding["level"] == "warning"
    assert (
        "has no value on the report date 2025-05-27 (its latest is 2025-05-26)" in (finding["what"])
    )


@pytest.mark.parametrize(("last", "stale"), [("2025-05-16", True), ("2025-05-17", False)])
def it_warns_on_a_weekly_series_ten_days_old(
    tiny_snapshot: Path, tmp_path: Path, last: str, stale: bool
) -> None:
    _observations(tiny_snapshot, {**BASE, "si_social_stock": [("2025-05-09", 60.1), (last, 59.9)]})
    warned = {f.series for f in _assess(tiny_snapshot, tmp_path).warnings if "stale" in f.what}
    assert warned == ({"si_social_stock"} if stale else set())


def _history(last_move: float, sticky: bool = False) -> list[tuple[str, float]]:
    """40 business days of ordinary moves (or mostly unchanged quotes), then `last_move`."""
    days = pd.bdate_range(end="2025-05-27", periods=41)
    moves = [0.0 if sticky and n % 3 else (10.0, -15.0, 20.0, -5.0)[n % 4] for n in range(39)]
    levels = [8000.0]
    for move in [*moves, last_move]:
        levels.append(levels[-1] + move)
    return [(f"{day:%Y-%m-%d}", level) for day, level in zip(days, levels, strict=True)]


@pytest.mark.parametrize(
    ("last_move", "sticky", "jump"),
    [(400.0, False, True), (-400.0, False, True), (40.0, False, False), (30.0, True, False)],
)
def it_warns_on_a_jump_beyond_six_deviations_of_usual_moves(
    tiny_snapshot: Path, tmp_path: Path, last_move: float, sticky: bool, jump: bool
) -> None:
    _observations(tiny_snapshot, {**BASE, "si_spot_553": _history(last_move, sticky)})
    report = _assess(tiny_snapshot, tmp_path)
    jumps = [f for f in report.warnings if "median absolute deviations" in f.what]
    assert report.ok and len(jumps) == int(jump)
    if jump:
        assert jumps[0].series == "si_spot_553" and f"moved {last_move:+g}" in jumps[0].what


def _weekly(levels: list[float]) -> list[tuple[str, float]]:
    days = pd.date_range(end="2025-05-23", periods=len(levels), freq="W-FRI")
    return [(f"{day:%Y-%m-%d}", level) for day, level in zip(days, levels, strict=True)]


STOCKS = [234200.0 + (300.0, -500.0, 800.0, -200.0)[n % 4] * (1 + n % 3) for n in range(30)]


def it_warns_on_a_previous_value_the_table_prints_that_jumps(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    # The 前值 is printed too: a 1,000,000,000 pasted there, among values near 234,200, was
    # blamed on the 现值 with "check the latest value", in numbers like -9.99766e+08.
    _catalog_row(tiny_snapshot, "si_stock_t,样本企业库存,吨,weekly,SMM,si,,,")
    spike = _weekly([*STOCKS, 234200.0, 1e9, 234200.0])
    _observations(tiny_snapshot, {**BASE, "si_stock_t": spike})
    report = _assess(tiny_snapshot, tmp_path, extra_rows='{ series = "si_stock_t" }')
    (jump,) = [f for f in report.warnings if "median absolute deviations" in f.what]
    assert jump.series == "si_stock_t"
    assert "the 前值 1000000000 吨 on 2025-05-16" in jump.what
    assert "moved +999765800" in jump.what and "e+" not in jump.what
    assert "2025-05-16" in jump.fix


def it_writes_a_jump_in_the_series_digits_never_as_an_exponent(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    _catalog_row(tiny_snapshot, "si_stock_t,样本企业库存,吨,weekly,SMM,si,,,")
    _observations(tiny_snapshot, {**BASE, "si_stock_t": _weekly([*STOCKS, 234200.0, 234567890.0])})
    (jump,) = [f for f in _assess(tiny_snapshot, tmp_path).warnings if "deviations" in f.what]
    assert "the 现值 234567890 吨 on 2025-05-23" in jump.what
    assert "moved +234333690" in jump.what and "e+" not in jump.what


def it_warns_on_a_verdict_without_a_comment(tiny_snapshot: Path, tmp_path: Path) -> None:
    manifest = tiny_snapshot / "snapshot.toml"
    text = manifest.read_text("utf-8").replace(
        '"基差" = { verdict = "偏空", comment = "测试" }', '"基差" = { verdict = "偏空" }'
    )
    manifest.write_text(text, "utf-8")
    (warning,) = _assess(tiny_snapshot, tmp_path).warnings
    assert warning.series is None and warning.where == str(manifest)
    assert warning.what == "products.si.factors.基差 is 偏空 without a comment"


def it_warns_on_a_derived_row_whose_inputs_share_no_date(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    spot = [("2025-05-23", 8450.0), ("2025-05-22", 8400.0)]
    _observations(tiny_snapshot, {**BASE, "si_spot_553": spot})
    (warning,) = [f for f in _assess(tiny_snapshot, tmp_path).warnings if f.series != "si_spot_553"]
    assert warning.series == "si_basis_07" and "prints a dash" in warning.what


def it_errors_on_implausible_values_and_missing_units_in_a_built_snapshot(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    snapshot = load_snapshot(tiny_snapshot)
    stock = snapshot.series("si_social_stock").copy()
    stock.iloc[-1] = 5820.0  # 万吨 typed as 吨-scale
    catalog = dict(snapshot.catalog)
    catalog["si_fut_07"] = dataclasses.replace(catalog["si_fut_07"], unit="")
    built = dataclasses.replace(
        snapshot,
        catalog=MappingProxyType(catalog),
        observations=MappingProxyType({**snapshot.observations, "si_social_stock": stock}),
    )
    errors = _by_series(assess(built, _layout(tmp_path, built.catalog)))
    assert (
        "5820 万吨 on 2025-05-23, outside its plausible range 0–200 万吨"
        in errors["si_social_stock"][0].what
    )
    assert "has no unit" in errors["si_fut_07"][0].what


def it_reports_a_load_time_refusal_as_its_one_error(tiny_snapshot: Path) -> None:
    with (tiny_snapshot / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("si_social_stock,2025-05-09,105000\n")
    report = assess_path(tiny_snapshot)
    (error,) = report.findings
    assert error.level == "error" and error.series == "si_social_stock"
    assert error.where.endswith("observations.csv") and "105000 万吨" in error.what
    assert json.loads(report.to_json())["ok"] is False


def it_reports_a_layout_the_snapshot_cannot_fill_as_an_error(tiny_snapshot: Path) -> None:
    # The tiny catalog lacks most series the sample layout prints.
    (error,) = assess_path(tiny_snapshot).errors
    assert "which the snapshot's catalog lacks" in error.what and error.series is not None


def it_writes_json_with_stable_keys_and_plain_chinese(tiny_snapshot: Path, tmp_path: Path) -> None:
    _catalog_row(tiny_snapshot, "si_fut_09,09合约,元/吨,daily,WIND,si,,1000,50000")
    text = _assess(tiny_snapshot, tmp_path).to_json()
    doc = json.loads(text)
    assert list(doc) == ["ok", "errors", "warnings", "findings"]
    assert (doc["ok"], doc["errors"], doc["warnings"]) == (True, 0, 1)
    assert list(doc["findings"][0]) == ["level", "series", "where", "what", "fix"]
    assert "09合约（元/吨）" in text


def it_renders_a_table_that_prints_messages_literally() -> None:
    error = LayoutError("layouts/x.toml", "[views.si] lacks ma", "see [bold]layouts/README.md")
    console = Console(record=True, width=200, color_system=None)
    render_table(from_error(error), console)
    output = console.export_text()
    assert "[views.si] lacks ma" in output and "[bold]layouts/README.md" in output
    assert "refused: 1 error(s), 0 warning(s)" in output


def it_lists_errors_first_and_each_finding_once() -> None:
    warning = Finding("warning", "a", "w", "stale", "refresh")
    error = Finding("error", "z", "w", "no value", "add it")
    ordered = collect([warning, error, warning])
    assert ordered.findings == (error, warning)
    assert (ordered.errors, ordered.warnings, ordered.ok) == ((error,), (warning,), False)


def it_ignores_what_an_unplaced_chart_draws(tiny_snapshot: Path, tmp_path: Path) -> None:
    _catalog_row(tiny_snapshot, "si_dmc_price,DMC价格,元/吨,daily,SMM,si,,,")
    charts = """\
[[chart]]
id = "si_futures"
kind = "lines"
title = "期货价格"
series = [{ series = "si_fut_07" }]

[[chart]]
id = "si_dmc"
kind = "lines"
title = "有机硅DMC价格"
series = [{ series = "si_dmc_price" }]
"""
    report = _assess(tiny_snapshot, tmp_path, charts=charts)  # places si_futures only
    assert report.ok, report.errors
    assert [f.series for f in report.warnings] == ["si_dmc_price"]  # empty, printed nowhere
