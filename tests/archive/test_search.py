"""archive search and archive series: what each revision printed, found again after a reindex."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from publisher.archive.publish import publish
from tests.archive.conftest import cli, copy_sample, no_traceback, sql

CORRECTION = "排产减少（更正"  # only r2 of the session archive prints it


def found(archive: Path, text: str) -> list[tuple[str, str, int]]:
    result = cli("archive", "search", archive, text, "--json")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert all(text in hit["snippet"] for hit in hits), hits
    return [(h["report_id"], h["as_of"], h["revision"]) for h in hits]


def it_finds_a_chinese_substring_in_the_revisions_that_print_it(archived: Path) -> None:
    both = [("silicon-daily", "2025-05-27", 2), ("silicon-daily", "2025-05-27", 1)]
    assert found(archived, "社会库存") == both
    assert found(archived, CORRECTION) == [("silicon-daily", "2025-05-27", 2)]
    assert found(archived, "没有这句话的报告") == []
    assert found(archived, "库存") == both  # under three characters: no trigram, still found
    assert found(archived, "减少2.84%") == both  # a literal %, as the text prints it
    assert found(archived, "2.8_%") == []  # LIKE's wildcards are escaped: not "2.84%"
    text = cli("archive", "search", archived, CORRECTION)
    assert text.output.startswith("silicon-daily  2025-05-27  r2  ") and CORRECTION in text.output


def it_lists_a_series_once_a_published_date(
    backfill: ModuleType, tmp_path: Path, fast_build: object
) -> None:
    archive = tmp_path / "archive"
    folders = backfill.backfill(tmp_path / "days", days=3)
    for folder in folders:
        publish(folder, archive)
    result = cli("archive", "series", archive, "si_inv_social", "--json")
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.output.splitlines()]
    days = [f.name.removeprefix("silicon-") for f in folders]
    assert [(p["as_of"], p["revision"]) for p in printed] == [(d, 1) for d in days]
    assert {p["name"] for p in printed} == {"周度社会库存"} and printed[-1]["value"] == "58.2"
    text = cli("archive", "series", archive, "si_inv_social")
    assert "\n2025-05-27  r1  silicon-daily  周度社会库存  58.2 万吨  (value of " in text.output


def it_keeps_search_and_series_through_a_reindex(archive_copy: Path) -> None:
    before = (
        found(archive_copy, CORRECTION),
        cli("archive", "series", archive_copy, "si_inv_social"),
    )
    (archive_copy / "index.sqlite").unlink()
    assert cli("archive", "reindex", archive_copy).exit_code == 0
    after = found(archive_copy, CORRECTION), cli("archive", "series", archive_copy, "si_inv_social")
    assert after[0] == before[0] == [("silicon-daily", "2025-05-27", 2)]
    assert after[1].output == before[1].output and "r2 更正" in after[1].output


def it_asks_for_a_reindex_of_an_index_made_before_search(archive_copy: Path) -> None:
    sql(archive_copy, "DROP TABLE texts")
    sql(archive_copy, "DROP TABLE figures")
    for command in (("search", "社会库存"), ("series", "si_inv_social")):
        result = cli("archive", command[0], archive_copy, command[1])
        no_traceback(result)
        assert result.exit_code == 1 and "publisher archive reindex" in result.output
    assert cli("archive", "reindex", archive_copy).exit_code == 0
    assert found(archive_copy, "社会库存")


def it_indexes_what_the_build_prepared_as_the_stored_snapshot_prints(archived: Path) -> None:
    from publisher.archive.manifest import read_manifest
    from publisher.archive.search import content_of, printed_content
    from publisher.assets import SAMPLE
    from publisher.pipeline import prepare

    folder = archived / "reports/silicon-daily/2025-05-27/r1"
    manifest, _ = read_manifest(folder)
    assert printed_content(prepare(SAMPLE), manifest) == content_of(folder, manifest)


def it_publishes_without_preparing_the_stored_snapshot_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Publish indexes what its build prepared from the archived bytes, not a second load."""

    def again(*args: object) -> None:
        raise AssertionError("the stored snapshot was prepared again")

    monkeypatch.setattr("publisher.archive.publish.printed_contents", again)
    monkeypatch.setattr("publisher.archive.store.printed_contents", again)
    archive = tmp_path / "archive"
    publish(copy_sample(tmp_path / "in"), archive)
    assert found(archive, "工业硅") == [("silicon-daily", "2025-05-27", 1)]
