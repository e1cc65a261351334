"""Archive: a snapshot's input files and the layout files it is built with, read once: their
roles, bytes, and the files identity batch tells new snapshots by."""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from publisher import atomic
from publisher.archive.errors import ArchiveError
from publisher.errors import LayoutError
from publisher.snapshot.files import decode_text
from publisher.snapshot.layoutfile import LayoutSearch, snapshot_layout
from publisher.snapshot.load import MANIFEST
from publisher.snapshot.model import Snapshot

# Files the brand file's [firm] table names, relative to it: part of every snapshot using it.
BRAND_FILES = ("logo", "template")


@dataclass(frozen=True)
class InputFile:
    """One file a snapshot is built from, read once: what is hashed is what is stored."""

    role: str  # snapshot, brand, catalog, observations, logo or template
    source: Path  # where it was read, made absolute without following links
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Inputs:
    """Every input of one snapshot and the folder their relative paths are kept under."""

    files: tuple[InputFile, ...]
    root: Path  # the deepest folder holding them all: paths below it are stored as they are

    @property
    def files_identity(self) -> str:
        return files_identity((f.role, f.sha256) for f in self.files)

    @property
    def size(self) -> int:
        return sum(len(f.data) for f in self.files)

    def stored(self, file: InputFile) -> PurePosixPath:
        """Where `file` goes under the stored snapshot/ folder (its path below `root`)."""
        return PurePosixPath(file.source.relative_to(self.root).as_posix())

    @property
    def entry(self) -> PurePosixPath:
        """The stored snapshot.toml: what a rebuild loads."""
        return self.stored(self.files[0])


@dataclass(frozen=True)
class LayoutFile:
    """One file the build reads for the layout (the layout, a template, a chart catalog),
    read once: what the identity counts is what is stored and built from."""

    path: PurePosixPath  # in the stored layouts folder: <id>.toml, templates/…, charts/…
    data: bytes = field(repr=False)
    source: Path | None = None  # where it was read: a message about the copy names this file

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def files_identity(files: Iterable[tuple[str, str]]) -> str:
    """One hash for (role, sha256) pairs: the same bytes in the same roles, wherever the
    folder lies and whatever its files' dates. The identity of manifest format 2 and older,
    and batch's quick test for a snapshot it has seen (publisher/archive/identity.py has the
    identity of what the files say)."""
    lines = sorted(f"{role} {digest}\n" for role, digest in files)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def read_inputs(listed: Sequence[tuple[str, Path]]) -> Inputs:
    """Read the listed files; a file named twice is kept once, in its first role."""
    seen: dict[Path, str] = {}
    for role, path in listed:
        seen.setdefault(_absolute(path), role)
    files = tuple(InputFile(role, path, path.read_bytes()) for path, role in seen.items())
    root = Path(os.path.commonpath([f.source.parent for f in files]))
    return Inputs(files, root)


def list_inputs(folder: Path) -> list[tuple[str, Path]]:
    """The files a snapshot folder names, with their roles, from snapshot.toml and the brand
    file alone (the data is not loaded). Raises on anything unreadable: the loader then says
    what is wrong."""
    manifest = folder / MANIFEST if folder.is_dir() else folder
    doc = _toml(manifest)
    report, data = doc["report"], doc["data"]
    brand = manifest.parent / _name(report["brand"])
    listed = [("snapshot", manifest), ("brand", brand)]
    listed.append(("catalog", manifest.parent / _name(data["catalog"])))
    listed += [("observations", manifest.parent / _name(p)) for p in data["observations"]]
    firm = _toml(brand)["firm"]
    listed += [(role, brand.parent / _name(firm[role])) for role in BRAND_FILES if firm.get(role)]
    return listed


def quick_identity(folder: Path) -> str | None:
    """The files identity of the snapshot in `folder` without loading it; None if it cannot
    be read (publishing it will then report why)."""
    try:
        return read_inputs(list_inputs(folder)).files_identity
    except (OSError, KeyError, TypeError, ValueError, tomllib.TOMLDecodeError):
        return None


def covers(inputs: Inputs, snapshot: Snapshot) -> None:
    """Refuse a snapshot whose loader read a file the listing does not name (a snapshot field
    this module has not learnt): it would be missing from the stored copy, and the batch
    would take a changed snapshot for one already archived."""
    read = [*snapshot.files, *(getattr(snapshot.brand, role, None) for role in BRAND_FILES)]
    unknown = {_absolute(p) for p in read if p is not None} - {f.source for f in inputs.files}
    if unknown:
        raise ArchiveError(
            snapshot.path,
            f"the archive does not know this snapshot reads {', '.join(map(str, sorted(unknown)))}",
            "teach publisher/archive/inputs.py:list_inputs the new snapshot field",
        )


def write_inputs(inputs: Inputs, into: Path) -> Path:
    """Copy every input byte for byte under `into`, relative paths kept; return snapshot.toml."""
    for file in inputs.files:
        target = into / inputs.stored(file)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_durably(target, file.data)
    return into / inputs.entry


def self_contained(inputs: Inputs, into: Path) -> None:
    """The stored copy under `into` must load from itself alone: every file it names lies in
    the copy and holds the bytes that were read. An absolute path in snapshot.toml (or a logo
    outside the brand folder's tree) would make a rebuild read the live file instead."""
    copy = read_inputs(list_inputs(into / inputs.entry))
    outside = [f.source for f in copy.files if not f.source.is_relative_to(_absolute(into))]
    if outside or copy.files_identity != inputs.files_identity:
        raise ArchiveError(
            inputs.files[0].source,
            "the stored copy of this snapshot would not load on its own"
            + (f" (it reads {outside[0]})" if outside else ""),
            "name the brand, catalog and observations by paths relative to snapshot.toml",
        )


def read_layout(snapshot: Snapshot, layouts: Path | LayoutSearch) -> tuple[LayoutFile, ...]:
    """The files the snapshot's layout reads, from wherever on the search path `layouts` (or
    beside snapshot.toml) they lie, as they lie there now; each kept where a copy builds
    alike from (LayoutSpec.stored), the layout itself first, as <id>.toml."""
    layout = snapshot_layout(snapshot, layouts)
    files = []
    for stored, path in layout.stored:
        if stored.is_absolute() or ".." in stored.parts:
            raise LayoutError(
                layout.path,
                f"reads {path} as '{stored}', outside the layout's folder, which the archive "
                "cannot keep",
                "name chart catalogs by a path below the layout's folder",
            )
        files.append(LayoutFile(stored, path.read_bytes(), path))
    return tuple(files)


def write_layout(files: Iterable[LayoutFile], into: Path) -> None:
    """Store the layout files under `into` as they were read, relative paths kept."""
    for file in files:
        target = into / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_durably(target, file.data)


def _absolute(path: Path) -> Path:
    # Lexical, not resolve(): a link must be stored where snapshot.toml looks for it.
    return Path(os.path.normpath(os.path.abspath(path)))


def _toml(path: Path) -> dict:
    return tomllib.loads(decode_text(path, path.read_bytes()))


def _name(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"expected a file name, got {value!r}")
    return value
