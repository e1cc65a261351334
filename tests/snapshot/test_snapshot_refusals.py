"""Snapshot stage: each kind of bad input is refused with a message naming file, series, fix."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.errors import ImplausibleValueError, SnapshotError
from publisher.snapshot import load_snapshot


def _append(folder: Path, name: str, text: str) -> None:
    with (folder / name).open("a", encoding="utf-8") as handle:
        handle.write(text)


def _refusal(folder: Path) -> str:
    """Run `publisher validate` as a user would and return its message; it must exit 2."""
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def it_refuses_a_series_the_catalog_does_not_know(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "observations.csv", "si_mystery,2025-05-27,1\n")
    message = _refusal(tiny_snapshot)
    assert "observations.csv" in message and "si_mystery" in message and "catalog" in message


def it_refuses_a_date_given_twice(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "observations.csv", "si_fut_07,2025-05-27,7441\n")
    message = _refusal(tiny_snapshot)
    assert "si_fut_07" in message and "2025-05-27 twice" in message and "row 8" in message


def it_refuses_a_non_numeric_value(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "observations.csv", "si_spot_553,2025-05-23,#N/A\n")
    message = _refusal(tiny_snapshot)
    assert "si_spot_553" in message and "'#N/A'" in message and "row 8" in message


def it_refuses_a_date_after_the_as_of_date(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "observations.csv", "si_fut_07,2025-05-28,7400\n")
    message = _refusal(tiny_snapshot)
    assert "2025-05-28" in message and "after the as-of date 2025-05-27" in message


def it_refuses_a_catalog_row_without_a_unit(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "catalog.csv", "si_fut_08,08合约,,daily,WIND,si,,,\n")
    message = _refusal(tiny_snapshot)
    assert "catalog.csv, row 5" in message and "si_fut_08" in message and "no unit" in message


def it_refuses_an_xlsx_that_is_really_text(tiny_snapshot: Path) -> None:
    (tiny_snapshot / "fake.xlsx").write_text("series,date,value\n", encoding="utf-8")
    _point_to(tiny_snapshot, "fake.xlsx")
    message = _refusal(tiny_snapshot)
    assert "fake.xlsx" in message and "content is not XLSX" in message


def it_refuses_a_csv_that_is_really_a_workbook(tiny_snapshot: Path) -> None:
    with zipfile.ZipFile(tiny_snapshot / "book.csv", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _point_to(tiny_snapshot, "book.csv")
    assert "content is not CSV (it looks like XLSX)" in _refusal(tiny_snapshot)


def it_refuses_a_truncated_workbook(tiny_snapshot: Path) -> None:
    (tiny_snapshot / "cut.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    _point_to(tiny_snapshot, "cut.xlsx")
    with pytest.raises(SnapshotError, match="damaged or truncated"):
        load_snapshot(tiny_snapshot)


def it_refuses_a_value_whose_magnitude_does_not_fit_its_unit(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "observations.csv", "si_social_stock,2025-05-09,105000\n")
    with pytest.raises(ImplausibleValueError, match=r"si_social_stock.*105000 万吨"):
        load_snapshot(tiny_snapshot)


def it_refuses_an_unknown_verdict(tiny_snapshot: Path) -> None:
    manifest = tiny_snapshot / "snapshot.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace(
            '"库存" = { verdict = "偏空"', '"库存" = { verdict = "看涨"'
        ),
        "utf-8",
    )
    assert "products.si.factors.库存.verdict is '看涨'" in _refusal(tiny_snapshot)


def it_refuses_an_analyst_id_that_escapes_the_archive(tiny_snapshot: Path) -> None:
    manifest = tiny_snapshot / "snapshot.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('analyst = "analyst-a"', 'analyst = "../etc"'), "utf-8"
    )
    assert "not a safe id" in _refusal(tiny_snapshot)


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ("si_fut_08,#N/A,元/吨,daily,WIND,si,,,", "series 'si_fut_08' has name '#N/A'"),
        ("si_fut_08,08合约,元/吨,daily,None,si,,,", "series 'si_fut_08' has source 'None'"),
    ],
)
def it_refuses_a_catalog_text_the_compliance_check_would_refuse(
    tiny_snapshot: Path, row: str, complaint: str
) -> None:
    # names and sources are printed on every table page: held to the check's rule at load
    _append(tiny_snapshot, "catalog.csv", row + "\n")
    message = _refusal(tiny_snapshot)
    assert "catalog.csv, row 5" in message and complaint in message
    assert "the compliance check refuses" in message


def it_names_a_missing_snapshot(tmp_path: Path) -> None:
    assert "file not found" in _refusal(tmp_path / "nowhere")


def _point_to(folder: Path, name: str) -> None:
    manifest = folder / "snapshot.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('"observations.csv"', f'"{name}"'), "utf-8"
    )


def it_refuses_a_csv_row_with_more_fields_than_the_header(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "observations.csv", "si_fut_07,2025-05-23,7500,extra\n")
    message = _refusal(tiny_snapshot)
    assert "observations.csv" in message and "not a well-formed CSV" in message


def it_refuses_a_negative_or_fractional_precision(tiny_snapshot: Path) -> None:
    _append(tiny_snapshot, "catalog.csv", "si_fut_08,08合约,元/吨,daily,WIND,si,-1,,\n")
    assert "decimals '-1'" in _refusal(tiny_snapshot)


@pytest.mark.parametrize(
    ("bounds", "complaint"),
    [("nan,50000", "min 'nan'"), ("0,inf", "max 'inf'"), ("50000,4000", "min 50000 above max")],
)
def it_refuses_a_plausibility_range_that_checks_nothing(
    tiny_snapshot: Path, bounds: str, complaint: str
) -> None:
    # a NaN bound let every value through: comparisons with NaN are all false
    _append(tiny_snapshot, "catalog.csv", f"si_fut_08,08合约,元/吨,daily,WIND,si,0,{bounds}\n")
    assert complaint in _refusal(tiny_snapshot)


def _replace(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "complaint"),
    [
        (
            "snapshot.toml",
            'observations = ["observations.csv"]',
            'observations = ["observations.csv", 1]',
            "data.observations must be a list of strings",
        ),
        (
            "brand.toml",
            'disclaimer = "重要提示：本报告仅作测试之用。"',
            'disclaimer = "重要提示：本报告仅作测试之用。"\ntemplate = 42',
            "firm.template has the wrong type (int)",
        ),
        ("brand.toml", 'primary = "#1F4E79"', 'primary = "navy"', "'navy' is not a colour"),
        (
            "brand.toml",
            'phone = "000-00000000"',
            "phone = 1e999",  # would print "inf" on every page
            "analysts.analyst-a.phone has the wrong type (float)",
        ),
        (
            "brand.toml",
            'disclaimer = "重要提示：本报告仅作测试之用。"',
            'disclaimer = "重要提示：本报告仅作测试之用。"\ntemplate = "master.pptx"',
            "firm.template 'master.pptx' is not a file beside it",
        ),
        (
            "brand.toml",
            'palette = ["#1F4E79", "#C00000"]',
            'palette = ["#1F4E79", "red"]',
            "firm.colors.palette 'red' is not a colour",
        ),
    ],
)
def it_refuses_a_field_of_the_wrong_form(
    tiny_snapshot: Path, name: str, old: str, new: str, complaint: str
) -> None:
    # found by mutating every field of the sample's files: tracebacks, or accepted and wrong
    _replace(tiny_snapshot, name, old, new)
    message = _refusal(tiny_snapshot)
    assert complaint in message and name in message


def _wide(folder: Path, text: str, name: str = "wide.csv") -> None:
    (folder / name).write_text(text, encoding="utf-8")
    _point_to(folder, name)


@pytest.mark.parametrize("serial", ["45803", "45803.0"])  # as typed, as a workbook reads it
def it_suggests_excel_serial_dates_when_dates_are_day_numbers(
    tiny_snapshot: Path, serial: str
) -> None:
    _wide(tiny_snapshot, f"date,si_fut_07\n{serial},7610\n45804,7440\n")
    message = _refusal(tiny_snapshot)
    assert "wide.csv, row 2" in message and f"date '{serial}' is not a date" in message
    assert "looks like an Excel serial date (45803 is 2025-05-26)" in message
    assert "format the column as dates" in message


def it_suggests_excel_serial_dates_in_a_workbook(tiny_snapshot: Path) -> None:
    frame = pd.DataFrame({"日期": [45803, 45804], "si_fut_07": [7610, 7440]})
    frame.to_excel(tiny_snapshot / "prices.xlsx", index=False)
    _point_to(tiny_snapshot, "prices.xlsx")
    assert "looks like an Excel serial date (45803 is 2025-05-26)" in _refusal(tiny_snapshot)


@pytest.mark.parametrize("first", ["指标名称", "date"])
def it_suggests_removing_a_wind_export_header(tiny_snapshot: Path, first: str) -> None:
    header = (
        f"{first},si_fut_07,si_spot_553\n频率,日,日\n单位,元/吨,元/吨\n"
        "指标ID,S0000001,S0000002\n来源,广期所,SMM\n"
    )
    _wide(tiny_snapshot, header + "2025-05-26,7610,8450\n2025-05-27,7440,8350\n")
    message = _refusal(tiny_snapshot)
    assert "wide.csv, row 2" in message
    assert "the first rows look like a WIND export header ('频率', '单位', '指标ID', '来源')" in (
        message
    )
    assert "remove them" in message
