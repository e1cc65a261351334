"""The meeting layout (layouts/silicon-meeting.toml) built end to end, and the key figures on the
daily report's cover: range calls in large figures and the six verdicts per product."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pptx.oxml.ns import qn
from pypdf import PdfReader

from publisher.check import check_file, expectations_from
from publisher.layout.model import BulletList, KeyFigures, ProductCall
from publisher.pipeline import Built, build
from publisher.render.pdf import render_pdf
from publisher.render.pdf.keyfigures import KeyFiguresFlowable
from publisher.render.pdf.pages import COVER_BODY_TOP, Footer
from publisher.render.pdf.theme import BODY_WIDTH, FOOTER_GAP, theme_for
from publisher.render.pptx import plan
from publisher.render.pptx.slides import VERDICT_COLOURS
from publisher.snapshot import load_snapshot
from tests.conftest import SAMPLE
from tests.render.deck_fixtures import reopen, sample_deck, sample_document
from tests.render.meeting_fixtures import MEETING, meeting_deck, meeting_document

RANGES = {"工业硅": "7335–7545", "多晶硅": "34690–35890"}
FIGURE = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?%?")
MM = 72 / 25.4
ROOM = plan.Room(888, 370)  # the bundled master's body box, in points


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _calls(document: object) -> list[ProductCall]:
    return [
        call
        for section in document.sections  # type: ignore[attr-defined]
        for block in section.blocks
        if isinstance(block, KeyFigures)
        for call in block.calls
    ]


def _printed(call: ProductCall) -> str:
    """How a panel reads: heading, range, then each factor over its verdict."""
    verdicts = "".join(v.factor + v.verdict for v in call.verdicts)
    return f"{call.heading}区间预测{call.range_text}{verdicts}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("meeting")
    return build(SAMPLE, out, layout=MEETING, formats=("pdf", "pptx"))


def it_builds_both_files_and_both_pass_the_compliance_check(built: Built) -> None:
    expect = expectations_from(load_snapshot(SAMPLE))
    assert [p.suffix for p in built.outputs] == [".pdf", ".pptx"]
    for path in built.outputs:
        result = check_file(path, expect)
        assert result.ok, result.lines()
    assert built.deck is not None and built.deck.slides <= 20


def it_opens_with_a_summary_slide_per_product() -> None:
    slides = list(reopen(meeting_deck()).slides)
    assert slides[0].slide_layout.name == "Title"
    for slide, (name, figures) in zip(slides[1:3], RANGES.items(), strict=True):
        texts = {s.name: s.text_frame.text for s in slide.shapes if s.has_text_frame}
        assert texts["Call Range"] == figures
        assert texts["Call Heading"].startswith(f"{name}2507")
        assert {"利多", "利空", "主要逻辑", "主要风险点"} <= {
            t for n, t in texts.items() if n == "Bullet Label"
        } | set(_labels(slide))
    call = next(c for c in _calls(meeting_document()) if c.name == "多晶硅")
    assert [v.verdict for v in call.verdicts] == ["偏多", "偏多", "中性", "偏空", "偏多", "中性"]


def _labels(slide: object) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.name == "Bullet Label"]  # type: ignore[attr-defined]


def it_colours_each_verdict_as_the_market_reads_it() -> None:
    for slide in list(reopen(meeting_deck()).slides)[1:3]:
        chips = [s for s in slide.shapes if re.fullmatch(r"Verdict [^ ]+", s.name)]
        assert len(chips) == 6
        for chip in chips:
            factor, verdict = (p.text for p in chip.text_frame.paragraphs)
            assert chip.name == f"Verdict {factor}"
            colour = chip.text_frame.paragraphs[1].runs[0]._r.find(f".//{qn('a:srgbClr')}")
            assert "#" + colour.get("val") == VERDICT_COLOURS[verdict]


def _appendix_figures(slides: list[object]) -> set[str]:
    """Every 现值, 前值, 涨跌 and 涨跌幅 the appendix tables print."""
    return {
        cell.text
        for slide in slides
        for shape in slide.shapes  # type: ignore[attr-defined]
        if shape.name == "Table"
        for row in list(shape.table.rows)[1:]
        for cell in list(row.cells)[2:]
        if re.search(r"\d", cell.text)
    }


def it_titles_each_chart_slide_with_a_figure_the_appendix_prints() -> None:
    slides = list(reopen(meeting_deck()).slides)
    printed = _appendix_figures(slides)
    charts = [s for s in slides if s.slide_layout.name == "Charts"]
    assert 8 <= len(charts) <= 12
    for slide in charts:
        title = slide.shapes.title.text_frame.text
        shown = [f for f in FIGURE.findall(title) if len(f.strip("+-%.,")) >= 2]
        # a figure in words (周降2.84%) drops the sign the table prints (-2.84%)
        assert any(f in printed or f"-{f}" in printed or f"+{f}" in printed for f in shown), title
        frames = [s for s in slide.shapes if s.name.startswith(("Chart ", "Table "))]
        assert 1 <= len(frames) <= 2, title


def it_cites_the_sources_of_a_titles_figures() -> None:
    section = next(s for s in meeting_document().sections if s.title.startswith("社会库存"))
    assert section.title == "社会库存58.2万吨，周降2.84%"
    assert section.title_sources == ("SMM",)


def it_puts_both_calls_and_all_verdicts_on_the_daily_cover(tmp_path: Path) -> None:
    document = sample_document()
    result = render_pdf(document, tmp_path / "daily.pdf")
    cover = _squeeze(PdfReader(result.path).pages[0].extract_text())
    calls = _calls(document)
    assert [c.range_text for c in calls] == list(RANGES.values())
    for call in calls:
        assert _printed(call) in cover


def it_fits_the_calls_and_todays_highlights_on_the_cover() -> None:
    document = sample_document()
    theme = theme_for(document)
    frame = COVER_BODY_TOP - Footer(document, theme).top - FOOTER_GAP
    block = document.sections[0].blocks[0]
    assert block.highlights  # the daily layout asks for 今日要点 under the calls
    height = KeyFiguresFlowable(block, theme).wrap(BODY_WIDTH, frame)[1]  # type: ignore[arg-type]
    assert height <= frame


def it_shows_the_calls_in_the_meeting_pdf_too(built: Built) -> None:
    assert built.pdf is not None
    pages = [_squeeze(p.extract_text()) for p in PdfReader(built.pdf.path).pages[:2]]
    for call in _calls(meeting_document()):
        assert _printed(call) in pages[0]  # the cover
        assert _printed(call) in pages[1]  # and its summary


def it_leaves_the_cover_section_to_the_title_slide_in_a_deck() -> None:
    # the cover now holds the key figures, yet a deck opens with its own title slide and
    # shows the calls only where a summary section asks for them
    slides = list(reopen(sample_deck()).slides)
    titles = [s.shapes.title.text_frame.text for s in slides[1:] if s.shapes.title]
    assert sample_document().sections[0].title not in titles
    assert not any(s.name == "Call Range" for slide in slides for s in slide.shapes)


def _summary(document: object, products: int) -> object:
    """One summary section holding the first `products` products' key figures and lists."""
    sections = [s for s in document.sections if s.kind == "summary"]  # type: ignore[attr-defined]
    blocks = tuple(b for s in sections[:products] for b in s.blocks)
    return dataclasses.replace(sections[0], title="观点摘要", blocks=blocks)


def it_names_each_products_slide_when_a_summary_covers_several() -> None:
    document = meeting_document()
    slides = plan.plan_section(document, _summary(document, 2), ROOM, plan.Sizes(18))  # type: ignore[arg-type]
    assert [(s.title, s.call.name if s.call else None) for s in slides] == [
        ("观点摘要——工业硅", "工业硅"),
        ("观点摘要——多晶硅", "多晶硅"),
    ]


def it_continues_lists_too_long_for_the_slide_beside_the_figures() -> None:
    document = meeting_document()
    section = _summary(document, 1)
    items = tuple(
        f"第{n}条：硅料价格震荡运行，下游排产有所减少，库存去化压力仍存。" for n in range(14)
    )
    long = dataclasses.replace(
        section,
        blocks=tuple(
            dataclasses.replace(b, items=items) if isinstance(b, BulletList) else b
            for b in section.blocks  # type: ignore[attr-defined]
        ),
    )
    slides = plan.plan_section(document, long, ROOM, plan.Sizes(18))  # type: ignore[arg-type]
    assert len(slides) > 1 and slides[0].call is not None
    assert all(s.call is None and s.title == "观点摘要（续）" for s in slides[1:])
    shown = [
        item
        for slide in slides
        for column in slide.columns
        for piece in column
        for item in piece.block.items[piece.start : piece.end]  # type: ignore[union-attr]
    ]
    assert shown == list(items) * 4  # 利多, 利空, 主要逻辑, 主要风险点: every item once
