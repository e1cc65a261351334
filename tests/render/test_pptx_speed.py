"""Deck renderer: the shortcuts taken for speed write what python-pptx's own routes write."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.util import Emu

import publisher.render.pptx as renderer
from publisher.render.pptx.embed import BUNDLED_FACE, deck_characters
from publisher.render.pptx.master import BrandSpec, build_template
from publisher.render.pptx.package import PACKED, ZIP_EPOCH, deck_bytes
from publisher.render.pptx.slides import _size_grid
from publisher.render.pptx.text import wrap
from tests.render.deck_fixtures import sample_document


def _deck() -> Deck:
    brand = BrandSpec("测试期货", "#1F4E79", "#C00000")
    deck = Presentation(io.BytesIO(build_template(brand, BUNDLED_FACE)))
    deck.slides.add_slide(deck.slide_layouts[0])
    return deck


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def it_zips_python_pptx_items_in_its_order_once() -> None:
    deck = _deck()
    saved = io.BytesIO()
    deck.save(saved)
    ours = deck_bytes(deck)
    assert _members(ours) == _members(saved.getvalue())
    assert ours == deck_bytes(deck)
    for info in zipfile.ZipFile(io.BytesIO(ours)).infolist():
        assert info.date_time == ZIP_EPOCH
        packed = info.filename.endswith(PACKED)
        assert info.compress_type == (zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)


def it_sizes_a_table_as_python_pptx_setters_do() -> None:
    deck = _deck()
    slide = deck.slides[0]
    widths, heights = [120.5, 80.25, 64.0], [20.0, 18.5]
    by_setters = slide.shapes.add_table(2, 3, Emu(0), Emu(0), Emu(9000), Emu(9000))
    for column, w in zip(by_setters.table.columns, widths, strict=True):
        column.width = Emu(round(w * 12700))
    for row, h in zip(by_setters.table.rows, heights, strict=True):
        row.height = Emu(round(h * 12700))
    direct = slide.shapes.add_table(2, 3, Emu(0), Emu(0), Emu(9000), Emu(9000))
    _size_grid(direct, widths, heights)
    assert (direct.width, direct.height) == (by_setters.width, by_setters.height)
    assert direct.table._tbl.xml == by_setters.table._tbl.xml


def it_hands_out_a_fresh_list_of_lines_each_time() -> None:
    lines = wrap("工业硅期货主力合约收跌，现货报价持稳。" * 3, 12, 120)
    lines.append("changed")
    assert wrap("工业硅期货主力合约收跌，现货报价持稳。" * 3, 12, 120) == lines[:-1]


def it_writes_the_same_slides_with_counted_shape_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = renderer.render_pptx(sample_document(), tmp_path / "counted.pptx")
    monkeypatch.setattr(renderer, "_count_ids", lambda slide, counting: None)
    searched = renderer.render_pptx(sample_document(), tmp_path / "searched.pptx")
    assert counted.path.read_bytes() == searched.path.read_bytes()


def it_knows_each_chart_characters_as_a_parse_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Deck, dict[str, set[str]]]] = []
    embed = renderer.embed_fonts

    def spy(deck: Deck, known: dict[str, set[str]]) -> bool:
        seen.append((deck, known))
        return embed(deck, known)

    monkeypatch.setattr(renderer, "embed_fonts", spy)
    renderer.render_pptx(sample_document(), tmp_path / "deck.pptx")
    [(deck, known)] = seen
    assert known  # the sample's charts are native
    assert deck_characters(deck, known) == deck_characters(deck, {})
