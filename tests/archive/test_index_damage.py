"""A damaged or lost index.sqlite: one message naming it, never an SQLite traceback, and
`archive reindex` rebuilds it from the revision folders, which are the truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from publisher.archive.store import Archive
from tests.archive.conftest import cli, copy_sample, no_traceback

DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: b"this is no database\n" * 200,
    "header only": lambda data: data[:100],
}


@pytest.mark.parametrize("damage", DAMAGE)
def it_answers_every_command_on_a_damaged_index_with_one_message(
    fast_archive: Path, tmp_path: Path, damage: str
) -> None:
    index = fast_archive / "index.sqlite"
    index.write_bytes(DAMAGE[damage](index.read_bytes()))
    changed = copy_sample(tmp_path / "changed", outlook="改（索引已坏）。")
    for args in (
        ["archive", "list", fast_archive],
        ["archive", "show", fast_archive, "silicon-daily"],
        ["archive", "rebuild", fast_archive, "silicon-daily", "2025-05-27"],
        ["archive", "site", fast_archive],
        ["publish", changed, "--archive", fast_archive],
        ["batch", changed.parent, "--archive", fast_archive],
    ):
        result = cli(*args)
        no_traceback(result)
        assert result.exit_code == 1, (args, result.output)
        assert f"error: {index}: damaged" in result.output, result.output
        assert "fix: publisher archive reindex" in result.output
    verified = cli("archive", "verify", fast_archive)
    no_traceback(verified)
    assert verified.exit_code == 1
    assert f"{index}: damaged" in verified.output
    assert not (fast_archive / "reports/silicon-daily/2025-05-27/r3").exists()


def it_rebuilds_the_index_from_the_revision_folders(fast_archive: Path) -> None:
    before = Archive.open(fast_archive).rows()
    index = fast_archive / "index.sqlite"
    index.write_bytes(b"garbage" * 50)
    result = cli("archive", "reindex", fast_archive)
    assert result.exit_code == 0, result.output
    assert "reindexed 2 revision(s)" in result.output
    assert f"the damaged index is kept as {index}.damaged" in result.output
    assert (fast_archive / "index.sqlite.damaged").read_bytes() == b"garbage" * 50
    assert Archive.open(fast_archive).rows() == before
    assert cli("archive", "verify", fast_archive).exit_code == 0


def it_leaves_out_a_revision_folder_that_does_not_verify(fast_archive: Path) -> None:
    pdf = next((fast_archive / "reports/silicon-daily/2025-05-27/r2").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%")
    (fast_archive / "index.sqlite").unlink()
    result = cli("archive", "reindex", fast_archive)
    assert result.exit_code == 1, result.output
    assert "reindexed 1 revision(s)" in result.output
    assert f"left out {pdf.parent}: {pdf}: tampered" in result.output
    assert [r.revision for r in Archive.open(fast_archive).rows()] == [1]


def it_says_the_index_is_missing_and_a_publish_says_it_rebuilt_it(
    fast_archive: Path, tmp_path: Path, fast_build: object
) -> None:
    index = fast_archive / "index.sqlite"
    index.unlink()
    listed = cli("archive", "list", fast_archive)
    assert listed.exit_code == 1, listed.output
    assert f"error: {index}: missing" in listed.output
    assert "fix: publisher archive reindex" in listed.output
    changed = copy_sample(tmp_path / "changed", outlook="改（索引已删）。")
    published = cli("publish", changed, "--archive", fast_archive)
    assert published.exit_code == 0, published.output
    assert f"warning: {index} was missing: made it again from 2 revision folder(s)" in (
        published.output
    )
    assert "published silicon-daily 2025-05-27 r3 (更正 of r2)" in published.output
    assert [r.revision for r in Archive.open(fast_archive).rows()] == [3, 2, 1]
