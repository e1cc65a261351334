"""End to end: the sample PDF read back page by page, as a reader and a compliance officer would."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from publisher.pipeline import Built, build
from tests.conftest import SAMPLE

FORBIDDEN = re.compile(r"(?<![A-Za-z])(nan|NaN|None|inf)(?![A-Za-z])|#DIV/0!|#N/A|\{\{")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(SAMPLE, tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def pages(built: Built) -> list[str]:
    return [page.extract_text() for page in PdfReader(built.pdf.path).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def it_names_the_file_by_report_and_date(built: Built) -> None:
    assert built.pdf.path.name == "silicon-daily-2025-05-27.pdf"


def it_puts_compliance_on_every_page(built: Built, pages: list[str]) -> None:
    snapshot_disclaimer = "重要提示：本报告非期货交易咨询业务项下服务"
    for number, text in enumerate(pages, start=1):
        flat = _flat(text)
        assert snapshot_disclaimer in flat, number
        assert "示例分析师" in flat and "F00000000" in flat and "Z00000000" in flat, number
        assert "证监许可【0000】000号（示例）" in flat, number
        assert "数据来源：" in flat, number
        assert f"{number}/{built.pdf.pages}" in flat, number


def it_lists_on_each_page_the_sources_of_what_it_shows(built: Built, pages: list[str]) -> None:
    for number, (text, sources) in enumerate(zip(pages, built.pdf.sources, strict=True), 1):
        # the footer's line, the page's last (each chart has one of its own above it)
        line = [line for line in text.splitlines() if "数据来源：" in line][-1]
        printed = line.split("数据来源：", 1)[1].strip()
        assert printed == ("，".join(sources) if sources else "本页不含数据"), number


def it_lists_exactly_the_chart_sources_on_a_chart_page(built: Built) -> None:
    from publisher.charts.catalog import catalog_path, load_catalog

    catalog = {spec.id: spec for spec in load_catalog(catalog_path("silicon-daily"))}
    assert catalog and built.pdf.charts
    by_page: dict[int, set[str]] = {}
    for chart_id, page in built.pdf.charts:
        by_page.setdefault(page, set()).add(chart_id)
    from publisher.charts.data import chart_data
    from publisher.snapshot import load_snapshot

    snapshot = load_snapshot(SAMPLE)
    for page, ids in by_page.items():
        expected = {s for i in ids for s in chart_data(catalog[i], snapshot).sources}
        assert set(built.pdf.sources[page - 1]) >= expected, page


def it_prints_no_error_codes_or_missing_values(pages: list[str]) -> None:
    for number, text in enumerate(pages, start=1):
        assert not FORBIDDEN.search(text), (number, FORBIDDEN.search(text))


def it_prints_the_overview_rows_as_text(pages: list[str]) -> None:
    flat = _flat("".join(pages))
    for row in (
        "06合约（元/吨）74157580-165-2.18%",
        "07合约基差（元/吨）910840+70+8.33%",
        "05合约基差（元/吨）85-5+90—",
        "新疆通氧553利润（元/吨）-3665-3715+50+1.35%",
    ):
        assert row in flat


def it_copies_the_narrative_out_as_written(built: Built, pages: list[str]) -> None:
    flat = _flat("".join(pages))
    assert "社会库存为58.2万吨，环比减少2.84%" in flat
    assert "工业硅2507：在7335-7545区间震荡。" in flat


def it_embeds_only_subset_fonts(built: Built) -> None:
    pdffonts = shutil.which("pdffonts")
    if not pdffonts:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    listing = subprocess.run([pdffonts, str(built.pdf.path)], capture_output=True, text=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_ = row.split()
        assert re.match(r"[A-Z]{6}\+", name), row
        assert " yes yes " in row, row  # embedded, subset


def it_sets_chart_text_in_the_reports_own_font(built: Built) -> None:
    """The charts' text is set with the pages' text: one set of font subsets for the whole
    report (a regular and a bold for the pages, the same for the charts; reportlab cuts a
    subset per 256 glyphs), where each of the 55 charts used to carry its own."""
    with pikepdf.open(built.pdf.path) as pdf:
        fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o]
        names = {str(font.FontName).split("+")[1] for font in fonts}
    assert names == {"PublisherSansSC-Regular", "PublisherSansSC-Bold"}
    assert len(fonts) <= 8


def it_builds_byte_identical_pdfs(built: Built, tmp_path: Path) -> None:
    again = build(SAMPLE, tmp_path)
    assert again.pdf.path.read_bytes() == built.pdf.path.read_bytes()


def it_lays_the_pages_out_while_the_charts_are_drawn_without_changing_a_byte(
    built: Built, tmp_path: Path
) -> None:
    from publisher.charts.pool import ChartPool
    from publisher.layout.engine import build_document
    from publisher.pipeline import draw_charts, prepare
    from publisher.render.pdf import render_pdf

    prepared = prepare(SAMPLE)
    charts = draw_charts(prepared, artwork=False)
    with ChartPool(1) as here:
        drawing = here.draw_for_print([c.data for c in charts.values()], prepared.snapshot.brand)
        for chart_id in drawing:
            drawing[chart_id]  # every chart drawn, in this process, before the layout starts
        document = build_document(prepared, charts)
        one_by_one = render_pdf(document, tmp_path / "report.pdf", drawing)
    assert one_by_one.path.read_bytes() == built.pdf.path.read_bytes()


def it_bookmarks_every_section(built: Built) -> None:
    outline = PdfReader(built.pdf.path).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert "每日观点——工业硅" in titles and "多晶硅行情概览" in titles
    assert "工业硅库存" in titles


def it_draws_in_the_deck_worker_a_chart_the_deck_cannot_make_native(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deck is written in a process of its own, which has no drawing of the charts: a
    chart that cannot be native is drawn there, from its data."""
    import shutil

    from publisher.layout.engine import build_document
    from publisher.pipeline import _drawn_when_asked, charts_of, placed_chart_data, prepare
    from publisher.render.pptx import render_pptx, slots
    from publisher.render.pptx.charts import NotNative, chart_xml

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) rasterises chart artwork")
    prepared = prepare(SAMPLE)
    data, _ = placed_chart_data(prepared.snapshot, prepared.layout)
    document = build_document(prepared, charts_of(data, {}))
    unlike = next(d.id for d in data if d.kind == "lines")

    def refuse_one(chart: object, style: object) -> object:
        if getattr(chart, "id", None) == unlike:
            raise NotNative("测试")
        return chart_xml(chart, style)  # type: ignore[arg-type]

    monkeypatch.setattr(slots, "chart_xml", refuse_one)
    asked = _drawn_when_asked(data, prepared.snapshot.brand)
    deck = render_pptx(document, tmp_path / "deck.pptx", None, asked)
    assert set(deck.pictures) == {unlike}  # the chart may show on more than one slide


def it_draws_a_chart_when_asked_as_the_drawing_workers_draw_it() -> None:
    from publisher.charts.pool import ChartPool
    from publisher.pipeline import _drawn_when_asked, load, placed_chart_data

    snapshot, layout = load(SAMPLE)
    data, _ = placed_chart_data(snapshot, layout)
    asked = _drawn_when_asked(data, snapshot.brand)
    assert list(asked) == [d.id for d in data] and data[3].id in asked
    assert "no such chart" not in asked
    with ChartPool(2) as workers:
        assert asked[data[3].id] == workers.draw(data, snapshot.brand)[data[3].id]
