"""The backfill sample: a run of business-day snapshots cut from the sample, deterministically."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from publisher.snapshot import load_snapshot
from tests.conftest import REPO, SAMPLE


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def it_writes_twenty_business_days_ending_on_the_sample_date(
    backfill: ModuleType, tmp_path: Path
) -> None:
    folders = backfill.backfill(tmp_path, days=20)
    days = [dt.date.fromisoformat(f.name.removeprefix("silicon-")) for f in folders]
    assert len(days) == 20 and days[-1] == dt.date(2025, 5, 27) and days[0] == dt.date(2025, 4, 30)
    assert all(day.weekday() < 5 for day in days) and days == sorted(days)
    for folder, day in zip(folders, days, strict=True):
        manifest = tomllib.loads((folder / "snapshot.toml").read_text(encoding="utf-8"))
        assert manifest["report"]["as_of"] == day
        assert manifest["report"]["id"] == "silicon-daily"
        rows = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()[1:]
        assert max(row[:10] for row in rows) == day.isoformat()
    last = folders[-1] / "observations.csv"
    assert last.read_bytes() == (SAMPLE / "observations.csv").read_bytes()
    assert (tmp_path / "brand" / "brand.toml").is_file()
    assert (tmp_path / "brand" / "template.pptx").is_file()


def it_writes_the_same_bytes_every_time(backfill: ModuleType, tmp_path: Path) -> None:
    backfill.backfill(tmp_path / "a", days=3)
    backfill.backfill(tmp_path / "b", days=3)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def it_writes_snapshots_that_load_with_their_own_date(backfill: ModuleType, tmp_path: Path) -> None:
    (first,) = backfill.backfill(tmp_path, days=1, end=dt.date(2025, 5, 2))
    snapshot = load_snapshot(first)
    assert snapshot.as_of == dt.date(2025, 5, 2)
    assert max(v.index.max() for v in snapshot.observations.values() if not v.empty).date() <= (
        snapshot.as_of
    )


def it_runs_as_a_script(tmp_path: Path) -> None:
    script = REPO / "samples" / "backfill.py"
    done = subprocess.run(
        [sys.executable, script, "--days", "3", "--out", tmp_path],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote 3 snapshots (silicon-2025-05-23 … silicon-2025-05-27)" in done.stdout
