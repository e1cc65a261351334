"""Command line entry: a build's renderers start in processes of their own before the command
imports anything heavy, so they load reportlab, python-pptx and the fonts on the core that
those imports (pandas above all) leave idle; then the command runs."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from publisher.render import LOAD_DECK, LOAD_PDF
from publisher.workers import GC_THRESHOLDS, Prestarted, loader, shared_start_pool

FORMATS = "pdf,pptx"  # as `publisher build --format` defaults


def run() -> None:
    """The console script: `publisher …`."""
    gc.set_threshold(*GC_THRESHOLDS)  # before the renderers fork: theirs too (see cli.run)
    early = prestart(sys.argv[1:])
    try:
        from publisher.cli import run as command

        command(early)
    finally:
        early.shutdown()


def prestart(args: Sequence[str]) -> Prestarted:
    """The renderers a command will use, started now: a build's on more than one core. The
    arguments are only glanced at here (click reads them properly later): a renderer started
    for nothing costs the second core a moment; without one, the build renders as a library
    call does (the PDF in its own process, a deck beside it in one it starts)."""
    formats = build_formats(args)
    if not formats or (os.cpu_count() or 1) < 2:
        return Prestarted()
    return Prestarted(
        pdf=shared_start_pool(1, loader(LOAD_PDF)) if "pdf" in formats else None,
        deck=shared_start_pool(1, loader(LOAD_DECK)) if "pptx" in formats else None,
    )


def build_formats(args: Sequence[str]) -> tuple[str, ...]:
    """The formats `args` ask `publisher build` for; none for another command, or for help."""
    words = [a for a in args if not a.startswith("-")]
    if not words or words[0] != "build" or "--help" in args:
        return ()
    value = FORMATS
    for n, arg in enumerate(args):
        if arg == "--format" and n + 1 < len(args):
            value = args[n + 1]
        elif arg.startswith("--format="):
            value = arg.split("=", 1)[1]
    return tuple(f.strip() for f in value.split(",") if f.strip())
