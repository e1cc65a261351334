"""A correction's note as the layout models it: compact, the same lines for PDF and deck."""

from __future__ import annotations

from publisher.layout.model import SHOWN_FIGURES, CorrectedFigure, Correction


def figure(n: int) -> CorrectedFigure:
    return CorrectedFigure(f"指标{n}", "58.2", "58.5", "万吨", (f"来源{n}",))


def it_lists_a_handful_of_figures_then_counts_the_rest() -> None:
    note = Correction(2, 1, tuple(figure(n) for n in range(SHOWN_FIGURES + 3)))
    assert note.heading == "更正：本报告第2版，更正第1版"
    assert len(note.lines) == SHOWN_FIGURES
    assert note.lines[0] == "数据：指标0 58.2 → 58.5 万吨"
    assert note.lines[-1].endswith(f"等{SHOWN_FIGURES + 3}项")
    # only what is printed is cited
    assert note.sources == tuple(f"来源{n}" for n in range(SHOWN_FIGURES))


def it_says_how_the_analysts_text_changed() -> None:
    note = Correction(3, 2, (figure(1),), removed=("旧句。",), added=("新句。",))
    assert note.lines == ("数据：指标1 58.2 → 58.5 万吨", "观点：改写1句，如“新句。”")
    long = "很" * 40 + "。"
    cut = Correction(2, 1, added=(long,)).lines[0]
    assert cut.startswith("观点：改写1句") and cut.endswith("…”") and len(cut) < 40
    assert Correction(2, 1, removed=("旧句。",)).lines == ("观点：删去1句",)


def it_says_so_when_neither_figures_nor_text_changed() -> None:
    assert Correction(2, 1).lines == ("数据与观点未变，版式或品牌信息更正",)
