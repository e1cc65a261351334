"""Archive: the SQLite index of every report and revision, and the file locks around changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import functools
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from urllib.parse import quote

from publisher.archive.inputs import files_identity
from publisher.archive.manifest import Manifest
from publisher.archive.refusals import refused_by_machine
from publisher.snapshot.load import SAFE_ID

TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
    report_id       TEXT    NOT NULL,
    as_of           TEXT    NOT NULL,  -- ISO date: sorts as it reads
    revision        INTEGER NOT NULL,
    identity        TEXT    NOT NULL,  -- not unique: r3 may correct r2 back to r1's snapshot
    title           TEXT    NOT NULL,
    analyst         TEXT    NOT NULL,
    analyst_name    TEXT    NOT NULL,
    layout          TEXT    NOT NULL,
    package_version TEXT    NOT NULL,
    folder          TEXT    NOT NULL,  -- relative to the archive folder
    manifest_sha256 TEXT    NOT NULL,  -- a manifest edited after the fact fails verify
    outputs         TEXT    NOT NULL,  -- output paths in the folder, newline-separated
    files_identity  TEXT    NOT NULL DEFAULT '',  -- the input files' bytes: batch's quick test
    PRIMARY KEY (report_id, as_of, revision)
);
"""
DATES = "CREATE INDEX IF NOT EXISTS revisions_by_date ON revisions (as_of);"
SCHEMA = TABLE.format(name="revisions") + DATES
# What each revision printed, keyed by its identity. The trigram tokenizer finds any substring
# of three characters or more, so Chinese is searchable without a word segmenter.
SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(identity UNINDEXED, body, tokenize='trigram');
CREATE TABLE IF NOT EXISTS figures (
    identity  TEXT NOT NULL,
    series_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,  -- as printed: what clients were told
    unit      TEXT NOT NULL,
    observed  TEXT NOT NULL,  -- the date of the printed value, '' if none
    PRIMARY KEY (identity, series_id)
);
CREATE INDEX IF NOT EXISTS figures_by_series ON figures (series_id);
"""
SEARCH_TABLES = {"texts", "figures"}
# FTS5's trigram tokenizer came with SQLite 3.34; an older SQLite keeps an index without search.
TRIGRAM = sqlite3.sqlite_version_info >= (3, 34, 0)
# Indexes written before files_identity had the other columns only; their identities were the
# files' (manifest format 2 and older), so reading one takes `identity` for it.
LEGACY = "files_identity"
SHA256 = re.compile(r"[0-9a-f]{64}")


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
    files_identity: str = ""

    @property
    def correction(self) -> bool:
        """A revision after the first is a correction (更正) of the one before."""
        return self.revision > 1

    @property
    def place(self) -> str:
        """Where this revision's folder lies, relative to the archive: its key says so."""
        return place(self.report_id, self.as_of, self.revision)

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
            files_identity((e.role, e.sha256) for e in manifest.snapshot_inputs),
        )


COLUMNS = tuple(f.name for f in fields(Row))


@dataclass(frozen=True)
class Content:
    """What one revision printed, for search: its text, and its figures as
    (series id, name, printed value, unit, observed date)."""

    text: str
    figures: tuple[tuple[str, str, str, str, str], ...]


class BadRow(ValueError):
    """A row whose column holds what no publish writes (an edit, a bad restore)."""

    def __init__(self, rowid: int, folder: object, what: str) -> None:
        self.rowid, self.folder, self.what = rowid, folder, what
        shown = f" ({folder})" if isinstance(folder, str) and folder else ""
        super().__init__(f"row {rowid}{shown}: {what}")


def place(report: str, as_of: dt.date, revision: int) -> str:
    return f"reports/{report}/{as_of.isoformat()}/r{revision}"


class Index:
    """The index database. Writers hold the archive lock; SQLite makes each write one
    transaction, so a crash leaves the rows as they were before it or after it."""

    def __init__(self, path: Path, mode: str = "rw") -> None:
        # A URI with a mode: "ro" reads a read-only archive; nothing but "rwc" makes a file,
        # so a lost index is never silently recreated empty by a reader.
        uri = f"file:{quote(str(path))}?mode={mode}"
        # isolation_level=None: transactions are opened explicitly, as BEGIN IMMEDIATE.
        self.db = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None)

    @functools.cached_property
    def legacy(self) -> bool:
        """Written before files_identity (a column added by the first write: `insert`)."""
        return LEGACY not in {r[1] for r in self.db.execute("PRAGMA table_info(revisions)")}

    @functools.cached_property
    def unique(self) -> bool:
        """Written when an identity could be archived once only (UNIQUE), before corrections
        back to an earlier revision's snapshot: the first write rebuilds the table without."""
        for _, name, unique, *_ in self.db.execute("PRAGMA index_list(revisions)").fetchall():
            info = self.db.execute(f"PRAGMA index_info({_quoted(name)})").fetchall()
            if unique and [r[2] for r in info] == ["identity"]:
                return True
        return False

    @property
    def searchable(self) -> bool:
        """Holds the search tables (an index made before them does not, until a reindex)."""
        found = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r[0] for r in found} >= SEARCH_TABLES

    def close(self) -> None:
        self.db.close()

    def create(self) -> None:
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.executescript(SCHEMA + (SEARCH_SCHEMA if TRIGRAM else ""))

    def check(self) -> str | None:
        """None if this is an index SQLite reads whole, else what is wrong with it."""
        try:
            found = self.db.execute("PRAGMA quick_check").fetchall()
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(revisions)")}
        except sqlite3.DatabaseError as error:
            if refused_by_machine(error):
                raise
            return f"damaged ({error})"
        if [r[0] for r in found] != ["ok"]:
            return "damaged: " + "; ".join(str(r[0]) for r in found[:3])
        if not columns:
            return "damaged: it holds no revisions table"
        missing = [c for c in COLUMNS if c not in columns and c != LEGACY]
        if missing:
            return f"damaged: the revisions table lacks {', '.join(missing)}"
        return None

    def raw(self, where: str = "", args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Rows as stored, rowid first, unchecked: for verify, which names what is wrong."""
        sql = f"SELECT {self._picked()} FROM revisions {where}"
        return self.db.execute(sql, args).fetchall()

    def _picked(self, table: str = "") -> str:
        prefix = f"{table}." if table else ""
        columns = ("identity" if self.legacy and c == LEGACY else c for c in COLUMNS)
        return ", ".join(f"{prefix}{c}" for c in ("rowid", *columns))

    def search(self, text: str) -> list[tuple[Row, str]]:
        """Revisions whose printed text holds `text` (any case), with that text: newest first.
        LIKE, not MATCH: the trigram index serves it, and it also finds one or two characters."""
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
        sql = (
            f"SELECT {self._picked('r')}, t.body FROM texts t JOIN revisions r "
            "ON r.identity = t.identity WHERE t.body LIKE ? ESCAPE '\\' "
            "ORDER BY r.as_of DESC, r.report_id, r.revision DESC"
        )
        return [(parse(f[:-1]), str(f[-1])) for f in self.db.execute(sql, (pattern,))]

    def series(self, series_id: str) -> list[tuple[Row, tuple[str, ...]]]:
        """Each revision that printed the series, oldest first, with (name, value, unit,
        observed) as printed."""
        sql = (
            f"SELECT {self._picked('r')}, f.name, f.value, f.unit, f.observed FROM figures f "
            "JOIN revisions r ON r.identity = f.identity WHERE f.series_id = ? "
            "ORDER BY r.as_of, r.report_id, r.revision"
        )
        return [
            (parse(f[:-4]), tuple(map(str, f[-4:]))) for f in self.db.execute(sql, (series_id,))
        ]

    def rows(
        self,
        report: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        analyst: str | None = None,
    ) -> list[Row]:
        """Revisions matching every filter given: by report, newest date and revision first.
        Raises BadRow for a row whose columns no publish would have written."""
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
        sql = ("WHERE " + " AND ".join(where)) if where else ""
        sql += " ORDER BY report_id, as_of DESC, revision DESC"
        return [parse(found) for found in self.raw(sql, tuple(args))]

    def latest(self, report: str, as_of: dt.date, layout: str | None = None) -> Row | None:
        """The newest revision of the report and date (built with `layout`, if given): what a
        new publish of them is compared with."""
        where, args = "WHERE report_id = ? AND as_of = ?", [report, as_of.isoformat()]
        if layout is not None:
            where, args = where + " AND layout = ?", [*args, layout]
        found = self.raw(where + " ORDER BY revision DESC LIMIT 1", tuple(args))
        return parse(found[0]) if found else None

    def has(self, row: Row) -> bool:
        """The index holds a row at this row's key."""
        return (row.report_id, row.as_of.isoformat(), row.revision) in self.keys()

    def by_files(self, identity: str) -> list[Row]:
        """Revisions whose input files had exactly these bytes, newest first."""
        column = "identity" if self.legacy else LEGACY
        found = self.raw(f"WHERE {column} = ? ORDER BY as_of DESC, revision DESC", (identity,))
        return [parse(r) for r in found]

    def identities(self) -> set[object]:
        return {r[0] for r in self.db.execute("SELECT identity FROM revisions")}

    def files_identities(self) -> set[object]:
        column = "identity" if self.legacy else LEGACY
        return {r[0] for r in self.db.execute(f"SELECT {column} FROM revisions")}

    def keys(self) -> set[tuple[object, object, object]]:
        """(report, ISO date, revision) of every indexed revision, as stored."""
        return set(self.db.execute("SELECT report_id, as_of, revision FROM revisions"))

    def latest_revision(self, report: str, as_of: dt.date) -> int:
        (found,) = self.db.execute(
            "SELECT MAX(revision) FROM revisions WHERE report_id = ? AND as_of = ?",
            (report, as_of.isoformat()),
        ).fetchone()
        return found if isinstance(found, int) else 0

    def insert(self, *rows: Row, contents: Mapping[str, Content] | None = None) -> None:
        """Add rows, and the contents given by identity, in one transaction: all of them are
        indexed, or none. An index without the search tables gets the rows only: a reindex
        fills them for every revision at once, never for some. A failure is raised
        as itself: SQLite may have rolled back already (a full disk does), and a ROLLBACK of
        nothing would hide the cause behind 'no transaction is active'."""
        marks = ", ".join("?" * len(COLUMNS))
        # set here, not on connecting: a reader must be able to open a damaged file to say so
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if self.legacy or self.unique:  # in this transaction: all of it, or none
                self._migrate()
            known = self.identities()
            self.db.executemany(
                f"INSERT INTO revisions ({', '.join(COLUMNS)}) VALUES ({marks})",
                [_values(r) for r in rows],
            )
            if contents and self.searchable:
                self._insert_contents(rows, contents, known)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.db.execute("ROLLBACK")
            raise
        finally:
            self.__dict__.pop("legacy", None)
            self.__dict__.pop("unique", None)

    def _migrate(self) -> None:
        """Rebuild the revisions table as SCHEMA has it: files_identity (an index written
        before it: its identities were the files'), and no UNIQUE on identity."""
        columns = ", ".join(COLUMNS)
        picked = ", ".join("identity" if self.legacy and c == LEGACY else c for c in COLUMNS)
        self.db.execute(TABLE.format(name="revisions_new"))
        self.db.execute(f"INSERT INTO revisions_new ({columns}) SELECT {picked} FROM revisions")
        self.db.execute("DROP TABLE revisions")
        self.db.execute("ALTER TABLE revisions_new RENAME TO revisions")
        self.db.execute(DATES)

    def _insert_contents(
        self, rows: tuple[Row, ...], contents: Mapping[str, Content], known: set[object]
    ) -> None:
        """Each identity's content once: a revision holding an earlier one's snapshot (a
        correction back) printed the same, and finds it by the identity they share."""
        fresh = {r.identity for r in rows if r.identity not in known and r.identity in contents}
        found = [(i, contents[i]) for i in sorted(fresh)]
        self.db.executemany(
            "INSERT INTO texts (identity, body) VALUES (?, ?)", [(i, c.text) for i, c in found]
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO figures VALUES (?, ?, ?, ?, ?, ?)",
            [(i, *figure) for i, c in found for figure in c.figures],
        )


def parse(found: tuple[object, ...]) -> Row:
    """A stored row as a Row, or BadRow naming the column that no publish would have written."""
    rowid, *values = found
    stored = dict(zip(COLUMNS, values, strict=True))
    folder = stored["folder"]

    def bad(what: str) -> BadRow:
        return BadRow(rowid if isinstance(rowid, int) else -1, folder, what)

    for column, value in stored.items():
        if column != "revision" and not isinstance(value, str):
            raise bad(f"{column} {value!r} is not text")
    report, as_of, revision = stored["report_id"], stored["as_of"], stored["revision"]
    if not SAFE_ID.fullmatch(str(report)):
        raise bad(f"report_id {report!r} is not a report id")
    try:
        date = dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise bad(f"as_of {as_of!r} is not a date") from None
    if date.isoformat() != as_of:
        raise bad(f"as_of {as_of!r} is not a date written YYYY-MM-DD")
    if type(revision) is not int or revision < 1:
        raise bad(f"revision {revision!r} is not a revision number")
    for column in ("identity", "manifest_sha256"):
        if not SHA256.fullmatch(str(stored[column])):
            raise bad(f"{column} {stored[column]!r} is not a SHA-256")
    outputs = str(stored["outputs"])
    return Row(
        **(stored | {"as_of": date, "outputs": tuple(outputs.split("\n")) if outputs else ()})  # type: ignore[arg-type]
    )


@contextlib.contextmanager
def flocked(path: Path, shared: bool = False) -> Iterator[None]:
    """Hold an flock on `path` (created if needed); the kernel drops it if the holder dies.
    A shared lock is taken on a read-only descriptor; where the lock file cannot even be
    made (a read-only archive that never had one) a reader goes on without it: nothing can
    write there."""
    fd = _lock_file(path, shared)
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _lock_file(path: Path, shared: bool) -> int | None:
    if shared:
        with contextlib.suppress(FileNotFoundError):
            return os.open(path, os.O_RDONLY)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        if shared and error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return None
        raise


def _quoted(name: object) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _values(row: Row) -> tuple[object, ...]:
    values = dict(zip(COLUMNS, astuple(row), strict=True))
    values["as_of"] = row.as_of.isoformat()
    values["outputs"] = "\n".join(row.outputs)
    return tuple(values.values())
