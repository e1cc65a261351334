"""Snapshot stage, by property: any observations either are refused or print clean figures."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.check import forbidden_tokens
from publisher.errors import SnapshotError
from publisher.metrics import formatting as fmt
from publisher.metrics.figures import Figure
from publisher.metrics.overview import Metrics, compute_metrics
from publisher.metrics.quality import assess
from publisher.snapshot import load_snapshot
from publisher.snapshot.layoutfile import load_layout
from tests.conftest import BRAND, MANIFEST

# No ranges on the prices and counts, so zeros, negatives and big numbers reach the figures.
CATALOG = """\
id,name,unit,frequency,source,product,decimals,min,max
si_fut_07,07合约,元/吨,daily,WIND,si,,,
si_spot_553,华东553#硅,元/千克,daily,SMM,si,2,,
si_social_stock,周度社会库存,万吨,weekly,SMM,si,1,0,200
si_wafer_count,硅片产量,个,daily,SMM,si,,,
"""
SERIES = ("si_fut_07", "si_spot_553", "si_social_stock", "si_wafer_count")
LAYOUT = """\
[[tables]]
id = "si_overview"
title = "工业硅行情概览"
product = "si"

[[tables.sections]]
category = "全部"
rows = [
  { series = "si_fut_07" },
  { series = "si_spot_553" },
  { series = "si_social_stock" },
  { series = "si_wafer_count" },
  { id = "si_basis_07", label = "07合约基差", basis = ["si_spot_553", "si_fut_07"], scale = 1000 },
  { id = "si_spread", label = "价差", spread = ["si_fut_07", "si_spot_553"] },
  { id = "si_ma3_07", label = "07合约MA3", ma = "si_fut_07", window = 3 },
  { id = "si_net", label = "净额", net = ["si_fut_07", "si_wafer_count"] },
]
"""
AS_OF = dt.date(2025, 5, 27)
PROPERTY = settings(max_examples=60, derandomize=True, deadline=None)

numbers = st.one_of(
    st.integers(-(10**7), 10**7).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:.3f}"),
    st.sampled_from(["0", "-0", "0.0", "1,234.5", " 58.2 ", "1e3", "-7440"]),
)
hostile = st.sampled_from(["", "nan", "NaN", "inf", "-inf", "None", "#N/A", "1e20", "1e308", "--"])
# A few recent business days, so series share dates (basis, spreads) and leave gaps.
recent = [d.date() for d in pd.bdate_range(end=AS_OF, periods=12)]
days = st.sampled_from(recent).map(lambda d: d.isoformat() if d.day % 2 else f"{d:%Y/%-m/%-d}")
# Stock levels mostly within the catalog's 0–200 万吨, now and then beyond it.
stocks = st.floats(-5, 210, allow_nan=False).map(lambda v: f"{v:.1f}")
anything = st.tuples(
    st.sampled_from(SERIES),
    st.one_of(days, st.dates(dt.date(2025, 5, 1), dt.date(2025, 6, 3)).map(str)),
    st.one_of(numbers, hostile),
)


@st.composite
def observations(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """Clean histories per series, sometimes with a hostile row or two (NaN, repeats, late)."""
    rows = [
        (series, day, value)
        for series in SERIES
        for day, value in draw(_history(stocks if series == "si_social_stock" else numbers))
    ]
    rows += draw(st.one_of(st.just([]), st.lists(anything, min_size=1, max_size=2)))
    return draw(st.permutations(rows))


def _history(levels: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(st.tuples(days, levels), max_size=10, unique_by=lambda row: row[0])


@pytest.fixture(scope="module")
def layouts() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "props.toml").write_text(LAYOUT, "utf-8")
        yield Path(folder)


def _measure(observations: list[tuple[str, str, str]], layouts: Path) -> Metrics | None:
    """Write a snapshot holding `observations`, then load and measure it; None if refused."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for file, text in (("brand.toml", BRAND), ("catalog.csv", CATALOG)):
            (folder / file).write_text(textwrap.dedent(text), "utf-8")
        (folder / "snapshot.toml").write_text(MANIFEST.replace('"silicon-daily"', '"props"'))
        with (folder / "observations.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([("series", "date", "value"), *observations])
        try:
            snapshot = load_snapshot(folder)
        except SnapshotError:
            return None
    layout = load_layout(snapshot.layout, snapshot.catalog, layouts)
    assess(snapshot, layout)  # the quality report must cope with whatever loaded
    return compute_metrics(snapshot, layout)


def _printed(figure: Figure) -> tuple[str, ...]:
    text = figure.text
    return (text.current, text.previous, text.change, text.pct, figure.trend(), figure.label)


@PROPERTY
@given(rows=observations())
def it_refuses_or_prints_no_missing_value_words(
    rows: list[tuple[str, str, str]], layouts: Path
) -> None:
    metrics = _measure(rows, layouts)
    if metrics is None:
        return
    for figure in metrics.figures.values():
        for text in _printed(figure):
            assert forbidden_tokens(text) == (), (figure.key, text)


@PROPERTY
@given(rows=observations())
def it_prints_changes_that_are_current_minus_previous(
    rows: list[tuple[str, str, str]], layouts: Path
) -> None:
    metrics = _measure(rows, layouts)
    if metrics is None:
        return
    for row in metrics.table("si_overview").rows:
        text = row.text
        if fmt.DASH in (text.current, text.previous):
            assert text.change == fmt.DASH
            continue
        assert _decimal(text.current) - _decimal(text.previous) == _decimal(text.change), row


def it_accepts_gaps_zeros_and_negatives(layouts: Path) -> None:
    """An anchor for the properties: a plainly valid draw does load and measure."""
    observations = [
        ("si_fut_07", "2025-05-20", "0"),
        ("si_fut_07", "2025/5/27", "-120"),
        ("si_spot_553", "2025-05-27", "8.35"),
        ("si_wafer_count", "2025-05-27", "794,309,425"),
    ]
    metrics = _measure(observations, layouts)
    assert metrics is not None
    assert metrics.figures["si_fut_07"].text.change == "-120"
    assert metrics.figures["si_wafer_count"].text.current == "794309425"  # no brand grouping


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))
