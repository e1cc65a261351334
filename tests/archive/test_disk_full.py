"""A write the machine refuses (no space, no permission, an I/O error) at any point of a publish:
one message naming the archive folder, exit status 3, nothing half-written, the archive
verifies, and the same publish succeeds once the machine is put right."""

from __future__ import annotations

import builtins
import errno
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from publisher.archive.store import Archive
from tests.archive.conftest import cli, copy_sample, no_traceback
from tests.archive.test_read_only import read_only_mount_works
from tests.conftest import REPO

WRITES = ("w", "a", "x", "+")
REFUSALS = {
    errno.ENOSPC: "no space left",
    errno.EACCES: "no permission to write",
    errno.EIO: "an I/O error",
}


class FailingWrites:
    """open() for files in a folder, failing the n-th file opened for writing there: EACCES when
    it is opened (as a folder without rights does), ENOSPC and EIO on its first write (as a
    full or failing disk does). Counts the writes when n is None."""

    def __init__(self, folder: Path, number: int | None, code: int) -> None:
        self.folder, self.number, self.code = str(folder), number, code
        self.count = 0
        self.real = builtins.open

    def __call__(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not self._ours(file, mode):
            return self.real(file, mode, *args, **kwargs)
        self.count += 1
        if self.count != self.number:
            return self.real(file, mode, *args, **kwargs)
        if self.code == errno.EACCES:
            raise PermissionError(self.code, os.strerror(self.code), str(file))
        return _FailingFile(self.real(file, mode, *args, **kwargs), self.code)

    def _ours(self, file: Any, mode: str) -> bool:
        return (
            isinstance(file, str | os.PathLike)
            and os.path.abspath(file).startswith(self.folder + os.sep)
            and any(flag in mode for flag in WRITES)
        )


class _FailingFile:
    def __init__(self, handle: Any, code: int) -> None:
        self.handle, self.code = handle, code

    def write(self, data: bytes) -> int:
        raise OSError(self.code, os.strerror(self.code))  # as write(2) reports it: no file name

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def publish_with(
    monkeypatch: pytest.MonkeyPatch, archive: Path, snapshot: Path, faults: FailingWrites
) -> Any:
    with monkeypatch.context() as patched:
        patched.setattr(builtins, "open", faults)
        return cli("publish", snapshot, "--archive", archive)


def assert_refused(result: Any, archive: Path, code: int) -> None:
    no_traceback(result)
    assert result.exit_code == 3, result.output
    assert result.output.count("error: ") == 1, result.output
    assert f"error: {archive}: {REFUSALS[code]}" in result.output, result.output
    assert "--out" not in result.output
    if code == errno.ENOSPC:
        assert re.search(
            r"[\d.]+ [kMG]?B free now; a revision here takes about [\d.]+ [kMG]?B", (result.output)
        ), result.output


@pytest.mark.parametrize("code", list(REFUSALS), ids=[errno.errorcode[c] for c in REFUSALS])
def it_survives_every_write_of_a_publish_failing_in_turn(
    fast_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    changed = copy_sample(tmp_path / "changed", outlook="改（磁盘满）。")
    before = Archive.open(fast_archive).rows()
    counted = FailingWrites(fast_archive, None, code)
    scratch = Path(shutil.copytree(fast_archive, tmp_path / "count"))
    counted.folder = str(scratch)
    assert publish_with(monkeypatch, scratch, changed, counted).exit_code == 0
    # the inputs, the layout files, the output and the manifest, at least
    assert counted.count >= 11, counted.count
    for number in range(1, counted.count + 1):
        result = publish_with(
            monkeypatch, fast_archive, changed, FailingWrites(fast_archive, number, code)
        )
        assert_refused(result, fast_archive, code)
        assert Archive.open(fast_archive).rows() == before, number
        assert not list((fast_archive / ".staging").iterdir()), number
        assert not (fast_archive / "reports/silicon-daily/2025-05-27/r3").exists(), number
        verified = cli("archive", "verify", fast_archive)
        assert verified.exit_code == 0, (number, verified.output)
    done = cli("publish", changed, "--archive", fast_archive)
    assert done.exit_code == 0, done.output
    assert "published silicon-daily 2025-05-27 r3 (更正 of r2)" in done.output


class _FullDisk:
    """An SQLite connection whose INSERT fails as on a full disk, after SQLite has already rolled
    the transaction back itself (as it does for SQLITE_FULL)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT"):
            self._fail()
        return self.db.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT"):
            self._fail()
        return self.db.executemany(sql, *args)

    def _fail(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def it_names_a_full_disk_when_the_index_insert_fails(
    fast_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = copy_sample(tmp_path / "changed", outlook="改（索引写满）。")
    before = Archive.open(fast_archive).rows()
    connect: Callable[..., sqlite3.Connection] = sqlite3.connect
    with monkeypatch.context() as patched:
        patched.setattr(sqlite3, "connect", lambda *a, **k: _FullDisk(connect(*a, **k)))
        result = cli("publish", changed, "--archive", fast_archive)
    no_traceback(result)
    assert result.exit_code == 3, result.output
    assert "cannot rollback" not in result.output
    assert f"error: {fast_archive}: no space left" in result.output
    assert Archive.open(fast_archive).rows() == before
    assert not (fast_archive / "reports/silicon-daily/2025-05-27/r3").exists()  # taken back
    assert cli("archive", "verify", fast_archive).exit_code == 0
    assert cli("publish", changed, "--archive", fast_archive).exit_code == 0


@pytest.mark.skipif(not read_only_mount_works(), reason="cannot mount a tmpfs here (unshare -rm)")
def it_fills_a_real_disk_and_recovers(tmp_path: Path, sample_pdf: Path) -> None:
    # a 1 MB tmpfs holds the inputs (~0.4 MB) but not the PDF as well (~0.6 MB)
    disk = tmp_path / "disk"
    disk.mkdir()
    sample = copy_sample(tmp_path / "snapshots")
    fake = f"{sys.executable} -m tests.archive.fakes {sample_pdf}"
    script = f"""
        mount -t tmpfs -o size=1m tmpfs {disk}
        {fake} publish {sample} --archive {disk}/archive; echo "exit $?"
        ls -A {disk}/archive/.staging; echo "staged"
        mount -o remount,size=64m {disk}
        {fake} archive verify {disk}/archive; echo "exit $?"
        {fake} publish {sample} --archive {disk}/archive; echo "exit $?"
        {fake} archive verify {disk}/archive; echo "exit $?"
    """
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], cwd=REPO, capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr, done.stderr
    exits = re.findall(r"^exit (\d+)$", done.stdout, re.MULTILINE)
    assert exits == ["3", "0", "0", "0"], (done.stdout, done.stderr)
    assert f"error: {disk}/archive: no space left" in done.stderr
    assert re.search(
        r"free now and this revision needs more: it had written [\d.]+ [kM]B", (done.stderr)
    )
    assert done.stdout.split("staged")[0].split("exit 3")[1].strip() == ""  # nothing left
    assert "published silicon-daily 2025-05-27 r1" in done.stdout
