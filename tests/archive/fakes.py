"""A fast stand-in for the build and the check, for tests about archiving rather than reports.

A real build of the sample takes 3–4 s; these tests publish dozens of snapshots, so the
stand-in copies one real PDF under the name the build would give it and passes the check.
Run as a script, it is `publisher` with the stand-in patched in (for subprocess tests):

    python -m tests.archive.fakes PDF publish SNAPSHOT --archive DIR
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from publisher import atomic
from publisher.atomic import output_folder
from publisher.check import CheckResult


def fake_build(pdf: Path) -> Any:
    """A build that writes a copy of `pdf` named as the real build names its PDF."""

    def build(
        path: Path,
        out: Path,
        jobs: int | None = None,
        layout: str | None = None,
        snapshot: Any = None,
        layouts: Path | None = None,
        correction: Any = None,
    ) -> Any:
        report = tomllib.loads(Path(path).read_text(encoding="utf-8"))["report"]
        # as the real build writes: into --out through the one write path, so a test's
        # injected fault or a full disk hits it as it hits the renderers
        with output_folder(out):
            target = out / f"{layout or report['layout']}-{report['as_of']}.pdf"
            atomic.write_atomically(target, pdf.read_bytes())
        # the stand-in prepares nothing: publish then indexes from the stored snapshot
        quality = SimpleNamespace(warnings=())
        return SimpleNamespace(outputs=(target,), quality=quality, prepared=None)

    return build


def passing_check(path: Path, expect: object = None) -> CheckResult:
    return CheckResult(Path(path), "page", 1, ())


def patch(pdf: Path, setattr_: Any = setattr) -> None:
    """Swap the stand-ins into publisher.archive.publish (forked batch workers inherit it) and
    into the pipeline, which `archive rebuild` builds with."""
    import publisher.archive.publish as publish
    import publisher.pipeline as pipeline

    setattr_(publish, "build", fake_build(pdf))
    setattr_(publish, "check_file", passing_check)
    setattr_(pipeline, "build", fake_build(pdf))


def main() -> None:
    from publisher.archive.commands import archive, batch, publish

    patch(Path(sys.argv[1]))
    cli = click.Group(commands={"publish": publish, "batch": batch, "archive": archive})
    cli(sys.argv[2:])


if __name__ == "__main__":
    main()
