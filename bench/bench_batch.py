"""Benchmark: `publisher batch` over the 20-day backfill — reports a minute with --jobs 1 and 2,
and with --scheduler on a 2-worker Dask LocalCluster (if dask[distributed] is installed).
Run: python bench/bench_batch.py [DAYS]

Target (issue 7): at least 30 reports (PDF and deck) a minute with --jobs 2 on 2 cores, and
peak memory within 500 MB per worker. Each run is a fresh process publishing into an empty
archive, as the first (backfill) run of the daily job would; the time includes discovery,
building, the compliance check and archiving.

Target (issue 14): the same backfill on a local Dask cluster of 2 worker processes (one thread
each), already running as a real one would be, within 10 % of --jobs 2's time: what Dask costs
(scheduling, workers importing the pipeline on their first task, the batch process committing
every revision) on top of the same builds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bytecode import compiled

REPO = Path(__file__).resolve().parent.parent
TARGET_PER_MINUTE, TARGET_MB, TARGET_OVERHEAD = 30, 500, 10
ISSUE_13_PER_MINUTE = 50  # issue 13: the same backfill, --jobs 2

# One batch in a fresh interpreter; prints what publisher.batch measured, as JSON.
RUN = """
import json, sys
from pathlib import Path
from publisher.batch import plan, run
todo = plan(Path(sys.argv[1]), Path(sys.argv[2]))
result = run(todo, jobs=int(sys.argv[3]), scheduler=sys.argv[4] or None)
print(json.dumps({
    "published": result.count("published"),
    "failed": result.count("failed"),
    "seconds": result.seconds,
    "per_minute": result.per_minute,
    "peak_mb": result.peak_mb,
    "worker_seconds": sorted(o.seconds for o in result.outcomes),
}))
"""


def batch(root: Path, archive: Path, jobs: int, scheduler: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(root), str(archive), str(jobs), scheduler],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def outputs(archive: Path) -> str:
    kinds = sorted({p.suffix for p in archive.glob("reports/*/*/r1/*.*")} - {".json"})
    return " and ".join(kinds)


def main(days: int = 20) -> None:
    sys.path.insert(0, str(REPO / "samples"))
    from backfill import backfill

    print(f"publisher batch: {days}-day backfill, fresh archive, {os.cpu_count()} CPUs")
    print(f"  ({compiled()})")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "snapshots"
        backfill(root, days=days)
        seconds, rates = {}, {}
        for jobs in (1, 2):
            archive = Path(tmp) / f"archive-j{jobs}"
            got = batch(root, archive, jobs)
            seconds[jobs], rates[jobs] = got["seconds"], got["per_minute"]
            print(f"  --jobs {jobs}: {line(got, archive)}")
        on_cluster(root, Path(tmp) / "archive-dask", seconds[2])
    print(
        f"  targets: ≥ {TARGET_PER_MINUTE} reports/min with --jobs 2 (issue 7) "
        f"{_met(rates[2] >= TARGET_PER_MINUTE)}, ≥ {ISSUE_13_PER_MINUTE} (issue 13) "
        f"{_met(rates[2] >= ISSUE_13_PER_MINUTE)}; ≤ {TARGET_MB} MB a worker, "
        f"Dask overhead ≤ {TARGET_OVERHEAD} %"
    )


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def line(got: dict, archive: Path) -> str:
    median = got["worker_seconds"][len(got["worker_seconds"]) // 2]
    return (
        f"{got['published']} published ({outputs(archive)}), "
        f"{got['failed']} failed in {got['seconds']:.1f} s = "
        f"{got['per_minute']:.1f} reports/min; {median:.1f} s a report (median); "
        f"peak {got['peak_mb']:.0f} MB a worker"
    )


def on_cluster(root: Path, archive: Path, pool_seconds: float) -> None:
    """The same backfill on a 2-worker LocalCluster (processes, one thread each), started
    before the batch as a real cluster would be; the batch is a fresh process, as above."""
    try:
        from distributed import LocalCluster
    except ImportError:
        print("  --scheduler: skipped (pip install 'publisher[dask]')")
        return
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,  # logging.ERROR
    ) as cluster:
        got = batch(root, archive, 2, cluster.scheduler_address)
    overhead = 100 * (got["seconds"] - pool_seconds) / pool_seconds
    print(f"  --scheduler (2-worker LocalCluster): {line(got, archive)}")
    print(f"    overhead over --jobs 2: {overhead:+.1f} %")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
