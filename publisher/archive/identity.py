"""Archive: a snapshot's identity — what its report is made of, as loaded, not the bytes of the
files that carried it: observations, catalog, views, brand, and the layout files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from publisher.archive.errors import ArchiveError
from publisher.archive.manifest import LAYOUT_ROLE, Manifest
from publisher.snapshot import Snapshot, load_snapshot

# Part of every identity: a change in how content is written out below must change this, or
# an unchanged snapshot would publish as a correction (and a changed one might not).
CONTENT = "publisher snapshot content 1"
# Where the files lay, and the analysts who do not sign this report: nothing printed.
SKIPPED = {("Snapshot", "path"), ("Snapshot", "files"), ("Brand", "analysts")}
# Rows whose order prints nothing (each series is looked up by id). Judgements keep theirs:
# a layout naming no products prints them in the snapshot's order.
SORTED = {("Snapshot", "catalog"), ("Snapshot", "observations")}


def content_identity(snapshot: Snapshot, layout: Iterable[tuple[str, str]]) -> str:
    """One hash over the loaded snapshot and (path, sha256) of each layout file: the same
    data re-saved with other line ends, in another encoding or as a workbook is the same
    snapshot; a changed value, view, brand field or layout file is not."""
    text = json.dumps(
        [CONTENT, _canonical(snapshot), sorted(layout)],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_identity(
    folder: Path, manifest: Manifest, layout: Iterable[tuple[str, str]] | None = None
) -> str:
    """The content identity of a revision's stored snapshot and stored layout files (or
    `layout`, for a format 1 revision, which kept none). Raises what the loader raises."""
    stored = layout_pairs(manifest) if manifest.layouts else tuple(layout or ())
    return content_identity(load_snapshot(folder / manifest.snapshot), stored)


def layout_pairs(manifest: Manifest) -> tuple[tuple[str, str], ...]:
    """(path under the layouts folder, sha256) of the layout files a manifest lists."""
    prefix = PurePosixPath(manifest.layouts)
    return tuple(
        (PurePosixPath(e.path).relative_to(prefix).as_posix(), e.sha256)
        for e in manifest.inputs
        if e.role == LAYOUT_ROLE
    )


def _canonical(value: object) -> object:
    """`value` as JSON that is equal exactly when what it says is: dataclasses field by
    field, a series by the hash of its dates and exact values, files the brand names by
    their bytes."""
    if is_dataclass(value) and not isinstance(value, type):
        kind = type(value).__name__
        return {
            f.name: _canonical(_in_order(getattr(value, f.name), (kind, f.name) in SORTED))
            for f in fields(value)
            if (kind, f.name) not in SKIPPED
        }
    if isinstance(value, pd.Series):
        # microseconds and IEEE doubles, little-endian: exact, and whatever unit pandas keeps
        dates = value.index.to_numpy().astype("datetime64[us]").astype("<i8")
        digest = hashlib.sha256(dates.tobytes() + value.to_numpy(dtype="<f8").tobytes())
        return f"{len(value)} {digest.hexdigest()}"
    if isinstance(value, Mapping):
        return [[str(key), _canonical(item)] for key, item in value.items()]
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, Path):
        return hashlib.sha256(value.read_bytes()).hexdigest()  # a logo, a deck template
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # exact: 0.1 + 0.2 is not 0.3
    if value is None or isinstance(value, str | int):
        return value
    raise ArchiveError(
        "publisher/archive/identity.py",
        f"a snapshot holds a {type(value).__name__}, which the archive's identity cannot write",
        "teach publisher/archive/identity.py:_canonical the new snapshot field",
    )


def _in_order(value: object, by_key: bool) -> object:
    if by_key and isinstance(value, Mapping):
        return dict(sorted(value.items()))
    return value
