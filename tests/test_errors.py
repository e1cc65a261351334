"""Errors: one clear message and its exit status, whichever process raised them."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from publisher.archive.errors import IndexDamagedError
from publisher.errors import EnvironmentFailure, LayoutError, PublisherError

RAISED = [
    LayoutError("charts.toml", "chart 'x' prints '𠀀'", "use another character"),
    EnvironmentFailure("/tmp/out", "no space left on the device"),
    IndexDamagedError("index.sqlite", "disagrees with its folders", "publisher archive reindex"),
]


def _raise(error: PublisherError) -> None:
    raise error


@pytest.mark.parametrize("error", RAISED, ids=lambda e: type(e).__name__)
def it_survives_pickling_whole(error: PublisherError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert (again.where, again.what, again.fix, again.exit_code) == (
        error.where,
        error.what,
        error.fix,
        error.exit_code,
    )


def it_reaches_the_parent_from_a_worker_process() -> None:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(_raise, RAISED[0])
        with pytest.raises(LayoutError) as raised:
            future.result()
    assert str(raised.value) == str(RAISED[0])
