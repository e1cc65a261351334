"""Benchmark: draw the sample's whole chart catalog, serially and on 2 cores, and time each
chart. Run: python bench/bench_charts.py [SNAPSHOT]

Targets: issue 4, median ≤ 100 ms a chart and the whole catalog ≤ 2.5 s on 2 cores; issue 13,
median ≤ 12 ms a chart (≤ 8 ms the goal), for the chart as a build draws it: for print, its
text set aside for the PDF renderer (render_print). A chart's own PDF with its text and font
(render_pdf: the gallery, `publisher chart`) is timed too.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from publisher.assets import SAMPLE
from publisher.charts import fonts, pool, render
from publisher.charts.catalog import ChartCatalog, catalog_path, load_catalog
from publisher.charts.data import ChartData, chart_data
from publisher.charts.render import draw_all, render_pdf, render_png, render_print
from publisher.snapshot import Snapshot, load_snapshot

ROUNDS = 3
ISSUE_4_MS, ISSUE_13_MS = 100, 12  # median milliseconds a chart


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(folder: Path) -> None:
    # an empty font cache, so the first round pays for cutting the fonts as a fresh machine does
    fonts.CACHE_DIR = Path(tempfile.mkdtemp(prefix="bench-chart-fonts-"))
    started = time.perf_counter()
    snapshot = load_snapshot(folder)
    catalog = load_catalog(catalog_path(snapshot.layout))
    print(f"snapshot {folder.name}: {len(catalog)} charts (loaded in {seconds_since(started)})")

    data = [chart_data(spec, snapshot) for spec in catalog]
    mapping = seconds(lambda: [chart_data(spec, snapshot) for spec in catalog])
    print(f"chart data for all charts: {mapping * 1000:.0f} ms")

    for jobs in (1, 2):
        runs = [seconds(lambda j=jobs: _fresh(snapshot, catalog, j)) for _ in range(ROUNDS)]
        label = "serial   " if jobs == 1 else "2 workers"
        print(
            f"whole catalog, PDF, {label}: first {runs[0]:.2f} s, "
            f"best {min(runs):.2f} s, median {statistics.median(runs):.2f} s"
        )

    for label, draw in (("for print", render_print), ("PDF with its text", render_pdf)):
        per_chart(label, data, lambda c, d=draw: d(c, snapshot.brand))  # type: ignore[misc]
    png = [seconds(lambda c=chart: render_png(c, snapshot.brand, dpi=200)) for chart in data]
    print(f"per chart, PNG 200 dpi: median {statistics.median(png) * 1000:.0f} ms")


def per_chart(label: str, data: list[ChartData], draw: Callable[[ChartData], object]) -> None:
    """Each chart's best of 3 passes over the catalog, then the median, 90th percentile and
    max, and by kind. Each pass starts with the process's text measurements forgotten, as a
    build's one pass does: a chart drawn again would otherwise find all its own."""
    passes = []
    for _ in range(3):
        render._MEASURED.clear()
        passes.append({c.id: seconds(lambda c=c: draw(c)) for c in data})
    best = {c.id: min(p[c.id] for p in passes) for c in data}
    by_kind: dict[str, list[float]] = defaultdict(list)
    for chart in data:
        by_kind[chart.kind].append(best[chart.id])
    times = sorted(best.values())
    median = statistics.median(times)
    print(
        f"per chart, {label}: median {median * 1000:.0f} ms, "
        f"90th {times[int(len(times) * 0.9)] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms "
        f"(targets: ≤ {ISSUE_4_MS} ms {_met(median * 1000 <= ISSUE_4_MS)}, "
        f"≤ {ISSUE_13_MS} ms {_met(median * 1000 <= ISSUE_13_MS)})"
    )
    for kind, spent in sorted(by_kind.items()):
        print(
            f"  {kind:12s} {len(spent):3d} charts, median {statistics.median(spent) * 1000:4.0f} ms"
        )
    slowest = sorted(best.items(), key=lambda item: -item[1])[:3]
    print("  slowest: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest))


def _fresh(snapshot: Snapshot, catalog: ChartCatalog, jobs: int) -> None:
    """The catalog drawn anew: serial drawing keeps what it drew lately (charts.pool._DRAWN,
    for a batch worker's next report), which would time a lookup, not a drawing."""
    pool._DRAWN.clear()
    draw_all(snapshot, catalog, jobs=jobs)


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def seconds_since(start: float) -> str:
    return f"{time.perf_counter() - start:.2f} s"


if __name__ == "__main__":  # the guard matters: worker processes must not re-run the bench
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE)
