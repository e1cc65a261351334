"""Reading a rendered PDF back the way a reader sees it: page texts, lines, text positions."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from publisher.layout.model import (
    BulletList,
    Callout,
    ChartGrid,
    Document,
    FactorLine,
    Paragraph,
    Table,
)

SOURCES = "数据来源："


def squeeze(text: str) -> str:
    """`text` without any whitespace: what survives pypdf's line and space choices."""
    return "".join(text.split())


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def page_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sources_line(text: str) -> str:
    """The page's 数据来源 line, the footer's, without its label (charts have one each above
    it, and the footer is drawn last)."""
    lines = [line for line in page_lines(text) if line.startswith(SOURCES)]
    assert lines, "no 数据来源 line"
    return lines[-1].removeprefix(SOURCES)


def probes(document: Document) -> list[tuple[str, tuple[str, ...]]]:
    """A piece of text unique to each data-carrying unit, with the sources it cites."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph | Callout):
                found.append((squeeze(block.text)[:14], block.sources))
            elif isinstance(block, FactorLine):
                found.append((f"{block.number}、{block.name}：{block.text[:8]}", block.sources))
            elif isinstance(block, BulletList):
                found += [(squeeze(item)[:10], block.sources) for item in block.items]
            elif isinstance(block, Table):
                found += [(row.cells[1], row.sources) for row in block.rows]
            elif isinstance(block, ChartGrid):
                found += [(chart.title, chart.sources) for chart in block.charts]
    return found


def text_runs(path: Path, index: int) -> list[tuple[float, float, str]]:
    """(x, baseline y, text) of every text run drawn on a page, in PDF points."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, text.strip()))

    PdfReader(path).pages[index].extract_text(visitor_text=visit)
    return runs


def text_positions(path: Path, index: int) -> list[tuple[float, str]]:
    """(baseline y, text) of every text run drawn on a page."""
    return [(y, text) for _, y, text in text_runs(path, index)]
