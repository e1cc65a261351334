"""Archive: the folder layout, staging, the locked commit of a revision, and reconciliation.

    DIR/index.sqlite                          the index (publisher/archive/index.py)
    DIR/reports/<report>/<as_of>/r<n>/        one revision: manifest.json, outputs, snapshot/
    DIR/.staging/<random>/                    a publish in progress (removed when it ends)
    DIR/.locks/                               archive.lock and the per-snapshot claim locks

A revision is built and checked in .staging, then, holding the archive lock, renamed into
place and indexed. The rename is the commit: a folder at a revision path is whole (renames are
atomic), so one left unindexed by a crash between rename and index is adopted, under the lock,
by the next command that opens the archive. Nothing is ever overwritten: a revision number is
past every folder on disk as well as every row. The folders are the truth: no index row is
shown or built on unless it agrees with the manifest in its folder, and `reindex` rebuilds the
index from them.
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
import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import astuple, dataclass
from pathlib import Path, PurePosixPath

from publisher import atomic
from publisher.archive.errors import ArchiveError, IndexDamagedError, NotArchivedError
from publisher.archive.identity import layout_pairs, stored_identity
from publisher.archive.index import COLUMNS, BadRow, Content, Index, Row, flocked, place
from publisher.archive.inputs import LayoutFile, files_identity
from publisher.archive.manifest import MANIFEST_NAME, Manifest, read_manifest
from publisher.archive.refusals import damaged, not_writable, read_only, size
from publisher.errors import PublisherError
from publisher.snapshot.layoutfile import LayoutSearch, stored_file

INDEX_NAME = "index.sqlite"
REPORTS = "reports"
STAGING = ".staging"
LOCKS = ".locks"
OWNER = ".owner"  # flocked by the live process that staged the folder
REVISION = re.compile(r"r([1-9][0-9]*)")
# Test hook: a publish sleeps at this point ("staged" or "renamed") so a test can kill it.
PAUSE_ENV = "PUBLISHER_ARCHIVE_PAUSE"
# What a manifest that no publish wrote can raise while it is read.
UNREADABLE = (OSError, ValueError, TypeError, KeyError, AttributeError)


class Moved(Exception):
    """The revision number a publish built for was taken while it built (by a publish that
    did not wait for its claim): it builds again against the new latest revision."""

    def __init__(self, revision: int) -> None:
        super().__init__(f"the next revision is r{revision} by now")
        self.revision = revision


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive, naming the file."""

    path: Path
    what: str

    def line(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass(frozen=True)
class Reindexed:
    """What `archive reindex` did: the revisions indexed, the folders left out and why, and
    where the index it replaced was kept (when it was damaged or disagreed)."""

    rows: tuple[Row, ...]
    left_out: tuple[Problem, ...]
    kept: Path | None


class Archive:
    """An archive folder. Open it with Archive.open, which first adopts interrupted publishes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.abspath(root))
        self.adopted: tuple[Row, ...] = ()
        self.warnings: tuple[str, ...] = ()
        self.unfinished = 0  # bytes a failed publish had staged: what a full disk could not hold

    @classmethod
    def open(cls, root: Path, create: bool = False) -> Archive:
        """The archive at `root`, its index checked; where it can be written, interrupted
        publishes are adopted. With `create` (a publisher): made if missing, a lost index
        made again from the folders (saying so), dead stages swept."""
        archive = cls.at(root)
        if create and read_only(archive.root):
            raise not_writable(archive.root)
        lost = not archive.index_path.exists()
        if lost and not create:
            raise archive.missing()
        if lost:
            archive._create_index()
        problem = archive.index_problem()
        if problem:
            raise damaged(archive.root, problem)
        if read_only(archive.root):
            return archive  # nothing can be tidied, and nothing can have changed it meanwhile
        if create and archive.leftovers():
            with archive.locked():
                archive.sweep()
        if archive.unindexed():
            with archive.locked():
                archive.adopted = tuple(archive._adopt())
        if lost and archive.adopted:
            archive.warnings = (
                f"{archive.index_path} was missing: made it again from "
                f"{len(archive.adopted)} revision folder(s)",
            )
        return archive

    @classmethod
    def at(cls, root: Path) -> Archive:
        """The archive at `root`, unopened: only a path through a file is refused."""
        archive = cls(root)
        for path in (archive.root, *archive.root.parents):
            if path.exists():
                if not path.is_dir():
                    raise NotArchivedError(
                        path,
                        "is a file, not a folder",
                        "pass the archive's folder, or a folder to make a new archive in",
                    )
                break
        return archive

    def missing(self) -> PublisherError:
        """What to say when there is no index: lost, if revisions lie here; else no archive."""
        if self.on_disk():
            return damaged(self.root, "missing, though revision folders lie beside it")
        return NotArchivedError(
            self.root,
            "is not a report archive (no index.sqlite)",
            "publish into it first: publisher publish SNAPSHOT --archive DIR",
        )

    def index_problem(self) -> str | None:
        """None if index.sqlite is a whole index, else what is wrong with it."""
        if not self.index_path.exists():
            return "missing"
        if not self.index_path.is_file():
            return "damaged: not a file"
        with self.index() as index:
            return index.check()

    def _create_index(self) -> None:
        """Make the index in a side file and rename it in, under the lock: another process
        sees no index or a whole one, never a file whose tables are not yet there."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self.locked():
            if self.index_path.is_file():
                return  # made by a process that held the lock before us
            self._replace_index(())

    def _replace_index(
        self, rows: tuple[Row, ...], contents: Mapping[str, Content] | None = None
    ) -> None:
        fresh = self.index_path.with_name(self.index_path.name + ".new")
        fresh.unlink(missing_ok=True)
        try:
            index = Index(fresh, "rwc")
            try:
                index.create()
                if rows:
                    index.insert(*rows, contents=contents)
            finally:
                index.close()
            os.replace(fresh, self.index_path)
            _fsync_dir(self.root)
        finally:
            fresh.unlink(missing_ok=True)  # a full disk leaves no half-made index behind

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
        return self.root / place(report, as_of, revision)

    def path_of(self, row: Row) -> Path:
        """The row's folder where its key puts it (the folder column must agree: checked)."""
        return self.root / row.place

    # ── locks ──

    @contextlib.contextmanager
    def locked(self, shared: bool = False) -> Iterator[None]:
        """The archive lock: exclusive around decide-rename-index, shared for a consistent read."""
        with flocked(self.locks_dir / "archive.lock", shared=shared):
            yield

    @contextlib.contextmanager
    def claim(self, report: str, as_of: dt.date) -> Iterator[None]:
        """Held while a revision of one report and date is built: a second publish of the
        same snapshot waits, then finds it archived, instead of building it again; one of
        another snapshot waits too, since a correction is built against the revision it
        corrects. Claims are sharded over 256 lock files, so the lock files never pile up;
        two reports sharing a shard merely take turns."""
        shard = _sha256(f"{report}/{as_of.isoformat()}".encode())[:2]
        with flocked(self.locks_dir / f"claim-{shard}.lock"):
            yield

    @contextlib.contextmanager
    def index(self) -> Iterator[Index]:
        index = Index(self.index_path, "ro" if read_only(self.root) else "rw")
        try:
            yield index
        except BadRow as bad:
            raise damaged(self.root, str(bad)) from None
        finally:
            index.close()

    # ── reading ──

    def rows(self, **filters: object) -> list[Row]:
        with self.index() as index:
            return index.rows(**filters)  # type: ignore[arg-type]

    def checked_rows(self, **filters: object) -> list[tuple[Row, Manifest]]:
        """The rows, each with its folder's manifest, once every column agrees with it."""
        return [(row, self.checked(row)) for row in self.rows(**filters)]

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

    def checked(self, row: Row) -> Manifest:
        """The manifest in the row's folder, once every column of the row agrees with it: a
        row edited by hand is never shown, built on or trusted to decide a publish."""
        folder = self.path_of(row)
        try:
            manifest, digest = read_manifest(folder)
        except FileNotFoundError:
            raise ArchiveError(
                folder,
                "missing: the revision folder or its manifest is gone",
                f"publisher archive verify {self.root} names every problem; restore the "
                "folder from a backup",
            ) from None
        except UNREADABLE as exc:
            raise ArchiveError(
                folder / MANIFEST_NAME,
                f"unreadable ({exc})",
                "restore the revision folder from a backup",
            ) from None
        wrong = differences(row, manifest, digest)
        if wrong:
            raise damaged(self.root, f"{row.place}: {wrong[0]}")
        return manifest

    def held(
        self, identity: str, report: str, as_of: dt.date, layout: tuple[LayoutFile, ...]
    ) -> Row | None:
        """The latest revision of this report, date and layout, if it holds a snapshot of this
        identity: by the index, or, for a revision published before identities were canonical
        (format 2 and older), by the identity of its stored snapshot, computed again. An
        earlier revision holding it does not count: publishing it again corrects the latest."""
        with self.index() as index:
            row = index.latest(report, as_of, layout[0].path.stem if layout else None)
        if row is None:
            return None
        manifest = self.checked(row)
        if row.identity == identity:
            return row
        pairs = tuple((f.path.as_posix(), f.sha256) for f in layout)
        if manifest.format < 3 and _identity_of(self.path_of(row), manifest, pairs) == identity:
            return row
        return None

    def held_files(self, identity: str | None, layouts: Path | LayoutSearch) -> Row | None:
        """The latest revision of its report, date and layout, if built from input files with
        exactly these bytes and from the layout files found on `layouts` now: the quick test,
        before the snapshot is loaded."""
        if identity is None:
            return None
        with self.index() as index:
            rows = index.by_files(identity)
            latest = [r for r in rows if index.latest(r.report_id, r.as_of, r.layout) == r]
        for row in latest:
            if _same_layout(self.checked(row), layouts):
                return row
        return None

    def next_revision(self, report: str, as_of: dt.date) -> tuple[int, Row | None]:
        """The number a new revision of the report and date would take now, past every
        indexed revision and every folder on disk, and the latest indexed one (which it
        corrects), checked against its folder."""
        with self.locked(shared=True), self.index() as index:
            latest = index.latest(report, as_of)
        if latest is not None:
            self.checked(latest)
        indexed = latest.revision if latest else 0
        return 1 + max(indexed, self._latest_folder(report, as_of)), latest

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

    def room(self) -> str:
        """What a revision needs here, for a message about a full disk: the newest one's size,
        or what the failed publish had written when the disk filled."""
        on_disk = self.on_disk()
        if on_disk:
            newest = on_disk[max(on_disk, key=lambda key: (key[1], key[2]))]
            return f"; a revision here takes about {size(_bytes_in(newest))}"
        if self.unfinished:
            return (
                f" and this revision needs more: it had written {size(self.unfinished)} of its "
                "files when the disk filled"
            )
        return ""

    # ── writing ──

    @contextlib.contextmanager
    def stage(self) -> Iterator[Path]:
        """A private folder in .staging for one publish, removed when it ends. It is created
        and its owner lock taken under the archive lock, so a sweep never takes a live one."""
        with self.locked():
            path = self.staging_dir / secrets.token_hex(8)
            path.mkdir(parents=True)
            try:
                owner = os.open(path / OWNER, os.O_RDWR | os.O_CREAT, 0o644)
            except BaseException:
                shutil.rmtree(path, ignore_errors=True)
                raise
            fcntl.flock(owner, fcntl.LOCK_EX)
        try:
            yield path
        except BaseException:
            self.unfinished = _bytes_in(path)
            raise
        finally:
            shutil.rmtree(path, ignore_errors=True)
            os.close(owner)

    def commit(
        self, staged: Path, manifest: Manifest, contents: dict[str, Content] | None = None
    ) -> tuple[Row, bool]:
        """Write the staged revision folder's manifest, rename it into place as the revision
        the manifest numbers and index it, with `contents` for the search tables (None: read
        from the folder here). Returns the row and False if the snapshot was archived
        meanwhile (by another process) as the latest revision of its report, date and layout,
        in which case nothing is written. Raises Moved if that number is taken by now (its
        outputs may print the revision it corrects: they are built again). If indexing fails,
        the folder is taken back out of place: the archive is as it was."""
        if contents is None:  # before the lock: it loads the snapshot
            contents = printed_contents(staged, manifest)
        with self.locked():
            self.sweep()
            self._adopt()
            with self.index() as index:
                same_day = index.rows(
                    report=manifest.report_id, since=manifest.as_of, until=manifest.as_of
                )
                for row in same_day:  # decide on rows only once they agree with their folders
                    self.checked(row)
                latest = next((r for r in same_day if r.layout == manifest.layout), None)
                if latest and latest.identity == manifest.identity:
                    return latest, False
                on_disk = self._latest_folder(manifest.report_id, manifest.as_of)
                revision = 1 + max(max((r.revision for r in same_day), default=0), on_disk)
                if revision != manifest.revision:
                    raise Moved(revision)
                data = manifest.to_json().encode("utf-8")
                atomic.write_durably(staged / MANIFEST_NAME, data)
                target = self.folder(manifest.report_id, manifest.as_of, revision)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(staged, target)  # the commit point
                row = Row.of(manifest, target.relative_to(self.root).as_posix(), _sha256(data))
                try:
                    _fsync_dir(target.parent)
                    pause("renamed")
                    index.insert(row, contents=contents)
                except BaseException:
                    _withdraw(index, target, staged, row)
                    raise
                return row, True

    def reindex(self) -> Reindexed:
        """Rebuild index.sqlite from the revision folders, under the lock: every folder that
        verifies, one row a snapshot. The index it replaces is kept aside if it was damaged
        or said anything else."""
        with self.locked():
            self.sweep()
            rows: list[Row] = []
            left_out: list[Problem] = []
            for key, folder in sorted(self.on_disk().items()):
                row, why = self.examine(key, folder)
                if row is None:
                    left_out.append(Problem(folder, why))
                else:
                    rows.append(row)
            kept = self._keep_old_index(rows)
            contents: dict[str, Content] = {}
            for row in rows:
                contents |= printed_contents(self.path_of(row))
            self._replace_index(tuple(rows), contents)
        return Reindexed(tuple(rows), tuple(left_out), kept)

    def examine(self, key: tuple[str, str, int], folder: Path) -> tuple[Row | None, str]:
        """The row a revision folder would be indexed as, or why it cannot be."""
        try:
            manifest, digest = read_manifest(folder)
        except UNREADABLE:
            return None, "without a readable manifest"
        if (manifest.report_id, manifest.as_of.isoformat(), manifest.revision) != key:
            return None, "its manifest describes another revision"
        found = inspect(folder, manifest)
        if found:
            return None, found[0].line()
        return Row.of(manifest, folder.relative_to(self.root).as_posix(), digest), ""

    def _keep_old_index(self, rows: list[Row]) -> Path | None:
        """Move the old index aside unless it held exactly `rows`: nothing is thrown away."""
        if not self.index_path.exists():
            return None
        if self.index_problem() is None:
            with contextlib.suppress(IndexDamagedError, sqlite3.Error), self.index() as index:
                if sorted(map(astuple, index.rows())) == sorted(map(astuple, rows)):
                    return None
        kept = _unused(self.index_path.with_name(f"{INDEX_NAME}.damaged"))
        os.replace(self.index_path, kept)
        return kept

    def _latest_folder(self, report: str, as_of: dt.date) -> int:
        folder = self.reports_dir / report / as_of.isoformat()
        numbers = [int(m[1]) for p in _children(folder) if (m := REVISION.fullmatch(p.name))]
        return max(numbers, default=0)

    def _adopt(self) -> list[Row]:
        """Index every whole revision folder the index lacks (call holding the lock). A folder
        that does not verify is left for `archive verify` to report."""
        adopted = []
        with self.index() as index:
            for key, folder in sorted(self.unindexed().items()):
                row, _ = self.examine(key, folder)
                if row is None:
                    continue
                index.insert(row, contents=printed_contents(folder))
                adopted.append(row)
        return adopted

    def sweep(self) -> None:
        """Remove staging folders of publishes that died (call holding the lock)."""
        for path in self.leftovers():
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def differences(row: Row, manifest: Manifest, digest: str) -> list[str]:
    """Each column where the row says other than the manifest it indexes (and its bytes)."""
    expected = Row.of(
        manifest, place(manifest.report_id, manifest.as_of, manifest.revision), digest
    )
    return [
        f"{column} is {_shown(got)} but its manifest says {_shown(want)}"
        for column, got, want in zip(COLUMNS, astuple(row), astuple(expected), strict=True)
        if got != want
    ]


def inspect(folder: Path, manifest: Manifest) -> list[Problem]:
    """Recompute every hash of a revision folder against its manifest: missing, changed and
    unexpected files, and an identity that does not follow from the inputs."""
    problems = [*inspect_inputs(folder, manifest), *_hashes(folder, manifest, manifest.outputs)]
    listed = {MANIFEST_NAME, *(entry.path for entry in manifest.files)}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.relative_to(folder).as_posix() not in listed:
            problems.append(Problem(path, "unexpected file: not in the manifest"))
    return problems


def inspect_inputs(folder: Path, manifest: Manifest) -> list[Problem]:
    """The stored snapshot and layout files: every hash, and the identity they give."""
    problems = _hashes(folder, manifest, manifest.inputs)
    if problems:
        return problems  # the identity of files known to be wrong says nothing more
    entry = folder / manifest.snapshot
    if manifest.snapshot not in {e.path for e in manifest.snapshot_inputs}:
        return [
            Problem(folder / MANIFEST_NAME, f"its snapshot '{manifest.snapshot}' is not an input")
        ]
    if manifest.format < 3:
        if (
            files_identity((e.role, e.sha256) for e in manifest.snapshot_inputs)
            == manifest.identity
        ):
            return []
    else:
        try:
            if stored_identity(folder, manifest) == manifest.identity:
                return []
        except PublisherError as exc:
            return [Problem(entry, f"the stored snapshot no longer loads ({exc.what})")]
    return [Problem(folder / MANIFEST_NAME, "its identity does not follow from its inputs")]


def pause(point: str) -> None:
    """Test hook: with PUBLISHER_ARCHIVE_PAUSE=<point>, stop here for a test to kill us."""
    if os.environ.get(PAUSE_ENV) == point:
        print(f"publisher: paused at {point}", file=sys.stderr, flush=True)
        time.sleep(600)


def _hashes(folder: Path, manifest: Manifest, entries: tuple) -> list[Problem]:
    problems = []
    for entry in entries:
        path = folder / entry.path
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
    return problems


def _identity_of(
    folder: Path, manifest: Manifest, layout: tuple[tuple[str, str], ...]
) -> str | None:
    """An old revision's content identity, or None if its stored snapshot no longer loads."""
    try:
        return stored_identity(folder, manifest, layout)
    except (PublisherError, OSError):
        return None


def _same_layout(manifest: Manifest, layouts: Path | LayoutSearch) -> bool:
    """The layout files a revision stores are those found on `layouts` now, byte for byte (a
    format 1 revision stored none, and is taken as built with them)."""
    for relative, digest in layout_pairs(manifest):
        try:
            current = stored_file(layouts, manifest.layout, relative)
            if current is None or _sha256(current.read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def printed_contents(folder: Path, manifest: Manifest | None = None) -> dict[str, Content]:
    """What the revision in `folder` printed, by its identity, for the search tables."""
    # imported here: it loads the report pipeline, which most archive commands never need
    from publisher.archive.search import content_of

    if manifest is None:
        manifest, _ = read_manifest(folder)
    found = content_of(folder, manifest)
    return {manifest.identity: found} if found else {}


def _withdraw(index: Index, target: Path, staged: Path, row: Row) -> None:
    """Indexing failed after the rename: move the folder back to its stage (removed with it),
    unless the row got in after all or the index cannot say, when it stays to be adopted."""
    try:
        if index.has(row):
            return
    except (sqlite3.Error, BadRow):
        return
    with contextlib.suppress(OSError):
        os.rename(target, staged)


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        value = "\n".join(value)
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:16] + "…")
    return repr(value)


def _alive(path: Path) -> bool:
    """A staging folder whose owner still holds its lock (another open file description
    cannot take it, even in this same process)."""
    try:
        # Read-only, and never created here: a read-only archive can be looked at, and a
        # live owner removes its stage without the archive lock, so the folder may vanish
        # between listing it and looking inside.
        fd = os.open(path / OWNER, os.O_RDONLY)
    except (FileNotFoundError, NotADirectoryError):
        return False  # died before its lock was taken (stages are made under ours), or gone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # releases the lock if we took it
    return False


def _unused(path: Path) -> Path:
    """`path`, or path-2, path-3 …: the first name nothing has taken."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _bytes_in(folder: Path) -> int:
    with contextlib.suppress(OSError):
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return 0


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
