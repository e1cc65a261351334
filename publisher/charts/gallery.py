"""Charts stage: draw a snapshot's whole chart catalog into one folder, for review."""

from __future__ import annotations

from pathlib import Path

from publisher.atomic import output_folder
from publisher.charts.catalog import ChartCatalog, catalog_path, load_catalog
from publisher.charts.render import draw_all
from publisher.snapshot.model import Snapshot

INDEX = "index.md"


def write_gallery(
    snapshot: Snapshot,
    out_dir: Path | str,
    catalog: ChartCatalog | None = None,
    jobs: int = 2,
    png: bool = False,
) -> list[Path]:
    """One `<chart id>.pdf` per catalog chart (titled, with its sources), optionally a
    `<chart id>.png` beside each, and `index.md` listing them; returns the chart files in
    catalog order followed by the index."""
    catalog = catalog or load_catalog(catalog_path(snapshot.layout))
    written: list[Path] = []
    with output_folder(Path(out_dir)) as out:
        for chart_id, image in draw_all(snapshot, catalog, jobs=jobs, titled=True).items():
            written.append(_write(out / f"{chart_id}.pdf", image))
        if png:
            for chart_id, image in draw_all(snapshot, catalog, jobs, "png", titled=True).items():
                written.append(_write(out / f"{chart_id}.png", image))
        index = out / INDEX
        index.write_text(_index(snapshot, catalog), encoding="utf-8")
    return [*written, index]


def _write(path: Path, image: bytes) -> Path:
    path.write_bytes(image)
    return path


def _index(snapshot: Snapshot, catalog: ChartCatalog) -> str:
    """A table of the charts, grouped as the report's pages group them."""
    lines = [
        f"# 图表 — {snapshot.title} {snapshot.as_of:%Y-%m-%d}",
        "",
        f"{len(catalog)} charts from `{catalog.path.name}` for snapshot `{snapshot.report_id}`.",
        "",
        "| chart | kind | title | page | file |",
        "|---|---|---|---|---|",
    ]
    for chart in catalog:
        lines.append(
            f"| `{chart.id}` | {chart.kind} | {chart.title} | {chart.group} "
            f"| [{chart.id}.pdf]({chart.id}.pdf) |"
        )
    return "\n".join(lines) + "\n"
