"""PDF renderer: every page carries the header, the compliance footer, its own sources, n / N."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from publisher.layout.model import CONTINUED, Chart, ChartGrid, Document, Section
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.pages import Footer
from publisher.render.pdf.theme import BODY_TOP, theme_for
from tests.render.conftest import AXIS, chart_pdf
from tests.render.helpers import (
    page_texts,
    probes,
    sources_line,
    squeeze,
    text_positions,
)


@pytest.fixture(scope="module")
def texts(rendered: PdfResult) -> list[str]:
    return page_texts(rendered.path)


def it_lays_out_the_fixture_on_a4_pages(rendered: PdfResult) -> None:
    reader = PdfReader(rendered.path)
    assert len(reader.pages) == rendered.pages >= 7
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]


def it_prints_the_compliance_text_on_every_page(document: Document, texts: list[str]) -> None:
    compliance = document.compliance
    for text in texts:
        flat = squeeze(text)
        assert squeeze(compliance.disclaimer) in flat
        assert squeeze(compliance.credentials) in flat
        assert compliance.analyst in flat
        assert compliance.qualification in flat
        assert compliance.consulting in flat
        assert squeeze(compliance.licence) in flat


def it_numbers_pages_n_of_total(rendered: PdfResult, texts: list[str]) -> None:
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {rendered.pages}" in text


def it_heads_every_page_after_the_cover_with_firm_title_section_and_date(
    document: Document, texts: list[str]
) -> None:
    titles = [s.title for s in document.sections]
    for text in texts:
        flat = squeeze(text)
        assert document.compliance.firm in flat
        assert document.title in flat
        assert document.date_text in flat
    for text in texts[1:]:
        assert any(title in text for title in titles)


def it_puts_the_analyst_and_licences_on_the_cover(document: Document, texts: list[str]) -> None:
    cover = squeeze(texts[0])
    compliance = document.compliance
    for item in (compliance.firm, compliance.analyst, compliance.phone, document.subtitle):
        assert squeeze(item) in cover
    assert f"从业资格证号：{compliance.qualification}" in cover
    assert f"投资咨询证号：{compliance.consulting}" in cover


def it_lists_exactly_the_sources_of_the_blocks_on_each_page(
    document: Document, rendered: PdfResult, texts: list[str]
) -> None:
    units = probes(document)
    for number, text in enumerate(texts, start=1):
        flat = squeeze(text)
        shown = {s for probe, sources in units if probe in flat for s in sources}
        expected = "，".join(document.ordered_sources(shown)) or "本页不含数据"
        assert sources_line(text) == expected, f"page {number}"
        assert ("，".join(rendered.sources[number - 1]) or "本页不含数据") == expected


def it_says_so_on_a_page_without_data(texts: list[str]) -> None:
    assert sources_line(texts[0]) == "本页不含数据"  # the cover
    summary = next(t for t in texts if "主要风险点" in t)
    assert sources_line(summary) == "本页不含数据"


def it_bookmarks_every_section_at_its_page(document: Document, rendered: PdfResult) -> None:
    reader = PdfReader(rendered.path)
    outline = reader.outline
    assert [item.title for item in outline] == [s.title for s in document.sections]
    texts = page_texts(rendered.path)
    for item, section in zip(outline, document.sections, strict=True):
        page = reader.get_destination_page_number(item)
        if section.kind == "cover":
            assert page == 0
        else:
            assert section.title in texts[page]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def it_starts_sections_that_ask_for_it_at_the_top_of_a_new_page(
    document: Document, rendered: PdfResult
) -> None:
    reader = PdfReader(rendered.path)
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    for index, section in enumerate(document.sections[1:], start=1):
        if not section.new_page:
            continue
        assert pages[index] > pages[index - 1]
        body = [y for y, text in text_positions(rendered.path, pages[index]) if y < BODY_TOP]
        title = [
            y for y, text in text_positions(rendered.path, pages[index]) if text == section.title
        ]
        assert min(title) >= max(body) > BODY_TOP - 30


def it_sets_the_metadata_from_the_document(document: Document, rendered: PdfResult) -> None:
    meta = PdfReader(rendered.path).metadata
    assert meta.title == f"{document.title}——{document.subtitle}"
    assert document.compliance.firm in meta.author
    assert document.compliance.analyst in meta.author
    assert document.subtitle in meta.subject
    assert meta["/Keywords"] == "工业硅, 多晶硅, 每日观点"
    assert meta["/CreationDate"].startswith("D:20250527")
    assert meta["/ModDate"].startswith("D:20250527")


def it_keeps_the_body_clear_of_the_footer(document: Document, rendered: PdfResult) -> None:
    """Everything drawn below the footer's rule is footer text, on every page."""
    footer = Footer(document, theme_for(document))
    compliance = document.compliance
    for index in range(rendered.pages):
        sources = "，".join(rendered.sources[index]) or "本页不含数据"
        allowed = squeeze(
            f"数据来源：{sources}{compliance.disclaimer}{compliance.credentials}{compliance.licence}"
        )
        for y, text in text_positions(rendered.path, index):
            # pypdf gives text inside a placed chart in the chart's own coordinates.
            if y < footer.top and not text.startswith(("图表正文", AXIS)):
                assert squeeze(text) in allowed or re.fullmatch(r"\d+ / \d+", text), (index, text)


def it_names_the_section_again_where_its_charts_go_on_to_a_new_page(
    document: Document, tmp_path: Path
) -> None:
    charts = tuple(
        Chart(f"c{i}", f"图表{i}", None, chart_pdf(f"图表正文{i}"), ("SMM",)) for i in range(10)
    )
    section = Section("charts", "工业硅库存", (ChartGrid(charts),), "charts")
    one = replace(document, sections=(section,))
    reader = PdfReader(render_pdf(one, tmp_path / "charts.pdf").path)
    bodies = [squeeze(page.extract_text()) for page in reader.pages]
    assert len(bodies) >= 2
    assert "工业硅库存" + CONTINUED not in bodies[0]
    for body in bodies[1:]:
        assert body.count("工业硅库存" + CONTINUED) == 1
        # above the page's first chart, below the running header
        assert body.index(CONTINUED) < body.index("图表")
    assert [item.title for item in reader.outline] == ["工业硅库存"]  # no bookmark repeated
