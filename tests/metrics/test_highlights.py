"""今日要点: the most unusual moves against their own history, in the tables' own strings."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from publisher.assets import LAYOUTS_DIR
from publisher.errors import LayoutError
from publisher.layout.engine import build_document
from publisher.layout.model import KeyFigures
from publisher.metrics.figures import Figure
from publisher.metrics.highlights import (
    WINDOW,
    highlights,
    moves,
    record_run,
    sentence,
    unusualness,
)
from publisher.pipeline import Prepared, prepare
from publisher.snapshot import load_snapshot
from tests.conftest import SAMPLE

SPIKED = "si_inv_social"


def _rows(prepared: Prepared) -> dict[str, Figure]:
    return {fig.key: fig for table in prepared.metrics.tables for fig in table.rows}


@pytest.fixture(scope="module")
def spiked() -> Prepared:
    """The sample with 周度社会库存's last move made ten times the largest of its past year."""
    snapshot = load_snapshot(SAMPLE)
    values = snapshot.series(SPIKED).dropna().copy()
    past = np.abs(np.diff(values.to_numpy(dtype=float)))[-53:-1]
    values.iloc[-1] = values.iloc[-2] - 10 * past.max()
    observations = {**snapshot.observations, SPIKED: values}
    return prepare(SAMPLE, snapshot=dataclasses.replace(snapshot, observations=observations))


def it_puts_a_move_ten_times_the_usual_first(spiked: Prepared) -> None:
    found = highlights(spiked.snapshot, spiked.metrics.tables)
    assert len(found) == 5 and found[0].key == SPIKED
    fig = _rows(spiked)[SPIKED]
    assert found[0].text.startswith(f"周度社会库存{fig.text.current}万吨，环比{fig.text.pct}")
    assert found[0].text.endswith("最大降幅")
    untouched = highlights(prepare(SAMPLE).snapshot, prepare(SAMPLE).metrics.tables)
    assert SPIKED not in [h.key for h in untouched][:1]


def it_prints_the_tables_strings(spiked: Prepared) -> None:
    rows = _rows(spiked)
    for found in highlights(spiked.snapshot, spiked.metrics.tables, count=10):
        fig = rows[found.key]
        numbers = re.findall(r"[+\-]?\d[\d,]*(?:\.\d+)?%?", found.text.replace(fig.name, ""))
        printed = {fig.text.current, fig.text.pct, fig.text.change}
        assert all(n in printed for n in numbers[:2]), found.text
        assert found.sources == fig.sources


def it_says_largest_only_when_it_is() -> None:
    prepared = prepare(SAMPLE)
    fig = _rows(prepared)["si_inv_social"]
    changes = moves(prepared.snapshot, fig)
    run = record_run(changes, fig.frequency)
    earlier = changes[-run - 1] if run < len(changes) else None
    # the run ends at the first earlier move as large in the same direction
    if earlier is not None and run < 52:
        assert earlier * changes[-1] > 0 and abs(earlier) >= abs(changes[-1])
    assert all(abs(c) < abs(changes[-1]) or c * changes[-1] <= 0 for c in changes[-run:-1])
    assert ("最大" in sentence(fig, run)) == (run >= 8)
    assert "最大" not in sentence(fig, 3)
    assert record_run(np.array([1.0, -5.0, 2.0, -3.0]), "weekly") == 2
    assert record_run(np.array([1.0, 2.0, 0.0]), "weekly") == 0


def it_is_deterministic_and_leaves_stale_figures_out(spiked: Prepared) -> None:
    first = highlights(spiked.snapshot, spiked.metrics.tables, count=10)
    assert first == highlights(spiked.snapshot, spiked.metrics.tables, count=10)
    rows = _rows(spiked)
    assert not any(rows[h.key].stale for h in first)
    scores = [h.score for h in first]
    assert scores == sorted(scores, reverse=True)


def it_keeps_to_the_sections_products(spiked: Prepared) -> None:
    only = highlights(spiked.snapshot, spiked.metrics.tables, ("ps",), 10)
    assert only and all(h.key.startswith("ps_") for h in only)


def it_places_them_on_the_cover_and_the_first_slide_when_the_layout_asks() -> None:
    brief = prepare(SAMPLE, "polysilicon-brief")
    cover = dataclasses.replace(brief.layout, sections=brief.layout.sections[:1])
    block = build_document(dataclasses.replace(brief, layout=cover), {}).sections[0].blocks[0]
    assert isinstance(block, KeyFigures) and len(block.highlights) == 5
    assert block.sources == ("SMM",)
    expected = highlights(brief.snapshot, brief.metrics.tables, ("ps",))
    assert [h.text for h in block.highlights] == [h.text for h in expected]


def it_prints_them_on_the_pdf_cover_and_the_decks_first_content_slide(tmp_path: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    from publisher.pipeline import build

    built = build(SAMPLE, tmp_path, layout="polysilicon-brief")
    brief = prepare(SAMPLE, "polysilicon-brief")
    wanted = [h.text for h in highlights(brief.snapshot, brief.metrics.tables, ("ps",))]
    assert built.pdf is not None and built.deck is not None
    cover = "".join(PdfReader(built.pdf.path).pages[0].extract_text().split())
    slide = Presentation(str(built.deck.path)).slides[1]
    shown = "".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    for text in wanted:
        assert text in cover and text in shown


def it_reads_the_layout_option(tmp_path: Path) -> None:
    root = tmp_path / "layouts"
    shutil.copytree(LAYOUTS_DIR, root)
    path = root / "polysilicon-brief.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("highlights = true", "highlights = 3"), encoding="utf-8")
    assert prepare(SAMPLE, "polysilicon-brief", layouts=root).layout.sections[0].highlights == 3
    path.write_text(text.replace("highlights = true", "highlights = 99"), encoding="utf-8")
    with pytest.raises(LayoutError, match="highlights is 99"):
        prepare(SAMPLE, "polysilicon-brief", layouts=root)
    path.write_text(text.replace("highlights = true", 'highlights = "yes"'), encoding="utf-8")
    with pytest.raises(LayoutError, match="highlights"):
        prepare(SAMPLE, "polysilicon-brief", layouts=root)


def it_judges_a_move_on_a_years_tail_as_on_the_whole_history() -> None:
    prepared = prepare(SAMPLE)
    for fig in _rows(prepared).values():
        if fig.key not in prepared.snapshot.catalog:  # derived rows are never highlighted
            continue
        whole = moves(prepared.snapshot, fig)
        tail = moves(prepared.snapshot, fig, WINDOW[fig.frequency] + 1)
        assert list(tail) == list(whole[-len(tail) :])
        if len(whole) > len(tail):  # the sample's long daily histories are cut
            assert len(tail) == WINDOW[fig.frequency] + 1
        if len(whole):
            assert unusualness(tail, fig.frequency) == unusualness(whole, fig.frequency)
            assert record_run(tail, fig.frequency) == record_run(whole, fig.frequency)
