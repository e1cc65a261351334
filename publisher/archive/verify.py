"""Archive: verify every stored hash, and rebuild a revision from its stored snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from publisher.archive.errors import ArchiveError
from publisher.archive.index import Row
from publisher.archive.manifest import MANIFEST_NAME, Manifest, read_manifest
from publisher.archive.store import Archive, Problem, inspect


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


def verify(archive: Archive) -> Verification:
    """Recompute every hash of every indexed revision against its manifest, and each manifest's
    against the index; name missing, tampered and unexpected files."""
    problems: list[Problem] = []
    notes = [
        f"adopted {row.folder}: its publish was interrupted after the rename"
        for row in archive.adopted
    ]
    files = 0
    with archive.locked(shared=True), archive.index() as index:
        health = index.healthy()
        if health != "ok":
            problems.append(Problem(archive.index_path, f"damaged: {health}"))
        rows = index.rows()
        for row in rows:
            found, checked = _verify_row(archive, row)
            problems += found
            files += checked
        for folder in archive.unindexed().values():
            problems.append(Problem(folder, _unindexed(folder)))
        notes += [
            f"{path}: left by a publish that did not finish; the next publish removes it"
            for path in archive.leftovers()
        ]
    return Verification(len(rows), files, tuple(problems), tuple(notes))


def _verify_row(archive: Archive, row: Row) -> tuple[list[Problem], int]:
    folder = archive.path_of(row)
    if not folder.is_dir():
        return [Problem(folder, "missing: the revision folder is gone")], 0
    try:
        manifest, digest = read_manifest(folder)
    except FileNotFoundError:
        return [Problem(folder / MANIFEST_NAME, "missing")], 0
    except (ValueError, TypeError, KeyError) as exc:
        return [Problem(folder / MANIFEST_NAME, f"unreadable ({exc})")], 0
    problems = []
    if digest != row.manifest_sha256:
        problems.append(Problem(folder / MANIFEST_NAME, "tampered: not the manifest indexed"))
    if (manifest.report_id, manifest.as_of, manifest.revision) != (
        row.report_id,
        row.as_of,
        row.revision,
    ):
        problems.append(Problem(folder / MANIFEST_NAME, "describes another revision"))
    return problems + inspect(folder, manifest), len(manifest.files) + 1


def _unindexed(folder: Path) -> str:
    try:
        manifest, _ = read_manifest(folder)
    except (OSError, ValueError, TypeError, KeyError):
        return "not in the index, and without a readable manifest"
    found = inspect(folder, manifest)
    reason = found[0].line() if found else "the same snapshot is indexed as another revision"
    return f"not in the index and cannot be adopted: {reason}"


@dataclass(frozen=True)
class Rebuilt:
    """A rebuild's verdict on each output: identical, differs, missing or new."""

    row: Row
    manifest: Manifest
    out: Path
    outputs: tuple[tuple[str, str], ...]  # (file name, verdict)
    package_version: str

    @property
    def ok(self) -> bool:
        return all(verdict in ("identical", "new") for _, verdict in self.outputs)


def rebuild(
    archive: Archive,
    report: str,
    as_of: dt.date,
    revision: int | None = None,
    out: Path | None = None,
    jobs: int | None = None,
) -> Rebuilt:
    """Build a revision again from its stored snapshot and compare each output byte for byte.
    With `out`, the rebuilt files are kept there (a re-issue); else they are discarded."""
    row = archive.row(report, as_of, revision)
    folder = archive.path_of(row)
    manifest, _ = read_manifest(folder)
    damaged = inspect(folder, manifest)
    if damaged:
        raise ArchiveError(
            damaged[0].path,
            f"{damaged[0].what}; a rebuild would not be of the archived snapshot",
            "run publisher archive verify DIR and restore the revision from a backup",
        )
    if out is not None:
        return _compare(row, manifest, folder, out, jobs)
    with tempfile.TemporaryDirectory(prefix="publisher-rebuild-") as tmp:
        return _compare(row, manifest, folder, Path(tmp), jobs)


def _compare(row: Row, manifest: Manifest, folder: Path, out: Path, jobs: int | None) -> Rebuilt:
    from publisher.assets import LAYOUTS_DIR
    from publisher.pipeline import build  # the renderers load only when a rebuild needs them

    # format 1 revisions kept no layout files: they rebuild with the installed ones
    layouts = folder / manifest.layouts if manifest.layouts else LAYOUTS_DIR
    built = build(
        folder / manifest.snapshot, out, jobs=jobs, layout=manifest.layout, layouts=layouts
    )
    made = {path.name: path for path in built.outputs}
    verdicts = []
    for entry in manifest.outputs:
        name = Path(entry.path).name
        path = made.pop(name, None)
        if path is None:
            verdicts.append((name, "missing"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != entry.sha256:
            verdicts.append((name, "differs"))
        else:
            verdicts.append((name, "identical"))
    verdicts += [(name, "new") for name in made]
    return Rebuilt(row, manifest, out, tuple(verdicts), version("publisher"))
