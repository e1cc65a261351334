"""A publish killed at any point leaves a consistent archive: before it, or (once the revision
folder is renamed into place, the commit) after it — never half of it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from publisher.archive.publish import publish
from publisher.archive.store import PAUSE_ENV, Archive
from tests.archive.conftest import cli, copy_sample, run_cli, run_fake

R3 = Path("reports/silicon-daily/2025-05-27/r3")


def kill_when_paused(process: subprocess.Popen[str]) -> None:
    """SIGKILL the publish once it reports reaching its pause point."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("publisher: paused at"):
            process.kill()
            process.wait()
            return
    raise AssertionError(f"the publish ended without pausing (exit {process.wait()})")


def killed_after_the_rename(sample_pdf: Path, changed: Path, archive: Path) -> None:
    """Publish `changed` with the stand-in build and SIGKILL it once its revision folder is
    renamed into place, before it is indexed."""
    paused = os.environ | {PAUSE_ENV: "renamed"}
    kill_when_paused(run_fake(sample_pdf, "publish", changed, "--archive", archive, env=paused))


def it_leaves_the_archive_as_it_was_when_killed_before_the_rename(
    archive_copy: Path, tmp_path: Path, sample_pdf: Path
) -> None:
    changed = copy_sample(tmp_path / "changed", outlook="改（未完成的发布）。")
    before = Archive.open(archive_copy).rows()
    # A real build, killed after staging and checking its outputs, before the rename.
    publishing = run_cli(
        "publish", changed, "--archive", archive_copy, env=os.environ | {PAUSE_ENV: "staged"}
    )
    kill_when_paused(publishing)
    verified = cli("archive", "verify", archive_copy)
    assert verified.exit_code == 0, verified.output
    assert "left by a publish that did not finish" in verified.output
    assert Archive.open(archive_copy).rows() == before
    assert not (archive_copy / R3).exists()
    # The next publish clears the leftover, and this snapshot becomes r3 after all.
    again = run_fake(sample_pdf, "publish", changed, "--archive", archive_copy)
    assert again.wait() == 0, again.communicate()
    assert not list((archive_copy / ".staging").iterdir())
    assert [r.revision for r in Archive.open(archive_copy).rows()] == [3, 2, 1]


def it_adopts_a_revision_renamed_into_place_before_the_kill(
    archive_copy: Path, tmp_path: Path, sample_pdf: Path
) -> None:
    changed = copy_sample(tmp_path / "changed", outlook="改（已提交未索引）。")
    killed_after_the_rename(sample_pdf, changed, archive_copy)
    assert (archive_copy / R3 / "manifest.json").is_file()  # renamed, not yet indexed
    verified = cli("archive", "verify", archive_copy)
    assert verified.exit_code == 0, verified.output
    assert f"adopted {R3.as_posix()}: its publish was interrupted" in verified.output
    assert "ok: 3 revision(s)" in verified.output
    assert not publish(changed, archive_copy).created  # archived once, not twice


def it_never_reuses_the_number_of_a_damaged_unindexed_folder(
    archive_copy: Path, tmp_path: Path, fast_build: object
) -> None:
    (archive_copy / R3).mkdir()
    (archive_copy / R3 / "manifest.json").write_text("{", encoding="utf-8")
    done = publish(copy_sample(tmp_path / "c", outlook="改。"), archive_copy)
    assert done.row.revision == 4
    verified = cli("archive", "verify", archive_copy)
    assert verified.exit_code == 1
    assert f"{archive_copy / R3}: not in the index" in verified.output


def it_sweeps_the_dead_stage_when_the_republish_finds_nothing_to_do(
    archive_copy: Path, tmp_path: Path, sample_pdf: Path
) -> None:
    changed = copy_sample(tmp_path / "changed", outlook="改（重发无变化）。")
    killed_after_the_rename(sample_pdf, changed, archive_copy)
    assert list((archive_copy / ".staging").iterdir())  # the killed publish's stage
    again = run_fake(sample_pdf, "publish", changed, "--archive", archive_copy)
    out, err = again.communicate()
    assert again.returncode == 0, err
    assert "unchanged: silicon-daily 2025-05-27 r3" in out
    assert not list((archive_copy / ".staging").iterdir())
