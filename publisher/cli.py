"""Command line: the one place that talks to the user; every stage below it is pure."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import click

from publisher.archive.commands import archive, batch, publish
from publisher.assets import check_installed
from publisher.errors import PublisherError, friendly
from publisher.options import layouts_option, snapshot_argument
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import layout_search
from publisher.workers import GC_THRESHOLDS, Prestarted


@click.group()
@click.version_option(package_name="publisher")
def main() -> None:
    """Write a commodity research desk's daily report from a dataset snapshot."""
    try:
        check_installed()  # a wheel built without its fonts would fail deep in a renderer
    except PublisherError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


@main.command()
@snapshot_argument
@click.option("--json", "as_json", is_flag=True, help="Print the data-quality report as JSON.")
@layouts_option
def validate(snapshot: Path, as_json: bool, layouts: tuple[Path, ...]) -> None:
    """Check a snapshot's data quality: errors exit 2, warnings are listed."""
    from rich.console import Console

    from publisher.metrics.quality import assess, from_error, render_table
    from publisher.pipeline import prepare
    from publisher.snapshot.layoutfile import snapshot_layout

    try:
        search = layout_search(layouts)
        loaded = load_snapshot(snapshot)
        report = assess(loaded, snapshot_layout(loaded, search))
        if report.ok:  # the daily views too, so a template error shows before build time
            prepare(snapshot, snapshot=loaded, layouts=search)
    except PublisherError as exc:
        if as_json:
            click.echo(from_error(exc).to_json())
        else:
            click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if as_json:
        click.echo(report.to_json())
    else:
        render_table(report, Console())
        click.echo(_summary(loaded))
    sys.exit(0 if report.ok else 2)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--snapshot", type=click.Path(path_type=Path), help="Expect this snapshot's analyst.")
@friendly
def check(files: tuple[Path, ...], snapshot: Path | None) -> None:
    """Check built PDFs and decks for compliance text on every page; exit 1 on any failure."""
    from publisher.check import check_file, expectations_from

    expect = expectations_from(load_snapshot(snapshot)) if snapshot else None
    failed = False
    for path in files:
        result = check_file(path, expect)
        if result.ok:
            click.echo(f"ok: {path} ({result.pages} {result.unit}s)")
        else:
            failed = True
            for line in result.lines():
                click.echo(line, err=True)
    sys.exit(1 if failed else 0)


@main.command()
@snapshot_argument
@layouts_option
@friendly
def preview(snapshot: Path, layouts: tuple[Path, ...]) -> None:
    """Print the overview tables and daily views computed from SNAPSHOT."""
    from rich.console import Console

    from publisher import preview as terminal
    from publisher.pipeline import prepare

    terminal.show(prepare(snapshot, layouts=layout_search(layouts)), Console())


@main.command()
@snapshot_argument
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@click.option(
    "--layout",
    help="Use this layout instead of the snapshot's: an id on the layout search path, or a "
    "file (.toml may be left out).",
)
@click.option(
    "--format",
    "formats",
    default="pdf,pptx",
    show_default=True,
    help="Outputs to write, comma-separated: pdf, pptx.",
)
@click.option("--timings", is_flag=True, help="Print where the build's time went, stage by stage.")
@layouts_option
@click.pass_obj
@friendly
def build(
    early: Prestarted | None,
    snapshot: Path,
    out: Path,
    layout: str | None,
    formats: str,
    timings: bool,
    layouts: tuple[Path, ...],
) -> None:
    """Build the report for SNAPSHOT (default: the sample, in a checkout) into --out."""
    started = time.perf_counter()
    from publisher.pipeline import build as build_report

    imported = time.perf_counter() - started
    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    search = layout_search(layouts)
    built = build_report(snapshot, out, layout=layout, formats=wanted, layouts=search, early=early)
    for finding in built.quality.warnings:
        click.echo(f"warning: {finding.where}: {finding.what}", err=True)
    if built.pdf:
        click.echo(f"wrote {built.pdf.path} ({built.pdf.pages} pages)")
    if built.deck:
        click.echo(f"wrote {built.deck.path} ({built.deck.slides} slides)")
    if timings:
        laps = [("pipeline imports", imported), *built.timings]
        for stage, seconds in laps:
            click.echo(f"{stage:<22}{seconds:7.2f} s", err=True)
        click.echo(f"{'build':<22}{time.perf_counter() - started:7.2f} s", err=True)


@main.command()
@snapshot_argument
@click.option("--out", type=click.Path(path_type=Path), default=Path("charts"), show_default=True)
@click.option("--png", is_flag=True, help="Also write a 200 dpi PNG of each chart.")
@layouts_option
@friendly
def charts(snapshot: Path, out: Path, png: bool, layouts: tuple[Path, ...]) -> None:
    """Draw every chart of SNAPSHOT's catalog into --out, one file per chart, for review."""
    from publisher.charts.catalog import catalog_path, load_catalog
    from publisher.charts.gallery import write_gallery

    search = layout_search(layouts)
    loaded = load_snapshot(snapshot)
    catalog = load_catalog(catalog_path(loaded.layout, search, loaded.path.parent))
    written = write_gallery(loaded, out, catalog=catalog, png=png)
    click.echo(f"wrote {len(written) - 1} chart files and {written[-1]}")


main.add_command(publish)
main.add_command(batch)
main.add_command(archive)


def _summary(snapshot: Snapshot) -> str:
    filled = sum(1 for values in snapshot.observations.values() if not values.empty)
    points = sum(len(values) for values in snapshot.observations.values())
    return (
        f"ok: {snapshot.path} — report {snapshot.report_id} as of {snapshot.as_of}, "
        f"{filled}/{len(snapshot.catalog)} series with data, {points} observations, "
        f"products {', '.join(snapshot.judgements)}, signed by {snapshot.analyst.name}"
    )


def run(early: Prestarted | None = None) -> None:
    """The command, then a quick exit; `early`: renderers the console script started."""
    # A build allocates millions of short-lived containers (frames, artists, flowables); at
    # the default threshold of 700 the collector runs thousands of times over the same
    # long-lived objects. Collecting less often costs a few MB and saves ~0.2 s a build.
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        main(obj=early)
    finally:
        # A build leaves hundreds of thousands of objects (fonts, frames, figures) that the
        # interpreter's final collection would walk for ~0.4 s before exiting; frozen
        # objects are skipped. Nothing after this point needs them collected.
        gc.freeze()


if __name__ == "__main__":
    run()
