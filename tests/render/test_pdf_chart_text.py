"""PDF renderer: a chart's set-aside text, set in the report's font where the chart put it."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from publisher.charts.artwork import ChartText, PrintArtwork
from publisher.render.pdf.chart_text import text_pages

TICK = ChartText(10.0, 20.0, "7,335", 6.5, False, (0.15, 0.15, 0.15))
LEGEND = ChartText(40.0, 30.0, "社会库存", 8.0, True, (0.75, 0.0, 0.0))
UNIT = ChartText(5.0, 8.0, "万吨", 6.5, False, (0.0, 0.0, 0.0), angle=90.0)


def _chars(*artworks: PrintArtwork) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(text_pages(artworks))) as pdf:
        return [page.chars for page in pdf.pages]


def it_sets_each_line_from_its_origin_in_its_size_weight_and_colour() -> None:
    (chars,) = _chars(PrintArtwork(b"", 120.0, 60.0, (TICK, LEGEND)))
    assert "".join(c["text"] for c in chars) == "7,335社会库存"
    for text in (TICK, LEGEND):
        first = next(c for c in chars if c["text"] == text.text[0])
        assert first["matrix"][4:] == pytest.approx((text.x, text.y), abs=0.01)
        assert first["size"] == pytest.approx(text.size)
        assert first["fontname"].endswith("Bold" if text.bold else "Regular")
        assert first["non_stroking_color"] == pytest.approx(text.rgb, abs=0.01)


def it_turns_a_line_about_its_origin() -> None:
    (chars,) = _chars(PrintArtwork(b"", 120.0, 60.0, (UNIT,)))
    a, b, c, d, e, f = chars[0]["matrix"]
    assert (a, b, c, d) == pytest.approx((0, 1, -1, 0), abs=1e-6)
    assert (e, f) == pytest.approx((UNIT.x, UNIT.y))
    assert not chars[0]["upright"]


def it_gives_each_chart_a_page_the_size_of_its_drawing() -> None:
    small = PrintArtwork(b"", 100.0, 50.0, (TICK,))
    wide = PrintArtwork(b"", 480.0, 200.0, (LEGEND,))
    with pdfplumber.open(io.BytesIO(text_pages([small, wide]))) as pdf:
        assert [(p.width, p.height) for p in pdf.pages] == [(100, 50), (480, 200)]
        assert [p.extract_text() for p in pdf.pages] == ["7,335", "社会库存"]
