"""Benchmark: cold `publisher build` of the sample, PDF alone and PDF + deck — wall time (min,
median, max of ROUNDS fresh processes), file size, peak memory of the largest process — and
what writing the PDF as PDF/A-2b costs. Run: python bench/bench_pdf.py [ROUNDS]

Targets: issue 5, the PDF in at most 3 s, at most 1.5 MB, at most 500 MB; issue 13, the PDF
in at most 1.6 s and PDF + deck in at most 2.0 s within 250 MB. Each round is a fresh process
(imports, fonts and charts included), as the daily job runs it; rerun on a busy machine.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compiled

REPO = Path(__file__).resolve().parent.parent
PDF_SECONDS, PDF_BYTES, PDF_MB = 3.0, 1.5e6, 500  # issue 5
FAST_PDF_SECONDS, BOTH_SECONDS, BOTH_MB = 1.6, 2.0, 250  # issue 13

# The CLI in a fresh interpreter, started as the `publisher` command starts it (console.run:
# the renderers' processes first, then the command's imports); then the peak resident memory
# of the largest process of the build (itself, a renderer or a drawing worker), written where
# the bench reads it.
RUN = """
import json, os, resource, sys
from publisher.console import run
sys.argv = ["publisher", *sys.argv[1:]]
try:
    run()  # the console script's entry point
except SystemExit as done:
    if done.code:
        raise
kib = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
with open(os.environ["BENCH_PEAK"], "w") as out:
    json.dump(kib / 1024, out)
"""


def cold_build(out: Path, formats: str) -> tuple[float, float]:
    """Seconds and peak MB of one `publisher build --format FORMATS` in a new process."""
    peak = out.with_suffix(".peak")
    command = [sys.executable, "-c", RUN, "build", "--format", formats, "--out", str(out)]
    start = time.perf_counter()
    env = {**os.environ, "BENCH_PEAK": str(peak)}
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, env=env)
    seconds = time.perf_counter() - start
    return seconds, json.loads(peak.read_text())


def spread(times: list[float]) -> str:
    return (
        f"min {min(times):.2f} s, median {statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


def pdfa_cost(pdf: Path, rounds: int = 5) -> tuple[float, float]:
    """Seconds to save the report as PDF/A-2b (tidy, prepare, restamp, pinned settings) and
    as a plain PDF with the same object streams, best of `rounds`; PDF/A's import aside."""
    import pikepdf

    from publisher.render.pdf.pdfa import SAVE_SETTINGS, save_pdfa

    def best(save: object) -> float:
        spent = []
        for _ in range(rounds):
            with pikepdf.open(pdf) as document:
                start = time.perf_counter()
                save(document)  # type: ignore[operator]
                spent.append(time.perf_counter() - start)
        return min(spent)

    as_of = __import__("datetime").date(2025, 5, 27)
    pdfa = best(lambda d: save_pdfa(d, as_of, pdf))
    plain = best(lambda d: d.save(io.BytesIO(), **SAVE_SETTINGS))
    return pdfa, plain


def pdfa_import() -> float:
    """Seconds importing pikepdf.pdfa takes once pikepdf is loaded (its JSON schemas)."""
    code = "import time, pikepdf; t = time.perf_counter(); import pikepdf.pdfa; "
    code += "print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def main(rounds: int = 5) -> None:
    cpus = os.cpu_count()
    print(f"cold builds of the sample ({rounds} rounds each, a fresh process each, {cpus} CPUs)")
    print(f"  ({compiled()})")
    with tempfile.TemporaryDirectory() as tmp:
        pdf_runs = [cold_build(Path(tmp) / f"pdf{i}", "pdf") for i in range(rounds)]
        both_runs = [cold_build(Path(tmp) / f"both{i}", "pdf,pptx") for i in range(rounds)]
        pdf = next(Path(tmp).glob("pdf0/*.pdf"))
        size = pdf.stat().st_size
        with_pdfa, plain = pdfa_cost(pdf)
    pdf_times, pdf_peak = [t for t, _ in pdf_runs], max(m for _, m in pdf_runs)
    both_times, both_peak = [t for t, _ in both_runs], max(m for _, m in both_runs)
    median, both = statistics.median(pdf_times), statistics.median(both_times)
    print(f"  PDF          {spread(pdf_times)}")
    print(f"               target ≤ {PDF_SECONDS} s (issue 5): {_met(median <= PDF_SECONDS)}")
    fast = _met(median <= FAST_PDF_SECONDS)
    print(f"               target ≤ {FAST_PDF_SECONDS} s (issue 13): {fast}")
    print(f"  file size    {size:,} bytes (target ≤ {PDF_BYTES:,.0f}): {_met(size <= PDF_BYTES)}")
    print(f"  peak memory  {pdf_peak:.0f} MB (target ≤ {PDF_MB} MB): {_met(pdf_peak <= PDF_MB)}")
    print(f"  PDF + deck   {spread(both_times)}")
    print(f"               target ≤ {BOTH_SECONDS} s (issue 13): {_met(both <= BOTH_SECONDS)}")
    print(
        f"  peak memory  {both_peak:.0f} MB (target ≤ {BOTH_MB} MB): {_met(both_peak <= BOTH_MB)}"
    )
    extra = (with_pdfa - plain) * 1000
    print(
        f"  PDF/A-2b     a PDF/A save {with_pdfa * 1000:.0f} ms, a plain one {plain * 1000:.0f} ms"
    )
    print(
        f"               (+{extra:.0f} ms), importing pikepdf.pdfa {pdfa_import() * 1000:.0f} ms;"
    )
    print("               validation is left to publisher check, which publish runs")
    print("  (peak memory: the largest process of a build, the build itself or a chart worker)")


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
