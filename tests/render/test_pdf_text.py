"""PDF renderer: Chinese text wraps by kinsoku rules, prints literally and copies out intact."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus.paragraph import Paragraph as StockParagraph

from publisher.layout.model import Document, Paragraph, Section
from publisher.render.pdf import PdfResult, render_pdf
from publisher.render.pdf.kinsoku import CANNOT_END, CANNOT_START, KinsokuParagraph, wrap
from publisher.render.pdf.pages import Footer
from publisher.render.pdf.theme import BODY_TOP, BODY_WIDTH, theme_for
from tests.render.conftest import LITERAL, kinsoku_text
from tests.render.helpers import page_lines, page_texts, squeeze, text_runs

FORBIDDEN_START = "，。、；：？！）》”’.,;:?!)]"
FORBIDDEN_END = "（《“‘(["


def _lines(paragraph: StockParagraph) -> list[str]:
    """The text of each line reportlab broke a paragraph into."""
    paragraph.wrap(BODY_WIDTH, 10_000)
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return ["".join(words) for _, words in lines]
    return ["".join(w.text for w in line.words) for line in lines]


def it_covers_the_brief_forbidden_characters() -> None:
    assert set(FORBIDDEN_START) <= CANNOT_START
    assert set(FORBIDDEN_END) <= CANNOT_END


def it_builds_a_paragraph_that_naive_wrapping_breaks_before_a_comma(document: Document) -> None:
    body = theme_for(document).body
    naive = _lines(StockParagraph(kinsoku_text(), body))
    assert any(line.startswith("，") for line in naive)
    fixed = _lines(KinsokuParagraph(kinsoku_text(), body))
    assert not any(line[:1] in CANNOT_START for line in fixed)
    assert "".join(fixed) == kinsoku_text()


def it_never_starts_or_ends_a_printed_line_with_forbidden_punctuation(
    rendered: PdfResult,
) -> None:
    texts = page_texts(rendered.path)
    lines = [line for text in texts for line in page_lines(text)]
    assert any(line.startswith("多，") for line in lines)  # the comma pulled a character down
    for line in lines:
        assert line[0] not in FORBIDDEN_START, line
        assert line[-1] not in FORBIDDEN_END, line


def it_prints_analyst_markup_literally(rendered: PdfResult) -> None:
    flat = squeeze("".join(page_texts(rendered.path)))
    assert squeeze(LITERAL) in flat
    assert "<b>&<para>" in flat


def it_copies_every_paragraph_out_intact(document: Document, rendered: PdfResult) -> None:
    flat = squeeze("".join(page_texts(rendered.path)))
    paragraphs = [b for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) >= 5
    for paragraph in paragraphs:
        assert squeeze(paragraph.text) in flat


def it_justifies_full_lines_to_the_right_edge(document: Document) -> None:
    """A Chinese line shortened by kinsoku is spread by character spacing, not left ragged."""
    paragraph = KinsokuParagraph(kinsoku_text(), theme_for(document).body)
    paragraph.wrap(BODY_WIDTH, 10_000)
    first = paragraph.blPara.lines[0]
    assert first.extraSpace == 0  # the draw callback spreads it, not reportlab's word spacing
    assert any(getattr(w, "cbDefn", None) for w in first.words)
    last = paragraph.blPara.lines[-1]
    assert not any(getattr(w, "cbDefn", None) for w in last.words)


WORDS = st.sampled_from(
    [
        "硅",
        "价格",
        "环比",
        "（元/吨）",
        "《报告》",
        "“现货”",
        "2.84%",
        "7335-7545",
        "ADC12 ",
        "——工业硅",
        "震荡……",
    ]
)
PUNCTUATION = st.sampled_from(["", "", "，", "。", "、", "；", "：", "！", "？"])
# Clauses as analysts write them: words, each followed by at most one punctuation mark.
CLAUSES = st.lists(st.tuples(WORDS, PUNCTUATION).map("".join), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(CLAUSES, st.integers(min_value=6, max_value=40))
def it_wraps_any_text_within_the_width_obeying_kinsoku(clauses: list[str], width: int) -> None:
    text = "".join(clauses)
    widths = [1.0 if ord(ch) > 0x2000 else 0.55 for ch in text]
    spans = wrap(list(text), widths, [float(width)])
    assert "".join(text[s.start : s.end] for s in spans) == text
    lines = [text[s.start : s.end] for s in spans]
    for span, line in zip(spans, lines, strict=True):
        visible = len(line.rstrip(" "))
        assert sum(widths[span.start : span.start + visible]) <= width + 1e-9
    for before, after in itertools.pairwise(lines):
        assert after[0] not in CANNOT_START, (before, after)
        assert before.rstrip(" ")[-1] not in CANNOT_END, (before, after)
        assert not (after[0] == before[-1] and after[0] in "—…"), (before, after)


def it_splits_a_long_paragraph_across_pages_without_losing_a_character(
    document: Document, tmp_path: Path
) -> None:
    text = "".join(
        f"第{i}句：工业硅（元/吨）供需“偏弱”，《报告》称7335-7545区间震荡。" for i in range(90)
    )
    section = Section("long", "长段落", (Paragraph(text, ("SMM",)),), "view")
    result = render_pdf(dataclasses.replace(document, sections=(section,)), tmp_path / "long.pdf")
    assert result.pages >= 2
    assert result.sources == (("SMM",),) * result.pages
    footer = Footer(document, theme_for(document))
    body = [
        squeeze(run)
        for page in range(result.pages)
        for _, y, run in text_runs(result.path, page)
        if footer.top < y < BODY_TOP
    ]
    assert "".join(body) == squeeze(section.title + text)
