"""Snapshot stage: a snapshot loads from every accepted file form, with its judgements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from publisher.snapshot import load_snapshot


def it_loads_a_long_csv_snapshot(tiny_snapshot: Path) -> None:
    snap = load_snapshot(tiny_snapshot)
    assert snap.as_of == dt.date(2025, 5, 27)
    assert snap.series("si_fut_07").tolist() == [7610.0, 7440.0]
    assert snap.spec("si_social_stock").decimals == 1
    assert snap.spec("si_fut_07").decimals == 0  # the unit's default
    assert snap.judgements["si"].factor("库存").verdict == "偏空"
    assert snap.judgements["si"].range_call.low == 7335
    assert snap.analyst.qualification == "F00000000"


def it_accepts_the_manifest_path_as_well_as_the_folder(tiny_snapshot: Path) -> None:
    assert load_snapshot(tiny_snapshot / "snapshot.toml").report_id == "silicon-daily"


def it_reads_a_gbk_csv_as_chinese_excel_saves_it(tiny_snapshot: Path) -> None:
    text = (tiny_snapshot / "catalog.csv").read_text(encoding="utf-8")
    (tiny_snapshot / "catalog.csv").write_bytes(text.encode("gbk"))
    assert load_snapshot(tiny_snapshot).spec("si_spot_553").name == "华东不通氧553#硅"


def it_reads_a_wide_excel_export(tiny_snapshot: Path) -> None:
    wide = pd.DataFrame(
        {
            "日期": pd.to_datetime(["2025-05-26", "2025-05-27"]),
            "si_fut_07": [7610, 7440],
            "si_spot_553": [8450, 8350],
        }
    )
    wide.to_excel(tiny_snapshot / "prices.xlsx", index=False)
    _use_observations(tiny_snapshot, "prices.xlsx")
    snap = load_snapshot(tiny_snapshot)
    assert snap.series("si_spot_553").tolist() == [8450.0, 8350.0]
    assert snap.series("si_social_stock").empty


def it_reads_long_parquet(tiny_snapshot: Path) -> None:
    frame = pd.read_csv(tiny_snapshot / "observations.csv")
    frame.to_parquet(tiny_snapshot / "obs.parquet")
    _use_observations(tiny_snapshot, "obs.parquet")
    assert load_snapshot(tiny_snapshot).series("si_social_stock").iloc[-1] == pytest.approx(58.2)


def it_treats_empty_wide_cells_as_no_observation(tiny_snapshot: Path) -> None:
    (tiny_snapshot / "wide.csv").write_text(
        "date,si_fut_07,si_social_stock\n2025-05-23,7500,58.2\n2025-05-27,7440,\n", encoding="utf-8"
    )
    _use_observations(tiny_snapshot, "wide.csv")
    snap = load_snapshot(tiny_snapshot)
    assert snap.series("si_social_stock").index.tolist() == [pd.Timestamp("2025-05-23")]


def it_loads_the_bundled_sample() -> None:
    from tests.conftest import SAMPLE

    snap = load_snapshot(SAMPLE)
    assert snap.as_of == dt.date(2025, 5, 27)
    assert set(snap.judgements) == {"si", "ps"}
    assert "示例" in snap.brand.firm  # a placeholder firm, never the real one


def _use_observations(folder: Path, name: str) -> None:
    manifest = folder / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8").replace('"observations.csv"', f'"{name}"')
    manifest.write_text(text, encoding="utf-8")
