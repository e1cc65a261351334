"""Command line: the argument and the option several commands share (SNAPSHOT, --layouts)."""

from __future__ import annotations

from pathlib import Path

import click

from publisher.assets import SAMPLE
from publisher.snapshot.layoutfile import ENV


def _snapshot(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """SNAPSHOT, or the sample when none is given, which only a checkout of the repository
    has: an installed wheel carries no sample data."""
    if value is not None:
        return value
    if SAMPLE.is_dir():
        return SAMPLE
    click.echo(
        "error: SNAPSHOT: none given, and the sample snapshot (samples/silicon-2025-05-27) "
        "is only in publisher's repository, not in an installed package\n"
        f"  fix: name a snapshot folder: {ctx.command_path} path/to/snapshot …",
        err=True,
    )
    ctx.exit(2)


snapshot_argument = click.argument(
    "snapshot", required=False, type=click.Path(path_type=Path), callback=_snapshot
)
layouts_option = click.option(
    "--layouts",
    multiple=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help=f"Look for layouts in DIR first (may be repeated), then in {ENV}, then in the "
    "bundled layouts.",
)
