"""Snapshot stage: hostile and broken input is refused by name, and nothing is written."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.errors import ImplausibleValueError, SnapshotError
from publisher.snapshot import files, load_snapshot
from publisher.snapshot.text import LIMITS

BASIS_FACTOR = '"基差" = { verdict = "偏空", comment = "测试" }'


def _edit(folder: Path, old: str, new: str) -> None:
    manifest = folder / "snapshot.toml"
    text = manifest.read_text("utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new), "utf-8")


def _basis_comment(folder: Path, toml_string: str) -> None:
    _edit(folder, BASIS_FACTOR, f'"基差" = {{ verdict = "偏空", comment = {toml_string} }}')


def _point_to(folder: Path, name: str) -> None:
    _edit(folder, '"observations.csv"', f'"{name}"')


def _refused(
    folder: Path, tmp_path: Path, error: type[SnapshotError] = SnapshotError
) -> SnapshotError:
    """Loading raises exactly `error`, and `publisher build` exits 2 writing nothing."""
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(folder)
    assert type(caught.value) is error
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())
    return caught.value


def it_keeps_markup_in_analyst_text_verbatim(tiny_snapshot: Path) -> None:
    outlook = "<b>加粗</b> & <para>段落</para> &amp; 1<2"
    _edit(tiny_snapshot, 'outlook = "震荡"', f'outlook = "{outlook}"')
    _basis_comment(tiny_snapshot, '"基差 <i>走扩</i> & 现货坚挺"')
    judgement = load_snapshot(tiny_snapshot).judgements["si"]
    assert judgement.outlook == outlook
    assert judgement.factor("基差").comment == "基差 <i>走扩</i> & 现货坚挺"


def it_refuses_a_control_character_naming_field_and_code_point(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    _basis_comment(tiny_snapshot, r'"基差\u0007走扩"')
    error = _refused(tiny_snapshot, tmp_path)
    assert "products.si.factors.基差.comment" in error.what
    assert "U+0007" in error.what and "position 3" in error.what


def it_refuses_a_ten_thousand_character_comment(tiny_snapshot: Path, tmp_path: Path) -> None:
    _basis_comment(tiny_snapshot, '"' + "多" * 10_000 + '"')
    error = _refused(tiny_snapshot, tmp_path)
    assert "products.si.factors.基差.comment is 10000 characters long" in error.what
    assert f"over the {LIMITS['comment']}-character limit" in error.what


def it_accepts_an_outlook_at_its_limit_and_refuses_one_over(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    limit = LIMITS["outlook"]
    _edit(tiny_snapshot, 'outlook = "震荡"', f'outlook = "{"震" * limit}"')
    assert len(load_snapshot(tiny_snapshot).judgements["si"].outlook) == limit
    _edit(tiny_snapshot, "震" * limit, "震" * (limit + 1))
    error = _refused(tiny_snapshot, tmp_path)
    assert f"products.si.outlook is {limit + 1} characters long" in error.what


def it_refuses_an_emoji_by_name(tiny_snapshot: Path, tmp_path: Path) -> None:
    _basis_comment(tiny_snapshot, '"基差走扩😀"')
    error = _refused(tiny_snapshot, tmp_path)
    assert "products.si.factors.基差.comment" in error.what
    assert "U+1F600 😀" in error.what and "not in the report font" in error.what


def it_refuses_a_character_the_font_lacks_in_a_bullet(tiny_snapshot: Path, tmp_path: Path) -> None:
    _edit(tiny_snapshot, 'bullish = ["成本支撑"]', 'bullish = ["成本支撑", "𠀀字"]')
    error = _refused(tiny_snapshot, tmp_path)
    assert "products.si.bullish item 2" in error.what and "U+20000 𠀀" in error.what


def it_refuses_a_bullet_that_is_not_text(tiny_snapshot: Path, tmp_path: Path) -> None:
    _edit(tiny_snapshot, 'bearish = ["需求偏弱"]', "bearish = [7440]")
    assert "products.si.bearish item 1 is not text (int)" in _refused(tiny_snapshot, tmp_path).what


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('id = "silicon-daily"', 'id = "../silicon-daily"'),
        ('id = "silicon-daily"', 'id = "reports/silicon-daily"'),
        ('analyst = "analyst-a"', 'analyst = "../analyst-a"'),
        ('analyst = "analyst-a"', 'analyst = "team/analyst-a"'),
    ],
)
def it_refuses_an_id_that_escapes_the_archive(
    tiny_snapshot: Path, tmp_path: Path, old: str, new: str
) -> None:
    _edit(tiny_snapshot, old, new)
    assert "is not a safe id" in _refused(tiny_snapshot, tmp_path).what


def it_refuses_a_truncated_workbook(tiny_snapshot: Path, tmp_path: Path) -> None:
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 100)
    (tiny_snapshot / "cut.xlsx").write_bytes(book.getvalue()[:60])
    _point_to(tiny_snapshot, "cut.xlsx")
    assert "damaged or truncated" in _refused(tiny_snapshot, tmp_path).what


def it_refuses_a_zip_bomb_by_its_claimed_size(tiny_snapshot: Path, tmp_path: Path) -> None:
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData/>")
    raw = bytearray(book.getvalue())
    # The central directory's uncompressed-size field, where unzip tools learn what to expect.
    entry = raw.index(b"PK\x01\x02")
    raw[entry + 24 : entry + 28] = struct.pack("<I", 0xF000_0000)
    (tiny_snapshot / "bomb.xlsx").write_bytes(bytes(raw))
    _point_to(tiny_snapshot, "bomb.xlsx")
    assert "workbook unpacks to 3840 MiB, over the limit" in _refused(tiny_snapshot, tmp_path).what


def it_refuses_a_workbook_that_really_inflates_past_the_limit(
    tiny_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_XLSX_UNPACKED_BYTES", 2**20)  # 1 MiB keeps the test fast
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 4 * 2**20)
    assert len(book.getvalue()) < 2**15
    (tiny_snapshot / "zeros.xlsx").write_bytes(book.getvalue())
    _point_to(tiny_snapshot, "zeros.xlsx")
    assert "workbook unpacks to 4 MiB" in _refused(tiny_snapshot, tmp_path).what


def it_refuses_a_gigabyte_csv_before_reading_it(tiny_snapshot: Path, tmp_path: Path) -> None:
    with (tiny_snapshot / "huge.csv").open("wb") as handle:
        handle.truncate(1_100_000_000)  # sparse: instant, and no disk blocks are used
    _point_to(tiny_snapshot, "huge.csv")
    error = _refused(tiny_snapshot, tmp_path)
    assert "huge.csv" in error.where and "1049 MiB, over the 200 MiB limit" in error.what


@pytest.mark.parametrize(
    "observations",
    ["series,date,value\n", "date,si_fut_07,si_spot_553\n2025-05-27,,\n2025-05-26,,\n"],
)
def it_refuses_a_snapshot_whose_series_are_all_empty(
    tiny_snapshot: Path, tmp_path: Path, observations: str
) -> None:
    (tiny_snapshot / "observations.csv").write_text(observations, "utf-8")
    error = _refused(tiny_snapshot, tmp_path)
    assert error.where.endswith("catalog.csv")
    assert "none of the 3 series in the catalog has an observation" in error.what


def it_refuses_a_value_of_absurd_magnitude(tiny_snapshot: Path, tmp_path: Path) -> None:
    # A catalog row without min/max would otherwise let a pasted id reach the figures.
    with (tiny_snapshot / "catalog.csv").open("a", encoding="utf-8") as handle:
        handle.write("si_wafer_count,硅片产量,个,daily,SMM,si,,,\n")
    with (tiny_snapshot / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("si_wafer_count,2025-05-27,1e30\n")
    error = _refused(tiny_snapshot, tmp_path, ImplausibleValueError)
    assert "si_wafer_count" in error.what and "'1e30' on 2025-05-27" in error.what


@pytest.mark.parametrize(
    ("comment", "token", "position"),
    [
        ('"基差走扩#N/A，现货坚挺"', "#N/A", 5),  # pasted from an Excel cell
        ('"前值None"', "None", 3),
        ('"模板{{ f.x }}"', "{{", 3),
        ('"涨幅 nan%"', "nan", 4),
    ],
)
def it_refuses_analyst_text_the_compliance_check_would_refuse_on_the_page(
    tiny_snapshot: Path, tmp_path: Path, comment: str, token: str, position: int
) -> None:
    _basis_comment(tiny_snapshot, comment)
    error = _refused(tiny_snapshot, tmp_path)
    assert error.where.endswith("snapshot.toml")
    assert f"products.si.factors.基差.comment holds '{token}' at position {position}" in error.what
    result = CliRunner().invoke(main, ["validate", str(tiny_snapshot)])
    assert result.exit_code == 2 and "products.si.factors.基差.comment" in result.output


def it_refuses_a_leak_in_every_analyst_field_by_its_key_path(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    _edit(tiny_snapshot, 'bearish = ["需求偏弱"]', 'bearish = ["需求偏弱", "#DIV/0!"]')
    assert "products.si.bearish item 2 holds '#DIV/0!'" in _refused(tiny_snapshot, tmp_path).what
    _edit(tiny_snapshot, '"需求偏弱", "#DIV/0!"', '"需求偏弱"')
    _edit(tiny_snapshot, 'title = "每日观点"', 'title = "每日观点#VALUE!"')
    assert "report.title holds '#VALUE!'" in _refused(tiny_snapshot, tmp_path).what


def it_keeps_words_that_merely_contain_a_leak(tiny_snapshot: Path) -> None:
    _basis_comment(tiny_snapshot, '"Nonetheless, infrastructure 与 information 持平"')
    assert "Nonetheless" in load_snapshot(tiny_snapshot).judgements["si"].factor("基差").comment


@pytest.mark.parametrize("toml_string", [r'"基差走扩\r\n现货坚挺"', r'"基差走扩\r现货坚挺"'])
def it_turns_carriage_returns_into_plain_line_ends(tiny_snapshot: Path, toml_string: str) -> None:
    # a CR reached the deck as the literal _x000D_ (python-pptx escapes it) and the PDF as a space
    _basis_comment(tiny_snapshot, toml_string)
    _edit(tiny_snapshot, 'outlook = "震荡"', r'outlook = "震荡\r\n偏弱"')
    _edit(tiny_snapshot, 'bullish = ["成本支撑"]', r'bullish = ["成本\r支撑"]')
    _edit(tiny_snapshot, 'title = "每日观点"', r'title = "每日\r观点"')
    snapshot = load_snapshot(tiny_snapshot)
    judgement = snapshot.judgements["si"]
    assert snapshot.title == "每日\n观点"
    assert judgement.factor("基差").comment == "基差走扩\n现货坚挺"
    assert (judgement.outlook, judgement.bullish) == ("震荡\n偏弱", ("成本\n支撑",))


def it_says_the_brand_file_was_not_found_where_snapshot_toml_points(
    tiny_snapshot: Path, tmp_path: Path
) -> None:
    # a snapshot folder copied without ../brand/ beside it
    (tiny_snapshot / "brand.toml").unlink()
    _edit(tiny_snapshot, 'brand = "brand.toml"', 'brand = "../brand/brand.toml"')
    error = _refused(tiny_snapshot, tmp_path)
    assert error.where.endswith("snapshot.toml")
    missing = (tiny_snapshot / "../brand/brand.toml").resolve()
    assert f"the brand file named in report.brand was not found at {missing}" in error.what
    assert "copy the brand folder" in error.fix and "snapshot folder holding" not in error.fix
