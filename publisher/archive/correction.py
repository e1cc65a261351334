"""Archive: a correction's note (更正), computed from the revision it corrects and its own."""

from __future__ import annotations

from pathlib import Path

from publisher.archive.changes import (
    SENTENCE_END,
    figure_changes,
    printed_figures,
    stored_revision,
)
from publisher.archive.manifest import Manifest
from publisher.layout.model import CorrectedFigure, Correction
from publisher.metrics.prepared import Prepared


def correction_note(corrected: tuple[Path, Manifest], after: Prepared, revision: int) -> Correction:
    """What revision `revision` (prepared as `after`) changes in the stored revision
    `corrected` (its folder and manifest): every figure printed differently, in the tables'
    strings, as `archive diff` finds them — and the analyst's own sentences removed and
    added (not the narrative the templates write around the figures, which a changed figure
    changes too: it is listed once, as a figure)."""
    folder, manifest = corrected
    before = stored_revision(folder, manifest)
    old, new = printed_figures(before), printed_figures(after)
    figures = tuple(
        CorrectedFigure(c.name, c.old, c.new, c.unit, (new.get(c.id) or old[c.id]).sources)
        for c in figure_changes(before, after)
    )
    said_before, said_after = analyst_sentences(before), analyst_sentences(after)
    return Correction(
        revision=revision,
        corrects=manifest.revision,
        figures=figures,
        removed=tuple(s for s in said_before if s not in said_after),
        added=tuple(s for s in said_after if s not in said_before),
    )


def analyst_sentences(prepared: Prepared) -> tuple[str, ...]:
    """What the analyst wrote for the day, a sentence at a time: outlooks, factor comments
    and verdicts, range calls, 利多, 利空, logic and risks."""
    texts: list[str] = []
    for j in prepared.snapshot.judgements.values():
        texts.append(j.outlook)
        texts += [f"{f.name}：{f.comment} {f.verdict}。" for f in j.factors]
        call = j.range_call
        texts.append(f"{j.name}{call.contract}：{call.low:g}–{call.high:g}。")
        texts += [*j.bullish, *j.bearish, j.logic, j.risks]
    split = (s.strip() for text in texts for s in SENTENCE_END.split(text))
    return tuple(dict.fromkeys(s for s in split if s))
