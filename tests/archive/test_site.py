"""The static archive site: an index by report and date, newest first, that a browser opens
from file:// with nothing fetched from anywhere else."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from publisher.archive.publish import publish
from publisher.archive.site import write_site
from publisher.archive.store import Archive
from tests.archive.conftest import cli


@pytest.fixture
def site(archive_copy: Path, backfill: ModuleType, tmp_path: Path, fast_build: object) -> Path:
    """The session archive (2025-05-27 r1 and its 更正 r2) plus two earlier days, with its site."""
    for folder in backfill.backfill(tmp_path / "days", days=2, end=backfill.END.replace(day=23)):
        publish(folder, archive_copy)
    result = cli("archive", "site", archive_copy)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "3 report pages" in result.output
    return archive_copy


def it_lists_reports_newest_first_with_thumbnails_and_relative_links(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    dates = re.findall(r'class="date" href="[^"]+">([^<]+)<', index)
    assert dates == ["2025-05-27", "2025-05-23", "2025-05-22"]
    assert "更正" in index and "共 2 版" in index
    links = re.findall(r'(?:href|src)="([^"]+)"', index)
    assert links and not [link for link in links if ":" in link or link.startswith("/")]
    assert all((site / link).is_file() for link in links)  # thumbnails, pages, PDFs
    assert len([link for link in links if link.endswith(".png")]) == 3


def it_writes_pages_without_thumbnails_when_pdftoppm_is_missing(
    archive_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    written = write_site(Archive.open(archive_copy))
    assert written.no_thumbnails and written.thumbnails == 0
    assert 'class="nothumb"' in written.index.read_text(encoding="utf-8")


def it_opens_in_chromium_and_clicks_through_to_a_report(site: Path, chromium: Any) -> None:
    page = chromium.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto((site / "index.html").as_uri())
    dates = page.locator("#silicon-daily a.date")
    assert dates.all_inner_texts() == ["2025-05-27", "2025-05-23", "2025-05-22"]
    assert page.evaluate("document.querySelector('img.thumb').naturalWidth") > 0
    dates.first.click()
    page.wait_for_url("**/site/silicon-daily/2025-05-27.html")
    headings = page.locator(".revision h3").all_inner_texts()
    assert [h.split()[0] for h in headings] == ["r2", "r1"]  # newest revision first
    assert "更正" in headings[0]
    href = page.locator("#r2 a.pdf").get_attribute("href")
    here = Path(url2pathname(urlparse(page.url).path)).parent
    assert href and (here / href).resolve() == (
        site / "reports/silicon-daily/2025-05-27/r2/silicon-daily-2025-05-27.pdf"
    )
    page.locator("a.back").click()
    page.wait_for_url("**/index.html")
    assert fetched and all(url.startswith("file://") for url in fetched)
