"""Snapshot stage: the bundled sample ends on the reference report's 现值 and 前值."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.snapshot import load_snapshot
from tests.conftest import REPO, SAMPLE

REFERENCE_ROWS = list(
    csv.DictReader((REPO / "tests" / "data" / "reference_overview.csv").open(encoding="utf-8"))
)


@pytest.fixture(scope="module")
def sample():
    return load_snapshot(SAMPLE)


def it_anchors_at_least_thirty_reference_rows() -> None:
    assert len(REFERENCE_ROWS) >= 30


@pytest.mark.parametrize("row", REFERENCE_ROWS, ids=[r["series"] for r in REFERENCE_ROWS])
def it_ends_each_overview_series_on_the_reference_values(sample, row: dict[str, str]) -> None:
    values = sample.series(row["series"])
    assert values.iloc[-1] == pytest.approx(float(row["current"]), abs=1e-9), row["label"]
    assert values.iloc[-2] == pytest.approx(float(row["previous"]), abs=1e-9), row["label"]


def it_keeps_dmc_inventory_in_tonnes_as_the_reference_should_have(sample) -> None:
    assert sample.spec("si_dmc_inv_month").unit == "吨"
    assert sample.series("si_dmc_inv_month").iloc[-1] == 105000


def it_is_regenerated_byte_for_byte_by_its_script(tmp_path: Path) -> None:
    script = REPO / "samples" / "generate.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in ("catalog.csv", "observations.csv", "snapshot.toml"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
