"""Rendering: single-page vector PDFs with text kept as text and the house fonts embedded,
identical bytes for identical input, PNG as fallback, serial and parallel alike."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import warnings
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from publisher.charts.catalog import ChartCatalog
from publisher.charts.data import ChartData, chart_data
from publisher.charts.render import draw_all, render_pdf, render_png, render_print
from publisher.charts.style import SIZES_MM
from publisher.errors import LayoutError
from publisher.snapshot.model import Brand, Snapshot
from tests.charts.conftest import BRAND

Examples = tuple[Snapshot, ChartCatalog]


def _data(examples: Examples, chart_id: str) -> ChartData:
    snapshot, catalog = examples
    return chart_data(catalog[chart_id], snapshot)


def _page_text(pdf: bytes) -> str:
    return "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def it_renders_identical_bytes_for_identical_input(examples: Examples) -> None:
    data = _data(examples, "cost")
    first = render_pdf(data, BRAND)
    _data(examples, "rate")  # drawing something else in between changes nothing
    render_pdf(_data(examples, "rate"), BRAND)
    assert render_pdf(data, BRAND) == first
    assert b"CreationDate" not in first


def it_renders_one_page_the_size_of_its_slot(examples: Examples) -> None:
    for chart_id, size in (("rate", "half"), ("pv", "full")):
        page = PdfReader(io.BytesIO(render_pdf(_data(examples, chart_id), BRAND))).pages[0]
        width, height = (mm * 72 / 25.4 for mm in SIZES_MM[size])
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.01)


def it_keeps_chart_text_as_text(examples: Examples) -> None:
    data = _data(examples, "rate")
    text = _page_text(render_pdf(data, BRAND, titled=True))
    for words in (data.title, "2020–2024年均值", "2025年", "1月", "数据来源：SMM"):
        assert words in text
    assert data.title not in _page_text(render_pdf(data, BRAND))  # the page prints it above


def it_embeds_only_the_house_fonts_as_truetype(examples: Examples) -> None:
    pdf = render_pdf(_data(examples, "basis"), BRAND, titled=True)
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Subtype"] == "/Type0" and "/ToUnicode" in font
        descendant = font["/DescendantFonts"][0].get_object()
        assert descendant["/Subtype"] == "/CIDFontType2"  # TrueType outlines (Type 42)
        assert "/FontFile2" in descendant["/FontDescriptor"]
        names.add(str(font["/BaseFont"]).split("+")[-1])
    assert names == {"PublisherSansSC-Regular", "PublisherSansSC-Bold"}  # one copy of each


def it_draws_without_missing_glyph_warnings(examples: Examples) -> None:
    snapshot, catalog = examples
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_all(snapshot, catalog, titled=True)


def it_refuses_a_character_the_house_font_cannot_draw(examples: Examples) -> None:
    snapshot, catalog = examples
    odd = dataclasses.replace(catalog["rate"], title="开工率\U0001f600")
    with pytest.raises(LayoutError, match="cannot draw"):
        draw_all(snapshot, dataclasses.replace(catalog, charts=(odd,)))


def it_renders_a_png_fallback_at_the_asked_resolution(examples: Examples) -> None:
    png = render_png(_data(examples, "rate"), BRAND, dpi=200)
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width == round(85 / 25.4 * 200)
    assert render_png(_data(examples, "rate"), BRAND, dpi=200) == png


def it_draws_the_same_bytes_in_parallel_as_serially(examples: Examples) -> None:
    snapshot, catalog = examples
    serial = draw_all(snapshot, catalog, jobs=1)
    parallel = draw_all(snapshot, catalog, jobs=2)
    assert list(parallel) == list(catalog.ids)
    assert parallel == serial


def it_never_touches_pyplot() -> None:
    """pyplot's global figure manager is not thread- or process-safe; charts never load it."""
    code = (
        "import sys; from publisher.charts import render, gallery; "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def it_says_so_when_a_chart_has_nothing_to_show(examples: Examples) -> None:
    for chart_id in ("rate", "pv", "sheet", "cost"):
        data = _data(examples, chart_id)
        blank = dataclasses.replace(
            data,
            series=tuple(
                dataclasses.replace(s, values=tuple(None for _ in s.values)) for s in data.series
            ),
        )
        assert blank.empty and not data.empty
        text = _page_text(render_pdf(blank, BRAND, titled=True))
        assert "暂无数据" in text and data.title in text


@pytest.mark.parametrize("draw", [render_pdf, render_print], ids=["pdf", "print"])
def it_draws_each_chart_as_on_a_new_figure(
    examples: Examples, draw: Callable[[ChartData, Brand], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Charts laid out by draw.plan share the process's kept figure of their size, cleared in
    between (a new Axes costs a quarter of a chart): each gives what a new figure gives,
    whatever was drawn on it before."""
    from publisher.charts import render

    snapshot, catalog = examples
    charts = [chart_data(spec, snapshot) for spec in catalog]
    monkeypatch.setattr(render, "_KEPT", {})
    after_others = [draw(chart, BRAND) for chart in reversed(charts)][::-1]
    assert render._KEPT  # the kept figures were used
    alone = []
    for chart in charts:
        monkeypatch.setattr(render, "_KEPT", {})
        alone.append(draw(chart, BRAND))
    assert after_others == alone


def it_draws_a_whole_chart_after_one_for_print(
    examples: Examples, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart for print sets its text aside on the kept figure; the next whole chart drawn
    on that figure still draws its text."""
    from publisher.charts import render

    snapshot, catalog = examples
    rate, cost = (chart_data(catalog[i], snapshot) for i in ("rate", "cost"))
    assert rate.size == cost.size  # drawn on the same kept figure
    monkeypatch.setattr(render, "_KEPT", {})
    alone = render_pdf(rate, BRAND)
    render_print(cost, BRAND)
    assert render_pdf(rate, BRAND) == alone
    assert "1月" in _page_text(alone)


# each shortcut of publisher.charts.draw with the matplotlib call it stands for
ROUTES: dict[str, tuple[str, Callable[..., object]]] = {
    "text": ("text", lambda ax, x, y, s, **props: ax.text(x, y, s, **props)),
    "plot": ("plot", lambda ax, xs, ys, **props: ax.plot(xs, ys, **props)[0]),
    "rules": (
        "rules",
        lambda ax, ys, **props: ax.hlines(ys, 0, 1, transform=ax.get_yaxis_transform(), **props),
    ),
}


@pytest.mark.parametrize("shortcut", [*ROUTES, "axis"])
def it_draws_what_matplotlib_own_calls_draw(
    examples: Examples, monkeypatch: pytest.MonkeyPatch, shortcut: str
) -> None:
    """draw.text leaves out the clip path ax.text sets on a text it never clips, draw.plot
    and draw.rules the data-limit update of ax.plot and ax.hlines, and draw.plan hides the
    Axes' own (tickless) axes: the same bytes, whole, for print and as PNG."""
    from matplotlib.axis import Axis

    from publisher.charts import draw, render

    snapshot, catalog = examples
    charts = [chart_data(spec, snapshot) for spec in catalog]

    def drawn() -> list[tuple[bytes, object, bytes]]:
        return [
            (render_pdf(c, BRAND), render_print(c, BRAND), render_png(c, BRAND, dpi=100))
            for c in charts
        ]

    short = drawn()
    monkeypatch.setattr(render, "_KEPT", {})  # the kept figures' Axes were drawn the short way
    if shortcut == "axis":
        monkeypatch.setattr(Axis, "set_visible", lambda axis, visible: None)
    else:
        name, route = ROUTES[shortcut]
        monkeypatch.setattr(draw, name, route)
    assert drawn() == short
