"""Batch: publish every snapshot under a folder that the archive lacks, in parallel processes
(or on a Dask cluster: publisher/batch_dask.py)."""

from __future__ import annotations

import contextlib
import gc
import importlib
import resource
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from publisher.archive.inputs import quick_identity
from publisher.archive.store import INDEX_NAME, Archive
from publisher.assets import LAYOUTS_DIR
from publisher.errors import EnvironmentFailure, PublisherError
from publisher.snapshot.layoutfile import LayoutSearch
from publisher.snapshot.load import MANIFEST
from publisher.workers import worker_context

# The heavy modules a publish uses (matplotlib, reportlab, pikepdf, pypdf come with them).
WARM = (
    "publisher.archive.publish",
    "publisher.charts.render",
    "publisher.layout.engine",
    "publisher.render.pdf",
)
Status = Literal["published", "unchanged", "failed"]
Display = Callable[[int], AbstractContextManager[Callable[["Outcome"], None]]]


@dataclass(frozen=True)
class Plan:
    """The snapshots found under a folder, and those the archive does not hold yet."""

    archive: Path
    found: tuple[Path, ...]
    pending: tuple[Path, ...]
    warnings: tuple[str, ...] = ()  # what opening the archive said (an index made again)

    @property
    def held(self) -> int:
        return len(self.found) - len(self.pending)


@dataclass(frozen=True)
class Outcome:
    """One snapshot's publish, as its worker reports it."""

    source: Path
    status: Status
    message: str
    seconds: float
    peak_mb: float  # the worker process's peak resident memory so far
    correction: bool = False
    detail: str = ""  # a traceback, for failures that are bugs rather than bad input
    code: int = 0  # a failure's exit status: 2 bad input, 1 a check or a bug, 3 the machine

    def line(self) -> str:
        if self.status == "failed":
            return f"FAILED {self.source}: {self.message}"
        return f"{self.message} ({self.seconds:.1f} s)"


@dataclass(frozen=True)
class BatchResult:
    plan: Plan
    outcomes: tuple[Outcome, ...]
    seconds: float

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        """0 if every snapshot published; 3 if the machine refused one (the next would fail
        alike: the operator must see it); else 1."""
        failed = {o.code for o in self.outcomes if o.status == "failed"}
        return 0 if not failed else 3 if EnvironmentFailure.exit_code in failed else 1

    @property
    def per_minute(self) -> float:
        return 60 * self.count("published") / self.seconds if self.seconds else 0.0

    @property
    def peak_mb(self) -> float:
        return max((o.peak_mb for o in self.outcomes), default=0.0)

    def summary(self) -> list[str]:
        corrections = sum(1 for o in self.outcomes if o.correction)
        failed = [o for o in self.outcomes if o.status == "failed"]
        lines = [
            f"batch: {self.count('published')} published ({corrections} 更正), "
            f"{self.plan.held + self.count('unchanged')} already archived, {len(failed)} failed "
            f"of {len(self.plan.found)} snapshots in {self.seconds:.1f} s "
            f"({self.per_minute:.1f} reports/min, peak {self.peak_mb:.0f} MB a worker)"
        ]
        return lines + [f"  failed: {o.source}: {o.message.splitlines()[0]}" for o in failed]


def find_snapshots(root: Path, archive: Path) -> list[Path]:
    """Snapshot folders under `root`, sorted; none inside an archive (its stored copies) or a
    hidden folder."""
    archive = archive.resolve()
    found = []
    for manifest in sorted(root.rglob(MANIFEST)):
        below = manifest.parent.relative_to(root)
        inside = [root / part for part in reversed(below.parents)] + [manifest.parent]
        if any(p.resolve() == archive or (p / INDEX_NAME).is_file() for p in inside):
            continue
        if any(part.startswith(".") for part in below.parts):
            continue
        found.append(manifest.parent)
    return found


def plan(root: Path, archive: Path) -> Plan:
    """What a batch would publish: every snapshot whose input files (their bytes) the index
    has not seen. The same content saved anew is pending, and its publish finds it unchanged;
    an edited layout re-issues nothing. A snapshot that cannot even be listed stays pending,
    so its publish reports why."""
    store = Archive.open(archive, create=True)
    with store.index() as index:
        held = index.files_identities()
    found = find_snapshots(root, archive)
    pending = tuple(folder for folder in found if quick_identity(folder) not in held)
    return Plan(archive, tuple(found), pending, store.warnings)


def run(
    plan: Plan,
    jobs: int = 1,
    display: Display | None = None,
    layouts: Path | LayoutSearch = LAYOUTS_DIR,
    scheduler: str | None = None,
) -> BatchResult:
    """Publish the plan's pending snapshots, `jobs` at a time, each in a worker process,
    with the layouts found on `layouts`; a failure is an Outcome, never an exception, so
    the rest go on. With `scheduler` (a Dask scheduler's address), on that cluster's
    workers instead, this process alone writing the archive."""
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    if plan.pending and scheduler:
        from publisher.batch_dask import run_on_cluster  # Dask only when asked for

        outcomes = run_on_cluster(plan, scheduler, display or _quiet, layouts)
    elif plan.pending:
        _warm()
        # Workers inherit the imported pipeline; frozen, their collections skip it (and do
        # not touch its pages, which stay shared with this process).
        gc.freeze()
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(plan.pending)), mp_context=worker_context()
        ) as pool:
            # Submitting starts the workers: before any display thread exists to be forked.
            futures = {pool.submit(publish_one, f, plan.archive, layouts): f for f in plan.pending}
            with (display or _quiet)(len(futures)) as report:
                for future in as_completed(futures):
                    outcome = _outcome(future, futures[future])
                    outcomes.append(outcome)
                    report(outcome)
    return BatchResult(plan, tuple(outcomes), time.perf_counter() - start)


def publish_one(source: Path, archive: Path, layouts: Path | LayoutSearch = LAYOUTS_DIR) -> Outcome:
    """A worker's task: publish one snapshot. Charts are drawn in this process (jobs=1): the
    pool is already the parallelism."""
    from publisher.archive.publish import publish

    start = time.perf_counter()
    try:
        done = publish(source, archive, jobs=1, layouts=layouts)
        status: Status = "published" if done.created else "unchanged"
        message, correction, detail = done.message(), done.created and done.row.correction, ""
        code = 0
    except PublisherError as exc:
        status, message, correction, detail = "failed", str(exc), False, ""
        code = exc.exit_code
    except Exception as exc:  # a bug must not stop the batch; say where it happened
        status, message, correction = "failed", f"internal error: {exc!r}", False
        detail, code = traceback.format_exc(), 1
    return Outcome(
        source, status, message, time.perf_counter() - start, peak_mb(), correction, detail, code
    )


def _outcome(future: Future[Outcome], source: Path) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker died (killed, out of memory): that report failed
        return Outcome(source, "failed", f"worker process failed: {exc!r}", 0.0, 0.0)


def _warm() -> None:
    """Import the pipeline before forking, so every worker starts with it loaded."""
    for module in WARM:
        importlib.import_module(module)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextlib.contextmanager
def _quiet(total: int) -> Iterator[Callable[[Outcome], None]]:
    yield lambda outcome: None
