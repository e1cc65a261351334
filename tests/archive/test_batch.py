"""Batch: every snapshot under a folder the archive lacks, in parallel; failures stay alone."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from publisher.archive.index import Index
from publisher.archive.store import INDEX_NAME, Archive
from publisher.batch import plan
from tests.archive.conftest import cli, run_fake


def spoil(folder: Path) -> Path:
    """Make one snapshot unusable: a value that is not a number."""
    observations = folder / "observations.csv"
    lines = observations.read_bytes().splitlines(keepends=True)
    fields = lines[-1].split(b",")
    fields[next(i for i, value in enumerate(fields) if i and value.strip())] = b"abc"
    lines[-1] = b",".join(fields)
    observations.write_bytes(b"".join(lines))
    return folder


def it_publishes_a_backfill_and_reports_the_one_bad_snapshot(
    backfill: ModuleType, tmp_path: Path
) -> None:
    root, archive = tmp_path / "snapshots", tmp_path / "archive"
    folders = backfill.backfill(root, days=2)  # real builds: one good, one bad
    bad = spoil(folders[0])
    result = cli("batch", root, "--archive", archive, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert f"FAILED {bad}: {bad / 'observations.csv'}" in result.output
    assert "batch: 1 published (0 更正), 0 already archived, 1 failed of 2" in result.output
    assert [str(r.as_of) for r in Archive.open(archive).rows()] == ["2025-05-27"]
    assert cli("archive", "verify", archive).exit_code == 0


def it_fails_only_the_corrupt_snapshot_among_twenty(
    backfill: ModuleType, tmp_path: Path, fast_build: object
) -> None:
    root, archive = tmp_path / "snapshots", tmp_path / "archive"
    folders = backfill.backfill(root, days=20)
    (folders[9] / "snapshot.toml").write_text("[report\n", encoding="utf-8")
    result = cli("batch", root, "--archive", archive, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert result.output.count("FAILED") == 1
    assert f"FAILED {folders[9]}: {folders[9] / 'snapshot.toml'}: not valid TOML" in result.output
    assert "19 published" in result.output
    assert "[20/20]" in result.output  # plain lines, one a snapshot, when not on a terminal
    assert len(Archive.open(archive).rows()) == 19


def it_gives_no_duplicates_when_two_batches_run_at_once(
    backfill: ModuleType, tmp_path: Path, sample_pdf: Path
) -> None:
    root, archive = tmp_path / "snapshots", tmp_path / "archive"
    backfill.backfill(root, days=4)
    runs = [run_fake(sample_pdf, "batch", root, "--archive", archive, "-j", "2") for _ in "ab"]
    streams = [run.communicate() for run in runs]
    outputs = [out for out, _ in streams]
    assert [run.returncode for run in runs] == [0, 0], streams
    rows = Archive.open(archive).rows()
    assert len(rows) == 4 and {r.revision for r in rows} == {1}
    assert sum(int(o.split("batch: ")[-1].split(" published")[0]) for o in outputs) == 4
    assert cli("archive", "verify", archive).exit_code == 0


def it_makes_a_new_index_whole_before_another_process_can_see_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two batches starting on an empty archive: the second one found the first's index file
    # already there (SQLite makes it on connect) but without its table yet.
    target = tmp_path / "archive" / INDEX_NAME
    seen_at_creation = []
    create = Index.create

    def spy(index: Index) -> None:
        seen_at_creation.append(target.exists())
        create(index)

    monkeypatch.setattr(Index, "create", spy)
    Archive.open(target.parent, create=True)
    Archive.open(target.parent, create=True)
    assert seen_at_creation == [False]
    assert Archive.open(target.parent).rows() == []


def it_plans_only_what_the_archive_lacks(
    backfill: ModuleType, tmp_path: Path, fast_build: object
) -> None:
    root = tmp_path / "snapshots"
    archive = root / "archive"  # inside ROOT: its stored snapshot copies are not new work
    backfill.backfill(root, days=3, end=backfill.END.replace(day=23))
    first = cli("batch", root, "--archive", archive)
    assert first.exit_code == 0, first.output
    assert plan(root, archive).pending == ()
    new_day = backfill.backfill(root, days=1)[0]
    corrected = root / "silicon-2025-05-21" / "snapshot.toml"
    text = corrected.read_text(encoding="utf-8")
    corrected.write_text(text.replace('outlook = "', 'outlook = "更正：', 1), encoding="utf-8")
    resaved = root / "silicon-2025-05-22" / "snapshot.toml"  # the same content, saved anew
    resaved.write_text(resaved.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert plan(root, archive).pending == (corrected.parent, resaved.parent, new_day)
    result = cli("batch", root, "--archive", archive)
    assert "2 published (1 更正), 2 already archived, 0 failed of 4" in result.output
    assert "unchanged: silicon-daily 2025-05-22 r1" in result.output


def it_passes_over_a_stage_its_owner_removes_while_a_sweep_looks_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two batches at once: one listed the other's staging folder, which its owner removed
    # (without the archive lock) before the sweep opened the owner file inside it.
    import os

    archive = Archive.open(tmp_path / "archive", create=True)
    (archive.staging_dir / "a1b2" / ".owner").parent.mkdir(parents=True)
    (archive.staging_dir / "a1b2" / ".owner").touch()
    real_open = os.open

    def vanished(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".owner"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", vanished)
    assert archive.leftovers() == [archive.staging_dir / "a1b2"]  # nothing raised
    monkeypatch.undo()
    archive.sweep()
    assert list(archive.staging_dir.iterdir()) == []
