"""Rebuild: a damaged output is made again from the stored inputs; a rebuild never compares
against a folder the index points to wrongly."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from publisher.archive.publish import publish
from tests.archive.conftest import cli, no_traceback, sql

R1 = Path("reports/silicon-daily/2025-05-27/r1")


def it_restores_a_damaged_output_from_the_stored_snapshot(fast_archive: Path) -> None:
    pdf = next((fast_archive / R1).glob("*.pdf"))
    original = pdf.read_bytes()
    pdf.write_bytes(original[:1000])  # truncated, as a bad copy leaves it
    result = cli(
        "archive", "rebuild", fast_archive, "silicon-daily", "2025-05-27", "--revision", "1"
    )
    assert result.exit_code == 0, result.output
    assert f"restored  {pdf.name}" in result.output
    assert pdf.read_bytes() == original
    assert cli("archive", "verify", fast_archive).exit_code == 0


def it_restores_a_missing_output(fast_archive: Path) -> None:
    pdf = next((fast_archive / R1).glob("*.pdf"))
    original = pdf.read_bytes()
    pdf.unlink()
    result = cli(
        "archive", "rebuild", fast_archive, "silicon-daily", "2025-05-27", "--revision", "1"
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes() == original


def it_refuses_a_row_pointing_at_another_dates_folder(
    backfill: ModuleType, tmp_path: Path, fast_build: object
) -> None:
    archive = tmp_path / "archive"
    for folder in backfill.backfill(tmp_path / "days", days=2):
        publish(folder, archive)
    sql(
        archive,
        "UPDATE revisions SET folder = 'reports/silicon-daily/2025-05-26/r1' "
        "WHERE as_of = '2025-05-27'",
    )
    result = cli("archive", "rebuild", archive, "silicon-daily", "2025-05-27")
    no_traceback(result)
    assert result.exit_code == 1, result.output
    assert "identical" not in result.output
    assert "folder" in result.output and "publisher archive reindex" in result.output
