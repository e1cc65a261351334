"""Archive: verify every stored hash and index column, and rebuild a revision from its stored
snapshot (making a damaged output again when the rebuild matches its manifest)."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from publisher import atomic
from publisher.archive.errors import ArchiveError
from publisher.archive.index import BadRow, Row, parse
from publisher.archive.manifest import MANIFEST_NAME, Manifest, read_manifest
from publisher.archive.refusals import REINDEX, read_only
from publisher.archive.store import (
    UNREADABLE,
    Archive,
    Problem,
    differences,
    inspect,
    inspect_inputs,
)
from publisher.snapshot.layoutfile import LayoutSearch


@dataclass(frozen=True)
class Verification:
    """What `archive verify` found: problems fail it; notes are for the operator's eyes."""

    revisions: int
    files: int
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(archive: Archive, deep: bool = False) -> Verification:
    """Recompute every hash of every indexed revision against its manifest, and each index
    column against the manifest in the row's folder; name missing, tampered and unexpected
    files, and wrong columns. With no whole index, every revision folder is checked alone.
    `deep` also holds each whole output to its format again (PDF/A-2b, Open XML)."""
    notes = [
        f"adopted {row.folder}: its publish was interrupted after the rename"
        for row in archive.adopted
    ]
    with archive.locked(shared=True):
        damage = archive.index_problem()
        if damage:
            problems, revisions, files = _without_index(archive, damage, deep)
        else:
            problems, revisions, files = _with_index(archive, deep)
        notes += [
            f"{path}: left by a publish that did not finish; the next publish removes it"
            for path in archive.leftovers()
        ]
    return Verification(revisions, files, tuple(problems), tuple(notes))


def _with_index(archive: Archive, deep: bool) -> tuple[list[Problem], int, int]:
    problems: list[Problem] = []
    files = 0
    with archive.index() as index:
        stored = index.raw()
    for found in stored:
        try:
            row = parse(found)
        except BadRow as bad:
            problems.append(Problem(archive.index_path, f"{bad}"))
            continue
        wrong, checked = _verify_row(archive, row, deep)
        problems += wrong
        files += checked
    unindexed = archive.unindexed()
    for folder in unindexed.values():
        problems.append(Problem(folder, _unindexed(archive, folder, read_only(archive.root))))
    return problems, len(stored), files


def _without_index(archive: Archive, damage: str, deep: bool) -> tuple[list[Problem], int, int]:
    fix = REINDEX.replace("DIR", str(archive.root))
    problems = [Problem(archive.index_path, f"{damage}; {fix}")]
    files = 0
    for key, folder in sorted(archive.on_disk().items()):
        row, why = archive.examine(key, folder)
        if row is None:
            problems.append(Problem(folder, why))
        else:
            files += _files_in(archive.path_of(row))
            if deep:
                problems += _formats(archive.path_of(row), read_manifest(archive.path_of(row))[0])
    return problems, 0, files


def _verify_row(archive: Archive, row: Row, deep: bool) -> tuple[list[Problem], int]:
    folder = _folder_of(archive, row)
    if folder is None:
        return [Problem(archive.path_of(row), "missing: the revision folder is gone")], 0
    try:
        manifest, digest = read_manifest(folder)
    except FileNotFoundError:
        return [Problem(folder / MANIFEST_NAME, "missing")], 0
    except UNREADABLE as exc:
        return [Problem(folder / MANIFEST_NAME, f"unreadable ({exc})")], 0
    problems = []
    if digest != row.manifest_sha256:
        problems.append(
            Problem(
                folder / MANIFEST_NAME,
                f"tampered: not the manifest indexed (index.sqlite's manifest_sha256 is "
                f"{row.manifest_sha256[:12]}…, the file's {digest[:12]}…)",
            )
        )
    problems += [
        Problem(archive.index_path, f"{row.place}: {wrong}")
        for wrong in differences(row, manifest, digest)
        if not wrong.startswith("manifest_sha256 ")
    ]
    problems += inspect(folder, manifest)
    if deep:
        problems += _formats(folder, manifest, {p.path for p in problems})
    return problems, len(manifest.files) + 1


def _formats(folder: Path, manifest: Manifest, damaged: Collection[Path] = ()) -> list[Problem]:
    """Each whole output held to its format again, one problem a file: a revision published
    before its format was checked is named as not conforming, not as damaged."""
    from publisher.check import format_findings  # loads the validators only for --deep

    problems = []
    for entry in manifest.outputs:
        path = folder / entry.path
        if path in damaged or path.suffix.lower() not in (".pdf", ".pptx"):
            continue  # a damaged file is named already; its format says nothing more
        found = format_findings(path)
        if found:
            problems.append(Problem(path, _format_line(path, found)))
    return problems


def _format_line(path: Path, found: list[tuple[int, str]]) -> str:
    unit = "slide" if path.suffix.lower() == ".pptx" else "page"
    page, what = found[0]
    first = f"{unit} {page}: {what}" if page else what
    return (
        f"format: {len(found)} finding(s), its hash intact (not damaged), first: {first}; "
        f"publisher check {path.name} lists them all"
    )


def _folder_of(archive: Archive, row: Row) -> Path | None:
    """The folder the row's key names; failing that, the one its folder column names (so an
    edited key is compared with the revision it came from, and named)."""
    if archive.path_of(row).is_dir():
        return archive.path_of(row)
    column = PurePosixPath(row.folder)
    if column.is_absolute() or ".." in column.parts or column.parts[:1] != ("reports",):
        return None
    folder = archive.root / column
    return folder if folder.is_dir() else None


def _files_in(folder: Path) -> int:
    """The files a whole revision folder holds: its manifest's, and the manifest."""
    try:
        return len(read_manifest(folder)[0].files) + 1
    except UNREADABLE:
        return 0


def _unindexed(archive: Archive, folder: Path, read_only: bool) -> str:
    key = (folder.parent.parent.name, folder.parent.name, int(folder.name[1:]))
    row, why = archive.examine(key, folder)
    if row is not None and read_only:
        return (
            "not in the index: its publish was interrupted after the rename; it is adopted "
            "when the archive is next opened where it can be written"
        )
    if row is not None:
        return "not in the index: it verifies, and is adopted when the archive is next opened"
    return f"not in the index and cannot be adopted: {why}"


@dataclass(frozen=True)
class Rebuilt:
    """A rebuild's verdict on each output: identical, restored (the archived copy was damaged
    and is made again), damaged (it would be, but the archive is read-only), differs, missing
    or new."""

    row: Row
    manifest: Manifest
    out: Path
    outputs: tuple[tuple[str, str], ...]  # (file name, verdict)
    package_version: str

    @property
    def ok(self) -> bool:
        return all(verdict in ("identical", "restored", "new") for _, verdict in self.outputs)


def rebuild(
    archive: Archive,
    report: str,
    as_of: dt.date,
    revision: int | None = None,
    out: Path | None = None,
    jobs: int | None = None,
    layouts: Path | LayoutSearch | None = None,
) -> Rebuilt:
    """Build a revision again from its stored snapshot and compare each output byte for byte
    with its manifest; an archived output that is damaged or missing is replaced by the
    rebuilt one when that matches the manifest. With `out`, the rebuilt files are kept there
    (a re-issue); else they are discarded. A revision that kept no layout files (format 1)
    is built with those found on `layouts` (default: the installed ones)."""
    row = archive.row(report, as_of, revision)
    manifest = archive.checked(row)  # never a folder the row points to wrongly
    folder = archive.path_of(row)
    damaged = inspect_inputs(folder, manifest)
    if damaged:
        raise ArchiveError(
            damaged[0].path,
            f"{damaged[0].what}; a rebuild would not be of the archived snapshot",
            "run publisher archive verify DIR and restore the revision from a backup",
        )
    if out is not None:
        return _compare(archive, row, manifest, out, jobs, layouts)
    with tempfile.TemporaryDirectory(prefix="publisher-rebuild-") as tmp:
        return _compare(archive, row, manifest, Path(tmp), jobs, layouts)


def _compare(
    archive: Archive,
    row: Row,
    manifest: Manifest,
    out: Path,
    jobs: int | None,
    installed: Path | LayoutSearch | None,
) -> Rebuilt:
    from publisher import pipeline  # the renderers load only when a rebuild needs them
    from publisher.assets import LAYOUTS_DIR

    folder = archive.path_of(row)
    # format 1 revisions kept no layout files: they rebuild with the installed ones; the
    # others with their own copy alone, whatever the search path holds now
    kept = folder / manifest.layouts if manifest.layouts else None
    layouts = kept or installed or LAYOUTS_DIR
    # a correction prints the note its manifest records, as it did when it was published
    built = pipeline.build(
        folder / manifest.snapshot,
        out,
        jobs=jobs,
        layout=manifest.layout,
        layouts=layouts,
        correction=manifest.correction,
    )
    made = {path.name: path for path in built.outputs}
    verdicts = []
    for entry in manifest.outputs:
        name = Path(entry.path).name
        path = made.pop(name, None)
        if path is None:
            verdicts.append((name, "missing"))
        elif _sha256(path) != entry.sha256:
            verdicts.append((name, "differs"))
        else:
            verdicts.append((name, _restored(archive, folder / entry.path, path, entry.sha256)))
    verdicts += [(name, "new") for name in made]
    return Rebuilt(row, manifest, out, tuple(verdicts), version("publisher"))


def _restored(archive: Archive, archived: Path, rebuilt: Path, sha256: str) -> str:
    """'identical' if the archived copy is whole; else put the rebuilt bytes (which match the
    manifest) in its place — the revision as published, not a change to it."""
    if archived.is_file() and _sha256(archived) == sha256:
        return "identical"
    if read_only(archive.root):
        return "damaged"
    with archive.locked():
        atomic.write_atomically(archived, rebuilt.read_bytes())
    return "restored"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
