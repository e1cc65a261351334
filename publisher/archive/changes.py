"""Archive: what changed between two revisions — figures, sentences and pages of the PDF."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from publisher.archive.index import Row
from publisher.archive.manifest import Manifest
from publisher.archive.store import Archive
from publisher.metrics.figures import Figure
from publisher.pipeline import Prepared, prepare

# Sentences end at 。！？ or ；, as the desk writes them; a changed clause is a changed sentence.
SENTENCE_END = re.compile(r"(?<=[。！？；])")


@dataclass(frozen=True)
class FigureChange:
    """A figure printed differently: its 现值 old → new (or its 前值, when only that moved)."""

    id: str
    name: str
    unit: str
    old: str
    new: str


@dataclass(frozen=True)
class Changes:
    """What one revision changes in another of the same report."""

    report_id: str
    old: str  # "2025-05-27 r1"
    new: str
    figures: tuple[FigureChange, ...]
    removed: tuple[str, ...]  # sentences of the analyst's text no longer printed
    added: tuple[str, ...]
    pages: tuple[int, ...]  # 1-based PDF pages whose text changed

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    def lines(self) -> list[str]:
        out = [f"{self.report_id}: {self.old} → {self.new}"]
        out += [f"  figure {f.id}  {f.name}  {f.old} → {f.new} {f.unit}" for f in self.figures]
        out += [f"  - {s}" for s in self.removed] + [f"  + {s}" for s in self.added]
        if self.pages:
            out.append(f"  pages changed: {', '.join(map(str, self.pages))}")
        if len(out) == 1:
            out.append("  no figure, sentence or page changed")
        return out


def compare(archive: Archive, old: Row, new: Row) -> Changes:
    """The changes from revision `old` to `new`, each loaded from its own stored snapshot and
    layout files, and their archived PDFs read back page by page."""
    before, after = _revision(archive, old), _revision(archive, new)
    said_before, said_after = sentences(before[0]), sentences(after[0])
    return Changes(
        report_id=new.report_id,
        old=f"{old.as_of} r{old.revision}",
        new=f"{new.as_of} r{new.revision}",
        figures=figure_changes(before[0], after[0]),
        removed=tuple(s for s in said_before if s not in said_after),
        added=tuple(s for s in said_after if s not in said_before),
        pages=changed_pages(before[1], after[1]),
    )


def figure_changes(before: Prepared, after: Prepared) -> tuple[FigureChange, ...]:
    """Every figure of either revision's tables or catalog that prints differently, in the
    newer revision's order."""
    old, new = printed_figures(before), printed_figures(after)
    changed = []
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = old.get(key), new.get(key)
        if was is not None and now is not None and _printed(was) == _printed(now):
            continue
        shown = now or was
        assert shown is not None  # one of them is, by the keys walked
        pick = (
            "current"
            if (was and now and was.text.current != now.text.current) or not (was and now)
            else "previous"
        )
        changed.append(
            FigureChange(
                key,
                shown.name,
                shown.unit,
                getattr(was.text, pick) if was else "—",
                getattr(now.text, pick) if now else "—",
            )
        )
    return tuple(changed)


def sentences(prepared: Prepared) -> tuple[str, ...]:
    """The analyst's text as printed, a sentence at a time: views, factors, calls, lists."""
    texts: list[str] = []
    for view in prepared.views:
        texts += [*view.paragraphs, *(f.text for f in view.factors), view.range_call]
    for judgement in prepared.snapshot.judgements.values():
        texts += [*judgement.bullish, *judgement.bearish, judgement.logic, judgement.risks]
    split = (s.strip() for text in texts for s in SENTENCE_END.split(text))
    return tuple(dict.fromkeys(s for s in split if s))


def changed_pages(old: Path | None, new: Path | None) -> tuple[int, ...]:
    """1-based pages whose text differs (a page only one of them has included)."""
    before, after = _page_texts(old), _page_texts(new)
    count = max(len(before), len(after))
    pad = [""] * count
    return tuple(
        n + 1
        for n, (a, b) in enumerate(zip((before + pad)[:count], (after + pad)[:count], strict=True))
        if a != b
    )


def _printed(fig: Figure) -> tuple[str, str]:
    return fig.text.current, fig.text.previous


def printed_figures(prepared: Prepared) -> dict[str, Figure]:
    """Every figure the report prints, by id: its tables' rows first, then the catalog's."""
    found = {fig.key: fig for table in prepared.metrics.tables for fig in table.rows}
    return found | {k: f for k, f in prepared.metrics.figures.items() if k not in found}


def _revision(archive: Archive, row: Row) -> tuple[Prepared, Path | None]:
    manifest: Manifest = archive.checked(row)
    folder = archive.path_of(row)
    pdf = next((folder / e.path for e in manifest.outputs if e.role == "pdf"), None)
    return stored_revision(folder, manifest), pdf


def stored_revision(folder: Path, manifest: Manifest) -> Prepared:
    """A revision prepared from its folder's stored snapshot and layout files."""
    layouts = folder / manifest.layouts if manifest.layouts else None
    return prepare(folder / manifest.snapshot, layouts=layouts)


def _page_texts(path: Path | None) -> list[str]:
    if path is None or not path.exists():
        return []
    from publisher.check import compact, page_texts

    return [compact(text) for text in page_texts(path)]
