"""Errors a user can act on: each names the file, the row or series, and the fix."""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any


def plain(value: float) -> str:
    """A number for a message, as a person writes it: 1200000, 0.5, ∞; never 1.2e+06, since
    an exponent hides the very digit a slip added."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if math.isnan(value):
        return "NaN"
    # float(): a numpy float's repr is np.float64(…); + 0.0 turns -0.0 into 0.0
    return f"{Decimal(repr(float(value) + 0.0)).normalize():f}"


class PublisherError(Exception):
    """A problem in the user's input; the CLI prints it and exits with `exit_code`."""

    exit_code = 2

    def __init__(self, where: str | Path, what: str, fix: str = "") -> None:
        self.where = str(where)
        self.what = what
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text

    def __reduce__(self) -> tuple[type[PublisherError], tuple[str, str, str]]:
        # raised in a worker process (a chart, a batch task), it travels back pickled: by
        # default as its message alone, which this constructor cannot take
        return type(self), (self.where, self.what, self.fix)


class SnapshotError(PublisherError):
    """The snapshot (manifest, catalog, observations or brand file) is not usable."""


class ImplausibleValueError(SnapshotError):
    """A value lies outside its series' plausibility range (often a unit slip)."""


class LayoutError(PublisherError):
    """A layout file is malformed or refers to something the snapshot lacks."""


class QualityError(PublisherError):
    """The data-quality report found an error: the build stops before writing anything."""


class OutputError(PublisherError):
    """The output folder cannot be made or written (a file in the way, no space, no rights)."""


class CheckError(PublisherError):
    """A built output fails the compliance check: it must not leave the desk."""

    exit_code = 1


class EnvironmentFailure(PublisherError):
    """The machine refused: no space left, no permission, a read-only disk, an I/O error. Not
    the input's fault, so not exit 2; nothing is half-written, and the same command succeeds
    once the machine is put right."""

    exit_code = 3


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a PublisherError into one clear message and its exit status, never a traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PublisherError as exc:
            import click  # the command line's concern: the stages importing errors never need it

            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return run
