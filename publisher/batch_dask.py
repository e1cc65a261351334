"""Batch on a Dask cluster: workers build, this process alone writes the archive.

`publisher batch ROOT --archive DIR --scheduler tcp://HOST:8786` submits one task a snapshot
to an existing Dask distributed cluster (futures API). What travels is paths, not data: a
task names the snapshot folder and a staging folder inside the archive, which every host
mounts at the same path; the worker loads, builds and checks the report there, exactly as
`publish` does in its own staging folder, and returns the manifest and its timings. Only this
process reads and writes the archive's index: it numbers each revision before submitting it
(the next after the latest, which a correction's note names), and commits what comes back —
under the archive lock, it renames the staged revision into place and indexes it (never SQLite
over network locks). A revision whose number another publish took meanwhile is built again.

Re-runs are harmless. Dask may run a task twice (a worker lost, `retries=2`); every attempt
builds into a folder of its own, the next attempt sweeps a dead one's, and the commit finds a
snapshot already archived by its identity, so a snapshot makes one revision whatever ran.
This process owns the batch's staging folder (its owner lock): if it dies, the next command
to open the archive sweeps what its workers left.

Dask is an optional extra (`pip install 'publisher[dask]'`): this module imports it only
when a batch names a scheduler, and workers need publisher installed, at the same version.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import os
import secrets
import shutil
import socket
import threading
import time
import tomllib
import traceback
from collections.abc import Iterator
from concurrent.futures import CancelledError
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from publisher.archive.errors import ArchiveError
from publisher.archive.index import Content
from publisher.archive.inputs import (
    LayoutFile,
    quick_identity,
)
from publisher.archive.manifest import Manifest
from publisher.archive.refusals import refusals
from publisher.archive.store import Archive, Moved
from publisher.assets import LAYOUTS_DIR
from publisher.batch import Display, Outcome, Plan, peak_mb
from publisher.errors import EnvironmentFailure, PublisherError
from publisher.snapshot.layoutfile import LayoutSearch
from publisher.snapshot.load import MANIFEST

EXTRA = "publisher[dask]"
CONNECT_SECONDS = 20  # for the scheduler to answer, and then for a first worker to join
POLL_SECONDS = 0.25  # how often snapshots another batch is building are looked at again
RETRIES = 2
ATTEMPTS = 3  # builds of one snapshot against a latest revision that moved meanwhile
BUNDLED = "<bundled>"  # the installed layouts: each host has its own copy, wherever installed


def require(address: str | None = None) -> ModuleType:
    """dask.distributed, or a message naming the extra that installs it (exit 2); with an
    `address`, also a message if it is not a scheduler's address (exit 2) or nothing answers
    there (exit 3) — said before the batch writes anything."""
    try:
        import distributed
    except ImportError as exc:
        raise PublisherError(
            "--scheduler",
            f"needs Dask distributed, which is not installed here ({exc.msg})",
            f"pip install '{EXTRA}' on this machine and on every worker host, or leave out "
            "--scheduler (and PUBLISHER_SCHEDULER) to publish with local processes",
        ) from None
    if address is not None:
        _reachable(distributed, address)
    return distributed


def _reachable(distributed: ModuleType, address: str) -> None:
    try:
        host, port = distributed.comm.get_address_host_port(address)
    except ValueError as exc:
        raise PublisherError(
            "--scheduler",
            f"'{address}' is not a Dask scheduler's address ({exc})",
            "give it as tcp://HOST:8786 (--scheduler or PUBLISHER_SCHEDULER)",
        ) from None
    if not address.startswith(("tcp://", "tls://")) and "://" in address:
        return  # another transport (ucx, websockets): the client will say
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise EnvironmentFailure(
            address, f"no Dask scheduler answers there ({exc.strerror or exc})", _START
        ) from None


_START = (
    "start it (dask scheduler) and its workers (dask worker ADDRESS), or fix --scheduler / "
    "PUBLISHER_SCHEDULER"
)


# ── the worker's side ──


@dataclass(frozen=True)
class Staged:
    """What a worker made of one snapshot: a built and checked revision folder in staging
    (its revision number left for the commit) and what indexing it needs."""

    folder: Path
    manifest: Manifest
    layout: tuple[LayoutFile, ...]
    warnings: tuple[str, ...]
    seconds: float
    peak_mb: float
    host: str
    # what it printed, for the search tables: worked out here, on the worker, so the batch
    # process (the one writer) does not load every snapshot again one after another
    contents: dict[str, Content]


# A worker process builds one report at a time, whatever its thread count: matplotlib's
# settings, the kept chart figures and the deck check's shortcuts are the process's own.
# (`--nthreads 1`, as the README sizes workers, never waits here.)
_ONE_BUILD = threading.Lock()


def stage_one(
    source: Path,
    task: Path,
    layouts: tuple[str, ...],
    revision: int,
    corrects: tuple[Path, Manifest] | None,
) -> Staged | Outcome:
    """A worker's task: build and check `source` into a fresh attempt folder under `task`
    (a folder the batch made in the archive's staging area) as revision `revision`,
    correcting `corrects` (the latest revision's folder and manifest) if given — as a
    publish builds it in its own staging folder. Bad input, a failed check or a refusal of
    the machine is a failed Outcome (running it again would change nothing); anything else
    is raised, for Dask to retry."""
    from publisher.archive.publish import _room_for, _staged_revision, load_source

    start = time.perf_counter()
    _tune_gc()
    root = task.parent.parent.parent  # DIR/.staging/<batch>/<task>
    if not task.is_dir():
        return _failed(
            source,
            start,
            EnvironmentFailure(
                task,
                f"is not there on worker host {socket.gethostname()}: the archive is not "
                "mounted at the same path on every host",
                f"mount the archive at {root} on every worker host, then run the batch again",
            ),
        )
    _sweep_attempts(task)
    attempt = task / secrets.token_hex(4)
    attempt.mkdir()
    staged = attempt / "revision"
    try:
        with _ONE_BUILD, refusals(root, need=lambda: _room_for(source)):
            built = load_source(source, _search(layouts))
            manifest, contents = _staged_revision(built, staged, 1, revision, corrects)
    except PublisherError as exc:
        shutil.rmtree(attempt, ignore_errors=True)
        return _failed(source, start, exc)
    except BaseException:
        shutil.rmtree(attempt, ignore_errors=True)
        raise
    return Staged(
        staged,
        manifest,
        built.layout,
        manifest.warnings,
        time.perf_counter() - start,
        peak_mb(),
        socket.gethostname(),
        contents,
    )


def _failed(source: Path, start: float, exc: PublisherError) -> Outcome:
    return Outcome(
        source, "failed", str(exc), time.perf_counter() - start, peak_mb(), code=exc.exit_code
    )


def _sweep_attempts(task: Path) -> None:
    """Remove what an earlier attempt at this task left: it died, or Dask would not have
    started this one."""
    for leftover in task.iterdir():
        shutil.rmtree(leftover, ignore_errors=True)


def _tune_gc() -> None:
    # As publisher.cli.run does for a build: collect less often (a build allocates millions
    # of short-lived containers; the default threshold walks the same objects thousands of
    # times). A worker process runs nothing but these tasks.
    if gc.get_threshold()[0] < 50_000:
        gc.set_threshold(50_000, 50, 100)


def _portable(layouts: Path | LayoutSearch) -> tuple[str, ...]:
    """The layout search path as a worker can follow it: absolute folders (a worker's working
    folder is not ours), the bundled layouts as that host's own."""
    folders = layouts.folders if isinstance(layouts, LayoutSearch) else (layouts,)
    return tuple(
        BUNDLED if Path(folder) == LAYOUTS_DIR else os.path.abspath(folder) for folder in folders
    )


def _search(folders: tuple[str, ...]) -> LayoutSearch:
    return LayoutSearch(
        tuple(LAYOUTS_DIR if folder == BUNDLED else Path(folder) for folder in folders)
    )


# ── this process: submit, then commit what comes back ──


def run_on_cluster(
    plan: Plan, address: str, display: Display, layouts: Path | LayoutSearch
) -> list[Outcome]:
    """Publish the plan's pending snapshots on the cluster at `address`, reporting each
    outcome to `display` as it arrives; a failure is an Outcome, never an exception."""
    distributed = require()
    archive = Archive.open(plan.archive, create=True)
    outcomes: list[Outcome] = []
    with (
        _connected(distributed, address) as client,
        archive.stage() as stage,
        _Claims(archive) as claims,
        display(len(plan.pending)) as report,
    ):
        batch = _Batch(distributed, client, archive, stage, _portable(layouts), claims)
        for outcome in batch.run(plan.pending):
            outcomes.append(outcome)
            report(outcome)
    return outcomes


@contextlib.contextmanager
def _connected(distributed: ModuleType, address: str) -> Iterator[Any]:
    """A client of the scheduler at `address` with at least one worker, or one message."""
    _reachable(distributed, address)
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise EnvironmentFailure(
            address, f"no Dask scheduler answered within {CONNECT_SECONDS} s ({exc})", _START
        ) from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError):
            raise EnvironmentFailure(
                address,
                f"the Dask scheduler has no workers (none joined within {CONNECT_SECONDS} s)",
                f"start workers on the hosts: dask worker {address}",
            ) from None
        yield client
    finally:
        client.close()


@dataclass
class _Task:
    """One pending snapshot, from its submission to its outcome."""

    source: Path  # as the batch found it (outcomes name it so)
    identity: str | None  # its files' identity: what the claim is taken on
    folder: Path | None = None  # in the batch's staging folder: each attempt builds below it
    builds: int = 0  # built against a latest revision that was superseded meanwhile


class _Batch:
    def __init__(
        self,
        distributed: ModuleType,
        client: Any,
        archive: Archive,
        stage: Path,
        layouts: tuple[str, ...],
        claims: _Claims,
    ) -> None:
        self.distributed, self.client, self.archive = distributed, client, archive
        self.stage, self.layouts, self.claims = stage, layouts, claims
        self.token = stage.name  # unique to this batch: two batches' keys never meet
        self.tasks: dict[Any, _Task] = {}
        self.completed = distributed.as_completed(loop=client.loop)
        self.made = 0

    def run(self, pending: tuple[Path, ...]) -> Iterator[Outcome]:
        """Submit what this batch may claim; look again at what another batch is building
        until it is archived (unchanged) or left (submitted); yield outcomes as they come."""
        waiting: list[_Task] = []
        for source in pending:
            task = _Task(source, _quick(source))
            if self.claims.take(task.identity):
                yield from self._submit(task)
            else:
                waiting.append(task)
        while self.tasks or waiting:
            for task in list(waiting):
                if self.claims.take(task.identity):
                    waiting.remove(task)
                    held = self._held(task)
                    if held:
                        self.claims.release(task.identity)
                        yield held
                    else:
                        yield from self._submit(task)
            done = self.completed.next_batch(block=not waiting) if self.tasks else []
            for future in done:
                yield from self._finish(future)
            if waiting and not done:
                time.sleep(POLL_SECONDS)

    def _submit(self, task: _Task) -> Iterator[Outcome]:
        """Send the task to the cluster to build as the next revision of its report and
        date (yields a failed Outcome if the archive cannot say which that is)."""
        if task.folder is None:
            self.made += 1
            task.folder = self.stage / f"{self.made:04d}"
            task.folder.mkdir()
        try:
            with refusals(self.archive.root):
                revision, corrects = _next_revision(self.archive, task.source)
        except PublisherError as exc:
            yield self._done(
                task, Outcome(task.source, "failed", str(exc), 0.0, 0.0, code=exc.exit_code)
            )
            return
        future = self.client.submit(
            stage_one,
            Path(os.path.abspath(task.source)),
            task.folder,
            self.layouts,
            revision,
            corrects,
            key=_key(task.source, task.identity, self.token, task.builds),
            pure=False,
            retries=RETRIES,
        )
        self.tasks[future] = task
        self.completed.add(future)

    def _finish(self, future: Any) -> Iterator[Outcome]:
        task = self.tasks.pop(future)
        try:
            got = future.result()
        except CancelledError as exc:  # the scheduler lost, say: the next would fare alike
            message = f"the Dask cluster dropped its task ({exc}); run the batch again"
            got = Outcome(task.source, "failed", message, 0.0, 0.0, code=3)
        except self.distributed.KilledWorker as exc:
            got = Outcome(task.source, "failed", f"worker process failed: {exc}", 0.0, 0.0, code=1)
        except Exception as exc:  # the task's own error, after its retries: a bug
            detail = "".join(traceback.format_exception(exc))
            got = Outcome(
                task.source, "failed", f"internal error: {exc!r}", 0.0, 0.0, False, detail, 1
            )
        finally:
            future.release()
        if isinstance(got, Outcome):
            yield self._done(task, replace(got, source=task.source))  # as the batch named it
            return
        outcome = _commit(self.archive, got, task.source)
        if outcome is not None:
            yield self._done(task, outcome)
        elif task.builds + 1 < ATTEMPTS:  # another revision came first: build against it
            task.builds += 1
            yield from self._submit(task)
        else:
            stale = ArchiveError(
                self.archive.root,
                f"other revisions of {got.manifest.report_id} {got.manifest.as_of} kept being "
                "archived while this one was built",
                "publish it again once the other publishes have ended",
            )
            yield self._done(task, _failed(task.source, time.perf_counter(), stale))

    def _done(self, task: _Task, outcome: Outcome) -> Outcome:
        if task.folder is not None:  # dead attempts; the revision moved out
            shutil.rmtree(task.folder, ignore_errors=True)
        self.claims.release(task.identity)
        return outcome

    def _held(self, task: _Task) -> Outcome | None:
        """Another batch archived this snapshot while we waited for it: nothing to do."""
        if task.identity is None:
            return None
        with self.archive.index() as index:
            if task.identity not in index.files_identities():
                return None
        message = (
            f"unchanged: {task.source} was archived meanwhile by another batch; nothing written"
        )
        return Outcome(task.source, "unchanged", message, 0.0, 0.0)


def _next_revision(archive: Archive, source: Path) -> tuple[int, tuple[Path, Manifest] | None]:
    """The revision a build of `source` would be, and the folder and manifest of the one it
    corrects, as publish decides them, for the report and date its snapshot.toml names. If
    that cannot be read, revision 1: the worker's load will say what is wrong, and a wrong
    guess is only built again (the commit says the number moved)."""
    try:
        report = tomllib.loads((source / MANIFEST).read_text(encoding="utf-8"))["report"]
        as_of = report["as_of"]
        as_of = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
        report_id = str(report["id"])
    except Exception:
        return 1, None
    revision, latest = archive.next_revision(report_id, as_of)
    return revision, (archive.path_of(latest), archive.checked(latest)) if latest else None


def _commit(archive: Archive, staged: Staged, source: Path) -> Outcome | None:
    """Index the worker's revision under the archive lock, unless the archive holds the
    snapshot already (a task that ran twice, another batch, a resaved snapshot). None if its
    revision number was taken meanwhile: it must be built again."""
    from publisher.archive.publish import Published

    start = time.perf_counter()
    manifest = staged.manifest
    try:
        with refusals(archive.root):
            if not staged.folder.is_dir():
                raise EnvironmentFailure(
                    staged.folder,
                    f"worker host {staged.host} built the report there, but this host does not "
                    "see it: the archive is not the same folder on every host",
                    f"mount the archive at {archive.root} on every host (NFS, say)",
                )
            held = archive.held(
                manifest.identity, manifest.report_id, manifest.as_of, staged.layout
            )
            if held:
                row, created = held, False
            else:
                try:
                    row, created = archive.commit(staged.folder, manifest, staged.contents)
                except Moved:
                    return None
    except PublisherError as exc:
        return Outcome(
            source, "failed", str(exc), staged.seconds, staged.peak_mb, code=exc.exit_code
        )
    except Exception as exc:  # a bug must not stop the batch; say where it happened
        return Outcome(
            source,
            "failed",
            f"internal error: {exc!r}",
            staged.seconds,
            staged.peak_mb,
            False,
            traceback.format_exc(),
            1,
        )
    done = Published(row, archive.path_of(row), created)
    return Outcome(
        source,
        "published" if created else "unchanged",
        done.message(),
        staged.seconds + time.perf_counter() - start,
        staged.peak_mb,
        created and row.correction,
    )


def _quick(source: Path) -> str | None:
    try:
        return quick_identity(source)
    except Exception:  # a snapshot that cannot even be listed: its task says why
        return None


def _key(source: Path, identity: str | None, token: str, build: int) -> str:
    """The task's name on the dashboard and in worker logs: report, date, identity."""
    try:
        report = tomllib.loads((source / MANIFEST).read_text(encoding="utf-8"))["report"]
        name = f"{report['id']}-{report['as_of']}"
    except Exception:  # unreadable: the task will say why; the folder names it meanwhile
        name = source.name
    again = f"-{build + 1}" if build else ""
    return f"publish-{name}-{(identity or 'unlisted')[:12]}-{token}{again}"


class _Claims:
    """The snapshots this batch is building, so a second batch on the archive leaves them to
    it (and then finds them archived) instead of building them again: an flock a shard of
    the snapshot's files identity, taken without waiting, held by this process only — never
    by a worker over the network."""

    def __init__(self, archive: Archive) -> None:
        self.folder = archive.locks_dir
        self.held: dict[str, list[int]] = {}  # shard: [descriptor, snapshots]

    def __enter__(self) -> _Claims:
        return self

    def __exit__(self, *exc: object) -> None:
        for fd, _ in self.held.values():
            os.close(fd)
        self.held.clear()

    def take(self, identity: str | None) -> bool:
        if identity is None:
            return True
        shard = identity[:2]
        if shard in self.held:
            self.held[shard][1] += 1
            return True
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / f"batch-{shard}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.held[shard] = [fd, 1]
        return True

    def release(self, identity: str | None) -> None:
        if identity is None:
            return
        shard = identity[:2]
        self.held[shard][1] -= 1
        if not self.held[shard][1]:
            os.close(self.held.pop(shard)[0])
