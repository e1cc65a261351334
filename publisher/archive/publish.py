"""Archive: publish one snapshot — build and check its outputs, then store them atomically."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from publisher.archive.index import Row
from publisher.archive.inputs import (
    Inputs,
    covers,
    list_inputs,
    quick_identity,
    read_inputs,
    self_contained,
    write_inputs,
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
from publisher.archive.store import Archive, pause
from publisher.assets import LAYOUTS_DIR as INSTALLED_LAYOUTS
from publisher.check import check_file, expectations_from
from publisher.errors import CheckError, LayoutError, PublisherError
from publisher.pipeline import build
from publisher.snapshot import Snapshot, load_snapshot
from publisher.snapshot.layoutfile import load_layout

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
    source: Path, root: Path, jobs: int | None = None, layouts: Path = INSTALLED_LAYOUTS
) -> Published:
    """Validate the snapshot at `source`, build and check its report with the layout files
    under `layouts`, and archive it under `root` with a copy of both: a new revision, or
    nothing if the archive already holds this snapshot (the layout is not part of that
    identity: a changed layout does not re-issue every past report)."""
    archive = Archive.open(root, create=True)
    held = archive.find(quick_identity(source))
    if held:
        return Published(held, archive.path_of(held), created=False)
    snapshot = load_snapshot(source)  # the loader's message, naming the user's file, first
    inputs = read_inputs(list_inputs(source))
    covers(inputs, snapshot)
    with archive.claim(inputs.identity):
        held = archive.find(inputs.identity)  # another process may have finished it meanwhile
        if held:
            return Published(held, archive.path_of(held), created=False)
        with archive.stage() as stage:
            staged = stage / "revision"
            manifest, warnings = _staged_revision(snapshot, inputs, staged, jobs, layouts)
            pause("staged")
            row, created = archive.commit(staged, manifest)
    return Published(row, archive.path_of(row), created, warnings if created else ())


def _staged_revision(
    snapshot: Snapshot, inputs: Inputs, staged: Path, jobs: int | None, layouts: Path
) -> tuple[Manifest, tuple[str, ...]]:
    """Copy the inputs and the layout files, build from the copies (so the outputs come from
    exactly the archived bytes) and check the outputs. The manifest's revision is left for
    the commit to set."""
    copy = staged / SNAPSHOT_DIR
    entry = write_inputs(inputs, copy)
    self_contained(inputs, copy)
    try:
        layout_files = _copy_layout(snapshot, layouts, staged / LAYOUTS_DIR)
        # The copy holds the bytes `snapshot` was loaded from (self_contained checked the
        # hashes), so it is not loaded a second time.
        built = build(entry, staged, jobs=jobs, snapshot=snapshot, layouts=staged / LAYOUTS_DIR)
    except PublisherError as exc:
        exc = _pointing_at(exc, staged / LAYOUTS_DIR, layouts)
        raise _pointing_at(exc, copy, inputs.root) from None
    outputs = tuple(_checked(path, snapshot, staged) for path in built.outputs)
    warnings = tuple(f"{w.series or w.where}: {w.what}" for w in built.quality.warnings)
    manifest = Manifest(
        report_id=snapshot.report_id,
        title=snapshot.title,
        as_of=snapshot.as_of,
        revision=0,
        analyst=snapshot.analyst.key,
        analyst_name=snapshot.analyst.name,
        layout=snapshot.layout,
        package_version=version("publisher"),
        build_time=build_time(snapshot.as_of),
        identity=inputs.identity,
        snapshot=f"{SNAPSHOT_DIR}/{inputs.entry}",
        inputs=tuple(
            FileEntry(f"{SNAPSHOT_DIR}/{inputs.stored(f)}", f.role, f.sha256, len(f.data))
            for f in inputs.files
        ),
        outputs=outputs,
        warnings=_without(warnings, str(copy), str(inputs.root)),
        layouts=LAYOUTS_DIR,
    )
    return replace(manifest, inputs=manifest.inputs + layout_files), manifest.warnings


def _copy_layout(snapshot: Snapshot, layouts: Path, into: Path) -> tuple[FileEntry, ...]:
    """The snapshot's layout files, copied from `layouts` as they lie there, and their entries."""
    layout = load_layout(snapshot.layout, snapshot.catalog, layouts)
    entries = []
    for path in layout.files:
        if not path.resolve().is_relative_to(layouts.resolve()):
            raise LayoutError(
                layout.path,
                f"reads {path}, outside the layouts folder, which the archive cannot keep",
                "keep chart catalogs and templates under the layouts folder",
            )
        relative = path.resolve().relative_to(layouts.resolve())
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        entries.append(entry_for(into.parent, target, LAYOUT_ROLE))
    return tuple(entries)


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


def _pointing_at(exc: PublisherError, copy: Path, source_root: Path) -> PublisherError:
    """The build read the staged copy; name the user's own files in its message instead."""
    exc.where, exc.what, exc.fix = _without(
        (exc.where, exc.what, exc.fix), str(copy), str(source_root)
    )
    exc.args = (str(exc),)
    return exc


def _without(texts: tuple[str, ...], staged: str, source: str) -> tuple[str, ...]:
    return tuple(t.replace(staged + os.sep, source + os.sep).replace(staged, source) for t in texts)
