"""Archive: the manifest stored with every revision — what was published, from what, by whom."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from publisher.layout.model import CorrectedFigure, Correction

# 2: the layout files are stored too (LAYOUTS_DIR); 3: `identity` is the content identity
# (publisher/archive/identity.py), no longer the hash of the input files' bytes; 4: a
# correction records the note its outputs print (`correction`), so a rebuild prints it again
FORMAT = 4
MANIFEST_NAME = "manifest.json"
SNAPSHOT_DIR = "snapshot"
LAYOUTS_DIR = "layouts"  # the layout files the revision was built with, as under layouts/
LAYOUT_ROLE = "layout"


@dataclass(frozen=True)
class FileEntry:
    """One stored file: its path inside the revision folder, role, size and sha256."""

    path: str  # POSIX, relative to the revision folder
    role: str  # an input role (snapshot, brand, catalog, observations, logo, layout) or output
    sha256: str
    size: int
    pages: int | None = None  # outputs: pages or slides the check counted


@dataclass(frozen=True)
class Manifest:
    """A revision's record. `build_time` is the as-of date, never the clock, so a rebuild of
    the stored snapshot is byte-identical."""

    report_id: str
    title: str
    as_of: dt.date
    revision: int
    analyst: str  # the brand file's key
    analyst_name: str
    layout: str
    package_version: str
    build_time: str
    identity: str  # format 3: what the snapshot and layout files say; 2 and 1: their bytes
    snapshot: str  # the stored snapshot.toml, relative to the revision folder
    inputs: tuple[FileEntry, ...]
    outputs: tuple[FileEntry, ...]
    warnings: tuple[str, ...] = ()  # data-quality warnings the build went ahead with
    layouts: str = ""  # the stored layouts folder; "" in format 1: the installed layouts
    correction: Correction | None = None  # 更正: what it changes in the revision it corrects
    format: int = FORMAT

    @property
    def files(self) -> tuple[FileEntry, ...]:
        return self.inputs + self.outputs

    @property
    def snapshot_inputs(self) -> tuple[FileEntry, ...]:
        """The inputs the identity is made of: the snapshot's files, not the layout's."""
        return tuple(e for e in self.inputs if e.role != LAYOUT_ROLE)

    @property
    def supersedes(self) -> int | None:
        """The revision this one corrects (更正), if any."""
        return self.revision - 1 if self.revision > 1 else None

    def to_json(self) -> str:
        fields: dict[str, Any] = asdict(self)
        doc = {"format": fields.pop("format")}
        for key, value in fields.items():
            doc[key] = value
            if key == "revision":
                doc["supersedes"] = self.supersedes
        doc["as_of"] = self.as_of.isoformat()
        for group in ("inputs", "outputs"):
            doc[group] = [{k: v for k, v in e.items() if v is not None} for e in doc[group]]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        doc = json.loads(text)
        doc.pop("supersedes", None)
        doc["as_of"] = dt.date.fromisoformat(doc["as_of"])
        for group in ("inputs", "outputs"):
            doc[group] = tuple(FileEntry(**entry) for entry in doc[group])
        doc["warnings"] = tuple(doc.get("warnings", ()))
        doc["correction"] = _correction(doc.get("correction"))
        return cls(**doc)


def _correction(found: dict[str, Any] | None) -> Correction | None:
    if found is None:
        return None
    figures = tuple(
        CorrectedFigure(**(f | {"sources": tuple(f.get("sources", ()))}))
        for f in found.get("figures", ())
    )
    return Correction(
        found["revision"],
        found["corrects"],
        figures,
        tuple(found.get("removed", ())),
        tuple(found.get("added", ())),
    )


def build_time(as_of: dt.date) -> str:
    """The report's own date at midnight Beijing time, as the PDF's CreationDate records it."""
    return f"{as_of.isoformat()}T00:00:00+08:00"


def entry_for(folder: Path, path: Path, role: str, pages: int | None = None) -> FileEntry:
    """A FileEntry for a file already in the revision folder, hashed from disk."""
    data = path.read_bytes()
    return FileEntry(
        path.relative_to(folder).as_posix(),
        role,
        hashlib.sha256(data).hexdigest(),
        len(data),
        pages,
    )


def read_manifest(folder: Path) -> tuple[Manifest, str]:
    """A revision folder's manifest and the sha256 of its bytes (what the index records)."""
    data = (folder / MANIFEST_NAME).read_bytes()
    return Manifest.from_json(data.decode("utf-8")), hashlib.sha256(data).hexdigest()
