"""The deck's native charts made beside it: with a core to spare, a forked process makes the
chart parts while the slides are drawn; the deck is the same, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.render.pptx import render_pptx, slots
from tests.render.deck_fixtures import document_of, sample_deck, sample_document


def it_writes_the_same_deck_with_its_charts_made_beside(tmp_path: Path) -> None:
    beside = render_pptx(sample_document(), tmp_path / "beside.pptx", beside=True)
    alone = sample_deck()
    assert beside.path.read_bytes() == alone.path.read_bytes()
    assert beside.charts == alone.charts


@pytest.mark.parametrize("layout", ["silicon-meeting", "polysilicon-brief"])
def it_writes_every_layouts_deck_the_same_beside(layout: str, tmp_path: Path) -> None:
    document = document_of(layout)
    beside = render_pptx(document, tmp_path / "beside.pptx", beside=True)
    alone = render_pptx(document, tmp_path / "alone.pptx")
    assert beside.path.read_bytes() == alone.path.read_bytes()


def it_lists_the_native_charts_in_the_order_the_slides_ask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import publisher.render.pptx as renderer

    asked: list[str] = []

    def noting(job: slots.NativeJob) -> object:
        asked.append(job[0].id)
        return slots.native_part(job)

    monkeypatch.setattr(renderer, "native_part", noting)
    deck = render_pptx(sample_document(), tmp_path / "deck.pptx")
    assert asked == [chart for chart, _, how in deck.charts if how == "native"]
