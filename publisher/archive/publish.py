"""Archive: publish one snapshot — build and check its outputs, then store them atomically."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from publisher.archive.correction import correction_note
from publisher.archive.errors import ArchiveError
from publisher.archive.identity import content_identity
from publisher.archive.index import Content, Row
from publisher.archive.inputs import (
    Inputs,
    LayoutFile,
    covers,
    list_inputs,
    quick_identity,
    read_inputs,
    read_layout,
    self_contained,
    write_inputs,
    write_layout,
)
from publisher.archive.manifest import (
    LAYOUT_ROLE,
    LAYOUTS_DIR,
    SNAPSHOT_DIR,
    FileEntry,
    Manifest,
    build_time,
    entry_for,
)
from publisher.archive.refusals import refusals, size
from publisher.archive.search import printed_content
from publisher.archive.store import Archive, Moved, pause, printed_contents
from publisher.assets import LAYOUTS_DIR as INSTALLED_LAYOUTS
from publisher.check import check_file, expectations_from
from publisher.errors import CheckError, EnvironmentFailure, OutputError, PublisherError
from publisher.layout.model import Correction
from publisher.pipeline import Prepared, build, prepare
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import LayoutSearch

CHECKED = (".pdf", ".pptx")  # the outputs publisher.check can read back
ATTEMPTS = 3  # builds of one publish against a latest revision that moved meanwhile


@dataclass(frozen=True)
class Published:
    """What a publish did: stored a new revision, or found the snapshot already archived."""

    row: Row
    folder: Path
    created: bool
    warnings: tuple[str, ...] = ()

    def message(self) -> str:
        row = self.row
        name = f"{row.report_id} {row.as_of} r{row.revision}"
        if not self.created:
            return f"unchanged: {name} already holds this snapshot; nothing written"
        kind = f" (更正 of r{row.revision - 1})" if row.correction else ""
        return f"published {name}{kind}: {', '.join(row.outputs)} in {self.folder}"


def publish(
    source: Path,
    root: Path,
    jobs: int | None = None,
    layouts: Path | LayoutSearch = INSTALLED_LAYOUTS,
) -> Published:
    """Validate the snapshot at `source`, build and check its report with the layout files
    found on `layouts` (a search path, or one folder), and archive it under `root` with a
    copy of both: a new revision, or nothing if the archive already holds this snapshot —
    the same content with the same layout files, however its files were saved. What the
    machine refuses (no space, no rights, a read-only archive, an I/O error) is one message,
    with nothing half-written."""
    archive = Archive(root)
    with refusals(archive.root, need=lambda: archive.room() or _room_for(source)):
        archive = Archive.open(root, create=True)
        return _publish(archive, source, jobs, layouts)


def _publish(
    archive: Archive, source: Path, jobs: int | None, layouts: Path | LayoutSearch
) -> Published:
    held = archive.held_files(quick_identity(source), layouts)
    if held:  # the very files, and the very layout files: no need to load them to know
        return _unchanged(archive, held)
    loaded = load_source(source, layouts)
    snapshot, layout, identity = loaded.snapshot, loaded.layout, loaded.identity
    held = archive.held(identity, snapshot.report_id, snapshot.as_of, layout)
    if held:
        return _unchanged(archive, held)
    with archive.claim(snapshot.report_id, snapshot.as_of):
        for _ in range(ATTEMPTS):
            held = archive.held(identity, snapshot.report_id, snapshot.as_of, layout)
            if held:  # another process finished it meanwhile
                return _unchanged(archive, held)
            with contextlib.suppress(Moved):
                row, created, warnings = _new_revision(archive, loaded, jobs)
                if not created:
                    return _unchanged(archive, row)
                return Published(row, archive.path_of(row), True, archive.warnings + warnings)
    raise ArchiveError(
        archive.root,
        f"other revisions of {snapshot.report_id} {snapshot.as_of} kept being archived while "
        "this one was built",
        "publish it again once the other publishes have ended",
    )


@dataclass(frozen=True)
class Source:
    """A loaded snapshot, its input files and layout files, and their identity."""

    snapshot: Snapshot
    inputs: Inputs
    layout: tuple[LayoutFile, ...]
    identity: str


def load_source(source: Path, layouts: Path | LayoutSearch) -> Source:
    """The snapshot at `source` loaded, its input files read and its layout files found on
    `layouts`, and the identity of the lot."""
    snapshot = load_snapshot(source)  # the loader's message, naming the user's file, first
    inputs = read_inputs(list_inputs(source))
    covers(inputs, snapshot)
    layout = read_layout(snapshot, layouts)
    identity = content_identity(snapshot, ((f.path.as_posix(), f.sha256) for f in layout))
    return Source(snapshot, inputs, layout, identity)


def _new_revision(
    archive: Archive, source: Source, jobs: int | None
) -> tuple[Row, bool, tuple[str, ...]]:
    """Stage, build and commit the next revision of the snapshot's report and date, with a
    correction's note when it corrects one (raises Moved if that number was taken
    meanwhile)."""
    snapshot = source.snapshot
    revision, latest = archive.next_revision(snapshot.report_id, snapshot.as_of)
    corrects = (archive.path_of(latest), archive.checked(latest)) if latest else None
    with archive.stage() as stage:
        staged = stage / "revision"
        manifest, contents = _staged_revision(source, staged, jobs, revision, corrects)
        pause("staged")
        row, created = archive.commit(staged, manifest, contents)
    return row, created, manifest.warnings


def _unchanged(archive: Archive, row: Row) -> Published:
    return Published(row, archive.path_of(row), created=False, warnings=archive.warnings)


def _staged_revision(
    source: Source,
    staged: Path,
    jobs: int | None,
    revision: int,
    corrects: tuple[Path, Manifest] | None,
) -> tuple[Manifest, dict[str, Content]]:
    """Copy the inputs and the layout files, build from the copies (so the outputs come from
    exactly the archived bytes) and check the outputs; the manifest, and what the revision
    prints for the search tables. A revision that `corrects` another (its folder and
    manifest) prints and records its correction's note."""
    snapshot, inputs, layout = source.snapshot, source.inputs, source.layout
    copy = staged / SNAPSHOT_DIR
    entry = write_inputs(inputs, copy)
    self_contained(inputs, copy)
    write_layout(layout, staged / LAYOUTS_DIR)
    try:
        # The copy holds the bytes `snapshot` was loaded from (self_contained checked the
        # hashes), so it is not loaded a second time.
        note = None
        if corrects:  # a first revision corrects nothing: it is not prepared twice
            after = prepare(entry, snapshot=snapshot, layouts=staged / LAYOUTS_DIR)
            note = _note(corrects, after, revision)
        built = build(
            entry,
            staged,
            jobs=jobs,
            snapshot=snapshot,
            layouts=staged / LAYOUTS_DIR,
            correction=note,
        )
    except (OutputError, EnvironmentFailure) as exc:
        if isinstance(exc.__cause__, OSError):
            raise exc.__cause__ from None  # the archive's disk, not an --out: worded by publish
        raise
    except CorrectedUnreadable as exc:
        raise exc.error from None
    except PublisherError as exc:  # the build read the copies: name the user's own files
        raise _pointing_at(_layout_named(exc, layout, staged), copy, inputs.root) from None
    outputs = tuple(_checked(path, snapshot, staged) for path in built.outputs)
    warnings = tuple(f"{w.series or w.where}: {w.what}" for w in built.quality.warnings)
    manifest = Manifest(
        report_id=snapshot.report_id,
        title=snapshot.title,
        as_of=snapshot.as_of,
        revision=revision,
        analyst=snapshot.analyst.key,
        analyst_name=snapshot.analyst.name,
        layout=layout[0].path.stem,  # the id: a rebuild finds the copy as <id>.toml by it
        package_version=version("publisher"),
        build_time=build_time(snapshot.as_of),
        identity=source.identity,
        snapshot=f"{SNAPSHOT_DIR}/{inputs.entry}",
        inputs=tuple(
            FileEntry(f"{SNAPSHOT_DIR}/{inputs.stored(f)}", f.role, f.sha256, len(f.data))
            for f in inputs.files
        )
        + tuple(
            FileEntry(f"{LAYOUTS_DIR}/{f.path}", LAYOUT_ROLE, f.sha256, len(f.data)) for f in layout
        ),
        outputs=outputs,
        warnings=_without(warnings, str(copy), str(inputs.root)),
        layouts=LAYOUTS_DIR,
        correction=note,
    )
    # what the build prepared from the archived bytes: no need to prepare them again
    printed = printed_content(built.prepared, manifest) if built.prepared else None
    contents = {manifest.identity: printed} if printed else printed_contents(staged, manifest)
    return manifest, contents


class CorrectedUnreadable(Exception):
    """The revision a correction corrects no longer loads: said as itself, not as the
    user's snapshot."""

    def __init__(self, error: PublisherError) -> None:
        super().__init__(str(error))
        self.error = error


def _note(corrects: tuple[Path, Manifest], after: Prepared, revision: int) -> Correction:
    folder, manifest = corrects
    try:
        return correction_note(corrects, after, revision)
    except PublisherError as exc:
        raise CorrectedUnreadable(
            ArchiveError(
                folder / manifest.snapshot,
                f"r{manifest.revision}'s stored snapshot no longer loads ({exc.what}), so a "
                "correction of it cannot say what it changes",
                "run publisher archive verify DIR and restore that revision from a backup",
            )
        ) from None


def _room_for(source: Path) -> str:
    """For a first revision's full disk: at least its snapshot, and its outputs besides."""
    try:
        taken = sum(path.stat().st_size for _, path in list_inputs(source))
    except Exception:  # whatever it is, the loader will say it; this is only an estimate
        return ""
    return f"; a revision takes its snapshot, {size(taken)}, and its PDF and deck besides"


def _checked(path: Path, snapshot: Snapshot, staged: Path) -> FileEntry:
    """An output's manifest entry, once the compliance check has passed it."""
    role = path.suffix.lower().lstrip(".") or "output"
    if path.suffix.lower() not in CHECKED:
        return entry_for(staged, path, role)
    result = check_file(path, expectations_from(snapshot))
    if not result.ok:
        raise CheckError(
            path.name,
            "fails the compliance check, so nothing was archived:\n  "
            + "\n  ".join(line.split(": ", 1)[1] for line in result.lines()),
            "fix the layout or brand file, then publish again",
        )
    return entry_for(staged, path, role, result.pages)


def _layout_named(
    exc: PublisherError, layout: tuple[LayoutFile, ...], staged: Path
) -> PublisherError:
    """Each staged layout file as the file it was read from (they may come from several
    folders of the search path); the staged folder itself as the layout's own."""
    for file in layout:
        if file.source is not None:
            exc = _pointing_at(exc, staged / LAYOUTS_DIR / file.path, file.source)
    own = layout[0].source if layout else None
    return _pointing_at(exc, staged / LAYOUTS_DIR, own.parent) if own else exc


def _pointing_at(exc: PublisherError, copy: Path, source_root: Path) -> PublisherError:
    """The build read the staged copy; name the user's own files in its message instead."""
    exc.where, exc.what, exc.fix = _without(
        (exc.where, exc.what, exc.fix), str(copy), str(source_root)
    )
    exc.args = (str(exc),)
    return exc


def _without(texts: tuple[str, ...], staged: str, source: str) -> tuple[str, ...]:
    return tuple(t.replace(staged + os.sep, source + os.sep).replace(staged, source) for t in texts)
