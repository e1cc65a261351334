"""Archive: the publish, batch and archive commands (registered on publisher.cli:main)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from publisher.errors import friendly
from publisher.options import layouts_option, snapshot_argument

# Paths are checked by the archive itself, which names a file in the way in its own words.
archive_option = click.option(
    "--archive",
    "archive_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="The archive folder (created on first publish).",
)
archive_argument = click.argument("archive_dir", metavar="DIR", type=click.Path(path_type=Path))
date_type = click.DateTime(formats=["%Y-%m-%d"])


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """What the machine refuses while a command works on the archive (no space, no rights,
    read-only, I/O) as one message with exit 3, and a damaged index as one with exit 1:
    never an OSError or SQLite traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from publisher.archive.refusals import refusals

        with refusals(Path(os.path.abspath(kwargs["archive_dir"]))):
            return command(*args, **kwargs)

    return run


@click.command()
@snapshot_argument
@archive_option
@click.option("--jobs", type=click.IntRange(1), help="Processes drawing charts (default: 2).")
@layouts_option
@friendly
@guarded
def publish(snapshot: Path, archive_dir: Path, jobs: int | None, layouts: tuple[Path, ...]) -> None:
    """Validate SNAPSHOT, build and check its report, and store it in the archive.

    The same snapshot again is a no-op; a changed one for the same report and date becomes
    a new revision (更正) beside the old one."""
    from publisher.archive.publish import publish as publish_snapshot
    from publisher.snapshot.layoutfile import layout_search

    search = layout_search(layouts)
    published = publish_snapshot(snapshot, archive_dir, jobs=jobs, layouts=search)
    for warning in published.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(published.message())


@click.command()
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@archive_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=lambda: os.cpu_count() or 1,
    show_default="CPU count",
    help="Reports built at once, each in its own process.",
)
@click.option(
    "--scheduler",
    envvar="PUBLISHER_SCHEDULER",
    metavar="tcp://HOST:8786",
    help="Build on this Dask cluster's workers instead (pip install 'publisher[dask]'); "
    "the archive must be the same path on every host. Also PUBLISHER_SCHEDULER.",
)
@layouts_option
@click.pass_context
@friendly
@guarded
def batch(
    ctx: click.Context,
    root: Path,
    archive_dir: Path,
    jobs: int,
    scheduler: str | None,
    layouts: tuple[Path, ...],
) -> None:
    """Publish every snapshot under ROOT that the archive does not hold yet.

    A snapshot that fails is reported and skipped; the rest go on. Exit status 1 if any
    failed, 3 if the machine refused one (no space, no rights, read-only, I/O). Safe to run
    twice at once against one archive. With --scheduler, the cluster's workers build and
    this process alone writes the archive."""
    from publisher.batch import plan, run
    from publisher.snapshot.layoutfile import layout_search

    if scheduler:
        from publisher.batch_dask import require

        require(scheduler)  # before anything is written: no extra, a bad address, no answer
        if ctx.get_parameter_source("jobs") is not click.core.ParameterSource.DEFAULT:
            click.echo("note: --jobs does nothing with --scheduler: the workers do", err=True)
    search = layout_search(layouts)
    todo = plan(root, archive_dir)
    for warning in todo.warnings:
        click.echo(f"warning: {warning}", err=True)
    where = f"on the Dask cluster at {scheduler}" if scheduler else f"with {jobs} worker(s)"
    click.echo(
        f"batch: {len(todo.found)} snapshot(s) under {root}, {todo.held} already archived, "
        f"{len(todo.pending)} to publish {where}"
    )
    display = _ProgressBar if sys.stdout.isatty() else _LogLines
    result = run(todo, jobs=jobs, display=display, layouts=search, scheduler=scheduler)
    for line in result.summary():
        click.echo(line)
    sys.exit(result.exit_code)


@click.group()
def archive() -> None:
    """Look up, verify, rebuild and browse the report archive."""


@archive.command("list")
@archive_argument
@click.option("--report", help="Only this report id.")
@click.option("--since", type=date_type, help="Only dates on or after (YYYY-MM-DD).")
@click.option("--until", type=date_type, help="Only dates on or before (YYYY-MM-DD).")
@click.option("--analyst", help="Only this analyst (the brand file's key).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@friendly
@guarded
def list_(
    archive_dir: Path,
    report: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    analyst: str | None,
    as_json: bool,
) -> None:
    """List archived revisions, newest first; 更正 marks a correction."""
    from publisher.archive.store import Archive

    checked = Archive.open(archive_dir).checked_rows(
        report=report,
        since=since.date() if since else None,
        until=until.date() if until else None,
        analyst=analyst,
    )
    rows = [row for row, _ in checked]  # every column agrees with its folder's manifest
    for row in rows:
        if as_json:
            doc = asdict(row) | {"as_of": row.as_of.isoformat(), "outputs": list(row.outputs)}
            click.echo(json.dumps(doc, ensure_ascii=False))
        else:
            mark = " 更正" if row.correction else ""
            click.echo(
                f"{row.report_id}  {row.as_of}  r{row.revision}{mark}  {row.analyst}  "
                f"{' '.join(row.outputs)}"
            )
    if not as_json:
        click.echo(f"{len(rows)} revision{'s' * (len(rows) != 1)}", err=True)


@archive.command()
@archive_argument
@click.argument("report")
@click.argument("date", required=False, type=date_type)
@click.option("--revision", type=click.IntRange(1), help="Default: the latest.")
@click.option("--json", "as_json", is_flag=True, help="Print manifest.json as stored.")
@friendly
@guarded
def show(
    archive_dir: Path, report: str, date: dt.datetime | None, revision: int | None, as_json: bool
) -> None:
    """Show one revision's manifest.

    REPORT on DATE (default: the latest date), the latest revision unless --revision."""
    from publisher.archive.manifest import MANIFEST_NAME
    from publisher.archive.store import Archive

    store = Archive.open(archive_dir)
    row = store.row(report, date.date() if date else None, revision)
    manifest = store.checked(row)
    folder = store.path_of(row)
    if as_json:
        click.echo((folder / MANIFEST_NAME).read_text(encoding="utf-8"), nl=False)
        return
    history = [r.revision for r in store.rows(report=report, since=row.as_of, until=row.as_of)]
    for label, value in (
        ("report", f"{manifest.report_id} — {manifest.title}"),
        ("as of", f"{manifest.as_of} (build time {manifest.build_time})"),
        ("revision", f"r{manifest.revision}" + (" 更正" if manifest.supersedes else "")),
        ("revisions", ", ".join(f"r{n}" for n in sorted(history))),
        ("analyst", f"{manifest.analyst_name} ({manifest.analyst})"),
        ("layout", manifest.layout),
        ("publisher", manifest.package_version),
        ("identity", manifest.identity),
        ("folder", str(folder)),
    ):
        click.echo(f"{label:<10} {value}")
    for entry in manifest.files:
        unit = "slides" if entry.role == "pptx" else "pages"
        pages = f"  {entry.pages} {unit}" if entry.pages else ""
        click.echo(f"  {entry.sha256[:16]}  {entry.size:>9}  {entry.role:<12} {entry.path}{pages}")
    for warning in manifest.warnings:
        click.echo(f"  warning: {warning}")


@archive.command()
@archive_argument
@click.argument("report")
@click.argument("date", type=date_type)
@click.option("--from", "old", type=click.IntRange(1), help="Revision to compare from.")
@click.option("--to", "new", type=click.IntRange(1), help="Revision to compare to.")
@click.option(
    "--previous-day", is_flag=True, help="Compare with the latest revision of the day before."
)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@friendly
@guarded
def diff(
    archive_dir: Path,
    report: str,
    date: dt.datetime,
    old: int | None,
    new: int | None,
    previous_day: bool,
    as_json: bool,
) -> None:
    """What changed between two revisions: figures, sentences and PDF pages.

    REPORT on DATE: its latest revision against the one before (--from, --to pick them), or
    against the latest revision of the report's previous archived day (--previous-day)."""
    from publisher.archive.changes import compare
    from publisher.archive.store import Archive

    store = Archive.open(archive_dir)
    after = store.row(report, date.date(), new)
    if previous_day:
        before = _previous_day(store, report, date.date())
    else:
        wanted = old or after.revision - 1
        if wanted < 1:
            raise click.UsageError(f"{report} {date.date()} has only r1: give --previous-day")
        before = store.row(report, date.date(), wanted)
    changes = compare(store, before, after)
    click.echo(changes.to_json() if as_json else "\n".join(changes.lines()))


def _previous_day(store: Any, report: str, day: dt.date) -> Any:
    from publisher.archive.errors import NotArchivedError

    earlier = [r for r in store.rows(report=report, until=day - dt.timedelta(days=1))]
    if not earlier:
        raise NotArchivedError(
            store.root, f"holds no {report} before {day}", "see publisher archive list DIR"
        )
    return max(earlier, key=lambda r: (r.as_of, r.revision))


@archive.command()
@archive_argument
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@friendly
@guarded
def search(archive_dir: Path, text: str, as_json: bool) -> None:
    """Reports whose printed text holds TEXT (any substring, Chinese too), newest first.

    Searches the analyst's sentences, the figures as printed and the titles of every
    revision; each match is shown with the text around it."""
    from publisher.archive.search import search as search_archive
    from publisher.archive.store import Archive

    if not text.strip():
        raise click.UsageError("TEXT is empty: give the words to look for")
    store = Archive.open(archive_dir)
    with store.index() as index:
        hits = search_archive(index, store.root, text)
    _echo_all(hits, as_json, f"report revision(s) hold {text!r}")


@archive.command()
@archive_argument
@click.argument("series_id", metavar="SERIES_ID")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@friendly
@guarded
def series(archive_dir: Path, series_id: str, as_json: bool) -> None:
    """SERIES_ID's value as each revision printed it, oldest first: what clients were told,
    and when (更正 marks a correction)."""
    from publisher.archive.search import series as series_of
    from publisher.archive.store import Archive

    store = Archive.open(archive_dir)
    with store.index() as index:
        printed = series_of(index, store.root, series_id)
    _echo_all(printed, as_json, f"revision(s) printed {series_id}")


def _echo_all(found: list[Any], as_json: bool, counted: str) -> None:
    for item in found:
        click.echo(json.dumps(asdict(item), ensure_ascii=False) if as_json else item.line())
    if not as_json:
        click.echo(f"{len(found)} {counted}", err=True)


@archive.command()
@archive_argument
@click.option(
    "--deep",
    is_flag=True,
    help="Also hold every output to its format again: PDF/A-2b, Open XML (~6 s a revision).",
)
@friendly
@guarded
def verify(archive_dir: Path, deep: bool) -> None:
    """Recompute every hash and index column; exit 1 naming each problem.

    Tampered, missing and unexpected files, index columns that disagree with the manifest in
    their folder, and a damaged index (the folders are then checked on their own); with
    --deep, outputs that are not PDF/A-2b or not valid Open XML."""
    from publisher.archive.store import Archive
    from publisher.archive.verify import verify as verify_archive

    store = Archive.at(archive_dir)
    damage = store.index_problem()
    if damage is None:
        store = Archive.open(archive_dir)  # adopts an interrupted publish, where it can
    elif damage == "missing" and not store.on_disk():
        raise store.missing()
    found = verify_archive(store, deep=deep)
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    for problem in found.problems:
        click.echo(problem.line(), err=True)
    if not found.ok:
        click.echo(f"FAILED: {len(found.problems)} problem(s) in {archive_dir}", err=True)
        sys.exit(1)
    click.echo(f"ok: {found.revisions} revision(s), {found.files} files verified in {archive_dir}")


@archive.command()
@archive_argument
@click.argument("report")
@click.argument("date", type=date_type)
@click.option("--revision", type=click.IntRange(1), help="Default: the latest.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the rebuilt files here (a re-issue); by default they are discarded.",
)
@click.option("--jobs", type=click.IntRange(1), help="Processes drawing charts (default: 2).")
@layouts_option
@friendly
@guarded
def rebuild(
    archive_dir: Path,
    report: str,
    date: dt.datetime,
    revision: int | None,
    out: Path | None,
    jobs: int | None,
    layouts: tuple[Path, ...],
) -> None:
    """Rebuild a revision and compare it byte for byte.

    Builds REPORT on DATE again from its stored snapshot; exit 1 unless every output is
    identical to the archived one. A revision that kept no layout files (archived before
    they were kept) is built with those found on the layout search path."""
    from publisher.archive.store import Archive
    from publisher.archive.verify import rebuild as rebuild_revision
    from publisher.snapshot.layoutfile import layout_search

    search = layout_search(layouts)
    store = Archive.open(archive_dir)
    done = rebuild_revision(store, report, date.date(), revision, out, jobs, search)
    row = done.row
    click.echo(f"rebuilt {row.report_id} {row.as_of} r{row.revision} from its stored snapshot")
    if done.package_version != done.manifest.package_version:
        click.echo(
            f"note: archived with publisher {done.manifest.package_version}, "
            f"rebuilt with {done.package_version}",
            err=True,
        )
    for name, verdict in done.outputs:
        click.echo(f"  {verdict:<9} {name}")
    if any(verdict == "damaged" for _, verdict in done.outputs):
        click.echo(
            "note: a damaged output was rebuilt as published, but the archive is read-only: "
            "it was not put back (keep the rebuilt file with --out)",
            err=True,
        )
    if out is not None:
        click.echo(f"kept in {out}")
    sys.exit(0 if done.ok else 1)


@archive.command()
@archive_argument
@friendly
@guarded
def reindex(archive_dir: Path) -> None:
    """Rebuild index.sqlite from the revision folders, which are the truth.

    Every revision folder that verifies is indexed; one that does not is named and left out
    (exit 1). An index that said otherwise is kept aside as index.sqlite.damaged."""
    from publisher.archive.store import Archive

    store = Archive.at(archive_dir)
    if not store.index_path.exists() and not store.on_disk():
        raise store.missing()
    done = store.reindex()
    for problem in done.left_out:
        click.echo(f"left out {problem.path}: {problem.what}", err=True)
    if done.kept:
        click.echo(f"note: the damaged index is kept as {done.kept}", err=True)
    click.echo(f"reindexed {len(done.rows)} revision(s) from the folders in {store.root}")
    sys.exit(1 if done.left_out else 0)


@archive.command()
@archive_argument
@friendly
@guarded
def site(archive_dir: Path) -> None:
    """Write a static HTML index of the archive.

    DIR/index.html and DIR/site/: by report and date, newest first, with first-page
    thumbnails and revision history; relative links, so it works from file://."""
    from publisher.archive.site import write_site
    from publisher.archive.store import Archive

    written = write_site(Archive.open(archive_dir))
    click.echo(
        f"wrote {written.index} ({written.pages} report pages, {written.thumbnails} new thumbnails)"
    )
    if written.no_thumbnails:
        click.echo("note: pdftoppm (poppler-utils) not found; pages show no thumbnails", err=True)


# ── batch display: a progress bar on a terminal, one plain line a report otherwise ──


class _LogLines:
    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def __enter__(self) -> Callable[[Any], None]:
        return self.report

    def __exit__(self, *exc: object) -> None:
        return None

    def report(self, outcome: Any) -> None:
        self.done += 1
        click.echo(f"[{self.done}/{self.total}] {outcome.line()}")
        if outcome.detail:
            click.echo(outcome.detail)


class _ProgressBar:
    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("publishing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[last]}"),
        )
        self.task = self.progress.add_task("batch", total=total, last="")

    def __enter__(self) -> Callable[[Any], None]:
        self.progress.start()
        return self.report

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def report(self, outcome: Any) -> None:
        if outcome.status == "failed":
            self.progress.console.print(outcome.line(), markup=False, highlight=False)
        self.progress.update(self.task, advance=1, last=outcome.source.name)
