"""Command line: the one place that talks to the user; every stage below it is pure."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from publisher.assets import SAMPLE
from publisher.errors import PublisherError
from publisher.snapshot import Snapshot, load_snapshot


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a PublisherError into one clear message and its exit status, never a traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PublisherError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return run


@click.group()
@click.version_option(package_name="publisher")
def main() -> None:
    """Write a commodity research desk's daily report from a dataset snapshot."""


snapshot_argument = click.argument(
    "snapshot", required=False, type=click.Path(path_type=Path), default=SAMPLE
)


@main.command()
@snapshot_argument
@friendly
def validate(snapshot: Path) -> None:
    """Check a snapshot; exit 2 with one clear message if it is unusable."""
    loaded = load_snapshot(snapshot)
    click.echo(_summary(loaded))


@main.command()
@snapshot_argument
@friendly
def preview(snapshot: Path) -> None:
    """Print the overview tables and daily views computed from SNAPSHOT."""
    from rich.console import Console

    from publisher import preview as terminal
    from publisher.pipeline import prepare

    terminal.show(prepare(snapshot), Console())


@main.command()
@snapshot_argument
@click.option("--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True)
@friendly
def build(snapshot: Path, out: Path) -> None:
    """Build the report for SNAPSHOT (default: the bundled sample) into --out."""
    loaded = load_snapshot(snapshot)
    click.echo(_summary(loaded))


def _summary(snapshot: Snapshot) -> str:
    filled = sum(1 for values in snapshot.observations.values() if not values.empty)
    points = sum(len(values) for values in snapshot.observations.values())
    return (
        f"ok: {snapshot.path} — report {snapshot.report_id} as of {snapshot.as_of}, "
        f"{filled}/{len(snapshot.catalog)} series with data, {points} observations, "
        f"products {', '.join(snapshot.judgements)}, signed by {snapshot.analyst.name}"
    )
