"""A correction says what it corrects: r2's cover, first slide and manifest carry the figures
it prints differently (old → new, in the tables' strings); publishing r1's content again after
r2 is r3, a correction back; a rebuild prints the same note, byte for byte."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from publisher.archive.manifest import read_manifest
from publisher.archive.store import Archive
from tests.archive.conftest import CORRECTED_OUTLOOK, cli, copy_sample
from tests.conftest import SAMPLE

DAY = Path("reports/silicon-daily/2025-05-27")
FIGURE = "周度社会库存58.2→58.5万吨"  # as read back, spaces taken out


def compact(text: str) -> str:
    return "".join(text.split())


def pdf_pages(folder: Path) -> list[str]:
    return [compact(page.extract_text()) for page in PdfReader(next(folder.glob("*.pdf"))).pages]


def first_slide(folder: Path) -> str:
    slide = Presentation(str(next(folder.glob("*.pptx")))).slides[0]
    return compact(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame))


@pytest.fixture(scope="module")
def corrected_back(corrected_value: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's r1 (the sample) and r2 (周度社会库存 corrected), then the sample again."""
    root = Path(shutil.copytree(corrected_value, tmp_path_factory.mktemp("back") / "archive"))
    result = cli("publish", SAMPLE, "--archive", root)
    assert result.exit_code == 0, result.output
    return root


def it_prints_the_corrected_figure_on_the_cover(corrected_value: Path) -> None:
    pages = pdf_pages(corrected_value / DAY / "r2")
    assert "更正" in pages[0] and FIGURE in pages[0], pages[0]
    assert "更正第1版" in pages[0]
    assert not any("更正" in page for page in pdf_pages(corrected_value / DAY / "r1"))
    pdf = PdfReader(next((corrected_value / DAY / "r2").glob("*.pdf")))
    assert pdf.metadata is not None and "更正第1版" in str(pdf.metadata.subject)


def it_prints_the_corrected_figure_on_the_first_slide(corrected_value: Path) -> None:
    slide = first_slide(corrected_value / DAY / "r2")
    assert "更正" in slide and FIGURE in slide, slide
    assert "更正" not in first_slide(corrected_value / DAY / "r1")
    deck = Presentation(str(next((corrected_value / DAY / "r2").glob("*.pptx"))))
    assert "更正第1版" in deck.core_properties.subject


def it_records_the_note_in_the_manifest(corrected_value: Path) -> None:
    manifest, _ = read_manifest(corrected_value / DAY / "r2")
    note = manifest.correction
    assert note is not None and (note.revision, note.corrects) == (2, 1)
    assert [(f.name, f.old, f.new, f.unit) for f in note.figures] == [
        ("周度社会库存", "58.2", "58.5", "万吨")
    ]
    assert (note.removed, note.added) == ((), ())
    assert read_manifest(corrected_value / DAY / "r1")[0].correction is None
    shown = cli("archive", "show", corrected_value, "silicon-daily", "2025-05-27", "--json")
    assert json.loads(shown.output)["correction"]["figures"][0]["new"] == "58.5", shown.output


def it_rebuilds_the_correction_byte_for_byte(corrected_value: Path, tmp_path: Path) -> None:
    result = cli(
        "archive", "rebuild", corrected_value, "silicon-daily", "2025-05-27", "--revision", "2"
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("identical") == 2, result.output


def it_makes_a_correction_back_the_next_revision(corrected_back: Path) -> None:
    rows = Archive.open(corrected_back).rows()
    assert [r.revision for r in rows] == [3, 2, 1]
    assert rows[0].identity == rows[2].identity  # r3 holds r1's snapshot again
    manifest, _ = read_manifest(corrected_back / DAY / "r3")
    assert manifest.correction is not None and manifest.correction.corrects == 2
    assert [(f.old, f.new) for f in manifest.correction.figures] == [("58.5", "58.2")]
    assert "周度社会库存58.5→58.2万吨" in pdf_pages(corrected_back / DAY / "r3")[0]
    verified = cli("archive", "verify", corrected_back)
    assert verified.exit_code == 0, verified.output


def it_compares_a_publish_with_the_latest_revision_only(corrected_back: Path) -> None:
    again = cli("publish", SAMPLE, "--archive", corrected_back)
    assert "unchanged: silicon-daily 2025-05-27 r3 already holds this snapshot" in again.output


def it_searches_and_lists_a_correction_back_after_a_reindex(corrected_back: Path) -> None:
    for _ in range(2):  # as published, then rebuilt from the folders
        series = cli("archive", "series", corrected_back, "si_inv_social", "--json")
        found = [json.loads(line) for line in series.output.splitlines()]
        assert [(f["revision"], f["value"]) for f in found] == [
            (1, "58.2"),
            (2, "58.5"),
            (3, "58.2"),
        ], series.output
        search = cli("archive", "search", corrected_back, "社会库存", "--json")
        revisions = [json.loads(line)["revision"] for line in search.output.splitlines()]
        assert sorted(revisions) == [1, 2, 3], search.output
        reindexed = cli("archive", "reindex", corrected_back)
        assert reindexed.exit_code == 0, reindexed.output


def _unique_schema(root: Path) -> None:
    """The index as publishers wrote it before corrections back: identity UNIQUE."""
    db = sqlite3.connect(root / "index.sqlite", isolation_level=None)
    try:
        columns = [r[1] for r in db.execute("PRAGMA table_info(revisions)")]
        schema = db.execute("SELECT sql FROM sqlite_master WHERE name = 'revisions'").fetchone()
        old = schema[0].replace(
            "identity        TEXT    NOT NULL,", "identity TEXT NOT NULL UNIQUE,"
        )
        assert "UNIQUE" in old
        db.execute("BEGIN")
        db.execute("ALTER TABLE revisions RENAME TO current")
        db.execute(old)
        db.execute(f"INSERT INTO revisions SELECT {', '.join(columns)} FROM current")
        db.execute("DROP TABLE current")
        db.execute("COMMIT")
    finally:
        db.close()


def it_brings_an_index_with_unique_identities_up_to_date(fast_archive: Path) -> None:
    _unique_schema(fast_archive)
    assert cli("archive", "verify", fast_archive).exit_code == 0
    back = cli("publish", SAMPLE, "--archive", fast_archive)
    assert "published silicon-daily 2025-05-27 r3 (更正 of r2)" in back.output, back.output
    forth = copy_sample(fast_archive.parent / "forth", CORRECTED_OUTLOOK)
    again = cli("publish", forth, "--archive", fast_archive)
    assert "published silicon-daily 2025-05-27 r4 (更正 of r3)" in again.output, again.output
    verified = cli("archive", "verify", fast_archive)
    assert verified.exit_code == 0, verified.output
    db = sqlite3.connect(fast_archive / "index.sqlite")
    try:
        (schema,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'revisions'").fetchone()
    finally:
        db.close()
    assert "UNIQUE" not in schema


def it_names_the_analysts_changed_sentence(archived: Path) -> None:
    note = read_manifest(archived / DAY / "r2")[0].correction
    assert note is not None and note.figures == ()
    assert note.added == (CORRECTED_OUTLOOK,) and len(note.removed) == 1
    assert f"观点：改写1句，如“{CORRECTED_OUTLOOK}”" in pdf_pages(archived / DAY / "r2")[0]
