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
    # The reference prints in the stored unit (its labels say 吨, 个); the snapshot holds
    # values in the display unit, so the reference is divided as the loader divides.
    spec = sample.spec(row["series"])
    values = sample.series(row["series"])
    assert values.iloc[-1] == pytest.approx(float(row["current"]) / spec.per, abs=1e-9), row
    assert values.iloc[-2] == pytest.approx(float(row["previous"]) / spec.per, abs=1e-9), row


def it_compares_in_the_stored_unit_the_reference_labels(sample) -> None:
    """The division above is right only if the reference's unit is the stored one."""
    for row in REFERENCE_ROWS:
        spec = sample.spec(row["series"])
        if spec.per != 1:
            assert f"（{spec.stored}）" in row["label"], row


def it_keeps_dmc_inventory_in_tonnes_and_prints_it_in_10k_tonnes(sample) -> None:
    # the reference printed 105000 (吨) under a 万吨 label; the sample stores 吨, prints 万吨
    spec = sample.spec("si_dmc_inv_month")
    assert (spec.stored, spec.unit, spec.per) == ("吨", "万吨", 10_000)
    assert sample.series("si_dmc_inv_month").iloc[-1] == 10.5


def it_is_regenerated_byte_for_byte_by_its_script(tmp_path: Path) -> None:
    script = REPO / "samples" / "generate.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True
    )
    for name in ("catalog.csv", "observations.csv", "snapshot.toml"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
