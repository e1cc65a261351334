"""Batch on a Dask cluster (issue 14): a real LocalCluster — a scheduler and two worker
processes talking TCP on 127.0.0.1 — publishes a backfill as the local batch does, byte for
byte; a worker killed mid-task, and a second batch on the same archive, leave every report
published exactly once. Skipped without dask[distributed] (the `test` extra installs it)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from publisher.archive.store import Archive
from publisher.batch_dask import EXTRA, Staged, _commit, stage_one
from tests.archive.conftest import cli, no_traceback, run_cli
from tests.conftest import REPO

DAYS = 6


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    """A client of the cluster, both workers up (a killed one comes back, by its nanny)."""
    import distributed

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as connected:
        connected.wait_for_workers(2, timeout=60)
        yield connected


@pytest.fixture(scope="module")
def days(backfill: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dask") / "snapshots"
    backfill.backfill(root, days=DAYS)
    return root


def hashes(archive: Path) -> dict[str, str]:
    return {
        p.relative_to(archive).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((archive / "reports").rglob("*"))
        if p.is_file()
    }


def published_once(archive: Path) -> None:
    """Every day of the backfill archived as r1, nothing else, nothing left in staging."""
    rows = Archive.open(archive).rows()
    assert sorted((str(r.as_of), r.revision) for r in rows) == sorted(
        (str(r.as_of), 1) for r in rows
    )
    assert len({r.as_of for r in rows}) == DAYS and len(rows) == DAYS
    assert len(list((archive / "reports").glob("*/*/r*"))) == DAYS
    assert list((archive / ".staging").iterdir()) == []
    verified = cli("archive", "verify", archive)
    assert verified.exit_code == 0, verified.output


def it_publishes_a_backfill_on_the_cluster_as_the_local_batch_does(
    client: Any, days: Path, tmp_path: Path
) -> None:
    on_cluster, local = tmp_path / "on-cluster", tmp_path / "local"
    result = cli("batch", days, "--archive", on_cluster, "--scheduler", client.scheduler.address)
    assert result.exit_code == 0, result.output
    assert "to publish on the Dask cluster at tcp://127.0.0.1:" in result.output
    assert f"batch: {DAYS} published (0 更正), 0 already archived, 0 failed" in result.output
    assert f"[{DAYS}/{DAYS}] published silicon-daily" in result.output
    published_once(on_cluster)
    assert cli("batch", days, "--archive", local, "--jobs", "2").exit_code == 0
    assert hashes(on_cluster) == hashes(local) and len(hashes(local)) > DAYS * 5
    assert Archive.open(on_cluster).rows() == Archive.open(local).rows()
    again = cli("batch", days, "--archive", on_cluster, "--scheduler", client.scheduler.address)
    assert f"0 published (0 更正), {DAYS} already archived" in again.output


def it_publishes_every_report_once_when_a_worker_is_killed_mid_task(
    client: Any, days: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    pids = client.run(os.getpid)  # each worker process, by its address
    run = run_cli("batch", days, "--archive", archive, "--scheduler", client.scheduler.address)
    victim = None
    try:
        deadline = time.monotonic() + 300
        while victim is None and time.monotonic() < deadline and run.poll() is None:
            # a worker has staged files of a revision it is building: kill that worker
            if list(archive.glob(".staging/*/*/*/revision/snapshot")):
                busy = [a for a, keys in client.processing().items() if keys]
                if busy:
                    victim = pids[busy[0]]
                    os.kill(victim, signal.SIGKILL)
            time.sleep(0.05)
        out, err = run.communicate(timeout=600)
    finally:
        run.kill()
    assert victim is not None, (out, err)
    assert run.returncode == 0, (out, err)
    assert f"batch: {DAYS} published" in out
    published_once(archive)


def it_gives_no_duplicate_when_two_batches_share_a_cluster_and_an_archive(
    client: Any, days: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    address = client.scheduler.address
    runs = [run_cli("batch", days, "--archive", archive, "--scheduler", address) for _ in "ab"]
    streams = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], streams
    published = [int(out.split("batch: ")[-1].split(" published")[0]) for out, _ in streams]
    assert sum(published) == DAYS, streams
    published_once(archive)


# ── without a cluster ──


def it_leaves_one_revision_when_a_task_runs_twice(tmp_path: Path, fast_build: object) -> None:
    from tests.conftest import SAMPLE

    archive = Archive.open(tmp_path / "archive", create=True)
    layouts = ("<bundled>",)
    with archive.stage() as stage:
        first, second = stage / "0001", stage / "0002"
        first.mkdir(), second.mkdir()
        dead = stage_one(SAMPLE, first, layouts, 1, None)  # its worker died before reporting
        rerun = stage_one(SAMPLE, first, layouts, 1, None)  # Dask ran it again
        assert isinstance(dead, Staged) and isinstance(rerun, Staged)
        assert not dead.folder.exists()  # the rerun swept the dead attempt's folder
        assert [p.name for p in first.iterdir()] == [rerun.folder.parent.name]
        twice = stage_one(SAMPLE, second, layouts, 1, None)  # and once more, both reported
        assert isinstance(twice, Staged)
        done = [_commit(archive, staged, SAMPLE) for staged in (rerun, twice)]
    assert [o.status for o in done if o] == ["published", "unchanged"]
    assert [(r.as_of.isoformat(), r.revision) for r in archive.rows()] == [("2025-05-27", 1)]
    assert cli("archive", "verify", archive.root).exit_code == 0


def it_names_the_extra_when_dask_is_not_installed(
    days: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    monkeypatch.setenv("PUBLISHER_SCHEDULER", "tcp://127.0.0.1:8786")
    result = cli("batch", days, "--archive", tmp_path / "archive")
    assert result.exit_code == 2, result.output
    assert f"pip install '{EXTRA}'" in result.output
    no_traceback(result)
    assert not (tmp_path / "archive").exists()  # nothing written


def it_says_when_no_scheduler_answers(days: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = cli(
        "batch", days, "--archive", tmp_path / "a", "--scheduler", f"tcp://127.0.0.1:{port}"
    )
    assert result.exit_code == 3, result.output
    assert f"error: tcp://127.0.0.1:{port}: no Dask scheduler answers there" in result.output
    assert "fix: start it (dask scheduler)" in result.output
    no_traceback(result)
    assert not (tmp_path / "a").exists()  # nothing written
    result = cli("batch", days, "--archive", tmp_path / "a", "--scheduler", "sched")
    assert result.exit_code == 2, result.output
    assert "error: --scheduler: 'sched' is not a Dask scheduler's address" in result.output
    assert "fix: give it as tcp://HOST:8786" in result.output
    no_traceback(result)


def it_never_imports_dask_without_a_scheduler(tmp_path: Path) -> None:
    code = (
        "import sys; from publisher.cli import main\n"
        "try: main(sys.argv[1:])\n"
        "except SystemExit as done: assert done.code == 0, done.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    (tmp_path / "empty").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", code, "batch", tmp_path / "empty", "--archive", tmp_path / "a"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PUBLISHER_SCHEDULER": ""},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def it_builds_one_report_at_a_time_in_a_many_threaded_worker(
    tmp_path: Path, fast_build: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker started with several threads runs its tasks' builds one after another:
    matplotlib's settings, the kept chart figures and the check's shortcuts are per process."""
    import threading
    import time

    from publisher.archive import publish as publishing
    from tests.conftest import SAMPLE

    real, lock = publishing._staged_revision, threading.Lock()
    inside, most = [0], [0]

    def counted(*args: Any, **kwargs: Any) -> Any:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.2)  # long enough for the other thread to arrive
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(publishing, "_staged_revision", counted)
    archive = Archive.open(tmp_path / "archive", create=True)
    with archive.stage() as stage:
        tasks = [stage / "0001", stage / "0002"]
        for task in tasks:
            task.mkdir()
        results: list[object] = []
        threads = [
            threading.Thread(
                target=lambda t=task: results.append(stage_one(SAMPLE, t, ("<bundled>",), 1, None))
            )
            for task in tasks
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert most[0] == 1
    assert len(results) == 2 and all(isinstance(r, Staged) for r in results)
