"""Archive: search what each revision printed, and follow one series as it was published."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.archive.errors import ArchiveError
from publisher.archive.index import TRIGRAM, Content, Index, Row
from publisher.archive.manifest import Manifest
from publisher.errors import PublisherError

if TYPE_CHECKING:
    from publisher.metrics.prepared import Prepared

SNIPPET = 24  # characters shown either side of a match


@dataclass(frozen=True)
class Hit:
    """A revision whose printed text holds the searched text."""

    report_id: str
    as_of: str
    revision: int
    title: str
    snippet: str

    def line(self) -> str:
        return f"{self.report_id}  {self.as_of}  r{self.revision}  {self.snippet}"


@dataclass(frozen=True)
class Printed:
    """One series as one revision printed it."""

    report_id: str
    as_of: str
    revision: int
    name: str
    value: str
    unit: str
    observed: str  # the date of the value itself ('' if the report printed none)

    def line(self) -> str:
        mark = " 更正" if self.revision > 1 else ""
        observed = f"  (value of {self.observed})" if self.observed else ""
        return (
            f"{self.as_of}  r{self.revision}{mark}  {self.report_id}  {self.name}  "
            f"{self.value} {self.unit}{observed}"
        ).rstrip()


def content_of(folder: Path, manifest: Manifest) -> Content | None:
    """The text and figures a revision printed, from its stored snapshot; None if that no
    longer loads (the revision is indexed all the same, only not searchable)."""
    from publisher.archive.changes import stored_revision

    try:
        prepared = stored_revision(folder, manifest)
    except (PublisherError, OSError, ValueError):
        return None
    return printed_content(prepared, manifest)


def printed_content(prepared: Prepared, manifest: Manifest) -> Content:
    """The text and figures a revision with this manifest prints, from its prepared data."""
    from publisher.archive.changes import printed_figures, sentences

    figures = tuple(
        (key, f.name, f.text.current, f.unit, f.date.isoformat() if f.date else "")
        for key, f in printed_figures(prepared).items()
    )
    lines = [manifest.title, *sentences(prepared), *(f"{f[1]} {f[2]}{f[3]}" for f in figures)]
    return Content("\n".join(lines), figures)


def search(index: Index, root: Path, text: str) -> list[Hit]:
    """Revisions whose printed text holds `text`, newest first."""
    _searchable(index, root)
    return [_hit(row, body, text) for row, body in index.search(text)]


def series(index: Index, root: Path, series_id: str) -> list[Printed]:
    """The series as each revision printed it, oldest first."""
    _searchable(index, root)
    return [Printed(*_key(row), *printed) for row, printed in index.series(series_id)]


def _searchable(index: Index, root: Path) -> None:
    if not TRIGRAM:
        raise ArchiveError(root, "cannot be searched: SQLite 3.34 or newer is needed (trigram)")
    if not index.searchable:
        raise ArchiveError(
            root / "index.sqlite",
            "holds no search tables (it was made before search existed)",
            f"run publisher archive reindex {root} to fill them from the revision folders",
        )


def _key(row: Row) -> tuple[str, str, int]:
    return row.report_id, row.as_of.isoformat(), row.revision


def _hit(row: Row, body: str, text: str) -> Hit:
    return Hit(*_key(row), row.title, snippet(body, text))


def snippet(body: str, text: str) -> str:
    """The match with some text either side, on one line."""
    flat = " ".join(body.split())
    at = max(flat.lower().find(" ".join(text.split()).lower()), 0)
    start, end = max(at - SNIPPET, 0), at + len(text) + SNIPPET
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
