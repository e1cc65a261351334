"""Shared by the stages that work in other processes (chart drawing, the deck, the batch):
how a worker process starts, and a pool whose workers start at once."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def worker_context() -> multiprocessing.context.BaseContext:
    """fork on Linux: a worker starts in milliseconds with what its parent imported, where
    spawn or forkserver pay a fresh interpreter and its imports. spawn elsewhere."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def started_pool(workers: int, initializer: Callable[[], None]) -> ProcessPoolExecutor:
    """`workers` processes, forked now rather than at the first real task, so that they
    load what `initializer` imports while this process goes on; forked before this process
    starts any thread (the pool's own come after)."""
    pool = ProcessPoolExecutor(workers, mp_context=worker_context(), initializer=initializer)
    pool.submit(_ready)  # the first task makes the pool start every worker
    return pool


def _ready() -> None:
    """Nothing: submitting it starts the pool's workers."""
