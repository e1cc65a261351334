"""Worker pools: a clone pool's workers pay for one start, share its tasks, and a death
breaks the pool instead of hanging it; nothing outlives its owner."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from publisher.workers import ClonePool

STARTS = Path(os.environ.get("TMPDIR", "/tmp")) / f"clone-pool-starts-{os.getpid()}"


def _count_start() -> None:
    with STARTS.open("a") as out:
        out.write(f"{os.getpid()}\n")


def _nothing() -> None:
    pass


def _who(pause: float) -> tuple[int, int]:
    time.sleep(pause)
    return os.getpid(), os.getppid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _pid() -> int:
    return os.getpid()


def it_starts_once_and_forks_the_other_workers_from_the_first() -> None:
    STARTS.unlink(missing_ok=True)
    pool = ClonePool(3, _count_start)
    try:
        workers = pool.pids()
        seen = [f.result(30) for f in [pool.submit(_who, 0.2) for _ in range(9)]]
    finally:
        pool.shutdown()
    (first,) = map(int, STARTS.read_text().split())  # the import happened in one process
    STARTS.unlink()
    assert len(set(workers)) == 3 and first in workers
    assert {pid for pid, _ in seen} == set(workers)  # each worker took tasks
    assert all(parent == first for pid, parent in seen if pid != first)


def it_hands_back_results_and_exceptions_by_future() -> None:
    pool = ClonePool(2, _nothing)
    try:
        assert pool.submit(sum, [1, 2, 3]).result(30) == 6
        with pytest.raises(ValueError, match="no such kind"):
            pool.submit(_fail, "no such kind").result(30)
    finally:
        pool.shutdown()


def it_finishes_what_it_was_given_before_it_stops() -> None:
    pool = ClonePool(2, _nothing)
    futures = [pool.submit(_who, 0.01) for _ in range(20)]
    pool.shutdown(wait=True)
    assert all(f.done() and not f.cancelled() for f in futures)


@pytest.mark.parametrize("killed", [0, 1], ids=["the first", "a clone"])
def it_breaks_when_a_worker_dies(killed: int) -> None:
    pool = ClonePool(2, _nothing)
    pids = pool.pids()
    waiting = [pool.submit(_who, 0.5) for _ in range(6)]
    os.kill(pids[killed], 9)
    with pytest.raises(BrokenProcessPool):
        for future in waiting:
            future.result(30)
    with pytest.raises(BrokenProcessPool):
        pool.submit(_pid)
    pool.shutdown()  # stops the survivor, even if the dead one held the task pipe's lock
    _gone(pids)


def it_drops_what_is_queued_when_cancelled() -> None:
    pool = ClonePool(2, _nothing)
    pids = pool.pids()
    futures = [pool.submit(_who, 0.3) for _ in range(10)]
    pool.shutdown(wait=True, cancel_futures=True)
    assert any(f.cancelled() for f in futures)
    for future in futures:
        with pytest.raises((CancelledError, BrokenProcessPool)):
            future.result(0)
    _gone(pids)


def it_leaves_no_worker_behind_when_its_owner_dies() -> None:
    code = (
        "import os; from publisher.workers import ClonePool; "
        "from tests.test_workers import _nothing; "
        "pool = ClonePool(2, _nothing); print(*pool.pids(), flush=True); os._exit(0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr
    _gone([int(pid) for pid in done.stdout.split()])


def _gone(pids: list[int] | tuple[int, ...], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _alive(pid)]
        time.sleep(0.05)
    assert not alive, f"workers {alive} outlived the pool"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waits for its parent, it runs nothing
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def it_calls_a_function_named_with_its_sealed_arguments_opened() -> None:
    from publisher.workers import Sealed, by_name, sealed_by_name

    sealed = sealed_by_name("os.path:join", "a", "b")
    assert isinstance(sealed, Sealed) and sealed != b"a/b"
    assert by_name("os.path:join", sealed, "c") == "a/b/c"
    assert by_name("os.path:join", b"raw", b"bytes") == b"raw/bytes"  # bytes stay bytes


def _square(n: int) -> int:
    return n * n


def _die_at_three(n: int) -> int:
    if n == 3:
        os._exit(1)  # as a killed process would
    return n * n


def it_computes_a_task_in_a_forked_process_with_what_this_one_holds() -> None:
    from publisher.workers import forked

    held = {"big": list(range(1000))}  # reaches the child by fork, not by pickle
    with forked(lambda: (os.getpid(), sum(held["big"]))) as job:
        pid, total = job.result()
    assert pid != os.getpid() and total == sum(range(1000))


def it_raises_here_what_the_forked_task_raised() -> None:
    from publisher.workers import forked

    with forked(_fail, "from the child") as job, pytest.raises(ValueError, match="from the child"):
        job.result()


def it_says_a_forked_process_died() -> None:
    from publisher.workers import forked

    with forked(os._exit, 1) as job, pytest.raises(BrokenProcessPool):
        job.result()


def it_ends_a_forked_process_whose_result_was_never_read() -> None:
    from publisher.workers import forked

    with forked(time.sleep, 60) as job:
        pid = job._pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # reaped already


def it_maps_in_a_forked_process_and_reads_the_results_in_order() -> None:
    from publisher.workers import forked_map

    with forked_map(_square, range(6)) as results:
        assert list(results) == [0, 1, 4, 9, 16, 25]


def it_computes_here_what_a_dead_forked_process_left() -> None:
    from publisher.workers import forked_map

    calls: list[int] = []

    def here(n: int) -> int:  # what this process computes itself, once the child is gone
        calls.append(n)
        return n * n

    results = forked_map(_die_at_three, range(6))
    results._function = here
    assert list(results) == [0, 1, 4, 9, 16, 25]
    assert calls == [3, 4, 5]
