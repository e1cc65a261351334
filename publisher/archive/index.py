"""Archive: the SQLite index of every report and revision, and the file locks around changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from publisher.archive.manifest import Manifest

SCHEMA = """
CREATE TABLE IF NOT EXISTS revisions (
    report_id       TEXT    NOT NULL,
    as_of           TEXT    NOT NULL,  -- ISO date: sorts as it reads
    revision        INTEGER NOT NULL,
    identity        TEXT    NOT NULL UNIQUE,  -- one snapshot is archived once, ever
    title           TEXT    NOT NULL,
    analyst         TEXT    NOT NULL,
    analyst_name    TEXT    NOT NULL,
    layout          TEXT    NOT NULL,
    package_version TEXT    NOT NULL,
    folder          TEXT    NOT NULL,  -- relative to the archive folder
    manifest_sha256 TEXT    NOT NULL,  -- a manifest edited after the fact fails verify
    outputs         TEXT    NOT NULL,  -- output paths in the folder, newline-separated
    PRIMARY KEY (report_id, as_of, revision)
);
CREATE INDEX IF NOT EXISTS revisions_by_date ON revisions (as_of);
"""


@dataclass(frozen=True)
class Row:
    """One archived revision as the index lists it."""

    report_id: str
    as_of: dt.date
    revision: int
    identity: str
    title: str
    analyst: str
    analyst_name: str
    layout: str
    package_version: str
    folder: str
    manifest_sha256: str
    outputs: tuple[str, ...]

    @property
    def correction(self) -> bool:
        """A revision after the first is a correction (更正) of the one before."""
        return self.revision > 1

    @classmethod
    def of(cls, manifest: Manifest, folder: str, manifest_sha256: str) -> Row:
        return cls(
            manifest.report_id,
            manifest.as_of,
            manifest.revision,
            manifest.identity,
            manifest.title,
            manifest.analyst,
            manifest.analyst_name,
            manifest.layout,
            manifest.package_version,
            folder,
            manifest_sha256,
            tuple(o.path for o in manifest.outputs),
        )


COLUMNS = ", ".join(f.name for f in fields(Row))


class Index:
    """The index database. Writers hold the archive lock; SQLite makes each write one
    transaction, so a crash leaves the rows as they were before it or after it."""

    def __init__(self, path: Path) -> None:
        # isolation_level=None: transactions are opened explicitly, as BEGIN IMMEDIATE.
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA synchronous = FULL")

    def close(self) -> None:
        self.db.close()

    def create(self) -> None:
        self.db.executescript(SCHEMA)

    def rows(
        self,
        report: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        analyst: str | None = None,
    ) -> list[Row]:
        """Revisions matching every filter given: by report, newest date and revision first."""
        where, args = [], []
        for clause, value in (
            ("report_id = ?", report),
            ("as_of >= ?", since.isoformat() if since else None),
            ("as_of <= ?", until.isoformat() if until else None),
            ("analyst = ?", analyst),
        ):
            if value is not None:
                where.append(clause)
                args.append(value)
        sql = f"SELECT {COLUMNS} FROM revisions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY report_id, as_of DESC, revision DESC"
        return [_row(r) for r in self.db.execute(sql, args)]

    def by_identity(self, identity: str) -> Row | None:
        found = self.db.execute(
            f"SELECT {COLUMNS} FROM revisions WHERE identity = ?", (identity,)
        ).fetchone()
        return _row(found) if found else None

    def identities(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT identity FROM revisions")}

    def keys(self) -> set[tuple[str, str, int]]:
        """(report, ISO date, revision) of every indexed revision."""
        return {
            (r, a, n)
            for r, a, n in self.db.execute("SELECT report_id, as_of, revision FROM revisions")
        }

    def latest_revision(self, report: str, as_of: dt.date) -> int:
        (found,) = self.db.execute(
            "SELECT MAX(revision) FROM revisions WHERE report_id = ? AND as_of = ?",
            (report, as_of.isoformat()),
        ).fetchone()
        return found or 0

    def insert(self, *rows: Row) -> None:
        """Add rows in one transaction: all of them are indexed, or none."""
        marks = ", ".join("?" * len(fields(Row)))
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                f"INSERT INTO revisions ({COLUMNS}) VALUES ({marks})", [_values(r) for r in rows]
            )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def healthy(self) -> str:
        """'ok', or what SQLite's integrity check found."""
        return "; ".join(r[0] for r in self.db.execute("PRAGMA integrity_check"))


@contextlib.contextmanager
def flocked(path: Path, shared: bool = False) -> Iterator[None]:
    """Hold an flock on `path` (created if needed); the kernel drops it if the holder dies."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _row(found: tuple) -> Row:
    values = list(found)
    values[1] = dt.date.fromisoformat(values[1])
    values[-1] = tuple(values[-1].split("\n")) if values[-1] else ()
    return Row(*values)


def _values(row: Row) -> tuple:
    values = list(astuple(row))
    values[1] = row.as_of.isoformat()
    values[-1] = "\n".join(row.outputs)
    return tuple(values)
