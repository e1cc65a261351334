"""Archive: publish one snapshot — build and check its outputs, then store them atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from publisher.archive.identity import content_identity
from publisher.archive.index import Row
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
from publisher.archive.store import Archive, pause
from publisher.assets import LAYOUTS_DIR as INSTALLED_LAYOUTS
from publisher.check import check_file, expectations_from
from publisher.errors import CheckError, EnvironmentFailure, OutputError, PublisherError
from publisher.pipeline import build
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import LayoutSearch

CHECKED = (".pdf", ".pptx")  # the outputs publisher.check can read back


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
    snapshot = load_snapshot(source)  # the loader's message, naming the user's file, first
    inputs = read_inputs(list_inputs(source))
    covers(inputs, snapshot)
    layout = read_layout(snapshot, layouts)
    identity = content_identity(snapshot, ((f.path.as_posix(), f.sha256) for f in layout))
    held = archive.held(identity, snapshot.report_id, snapshot.as_of, layout)
    if held:
        return _unchanged(archive, held)
    with archive.claim(identity):
        held = archive.held(identity, snapshot.report_id, snapshot.as_of, layout)
        if held:  # another process finished it meanwhile
            return _unchanged(archive, held)
        with archive.stage() as stage:
            staged = stage / "revision"
            manifest, warnings = _staged_revision(snapshot, inputs, layout, identity, staged, jobs)
            pause("staged")
            row, created = archive.commit(staged, manifest)
    if not created:
        return _unchanged(archive, row)
    return Published(row, archive.path_of(row), True, archive.warnings + warnings)


def _unchanged(archive: Archive, row: Row) -> Published:
    return Published(row, archive.path_of(row), created=False, warnings=archive.warnings)


def _staged_revision(
    snapshot: Snapshot,
    inputs: Inputs,
    layout: tuple[LayoutFile, ...],
    identity: str,
    staged: Path,
    jobs: int | None,
) -> tuple[Manifest, tuple[str, ...]]:
    """Copy the inputs and the layout files, build from the copies (so the outputs come from
    exactly the archived bytes) and check the outputs. The manifest's revision is left for
    the commit to set."""
    copy = staged / SNAPSHOT_DIR
    entry = write_inputs(inputs, copy)
    self_contained(inputs, copy)
    write_layout(layout, staged / LAYOUTS_DIR)
    try:
        # The copy holds the bytes `snapshot` was loaded from (self_contained checked the
        # hashes), so it is not loaded a second time.
        built = build(entry, staged, jobs=jobs, snapshot=snapshot, layouts=staged / LAYOUTS_DIR)
    except (OutputError, EnvironmentFailure) as exc:
        if isinstance(exc.__cause__, OSError):
            raise exc.__cause__ from None  # the archive's disk, not an --out: worded by publish
        raise
    except PublisherError as exc:  # the build read the copies: name the user's own files
        raise _pointing_at(_layout_named(exc, layout, staged), copy, inputs.root) from None
    outputs = tuple(_checked(path, snapshot, staged) for path in built.outputs)
    warnings = tuple(f"{w.series or w.where}: {w.what}" for w in built.quality.warnings)
    manifest = Manifest(
        report_id=snapshot.report_id,
        title=snapshot.title,
        as_of=snapshot.as_of,
        revision=0,
        analyst=snapshot.analyst.key,
        analyst_name=snapshot.analyst.name,
        layout=layout[0].path.stem,  # the id: a rebuild finds the copy as <id>.toml by it
        package_version=version("publisher"),
        build_time=build_time(snapshot.as_of),
        identity=identity,
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
    )
    return manifest, manifest.warnings


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
