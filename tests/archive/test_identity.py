"""Identity is what the report is made of — the loaded observations, catalog, views, brand and
the layout files — not the bytes of the files that carried it: a re-save is no correction."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd

from publisher.archive.store import Archive
from publisher.assets import LAYOUTS_DIR
from tests.archive.conftest import CORRECTED_OUTLOOK, cli, copy_sample, sql

R1 = Path("reports/silicon-daily/2025-05-27/r1")
R2 = R1.parent / "r2"  # the latest revision: what a publish is compared with
TEXT = ("snapshot.toml", "catalog.csv", "observations.csv")


def with_crlf(folder: Path) -> Path:
    for name in TEXT:
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    brand = folder.parent / "brand" / "brand.toml"
    brand.write_bytes(brand.read_bytes().replace(b"\n", b"\r\n"))
    return folder


def as_workbook(folder: Path) -> Path:
    """The observations saved from Excel: the same wide sheet, numbers as numbers."""
    wide = pd.read_csv(folder / "observations.csv")
    wide.to_excel(folder / "observations.xlsx", index=False)
    (folder / "observations.csv").unlink()
    manifest = folder / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("observations.csv", "observations.xlsx"), encoding="utf-8")
    return folder


def latest(into: Path) -> Path:
    """A copy of the snapshot of the fast archive's latest revision (r2)."""
    return copy_sample(into, outlook=CORRECTED_OUTLOOK)


def it_takes_a_snapshot_resaved_with_crlf_for_the_same(fast_archive: Path, tmp_path: Path) -> None:
    result = cli("publish", with_crlf(latest(tmp_path / "crlf")), "--archive", fast_archive)
    assert result.exit_code == 0, result.output
    assert "unchanged: silicon-daily 2025-05-27 r2 already holds this snapshot" in result.output
    assert len(Archive.open(fast_archive).rows()) == 2


def it_takes_the_observations_saved_as_a_workbook_for_the_same(
    fast_archive: Path, tmp_path: Path
) -> None:
    result = cli("publish", as_workbook(latest(tmp_path / "xlsx")), "--archive", fast_archive)
    assert result.exit_code == 0, result.output
    assert "unchanged: silicon-daily 2025-05-27 r2" in result.output


def it_still_takes_a_real_change_for_a_correction(fast_archive: Path, tmp_path: Path) -> None:
    folder = with_crlf(copy_sample(tmp_path / "changed"))
    observations = folder / "observations.csv"
    data = observations.read_bytes()
    assert b",7415," in data
    observations.write_bytes(data.replace(b",7415,", b",7416,", 1))
    result = cli("publish", folder, "--archive", fast_archive)
    assert result.exit_code == 0, result.output
    assert "published silicon-daily 2025-05-27 r3 (更正 of r2)" in result.output


def it_counts_the_layout_files_the_revision_stores(
    fast_archive: Path, tmp_path: Path, fast_build: object
) -> None:
    from publisher.archive.publish import publish

    layouts = Path(shutil.copytree(LAYOUTS_DIR, tmp_path / "layouts"))
    snapshot = latest(tmp_path / "latest")
    assert not publish(snapshot, fast_archive, layouts=layouts).created  # the same files
    view = layouts / "templates" / "si_view.j2"
    view.write_text(view.read_text(encoding="utf-8") + "\n{# 改 #}\n", encoding="utf-8")
    done = publish(snapshot, fast_archive, layouts=layouts)
    assert done.created and done.row.revision == 3


def make_format_two(archive: Path, revision: Path) -> None:
    """Turn a revision into one published before identities were canonical: format 2, its
    identity the hash of its input files' bytes; the index as that publisher wrote it."""
    path = archive / revision / "manifest.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    lines = sorted(f"{e['role']} {e['sha256']}\n" for e in doc["inputs"] if e["role"] != "layout")
    old = hashlib.sha256("".join(lines).encode()).hexdigest()
    doc["format"], doc["identity"] = 2, old
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    path.write_bytes(data)
    sql(
        archive,
        "UPDATE revisions SET identity = ?, manifest_sha256 = ? WHERE folder = ?",
        old,
        hashlib.sha256(data).hexdigest(),
        revision.as_posix(),
    )


def it_compares_an_old_revision_by_the_content_of_its_stored_snapshot(
    fast_archive: Path, tmp_path: Path
) -> None:
    make_format_two(fast_archive, R2)
    assert cli("archive", "verify", fast_archive).exit_code == 0  # old revisions keep theirs
    same = cli("publish", latest(tmp_path / "same"), "--archive", fast_archive)
    assert "unchanged: silicon-daily 2025-05-27 r2" in same.output, same.output
    resaved = cli("publish", with_crlf(latest(tmp_path / "crlf")), "--archive", fast_archive)
    assert resaved.exit_code == 0, resaved.output
    assert "unchanged: silicon-daily 2025-05-27 r2" in resaved.output
    assert len(Archive.open(fast_archive).rows()) == 2


def it_reads_an_index_written_before_files_identity_and_brings_it_up_to_date(
    fast_archive: Path, tmp_path: Path
) -> None:
    for revision in ("r1", "r2"):
        make_format_two(fast_archive, R1.parent / revision)
    sql(fast_archive, "ALTER TABLE revisions DROP COLUMN files_identity")  # as it was written
    listed = cli("archive", "list", fast_archive)
    assert listed.exit_code == 0, listed.output
    assert cli("archive", "verify", fast_archive).exit_code == 0
    assert (
        "unchanged: silicon-daily 2025-05-27 r2"
        in cli("publish", latest(tmp_path / "same"), "--archive", fast_archive).output
    )
    changed = copy_sample(tmp_path / "changed", outlook="改（旧索引）。")
    published = cli("publish", changed, "--archive", fast_archive)
    assert "published silicon-daily 2025-05-27 r3 (更正 of r2)" in published.output, (
        published.output
    )
    assert cli("archive", "verify", fast_archive).exit_code == 0
    db = sqlite3.connect(fast_archive / "index.sqlite")
    try:
        assert "files_identity" in {r[1] for r in db.execute("PRAGMA table_info(revisions)")}
    finally:
        db.close()
