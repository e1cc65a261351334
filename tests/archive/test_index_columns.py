"""Every index column is checked against the manifest in the revision's folder: an edited row
fails verify naming the column, and no command shows it or builds on it."""

from __future__ import annotations

from pathlib import Path

from publisher.archive.store import Archive
from tests.archive.conftest import cli, no_traceback, sql
from tests.conftest import SAMPLE

R1 = Path("reports/silicon-daily/2025-05-27/r1")
R3 = Path("reports/silicon-daily/2025-05-27/r3")


def it_names_an_edited_identity_and_publishes_nothing_on_it(fast_archive: Path) -> None:
    sql(fast_archive, "UPDATE revisions SET identity = ? WHERE revision = 1", "0" * 64)
    verified = cli("archive", "verify", fast_archive)
    assert verified.exit_code == 1
    assert f"{fast_archive / 'index.sqlite'}: {R1.as_posix()}: identity" in verified.output
    republished = cli("publish", SAMPLE, "--archive", fast_archive)
    no_traceback(republished)
    assert "r3" not in republished.output and not (fast_archive / R3).exists()
    assert republished.exit_code == 1, republished.output
    assert "identity" in republished.output and "publisher archive reindex" in republished.output


def it_shows_no_edited_analyst_name_on_the_site(fast_archive: Path) -> None:
    sql(fast_archive, "UPDATE revisions SET analyst_name = '冒名者' WHERE revision = 2")
    site = cli("archive", "site", fast_archive)
    no_traceback(site)
    assert site.exit_code == 1
    assert "analyst_name" in site.output
    index = fast_archive / "index.html"
    assert not index.exists() or "冒名者" not in index.read_text(encoding="utf-8")
    assert "analyst_name" in cli("archive", "verify", fast_archive).output


def it_lists_no_edited_outputs(fast_archive: Path) -> None:
    sql(fast_archive, "UPDATE revisions SET outputs = 'forged.pdf' WHERE revision = 1")
    listed = cli("archive", "list", fast_archive)
    no_traceback(listed)
    assert listed.exit_code == 1
    assert "forged.pdf" not in listed.output.replace("'forged.pdf'", "")
    assert "outputs" in listed.output and "publisher archive reindex" in listed.output


def it_names_a_malformed_date_instead_of_raising(fast_archive: Path) -> None:
    sql(fast_archive, "UPDATE revisions SET as_of = '2025-13-45' WHERE revision = 1")
    for args in (["list"], ["show", "silicon-daily"], ["site"]):
        result = cli("archive", args[0], fast_archive, *args[1:])
        no_traceback(result)
        assert result.exit_code == 1, result.output
        assert "as_of '2025-13-45' is not a date" in result.output
    verified = cli("archive", "verify", fast_archive)
    assert verified.exit_code == 1 and "as_of '2025-13-45' is not a date" in verified.output


def it_checks_every_column(fast_archive: Path) -> None:
    edits = {
        "title": "改过的标题",
        "analyst": "analyst-b",
        "layout": "polysilicon-brief",
        "package_version": "9.9.9",
        "folder": "reports/silicon-daily/2025-05-27/r2",
        "files_identity": "f" * 64,
    }
    for column, value in edits.items():
        sql(fast_archive, f"UPDATE revisions SET {column} = ? WHERE revision = 1", value)
        verified = cli("archive", "verify", fast_archive)
        assert verified.exit_code == 1, (column, verified.output)
        assert f"{R1.as_posix()}: {column}" in verified.output, (column, verified.output)
        assert cli("archive", "reindex", fast_archive).exit_code == 0  # the folders are the truth
    assert len(Archive.open(fast_archive).rows()) == 2
