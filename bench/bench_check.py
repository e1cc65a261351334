"""Benchmark: the CPU `publisher check` spends on one published report (its PDF and deck), in a
warm process, as a batch worker checks its 2nd, 3rd… report.
Run: python bench/bench_check.py [DAYS] [ROUNDS]

Builds DAYS consecutive days of the backfill (default 5), then, in ROUNDS fresh processes
(default 3), checks the first day's report to warm the process (validators loaded, fonts
cut) and each later day's once, as publish does (check_file with the snapshot's
expectations). A later day is new to the process, as in a batch: nothing is remembered of its
bytes, only what earlier reports taught (markup found clean). Prints process CPU per report
(min / median / max), the PDF and the deck apart, and the first report's.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# One process: warm on the first day, then time each later day's check, as JSON.
RUN = """
import json, sys, time
from pathlib import Path
from publisher.check import check_file, expectations_from
from publisher.snapshot import load_snapshot

root, out = Path(sys.argv[1]), Path(sys.argv[2])
days = sorted(p.name for p in out.iterdir())
seconds = {"first": 0.0, "pdf": [], "pptx": []}
for n, day in enumerate(days):
    expect = expectations_from(load_snapshot(root / day))
    for path in sorted((out / day).iterdir()):
        start = time.process_time()
        result = check_file(path, expect)
        spent = time.process_time() - start
        assert result.ok, result.lines()
        if n == 0:
            seconds["first"] += spent
        else:
            seconds[path.suffix[1:]].append(spent)
print(json.dumps(seconds))
"""

BUILD = """
import sys
from pathlib import Path
from publisher.pipeline import build
root, out = Path(sys.argv[1]), Path(sys.argv[2])
for snapshot in sorted(root.glob("silicon-*")):
    build(snapshot, out / snapshot.name)
"""


def main(days: int = 5, rounds: int = 3) -> None:
    sys.path.insert(0, str(REPO / "samples"))
    from backfill import backfill

    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "snapshots", Path(tmp) / "out"
        backfill(root, days=days)
        subprocess.run([sys.executable, "-c", BUILD, root, out], cwd=REPO, check=True)
        pdf: list[float] = []
        deck: list[float] = []
        first: list[float] = []
        for _ in range(rounds):
            done = subprocess.run(
                [sys.executable, "-c", RUN, root, out],
                cwd=REPO,
                check=True,
                capture_output=True,
                text=True,
            )
            got = json.loads(done.stdout.splitlines()[-1])
            pdf += got["pdf"]
            deck += got["pptx"]
            first.append(got["first"])
    reports = [a + b for a, b in zip(pdf, deck, strict=True)]
    print(f"publisher check, CPU a report (warm, {len(reports)} reports in {rounds} processes):")
    for name, values in (("report", reports), ("  PDF", pdf), ("  deck", deck), ("first", first)):
        print(
            f"  {name:7s} min {min(values):.3f} s  median {statistics.median(values):.3f} s  "
            f"max {max(values):.3f} s"
        )


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
