"""Verify and rebuild: every stored hash recomputed; a revision rebuilt byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from publisher.archive.store import Archive
from tests.archive.conftest import cli

R1 = Path("reports/silicon-daily/2025-05-27/r1")
PDF = R1 / "silicon-daily-2025-05-27.pdf"


def it_finds_a_fresh_archive_clean(archived: Path) -> None:
    result = cli("archive", "verify", archived)
    assert result.exit_code == 0, result.output
    assert (
        "ok: 2 revision(s), 24 files verified" in result.output
    )  # 5 in, 4 layout, 2 out, manifest


def it_names_a_pdf_with_one_byte_changed(archive_copy: Path) -> None:
    pdf = archive_copy / PDF
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    result = cli("archive", "verify", archive_copy)
    assert result.exit_code == 1
    assert f"{pdf}: tampered" in result.output
    assert "FAILED: 1 problem(s)" in result.output


def it_names_missing_and_unexpected_files(archive_copy: Path) -> None:
    observations = archive_copy / R1 / "snapshot/silicon-2025-05-27/observations.csv"
    observations.unlink()
    (archive_copy / R1 / "extra.pdf").write_bytes(b"%PDF-")
    result = cli("archive", "verify", archive_copy)
    assert result.exit_code == 1
    assert f"{observations}: missing" in result.output
    assert f"{archive_copy / R1 / 'extra.pdf'}: unexpected file" in result.output


def it_catches_a_manifest_edited_to_match_a_changed_file(archive_copy: Path) -> None:
    pdf, manifest = archive_copy / PDF, archive_copy / R1 / "manifest.json"
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["outputs"][0]["sha256"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("archive", "verify", archive_copy)
    assert result.exit_code == 1
    assert f"{manifest}: tampered: not the manifest indexed" in result.output


def it_names_a_revision_folder_that_is_gone(archive_copy: Path) -> None:
    shutil.rmtree(archive_copy / R1)
    result = cli("archive", "verify", archive_copy)
    assert result.exit_code == 1
    assert f"{archive_copy / R1}: missing" in result.output


def it_rebuilds_a_revision_byte_identical(archived: Path, tmp_path: Path) -> None:
    result = cli(
        "archive",
        "rebuild",
        archived,
        "silicon-daily",
        "2025-05-27",
        "--revision",
        "1",
        "--out",
        tmp_path / "again",
    )
    assert result.exit_code == 0, result.output
    verdicts = " ".join(result.output.split())
    assert "identical silicon-daily-2025-05-27.pdf" in verdicts
    assert "identical silicon-daily-2025-05-27.pptx" in verdicts
    rebuilt = tmp_path / "again" / "silicon-daily-2025-05-27.pdf"
    assert rebuilt.read_bytes() == (archived / PDF).read_bytes()


def it_will_not_rebuild_from_a_damaged_snapshot(archive_copy: Path) -> None:
    stored = archive_copy / R1 / "snapshot/silicon-2025-05-27/catalog.csv"
    stored.write_bytes(stored.read_bytes().replace(b"WIND", b"Wind", 1))
    result = cli(
        "archive", "rebuild", archive_copy, "silicon-daily", "2025-05-27", "--revision", "1"
    )
    assert result.exit_code == 1
    assert f"{stored}: tampered" in result.output


def it_lists_with_filters_and_shows_a_manifest(archived: Path) -> None:
    listed = cli("archive", "list", archived, "--report", "silicon-daily", "--since", "2025-05-27")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[:2] == [
        "silicon-daily  2025-05-27  r2 更正  analyst-a  silicon-daily-2025-05-27.pdf "
        "silicon-daily-2025-05-27.pptx",
        "silicon-daily  2025-05-27  r1  analyst-a  silicon-daily-2025-05-27.pdf "
        "silicon-daily-2025-05-27.pptx",
    ]
    for flags in (["--until", "2025-05-26"], ["--analyst", "analyst-b"], ["--report", "x"]):
        assert "0 revisions" in cli("archive", "list", archived, *flags).output
    shown = cli("archive", "show", archived, "silicon-daily", "2025-05-27", "--revision", "1")
    assert shown.exit_code == 0, shown.output
    assert "revisions  r1, r2" in shown.output and "analyst    示例分析师" in shown.output
    raw = cli("archive", "show", archived, "silicon-daily", "--json")
    assert json.loads(raw.output)["revision"] == 2


def it_says_what_the_archive_lacks(archived: Path, tmp_path: Path) -> None:
    missing = cli("archive", "show", archived, "silicon-daily", "2024-01-02")
    assert missing.exit_code == 2 and "holds no silicon-daily 2024-01-02" in missing.output
    not_one = cli("archive", "list", tmp_path)
    assert not_one.exit_code == 2 and "is not a report archive" in not_one.output
    assert Archive.open(archived).rows()  # the session archive is untouched by all this
