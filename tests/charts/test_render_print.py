"""Rendering for print: the chart's drawing without text, and each line of its text where
the full rendering (render_pdf) draws it, for the PDF renderer to set in the report's font."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pytest

from publisher.charts.catalog import ChartCatalog
from publisher.charts.data import chart_data
from publisher.charts.render import render_pdf, render_print
from publisher.snapshot.model import Snapshot
from tests.charts.conftest import BRAND

Examples = tuple[Snapshot, ChartCatalog]
CHARTS = ("rate", "cost", "pv")  # seasonal lines, cost vs profit on two axes, a balance table


@pytest.mark.parametrize("chart_id", CHARTS)
def it_sets_every_line_aside_where_the_full_chart_draws_it(
    examples: Examples, chart_id: str
) -> None:
    snapshot, catalog = examples
    data = chart_data(catalog[chart_id], snapshot)
    printed = render_print(data, BRAND)
    with pdfplumber.open(io.BytesIO(render_pdf(data, BRAND))) as full:
        page = full.pages[0]
        assert (printed.width, printed.height) == pytest.approx((page.width, page.height))
        chars = page.chars
    assert printed.texts and len(chars) == sum(len(t.text.replace(" ", "")) for t in printed.texts)
    for text in printed.texts:
        first = next(c for c in chars if c["text"] == text.text.lstrip()[0] and _at(c, text))
        assert first["size"] == pytest.approx(text.size, abs=0.01)
        assert ("Bold" in first["fontname"]) == text.bold


def _at(char: dict, text: object) -> bool:
    """Whether the full chart's `char` starts at the set-aside line's origin (upright text:
    the same left edge; the baseline sits on the glyph box's matrix origin)."""
    x, y = char["matrix"][4], char["matrix"][5]
    return abs(x - text.x) < 0.05 and abs(y - text.y) < 0.05  # type: ignore[attr-defined]


def it_leaves_no_text_and_no_font_in_the_drawing(examples: Examples) -> None:
    snapshot, catalog = examples
    printed = render_print(chart_data(catalog["cost"], snapshot), BRAND)
    with pikepdf.open(io.BytesIO(printed.pdf)) as pdf:
        assert not any(
            isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font" for o in pdf.objects
        )
        assert b"Tj" not in pdf.pages[0].Contents.read_bytes()


def it_prints_the_same_for_the_same_chart(examples: Examples) -> None:
    snapshot, catalog = examples
    data = chart_data(catalog["rate"], snapshot)
    assert render_print(data, BRAND) == render_print(data, BRAND)


def it_lays_text_out_as_matplotlib_own_route_does(
    examples: Examples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recording renderer reads a chart font's heights once a size and measures by file,
    not through matplotlib's lookup by properties: every line lands where that route puts it."""
    from matplotlib.backends.backend_pdf import RendererPdf

    from publisher.charts import render

    snapshot, catalog = examples
    charts = [chart_data(spec, snapshot) for spec in catalog]
    short = [render_print(chart, BRAND) for chart in charts]
    recorder = render._RecordingRenderer
    for name in ("_get_font_height_metrics", "get_text_width_height_descent"):
        monkeypatch.setattr(recorder, name, getattr(RendererPdf, name))
    assert [render_print(chart, BRAND) for chart in charts] == short


def it_measures_a_text_alike_in_every_cut_of_the_house_font(examples: Examples) -> None:
    """A process measures each text for print once (render._MEASURED), whichever chart's cut
    of the font it met it in: unhinted, as RendererPdf measures, every cut gives the same
    extent as the full font, so what was drawn before cannot move a line."""
    from matplotlib.font_manager import get_font
    from matplotlib.ft2font import LoadFlags

    from publisher.assets import FONT_BOLD, FONT_REGULAR
    from publisher.charts.fonts import chart_fonts
    from publisher.charts.pool import CHROME_TEXT

    def extent(path: object, text: str, size: float) -> tuple[float, ...]:
        font = get_font(path)
        font.clear()
        font.set_size(size, 72)
        font.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
        return (*font.get_width_height(), font.get_descent())

    snapshot, catalog = examples
    measured = 0
    for spec in catalog:
        data = chart_data(spec, snapshot)
        cut = chart_fonts(data.text + CHROME_TEXT)
        for line in render_print(data, BRAND).texts:
            own = cut.bold if line.bold else cut.regular
            full = FONT_BOLD if line.bold else FONT_REGULAR
            assert extent(own, line.text, line.size) == extent(full, line.text, line.size)
            measured += 1
    assert measured > 100


def it_sets_aside_what_texts_would_record(
    examples: Examples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart for print draws its texts as AsideTexts: the same artwork as with Texts."""
    from publisher.charts import aside

    snapshot, catalog = examples
    charts = [chart_data(spec, snapshot) for spec in catalog]
    short = [render_print(chart, BRAND) for chart in charts]
    monkeypatch.setattr(aside, "wanted", lambda s: False)
    assert [render_print(chart, BRAND) for chart in charts] == short
