"""Shared by the stages that work in other processes (chart drawing, the renderers, the
batch): how a worker process starts, a pool whose workers start at once, a pool whose workers
share one start, and a task forked beside this process with all it holds."""

from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, Self, TypeVar

T = TypeVar("T")


def worker_context() -> multiprocessing.context.BaseContext:
    """fork on Linux: a worker starts in milliseconds with what its parent imported, where
    spawn or forkserver pay a fresh interpreter and its imports. spawn elsewhere."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


# A build allocates millions of short-lived containers: collecting at 700 of them (Python's
# default) walks the same long-lived objects thousands of times. Every process of a build
# collects less often (a few MB more, ~0.2 s less).
GC_THRESHOLDS = (50_000, 50, 100)


@dataclass(frozen=True)
class Prestarted:
    """Processes a command started before its own imports, each loading a renderer on the core
    those imports leave idle: a build hands them its work instead of starting its own."""

    pdf: Pool | None = None
    deck: Pool | None = None

    def shutdown(self) -> None:
        for pool in (self.pdf, self.deck):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


class Sealed(bytes):
    """A task's result kept pickled: handed on by a process that need not load its classes
    (unpickling an object imports the module that defines its class)."""


def by_name(target: str, /, *args: Any) -> Any:
    """Call the function `target` ("package.module:function") with `args`, Sealed ones
    unpickled: a task handed by a process that need not load the module to name it, to one
    that has loaded it already (a function passed as itself is pickled by name, but only by
    a process that has loaded its module)."""
    module, function = target.split(":")
    opened = [pickle.loads(a) if isinstance(a, Sealed) else a for a in args]
    return getattr(importlib.import_module(module), function)(*opened)


def loader(target: str) -> Callable[[], None]:
    """A pool's initializer that calls the function `target` (see `by_name`)."""
    return functools.partial(by_name, target)


def sealed_by_name(target: str, /, *args: Any) -> Sealed:
    """`by_name`, its result Sealed."""
    return Sealed(pickle.dumps(by_name(target, *args), protocol=pickle.HIGHEST_PROTOCOL))


def started_pool(workers: int, initializer: Callable[[], None]) -> ProcessPoolExecutor:
    """`workers` processes, forked now rather than at the first real task, so that they
    load what `initializer` imports while this process goes on; forked before this process
    starts any thread (the pool's own come after)."""
    pool = ProcessPoolExecutor(workers, mp_context=worker_context(), initializer=initializer)
    pool.submit(_ready)  # the first task makes the pool start every worker
    return pool


def _ready() -> None:
    """Nothing: submitting it starts the pool's workers."""


class ClonePool:
    """`workers` processes that pay for one start: the first is forked from this process,
    runs `initializer` (a drawing worker imports matplotlib: ~0.35 s of CPU) and then forks
    the others from itself, so they begin with what it loaded instead of loading it again.
    Tasks go to whichever worker is free, in the order given; each result comes back as a
    future. A worker that dies breaks the pool, as a ProcessPoolExecutor's would: every
    future not done raises BrokenProcessPool, and so does every later submit. fork only:
    `shared_start_pool` chooses."""

    def __init__(self, workers: int, initializer: Callable[[], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._workers = workers
        tasks, self._tasks = context.Pipe(duplex=False)
        pipes = [context.Pipe(duplex=False) for _ in range(workers)]
        self._first = context.Process(
            target=_clone_and_serve,
            args=(initializer, (tasks, self._tasks, context.Lock()), [w for _, w in pipes]),
        )
        self._first.start()
        # Only workers read tasks and write results: a worker's death closes its result
        # pipe, and the workers' deaths make a blocked write of tasks fail, not hang.
        tasks.close()
        for _, writer in pipes:
            writer.close()
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._futures: dict[int, Future[Any]] = {}
        self._pids: list[int] = []
        self._hello = threading.Event()
        self._guard = threading.Lock()
        self._count = itertools.count()
        self._broken = False
        self._closing = False
        self._threads = (
            threading.Thread(target=self._collect, args=([r for r, _ in pipes],), daemon=True),
            threading.Thread(target=self._feed, daemon=True),  # submit never waits on a pipe
        )
        for thread in self._threads:
            thread.start()

    def submit(self, task: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._guard:
            if self._broken:
                raise BrokenProcessPool("a worker process ended abruptly")
            number = next(self._count)
            self._futures[number] = future
        self._outbox.put((number, task, args))
        return future

    def __enter__(self) -> ClonePool:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        """As a ProcessPoolExecutor: after the tasks given, or at once after an error."""
        self.shutdown(wait=True, cancel_futures=error is not None)

    def pids(self, timeout: float = 60.0) -> tuple[int, ...]:
        """The workers' process ids, once every one has started."""
        self._hello.wait(timeout)
        return tuple(self._pids)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Stop the workers: after the tasks given (as ProcessPoolExecutor), or at once with
        `cancel_futures`, dropping what is queued."""
        with self._guard:
            self._closing = True
            # a dead worker may have died holding the task pipe's lock: the rest are stopped
            cancel_futures = cancel_futures or self._broken
            if cancel_futures:
                for future in self._futures.values():
                    future.cancel()
        if cancel_futures:
            for pid in self._pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self._first.kill()
        else:
            for _ in range(self._workers):
                self._outbox.put(None)  # a worker stops when it reads one
        self._outbox.put(_STOP)
        if wait:
            self._first.join()
            for thread in self._threads:
                thread.join()

    def _feed(self) -> None:
        while (item := self._outbox.get()) is not _STOP:
            try:
                self._tasks.send(item)
            except OSError:  # every worker is gone: the pool is broken or stopped
                break
        self._tasks.close()

    def _collect(self, readers: list[Connection]) -> None:
        live = list(readers)
        while live:
            for reader in wait(live):
                assert isinstance(reader, Connection)
                try:
                    number, ok, value = reader.recv()
                except EOFError:
                    live.remove(reader)
                    self._lost()
                    continue
                if number is None:  # a worker's hello: its pid
                    self._pids.append(value)
                    if len(self._pids) == len(readers):
                        self._hello.set()
                    continue
                with self._guard:
                    future = self._futures.pop(number, None)  # None: failed as broken
                if future is not None and future.set_running_or_notify_cancel():
                    (future.set_result if ok else future.set_exception)(value)
        self._hello.set()

    def _lost(self) -> None:
        """A worker's pipe closed: at shutdown, as planned; otherwise it died."""
        with self._guard:
            if self._closing and not self._futures:
                return
            self._broken = True
            pending, self._futures = list(self._futures.values()), {}
        for future in pending:
            if future.set_running_or_notify_cancel():
                future.set_exception(BrokenProcessPool("a worker process ended abruptly"))


_STOP = object()  # tells the feeding thread to end
Tasks = tuple[Connection, Connection, Any]  # the task pipe's two ends and the readers' lock


class _Child:
    """A process forked from this one and the pipe its results come through. Leaving it as a
    context manager ends the process if it is still running."""

    def __init__(self, pid: int, reader: Connection) -> None:
        self._pid, self._reader = pid, reader

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._end(kill=True)

    def _end(self, kill: bool) -> None:
        if self._pid:
            _reap(self._pid, kill)
            self._ended()
            self._reader.close()
            self._pid = 0

    def _ended(self) -> None:
        """What else stops with the process."""


class Forked(_Child, Generic[T]):
    """A task running in a process forked from this one (see `forked`): its result, read once."""

    def result(self) -> T:
        """The task's result, or its exception raised here; waits for it."""
        try:
            ok, value = self._reader.recv()
        except EOFError:
            raise BrokenProcessPool("a forked process ended abruptly") from None
        finally:
            self._end(kill=False)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]


def forked(task: Callable[..., T], /, *args: Any) -> Forked[T]:
    """`task(*args)` run in a process forked now: it starts with all this process holds, so
    nothing is pickled on the way in (a loaded snapshot, for one); its result comes back
    pickled. fork only (Linux): `worker_context` says where."""
    return Forked(*_fork(lambda results: _send_outcome(results, task, args)))


def _send_outcome(results: Connection, task: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        outcome: tuple[bool, Any] = (True, task(*args))
    except BaseException as error:
        outcome = (False, error)
    try:
        results.send(outcome)
    except Exception as error:  # an unpicklable result or exception
        results.send((False, RuntimeError(f"{type(error).__name__}: {error}")))


def _fork(body: Callable[[Connection], None]) -> tuple[int, Connection]:
    """A process forked now that runs `body` with the writing end of a pipe, then leaves
    without this process's exit handlers (they are this process's, not its): its pid, and
    the reading end."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:
        try:
            reader.close()
            body(writer)
        finally:
            os._exit(0)
    writer.close()
    return pid, reader


def _reap(pid: int, kill: bool) -> None:
    """Wait for the forked process `pid` to end, killed first if `kill`."""
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


class ForkedMap(_Child, Generic[T]):
    """`function` over `items`, computed in a process forked from this one (see `forked_map`),
    each result read here in turn, as soon as it is ready. A thread drains the pipe as the
    results come, so the process runs ahead, not one result ahead (a pipe holds 64 kB).
    Should the process die, this one computes what is left."""

    def __init__(self, pid: int, reader: Connection, function: Callable[[Any], T], items: Any):
        super().__init__(pid, reader)
        self._function, self._items = function, list(items)
        self._results: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
        self._drain = threading.Thread(target=self._read, daemon=True)
        self._drain.start()

    def _read(self) -> None:
        try:
            for _ in self._items:
                self._results.put((True, self._reader.recv()))
        except (EOFError, OSError):  # the process is gone
            self._results.put((False, None))

    def __iter__(self) -> Iterator[T]:
        for n in range(len(self._items)):
            ok, value = self._results.get()
            if not ok:  # the rest are computed here
                self._end(kill=True)
                yield from (self._function(i) for i in self._items[n:])
                return
            yield value
        self._end(kill=False)

    def _ended(self) -> None:
        self._drain.join()


def forked_map(function: Callable[[Any], T], items: Iterable[Any]) -> ForkedMap[T]:
    """`function` applied to each of `items` in a process forked now, beside this one, which
    reads the results in order (they must pickle; an exception ends the process, and this
    one computes the rest). For work this process would do next, on a core left idle."""
    items = list(items)

    def each(results: Connection) -> None:
        for item in items:
            results.send(function(item))

    return ForkedMap(*_fork(each), function, items)


# A pool of worker processes: a ClonePool where processes fork (Linux), else an executor.
Pool = ClonePool | Executor


def shared_start_pool(workers: int, initializer: Callable[[], None]) -> Pool:
    """A ClonePool where processes fork; elsewhere a pool of fresh workers, each of which
    runs `initializer` itself."""
    if worker_context().get_start_method() == "fork":
        return ClonePool(workers, initializer)
    return started_pool(workers, initializer)


def _clone_and_serve(
    initializer: Callable[[], None], tasks: Tasks, writers: list[Connection]
) -> None:
    """The first worker: load, fork the others from itself, then serve beside them."""
    reader, feeder, lock = tasks
    feeder.close()  # so that the owner's death reads as the end of the tasks
    initializer()
    mine, parent = 0, os.getppid()
    clones: list[int] = []
    for number in range(1, len(writers)):
        pid = os.fork()
        if pid == 0:
            mine, parent = number, os.getppid()
            clones = []
            break
        clones.append(pid)
    for number, writer in enumerate(writers):
        if number != mine:
            writer.close()  # so that this worker's death alone closes its pipe
    try:
        _serve(reader, lock, writers[mine], parent)
    finally:
        if mine:
            os._exit(0)  # a clone: none of its forked parent's exit handlers are its own
        for pid in clones:
            os.waitpid(pid, 0)


def _serve(tasks: Connection, lock: Any, results: Connection, parent: int) -> None:
    results.send((None, True, os.getpid()))
    while True:
        item = _next_task(tasks, lock, parent)
        if item is None:
            return
        number, task, args = item
        try:
            outcome = (number, True, task(*args))
        except BaseException as error:  # handed to the reader, as a ProcessPoolExecutor does
            outcome = (number, False, error)
        try:
            results.send(outcome)
        except Exception as error:  # an unpicklable result or exception
            results.send((number, False, RuntimeError(f"{type(error).__name__}: {error}")))


def _next_task(tasks: Connection, lock: Any, parent: int) -> Any:
    """The next task, or None: told to stop, or the owner gone (its end of the pipe closed,
    or, when another process still holds that end, this worker orphaned)."""
    while True:
        if lock.acquire(timeout=1.0):  # one reader at a time: a message is read whole by one
            try:
                if tasks.poll(1.0):
                    return tasks.recv()
            except EOFError:
                return None
            finally:
                lock.release()
        if os.getppid() != parent:
            return None
