"""Archive: the folder layout, staging, the locked commit of a revision, and reconciliation.

    DIR/index.sqlite                          the index (publisher/archive/index.py)
    DIR/reports/<report>/<as_of>/r<n>/        one revision: manifest.json, outputs, snapshot/
    DIR/.staging/<random>/                    a publish in progress (removed when it ends)
    DIR/.locks/                               archive.lock and the per-snapshot claim locks

A revision is built and checked in .staging, then, holding the archive lock, renamed into
place and indexed. The rename is the commit: a folder at a revision path is whole (renames are
atomic), so one left unindexed by a crash between rename and index is adopted, under the lock,
by the next command that opens the archive. Nothing is ever overwritten: a revision number is
past every folder on disk as well as every row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from publisher.archive.errors import NotArchivedError
from publisher.archive.index import Index, Row, flocked
from publisher.archive.inputs import identity, write_durably
from publisher.archive.manifest import MANIFEST_NAME, Manifest, read_manifest

INDEX_NAME = "index.sqlite"
REPORTS = "reports"
STAGING = ".staging"
LOCKS = ".locks"
OWNER = ".owner"  # flocked by the live process that staged the folder
REVISION = re.compile(r"r([1-9][0-9]*)")
# Test hook: a publish sleeps at this point ("staged" or "renamed") so a test can kill it.
PAUSE_ENV = "PUBLISHER_ARCHIVE_PAUSE"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive, naming the file."""

    path: Path
    what: str

    def line(self) -> str:
        return f"{self.path}: {self.what}"


class Archive:
    """An archive folder. Open it with Archive.open, which first adopts interrupted publishes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.abspath(root))
        self.adopted: tuple[Row, ...] = ()

    @classmethod
    def open(cls, root: Path, create: bool = False) -> Archive:
        archive = cls(root)
        if not archive.index_path.is_file():
            if not create:
                raise NotArchivedError(
                    root,
                    "is not a report archive (no index.sqlite)",
                    "publish into it first: publisher publish SNAPSHOT --archive DIR",
                )
            archive._create_index()
        if archive.unindexed():
            with archive.locked():
                archive.adopted = tuple(archive._adopt())
        return archive

    def _create_index(self) -> None:
        """Make the index in a side file and rename it in, under the lock: another process
        sees no index or a whole one, never a file whose tables are not yet there."""
        with self.locked():
            if self.index_path.is_file():
                return  # made by a process that held the lock before us
            fresh = self.index_path.with_name(self.index_path.name + ".new")
            fresh.unlink(missing_ok=True)
            index = Index(fresh)
            try:
                index.create()
            finally:
                index.close()
            os.replace(fresh, self.index_path)

    # ── layout ──

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_NAME

    @property
    def reports_dir(self) -> Path:
        return self.root / REPORTS

    @property
    def staging_dir(self) -> Path:
        return self.root / STAGING

    @property
    def locks_dir(self) -> Path:
        return self.root / LOCKS

    def folder(self, report: str, as_of: dt.date, revision: int) -> Path:
        return self.reports_dir / report / as_of.isoformat() / f"r{revision}"

    def path_of(self, row: Row) -> Path:
        return self.root / row.folder

    # ── locks ──

    @contextlib.contextmanager
    def locked(self, shared: bool = False) -> Iterator[None]:
        """The archive lock: exclusive around decide-rename-index, shared for a consistent read."""
        self.locks_dir.mkdir(parents=True, exist_ok=True)
        with flocked(self.locks_dir / "archive.lock", shared=shared):
            yield

    @contextlib.contextmanager
    def claim(self, snapshot_identity: str) -> Iterator[None]:
        """Held while one snapshot is built: a second publish of it waits, then finds it
        archived, instead of building it again. Claims are sharded over 256 lock files, so
        the lock files never pile up; two snapshots sharing a shard merely take turns."""
        self.locks_dir.mkdir(parents=True, exist_ok=True)
        with flocked(self.locks_dir / f"claim-{snapshot_identity[:2]}.lock"):
            yield

    @contextlib.contextmanager
    def index(self) -> Iterator[Index]:
        index = Index(self.index_path)
        try:
            yield index
        finally:
            index.close()

    # ── reading ──

    def rows(self, **filters: object) -> list[Row]:
        with self.index() as index:
            return index.rows(**filters)  # type: ignore[arg-type]

    def find(self, snapshot_identity: str | None) -> Row | None:
        if snapshot_identity is None:
            return None
        with self.index() as index:
            return index.by_identity(snapshot_identity)

    def row(self, report: str, as_of: dt.date | None = None, revision: int | None = None) -> Row:
        """One revision: the latest of the date (or of the report's latest date) unless given."""
        rows = [
            r
            for r in self.rows(report=report, since=as_of, until=as_of)
            if revision is None or r.revision == revision
        ]
        if not rows:
            what = " ".join(
                str(part)
                for part in (report, as_of, f"r{revision}" if revision else None)
                if part is not None
            )
            raise NotArchivedError(
                self.root, f"holds no {what}", "see what it holds: publisher archive list DIR"
            )
        return rows[0]

    def manifest(self, row: Row) -> Manifest:
        return read_manifest(self.path_of(row))[0]

    def on_disk(self) -> dict[tuple[str, str, int], Path]:
        """Every revision folder under reports/, by (report, ISO date, revision)."""
        found = {}
        for folder in self.reports_dir.glob("*/*/r*"):
            match = REVISION.fullmatch(folder.name)
            if match and folder.is_dir():
                found[(folder.parent.parent.name, folder.parent.name, int(match[1]))] = folder
        return found

    def unindexed(self) -> dict[tuple[str, str, int], Path]:
        on_disk = self.on_disk()
        if not on_disk:
            return {}
        with self.index() as index:
            known = index.keys()
        return {key: folder for key, folder in on_disk.items() if key not in known}

    def leftovers(self) -> list[Path]:
        """Staging folders whose publish has ended without cleaning up (killed, crashed)."""
        if not self.staging_dir.is_dir():
            return []
        return [p for p in sorted(self.staging_dir.iterdir()) if not _alive(p)]

    # ── writing ──

    @contextlib.contextmanager
    def stage(self) -> Iterator[Path]:
        """A private folder in .staging for one publish, removed when it ends. It is created
        and its owner lock taken under the archive lock, so a sweep never takes a live one."""
        with self.locked():
            path = self.staging_dir / secrets.token_hex(8)
            path.mkdir(parents=True)
            owner = os.open(path / OWNER, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(owner, fcntl.LOCK_EX)
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)
            os.close(owner)

    def commit(self, staged: Path, manifest: Manifest) -> tuple[Row, bool]:
        """Give the staged revision folder the next revision number, write its manifest, rename
        it into place and index it. Returns the row and False if the snapshot was archived
        meanwhile (by another process), in which case nothing is written."""
        with self.locked():
            self.sweep()
            self._adopt()
            with self.index() as index:
                held = index.by_identity(manifest.identity)
                if held:
                    return held, False
                on_disk = self._latest_folder(manifest.report_id, manifest.as_of)
                revision = 1 + max(
                    index.latest_revision(manifest.report_id, manifest.as_of), on_disk
                )
                manifest = replace(manifest, revision=revision)
                data = manifest.to_json().encode("utf-8")
                write_durably(staged / MANIFEST_NAME, data)
                target = self.folder(manifest.report_id, manifest.as_of, revision)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(staged, target)  # the commit point
                _fsync_dir(target.parent)
                pause("renamed")
                row = Row.of(manifest, target.relative_to(self.root).as_posix(), _sha256(data))
                index.insert(row)
                return row, True

    def _latest_folder(self, report: str, as_of: dt.date) -> int:
        folder = self.reports_dir / report / as_of.isoformat()
        numbers = [int(m[1]) for p in _children(folder) if (m := REVISION.fullmatch(p.name))]
        return max(numbers, default=0)

    def _adopt(self) -> list[Row]:
        """Index every whole revision folder the index lacks (call holding the lock). A folder
        that does not verify is left for `archive verify` to report."""
        adopted = []
        with self.index() as index:
            for (report, as_of, revision), folder in sorted(self.unindexed().items()):
                try:
                    manifest, digest = read_manifest(folder)
                except (OSError, ValueError, TypeError, KeyError):
                    continue
                place = (manifest.report_id, manifest.as_of.isoformat(), manifest.revision)
                if place != (report, as_of, revision) or inspect(folder, manifest):
                    continue
                if index.by_identity(manifest.identity):
                    continue
                row = Row.of(manifest, folder.relative_to(self.root).as_posix(), digest)
                index.insert(row)
                adopted.append(row)
        return adopted

    def sweep(self) -> None:
        """Remove staging folders of publishes that died (call holding the lock)."""
        for path in self.leftovers():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def inspect(folder: Path, manifest: Manifest) -> list[Problem]:
    """Recompute every hash of a revision folder against its manifest: missing, changed and
    unexpected files, and an identity that does not follow from the inputs."""
    problems = []
    listed = {MANIFEST_NAME}
    for entry in manifest.files:
        path = folder / entry.path
        listed.add(entry.path)
        if PurePosixPath(entry.path).is_absolute() or ".." in PurePosixPath(entry.path).parts:
            problems.append(Problem(folder / MANIFEST_NAME, f"lists '{entry.path}' outside it"))
        elif not path.is_file():
            problems.append(Problem(path, "missing"))
        elif (digest := _sha256(path.read_bytes())) != entry.sha256:
            problems.append(
                Problem(
                    path,
                    f"tampered: sha256 {digest[:12]}… but the manifest has {entry.sha256[:12]}…",
                )
            )
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.relative_to(folder).as_posix() not in listed:
            problems.append(Problem(path, "unexpected file: not in the manifest"))
    if identity((e.role, e.sha256) for e in manifest.snapshot_inputs) != manifest.identity:
        problems.append(
            Problem(folder / MANIFEST_NAME, "its identity does not follow from its inputs")
        )
    return problems


def pause(point: str) -> None:
    """Test hook: with PUBLISHER_ARCHIVE_PAUSE=<point>, stop here for a test to kill us."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"publisher: paused at {point}", file=sys.stderr, flush=True)
        time.sleep(600)


def _alive(path: Path) -> bool:
    """A staging folder whose owner still holds its lock (another open file description
    cannot take it, even in this same process)."""
    try:
        # Never created here: a live owner removes its stage without the archive lock, so
        # the folder may vanish between listing it and looking inside.
        fd = os.open(path / OWNER, os.O_RDWR)
    except (FileNotFoundError, NotADirectoryError):
        return False  # died before its lock was taken (stages are made under ours), or gone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # releases the lock if we took it
    return False


def _children(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.is_dir() else []


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
