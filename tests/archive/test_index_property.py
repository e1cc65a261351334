"""Property: whatever is done to index.sqlite — any column of any row set to any value, the file
truncated, overwritten or deleted — every archive command answers with a message and an exit
status, never a traceback; `verify` names what is wrong; `reindex` puts it right."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from publisher.archive.index import Row
from publisher.archive.publish import publish
from publisher.archive.store import Archive
from tests.archive.conftest import cli, copy_sample, no_traceback
from tests.archive.fakes import patch
from tests.conftest import SAMPLE

COLUMNS = [f.name for f in fields(Row)]
PLAUSIBLE = [
    "",
    "2025-05-26",
    "2025-02-30",
    "silicon_daily",
    "analyst-b",
    "0" * 64,
    "reports/silicon-daily/2025-05-27/r2",
    "reports/silicon-daily/2025-05-26/r1",
    "../../outside",
    "silicon-daily-2025-05-27.pdf",
    "silicon-daily-2025-05-27.pdf\nforged.pdf",
]
VALUES = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.text(max_size=24),
    st.integers(min_value=-3, max_value=2**40),
    st.floats(allow_nan=False),
    st.binary(max_size=12),
)
MUTATIONS = st.one_of(
    st.tuples(st.just("column"), st.sampled_from(COLUMNS), st.sampled_from([1, 2]), VALUES),
    st.tuples(st.just("truncate"), st.floats(min_value=0, max_value=0.999)),
    st.tuples(st.just("garbage"), st.binary(max_size=400)),
    st.tuples(st.just("delete")),
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, sample_pdf: Path) -> Iterator[Path]:
    """r1 (the sample) and r2 (a correction) by the stand-in build, with the site's thumbnails
    already made, so each example only copies it."""
    root = tmp_path_factory.mktemp("pristine") / "archive"
    with pytest.MonkeyPatch.context() as patched:
        patch(sample_pdf, patched.setattr)
        publish(SAMPLE, root)
        publish(copy_sample(tmp_path_factory.mktemp("c"), outlook=OUTLOOK), root)
        assert cli("archive", "site", root).exit_code == 0
        yield root


OUTLOOK = "改（性质测试）。"  # r2's: the pristine archive's latest revision


def mutate(root: Path, mutation: tuple[Any, ...]) -> bool:
    """Apply the mutation; False if it changed nothing. Constraint violations are not
    mutations a file could carry without SQLite refusing them, so those are rejected."""
    index = root / "index.sqlite"
    kind = mutation[0]
    if kind == "column":
        _, column, revision, value = mutation
        db = sqlite3.connect(index, isolation_level=None)
        try:
            (rowid, before) = db.execute(
                f"SELECT rowid, {column} FROM revisions WHERE revision = ?", (revision,)
            ).fetchone()
            try:
                db.execute(f"UPDATE revisions SET {column} = ? WHERE rowid = ?", (value, rowid))
            except sqlite3.IntegrityError:
                reject()
            (after,) = db.execute(
                f"SELECT {column} FROM revisions WHERE rowid = ?", (rowid,)
            ).fetchone()
        finally:
            db.close()
        return (type(after), after) != (type(before), before)
    data = index.read_bytes()
    if kind == "truncate":
        index.write_bytes(data[: int(len(data) * mutation[1])])
    elif kind == "garbage":
        if mutation[1] == data:
            return False
        index.write_bytes(mutation[1])
    else:
        index.unlink()
    return True


def named(mutation: tuple[Any, ...]) -> str:
    """What verify must name: the column, or the index file itself."""
    return mutation[1] if mutation[0] == "column" else "index.sqlite"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=MUTATIONS)
def it_answers_every_mutation_of_the_index_with_a_message(
    pristine: Path,
    tmp_path_factory: pytest.TempPathFactory,
    fast_build: object,
    mutation: tuple[Any, ...],
) -> None:
    root = Path(shutil.copytree(pristine, tmp_path_factory.mktemp("mutated") / "archive"))
    rows = Archive.open(pristine).rows()
    changed = mutate(root, mutation)

    verified = cli("archive", "verify", root)
    no_traceback(verified)
    if not changed:
        assert verified.exit_code == 0, verified.output
    elif verified.exit_code == 0:  # a change SQLite never reads (slack at the end of a page)
        assert Archive.open(root).rows() == rows
    else:
        assert verified.exit_code == 1, verified.output
        assert named(mutation) in verified.output, (mutation, verified.output)

    # r2's snapshot, the latest revision's: a publish finds it archived
    latest = copy_sample(tmp_path_factory.mktemp("same"), outlook=OUTLOOK)
    for args in (
        ["archive", "list", root],
        ["archive", "list", root, "--json"],
        ["archive", "show", root, "silicon-daily"],
        ["archive", "show", root, "silicon-daily", "2025-05-27", "--revision", "1", "--json"],
        ["archive", "site", root],
        ["archive", "rebuild", root, "silicon-daily", "2025-05-27", "--revision", "1"],
        ["publish", latest, "--archive", root],
    ):
        result = cli(*args)
        no_traceback(result)
        assert result.exit_code in (0, 1, 2, 3), (args, result.output)
        if result.exit_code:
            assert "error: " in result.output, (args, result.output)

    # whatever it was, the folders are the truth and reindex restores the index from them
    reindexed = cli("archive", "reindex", root)
    no_traceback(reindexed)
    assert reindexed.exit_code == 0, reindexed.output
    assert cli("archive", "verify", root).exit_code == 0
    assert Archive.open(root).rows() == rows
