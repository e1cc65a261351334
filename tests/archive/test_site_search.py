"""The archive site's search box: a JSON index of what each revision printed (the index's text,
as `archive search` reads it), searched in the browser by an inline script, from file://."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from publisher.archive.site import write_site
from publisher.archive.store import Archive
from tests.archive.conftest import cli, sql
from tests.archive.test_search import CORRECTION, found

R2, R1 = ("silicon-daily", "2025-05-27", 2), ("silicon-daily", "2025-05-27", 1)


@pytest.fixture(scope="module")
def site(archived: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session archive (2025-05-27 r1 and its 更正 r2) with its site."""
    root = Path(shutil.copytree(archived, tmp_path_factory.mktemp("site") / "a", symlinks=True))
    result = cli("archive", "site", root)
    assert result.exit_code == 0, result.output
    return root


def revisions(root: Path) -> list[dict[str, Any]]:
    data = json.loads((root / "site/search.json").read_text(encoding="utf-8"))
    assert data["format"] == 1
    return list(data["revisions"])


def it_writes_one_entry_a_revision_with_the_text_archive_search_reads(site: Path) -> None:
    entries = revisions(site)
    assert [(e["report_id"], e["as_of"], e["revision"]) for e in entries] == [R2, R1]
    assert [e["correction"] for e in entries] == [True, False]
    for entry in entries:
        text = str(entry["text"])
        assert "社会库存" in text and entry["title"] and str(entry["title"]) in text
        assert (CORRECTION in text) == (entry["revision"] == 2)  # what `archive search` finds
        page, anchor = str(entry["page"]).split("#")
        assert (site / page).is_file() and anchor == f"r{entry['revision']}"
        assert entry["files"] and all((site / f["href"]).is_file() for f in entry["files"])
    assert found(site, CORRECTION) == [R2]
    data = (site / "site/search.json").read_text(encoding="utf-8")
    script = (site / "site/search.js").read_text(encoding="utf-8")
    assert script == f"window.SEARCH_INDEX = {data.strip()};\n"


def it_writes_the_same_bytes_for_the_same_archive(site: Path) -> None:
    names = ("index.html", "site/search.json", "site/search.js")
    before = [(site / name).read_bytes() for name in names]
    write_site(Archive.open(site))
    assert [(site / name).read_bytes() for name in names] == before


def it_says_to_reindex_an_index_made_before_search(archive_copy: Path) -> None:
    sql(archive_copy, "DROP TABLE texts")
    sql(archive_copy, "DROP TABLE figures")
    written = write_site(Archive.open(archive_copy))
    assert written.no_search
    data = json.loads((archive_copy / "site/search.json").read_text(encoding="utf-8"))
    assert data["searchable"] is False and len(data["revisions"]) == 2
    assert all(entry["text"] == "" for entry in data["revisions"])


def it_finds_a_chinese_substring_in_chromium_and_links_to_the_report(
    site: Path, chromium: Any
) -> None:
    fetched: list[str] = []
    page = chromium.new_page()
    page.on("request", lambda request: fetched.append(request.url))
    page.goto((site / "index.html").as_uri())
    box = page.get_by_label("搜索")
    hits = page.locator("#search-results li")
    box.fill("社会库存")
    assert [w.strip() for w in hits.locator(".when").all_inner_texts()] == [
        "2025-05-27 r2",
        "2025-05-27 r1",
    ]
    assert page.locator("#search-results mark").all_inner_texts() == ["社会库存"] * 2
    box.fill("topcon")  # any case: the text prints Topcon
    assert page.locator("#search-results mark").all_inner_texts() == ["Topcon"] * 2
    box.fill(CORRECTION)
    assert hits.count() == 1 and "更正" in hits.first.inner_text()
    assert hits.first.locator("mark").inner_text() == CORRECTION
    snippet = hits.first.locator(".snippet").inner_text()
    assert len(snippet) > len(CORRECTION) + 10 and CORRECTION in snippet
    box.fill("没有这句话的报告")
    assert hits.count() == 0 and page.locator("#search-status").inner_text() == "无匹配结果"
    box.fill(CORRECTION)
    hits.first.locator("a.report").click()
    page.wait_for_url("**/site/silicon-daily/2025-05-27.html#r2")
    assert page.locator("#r2 h3").inner_text().startswith("r2")
    # JavaScript off: the lists as before, and no box that does nothing
    still = chromium.new_page(java_script_enabled=False)
    still.goto((site / "index.html").as_uri())
    assert still.locator("#silicon-daily a.date").all_inner_texts() == ["2025-05-27"]
    assert not still.get_by_label("搜索").is_visible()
    assert fetched and all(url.startswith("file://") for url in fetched)
