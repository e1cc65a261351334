"""Deck renderer: compliance, sources and structure of the sample deck, reopened by python-pptx."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pptx.util import Emu

from publisher.layout.model import BulletList, Callout, FactorLine, KeyFigures, Paragraph, Table
from publisher.render.pptx import render_pptx
from publisher.render.pptx.plan import display
from publisher.render.pptx.text import wrap
from tests.render.deck_fixtures import (
    DRAWING_NS,
    charts_of,
    named,
    reopen,
    sample_deck,
    sample_document,
    shape_texts,
)

FOOTER = ("Footer Rule", "Footer Sources", "Footer Disclaimer", "Footer Credentials", "Footer Page")


def _on_slide(block: object, text: str, paragraphs: list[str]) -> bool:
    """A list shows whole; prose may be cut between slides, so a block is also on the slide
    when one of the slide's paragraphs is a piece of it."""
    if isinstance(block, BulletList):
        return all(item in text for item in block.items)
    shown = display(block)  # type: ignore[arg-type]
    return shown in text or any(len(p) >= 12 and p in shown for p in paragraphs)


def _expected_sources(slide: object) -> set[str]:
    """What the slide shows, found from its shapes, and the sources the Document gives it."""
    document = sample_document()
    charts = charts_of(document)
    found: set[str] = set()
    text = "".join(shape_texts(slide))  # type: ignore[arg-type]
    paragraphs = [
        paragraph.text
        for shape in slide.shapes  # type: ignore[attr-defined]
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
    ]
    for shape in slide.shapes:  # type: ignore[attr-defined]
        for prefix in ("Chart ", "Table "):
            if shape.name.startswith(prefix) and shape.name[len(prefix) :] in charts:
                found.update(charts[shape.name[len(prefix) :]].sources)
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, KeyFigures):  # the cover's 今日要点 get a slide of their own
                for highlight in block.highlights:
                    if highlight.text in text:
                        found.update(highlight.sources)
            elif isinstance(block, Paragraph | FactorLine | Callout | BulletList):
                if block.sources and _on_slide(block, text, paragraphs):
                    found.update(block.sources)
            elif isinstance(block, Table):
                tables = [s for s in slide.shapes if s.has_table and s.name == "Table"]  # type: ignore[attr-defined]
                shown = {
                    tuple(cell.text for cell in row.cells)[1:3]
                    for t in tables
                    for row in list(t.table.rows)[1:]
                }
                for row in block.rows:
                    if (row.cells[1], row.cells[2]) in shown or (
                        row.cells[1] + "*",
                        row.cells[2],
                    ) in shown:
                        found.update(row.sources)
    return found


def it_puts_the_disclaimer_on_every_slide() -> None:
    disclaimer = sample_document().compliance.disclaimer
    for slide in reopen(sample_deck()).slides:
        assert named(slide, "Footer Disclaimer") == disclaimer


def it_names_the_analyst_and_licences_on_every_slide() -> None:
    compliance = sample_document().compliance
    for slide in reopen(sample_deck()).slides:
        line = named(slide, "Footer Credentials")
        for wanted in (compliance.analyst, compliance.qualification, compliance.consulting):
            assert wanted in line
        assert compliance.licence in line


def it_prints_the_sources_of_each_slides_own_series() -> None:
    result = sample_deck()
    document = sample_document()
    for number, slide in enumerate(reopen(result).slides, start=1):
        expected = document.ordered_sources(_expected_sources(slide))
        line = "数据来源：" + ("，".join(expected) if expected else "本页不含数据")
        assert named(slide, "Footer Sources") == line, f"slide {number}"
        assert result.sources[number - 1] == expected


def it_numbers_the_slides() -> None:
    slides = reopen(sample_deck()).slides
    for number, slide in enumerate(slides, start=1):
        assert named(slide, "Footer Page") == f"{number} / {len(slides)}"


def it_keeps_the_footer_clear_of_everything_else() -> None:
    for number, slide in enumerate(reopen(sample_deck()).slides, start=1):
        rule = next(s for s in slide.shapes if s.name == "Footer Rule")
        for shape in slide.shapes:
            if shape.name not in FOOTER:
                assert shape.top + shape.height <= rule.top, f"{shape.name} on slide {number}"


def it_opens_with_a_title_slide() -> None:
    document = sample_document()
    compliance = document.compliance
    slide = reopen(sample_deck()).slides[0]
    text = "\n".join(shape_texts(slide))
    for wanted in (
        compliance.firm,
        document.title,
        document.date_text,
        compliance.analyst,
        compliance.qualification,
        compliance.consulting,
        compliance.licence,
    ):
        assert wanted in text
    assert slide.slide_layout.name == "Title"


def it_gives_each_section_its_slides_in_order() -> None:
    document = sample_document()
    titles = [s.shapes.title.text_frame.text for s in list(reopen(sample_deck()).slides)[1:]]
    firsts = [t for t in titles if not t.endswith("（续）") and t != "今日要点"]
    wanted = [s.title for s in document.sections if s.kind != "cover"]
    assert titles[0] == "今日要点"  # the cover's highlights open the deck
    assert firsts == wanted
    assert all(t.removesuffix("（续）") in wanted for t in titles[1:])


def it_shows_every_overview_row_once_under_a_repeated_header() -> None:
    document = sample_document()
    deck = reopen(sample_deck())
    for table in (b for s in document.sections for b in s.blocks if isinstance(b, Table)):
        shown = []
        for slide in deck.slides:
            if slide.shapes.title.text_frame.text.removesuffix("（续）") != table_title(table):
                continue
            grid = next(s for s in slide.shapes if s.name == "Table").table
            rows = [tuple(c.text for c in row.cells) for row in grid.rows]
            assert rows[0] == table.header
            assert len(rows) - 1 <= 14
            shown += [r[1:] for r in rows[1:]]
        assert shown == [r.cells[1:] for r in table.rows]


def table_title(table: Table) -> str:
    document = sample_document()
    return next(s.title for s in document.sections if table in s.blocks)


def it_explains_the_stale_mark_where_it_shows() -> None:
    for slide in reopen(sample_deck()).slides:
        texts = list(shape_texts(slide))
        if any(t.rstrip().endswith("*") for t in texts):
            assert any(s.name == "Table Note" for s in slide.shapes)


def it_names_the_east_asian_face_on_every_run() -> None:
    for slide in reopen(sample_deck()).slides:
        for rpr in slide._element.iter(f"{{{DRAWING_NS['a']}}}rPr"):
            ea = rpr.find("a:ea", DRAWING_NS)
            latin = rpr.find("a:latin", DRAWING_NS)
            assert ea is not None and ea.get("typeface"), "a run without a:ea"
            assert latin is not None


def it_writes_the_same_bytes_for_the_same_snapshot(tmp_path: Path) -> None:
    first = render_pptx(sample_document(), tmp_path / "one.pptx").path.read_bytes()
    again = render_pptx(sample_document(), tmp_path / "two.pptx").path.read_bytes()
    assert first == again
    with zipfile.ZipFile(tmp_path / "one.pptx") as deck:
        assert {i.date_time for i in deck.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        workbooks = [n for n in deck.namelist() if n.endswith(".xlsx")]
        assert workbooks
        for name in workbooks[:3]:
            with zipfile.ZipFile(deck.open(name)) as book:
                assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
                assert not any(n.startswith("docProps/") for n in book.namelist())


def it_dates_the_deck_by_the_report_not_the_clock() -> None:
    props = reopen(sample_deck()).core_properties
    as_of = sample_document().as_of
    assert props.created.date() == as_of and props.modified.date() == as_of


def it_replaces_the_deck_whole(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"an older deck")
    result = render_pptx(sample_document(), out)
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]  # no temporary left
    assert result.slides == len(reopen(result).slides)


def it_is_16_by_9() -> None:
    deck = reopen(sample_deck())
    assert Emu(deck.slide_width).inches / Emu(deck.slide_height).inches == __import__(
        "pytest"
    ).approx(16 / 9, rel=1e-3)


def it_sets_every_title_at_24_pt_and_grows_the_box_of_one_that_wraps() -> None:
    # titles once shrank to 16 pt to stay on one line: a room cannot read that from the back
    wrapped = 0
    for number, slide in enumerate(reopen(sample_deck()).slides, start=1):
        title = slide.shapes.title
        if title is None or number == 1:
            continue
        frame = title.text_frame
        assert {run.font.size.pt for p in frame.paragraphs for run in p.runs} == {24.0}, number
        room = (title.width - frame.margin_left - frame.margin_right) / 12700
        lines = len(wrap(frame.text, 24.0, room))
        if lines > 1:
            wrapped += 1
            spacing = frame.paragraphs[0].line_spacing.pt
            inner = (title.height - frame.margin_top - frame.margin_bottom) / 12700
            assert lines * spacing <= inner + 0.5, number
            rule = next(s for s in slide.slide_layout.slide_master.shapes if s.name == "Brand Rule")
            assert title.top >= 0 and title.top + title.height <= rule.top, number
    assert wrapped, "the sample has a title too long for one line at 24 pt"
