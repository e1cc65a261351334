"""Benchmark: the sample deck's build time, and LibreOffice's export of it to PDF (the hand-made
route), in one run. Targets: the deck in at most 1.5 s; PDF and deck together faster than the
export alone. Run: python bench/bench_deck.py [--runs N]"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bytecode import compiled

from publisher.assets import SAMPLE
from publisher.layout.engine import build_document
from publisher.pipeline import draw_charts, prepare
from publisher.render.pdf import render_pdf
from publisher.render.pptx import render_pptx

DECK_TARGET_S = 1.5
COLD_DECK_TARGET_S = 1.2  # `publisher build --format pptx` in a fresh process: no artwork drawn


def timed(action: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - start, result


def export(soffice: str, deck: Path, out: Path) -> float:
    """Seconds LibreOffice takes to export the deck to PDF (its profile already made)."""
    profile = (out / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(out), str(deck)]
    seconds, _ = timed(lambda: subprocess.run(command, capture_output=True, check=True))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="deck builds to time (best is shown)")
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="bench-deck-"))
    try:
        build_s, document = timed(lambda: _document())
        deck_path = work / "deck.pptx"
        deck_times = []
        for _ in range(runs):
            seconds, deck = timed(lambda: render_pptx(document, deck_path))
            deck_times.append(seconds)
        pdf_s, _ = timed(lambda: render_pdf(document, work / "report.pdf"))
        both_s = build_s + pdf_s + min(deck_times)
        print(
            f"sample: {deck.slides} slides, {len(deck.charts)} charts "  # type: ignore[attr-defined]
            f"({sum(1 for c in deck.charts if c[2] == 'native')} native, "  # type: ignore[attr-defined]
            f"{len(deck.pictures)} pictures), deck {deck_path.stat().st_size / 1e6:.2f} MB"
        )  # type: ignore[attr-defined]
        print(
            f"deck build: {min(deck_times):6.2f} s  (best of {runs}; target <= {DECK_TARGET_S} s)"
        )
        print(f"snapshot → Document (charts drawn): {build_s:6.2f} s; PDF render: {pdf_s:6.2f} s")
        print(f"build, PDF + deck together:         {both_s:6.2f} s")
        note = compiled()
        cold = sorted(_cold_deck_build(work) for _ in range(max(5, runs)))
        print(
            f"cold deck-only build (publisher build --format pptx): min {cold[0]:.2f} s, "
            f"median {cold[len(cold) // 2]:.2f} s, max {cold[-1]:.2f} s "
            f"(target <= {COLD_DECK_TARGET_S} s: "
            f"{'met' if cold[len(cold) // 2] <= COLD_DECK_TARGET_S else 'MISSED'}; {note})"
        )
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            print("LibreOffice export: skipped (soffice not installed)")
            return
        export(soffice, deck_path, work / "warm")  # first run makes the profile: not counted
        lo_s = export(soffice, deck_path, work / "warm")
        print(f"LibreOffice export of the deck to PDF: {lo_s:6.2f} s")
        verdict = "faster" if both_s < lo_s else "SLOWER"
        print(
            f"publisher build (PDF + deck) is {verdict} than the export alone "
            f"({both_s:.2f} s vs {lo_s:.2f} s); deck target "
            f"{'met' if min(deck_times) <= DECK_TARGET_S else 'MISSED'}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cold_deck_build(work: Path) -> float:
    """Seconds of a whole deck-only build in a new process, as cron runs it."""
    command = [sys.executable, "-m", "publisher", "build", "--format", "pptx"]
    command += ["--out", str(work / "cold")]
    seconds, _ = timed(lambda: subprocess.run(command, capture_output=True, check=True))
    return seconds


def _document() -> object:
    prepared = prepare(SAMPLE)
    return build_document(prepared, draw_charts(prepared))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
