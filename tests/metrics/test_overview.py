"""Metrics: overview rows share one namespace of figure keys with the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import LayoutError
from publisher.metrics.overview import compute_metrics
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout

TABLE = '[[tables]]\nid = "t"\n[[tables.sections]]\ncategory = "基差"\nrows = [{rows}]\n'


def _metrics(folder: Path, snapshot: Path, rows: str) -> object:
    (folder / "t.toml").write_text(TABLE.format(rows=rows), encoding="utf-8")
    loaded = load_snapshot(snapshot)
    return compute_metrics(loaded, load_layout("t", loaded.catalog, folder))


def it_refuses_a_derived_row_named_like_a_catalog_series(tiny_snapshot: Path, tmp_path: Path):
    row = '{ id = "si_fut_07", basis = ["si_spot_553", "si_fut_07"] }'
    with pytest.raises(LayoutError, match="'si_fut_07' of a basis row is already used by a cat"):
        _metrics(tmp_path, tiny_snapshot, row)


def it_refuses_two_different_rows_under_one_id(tiny_snapshot: Path, tmp_path: Path) -> None:
    rows = (
        '{ id = "b", basis = ["si_spot_553", "si_fut_07"] }, '
        '{ id = "b", spread = ["si_fut_07", "si_spot_553"] }'
    )
    with pytest.raises(LayoutError, match="'b' of a spread row is already used by another row"):
        _metrics(tmp_path, tiny_snapshot, rows)


def it_allows_the_same_derived_row_twice(tiny_snapshot: Path, tmp_path: Path) -> None:
    row = '{ id = "b", basis = ["si_spot_553", "si_fut_07"] }'
    metrics = _metrics(tmp_path, tiny_snapshot, f"{row}, {row}")
    assert metrics.figures["b"].current == 8350 - 7440  # type: ignore[attr-defined]
