"""Benchmark: `publisher batch` over the 20-day backfill — reports a minute with --jobs 1 and 2.
Run: python bench/bench_batch.py [DAYS]

Target (issue 7): at least 30 reports (PDF and deck) a minute with --jobs 2 on 2 cores, and
peak memory within 500 MB per worker. Each run is a fresh process publishing into an empty
archive, as the first (backfill) run of the daily job would; the time includes discovery,
building, the compliance check and archiving.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_PER_MINUTE, TARGET_MB = 30, 500

# One batch in a fresh interpreter; prints what publisher.batch measured, as JSON.
RUN = """
import json, sys
from pathlib import Path
from publisher.batch import plan, run
result = run(plan(Path(sys.argv[1]), Path(sys.argv[2])), jobs=int(sys.argv[3]))
print(json.dumps({
    "published": result.count("published"),
    "failed": result.count("failed"),
    "seconds": result.seconds,
    "per_minute": result.per_minute,
    "peak_mb": result.peak_mb,
    "worker_seconds": sorted(o.seconds for o in result.outcomes),
}))
"""


def batch(root: Path, archive: Path, jobs: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(root), str(archive), str(jobs)],
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
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "snapshots"
        backfill(root, days=days)
        for jobs in (1, 2):
            archive = Path(tmp) / f"archive-j{jobs}"
            got = batch(root, archive, jobs)
            median = got["worker_seconds"][len(got["worker_seconds"]) // 2]
            print(
                f"  --jobs {jobs}: {got['published']} published ({outputs(archive)}), "
                f"{got['failed']} failed in {got['seconds']:.1f} s = "
                f"{got['per_minute']:.1f} reports/min; {median:.1f} s a report (median); "
                f"peak {got['peak_mb']:.0f} MB a worker"
            )
    print(f"  targets: ≥ {TARGET_PER_MINUTE} reports/min with --jobs 2, ≤ {TARGET_MB} MB a worker")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
