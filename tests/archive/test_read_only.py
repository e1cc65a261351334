"""A read-only archive (a backup mount) reads without a write lock; a publish into it says it is
read-only; an --archive path through a file says so. One message each, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.archive.conftest import cli, copy_sample, no_traceback
from tests.conftest import REPO

READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'


def read_only_mount_works() -> bool:
    """A private mount namespace (unprivileged user namespaces, or root) to mount read-only in."""
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            [unshare, "-rm", "sh", "-c", READ_ONLY + ' && touch "$1"/x', "sh", folder],
            capture_output=True,
        )
        return probe.returncode != 0 and b"Read-only file system" in probe.stderr


needs_mount = pytest.mark.skipif(
    not read_only_mount_works(), reason="cannot mount a read-only folder here (unshare -rm)"
)


def on_read_only(
    archive: Path, pdf: Path, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`publisher ARGS` (the stand-in build patched in) with ARCHIVE bind-mounted read-only in a
    private mount namespace, as a backup mount is: even root gets EROFS there."""
    command = [sys.executable, "-m", "tests.archive.fakes", str(pdf), *map(str, args)]
    return subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            READ_ONLY + ' && shift && exec "$@"',
            "sh",
            archive,
            *command,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )


@needs_mount
def it_reads_a_read_only_archive(fast_archive: Path, sample_pdf: Path) -> None:
    for args in (
        ["archive", "verify", fast_archive],
        ["archive", "list", fast_archive],
        ["archive", "show", fast_archive, "silicon-daily", "2025-05-27", "--revision", "1"],
        ["archive", "rebuild", fast_archive, "silicon-daily", "2025-05-27"],
    ):
        done = on_read_only(fast_archive, sample_pdf, *args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    verified = on_read_only(fast_archive, sample_pdf, "archive", "verify", fast_archive)
    assert "ok: 2 revision(s)" in verified.stdout


@needs_mount
def it_reads_a_read_only_archive_that_has_never_had_a_lock(
    fast_archive: Path, sample_pdf: Path
) -> None:
    shutil.rmtree(fast_archive / ".locks")  # copied from a backup that left them out
    done = on_read_only(fast_archive, sample_pdf, "archive", "verify", fast_archive)
    assert done.returncode == 0, done.stderr
    assert "ok: 2 revision(s)" in done.stdout


@needs_mount
def it_notes_what_it_cannot_tidy_in_a_read_only_archive(
    fast_archive: Path, sample_pdf: Path
) -> None:
    dead = fast_archive / ".staging" / "0123456789abcdef"
    dead.mkdir(parents=True)
    (dead / ".owner").touch()
    done = on_read_only(fast_archive, sample_pdf, "archive", "verify", fast_archive)
    assert done.returncode == 0, done.stderr
    assert f"{dead}: left by a publish that did not finish" in done.stderr


@needs_mount
def it_says_a_publish_into_a_read_only_archive_is_refused(
    fast_archive: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    changed = copy_sample(tmp_path / "changed", outlook="改（只读）。")
    for args in (
        ["publish", changed, "--archive", fast_archive],
        ["archive", "site", fast_archive],
    ):
        done = on_read_only(fast_archive, sample_pdf, *args)
        assert done.returncode == 3, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        assert f"error: {fast_archive}: the archive is read-only" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 2  # the message and its fix


def it_says_an_archive_path_through_a_file_is_not_a_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not an archive", encoding="utf-8")
    for args in (
        ["publish", "--archive", a_file / "sub"],
        ["archive", "list", a_file / "sub"],
        ["archive", "verify", a_file],
    ):
        result = cli(*args)
        no_traceback(result)
        assert result.exit_code == 2, (args, result.output)
        assert f"error: {a_file}: is a file, not a folder" in result.output
        assert "fix: pass" in result.output
    assert a_file.read_text(encoding="utf-8") == "not an archive"


@needs_mount
def it_rebuilds_a_damaged_output_of_a_read_only_archive_without_writing(
    fast_archive: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    pdf = next(fast_archive.glob("reports/silicon-daily/2025-05-27/r1/*.pdf"))
    pdf.write_bytes(b"%PDF-1.7 damaged")
    out = tmp_path / "reissue"
    done = on_read_only(
        fast_archive,
        sample_pdf,
        "archive",
        "rebuild",
        fast_archive,
        "silicon-daily",
        "2025-05-27",
        "--revision",
        "1",
        "--out",
        out,
    )
    assert done.returncode == 1, done.stderr
    assert f"damaged   {pdf.name}" in done.stdout  # rebuilt as published, but not put back
    assert (out / pdf.name).read_bytes() == sample_pdf.read_bytes()
    assert pdf.read_bytes() == b"%PDF-1.7 damaged"
