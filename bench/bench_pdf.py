"""Benchmark: cold `publisher build` of the sample PDF — wall time, file size, peak memory.
Run: python bench/bench_pdf.py [ROUNDS]

Targets (issue 5): at most 3 s on 2 cores, at most 1.5 MB, at most 500 MB peak resident memory.
Each round is a fresh process (imports, fonts and charts included), as the daily job runs it.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS, TARGET_BYTES, TARGET_MB = 3.0, 1.5e6, 500


def cold_build(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "publisher.cli", "build", "--format", "pdf", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main(rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        times = [cold_build(Path(tmp) / f"r{i}") for i in range(rounds)]
        pdf = next(Path(tmp).glob("r0/*.pdf"))
        size = pdf.stat().st_size
    # ru_maxrss of children is the largest of them, in KiB on Linux; workers included.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    best, median = min(times), statistics.median(times)
    print(f"cold build of the sample PDF ({rounds} rounds, fresh process each)")
    print(f"  wall time   median {median:.2f} s, best {best:.2f} s   (target ≤ {TARGET_SECONDS} s)")
    print(f"  file size   {size:,} bytes                  (target ≤ {TARGET_BYTES:,.0f})")
    print(f"  peak memory {peak_mb:.0f} MB (largest process)      (target ≤ {TARGET_MB} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
