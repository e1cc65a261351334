"""Archive: `archive verify --deep` holds every archived output to its format again."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from tests.archive.conftest import cli, copy_sample, no_traceback


def it_passes_an_archive_of_pdfa_files(archive_copy: Path) -> None:
    result = cli("archive", "verify", archive_copy, "--deep")
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "ok: 2 revision(s)" in result.output


def _plain(pdf: pikepdf.Pdf, as_of: object, where: object) -> bytes:
    """The PDF as publisher wrote it before PDF/A: no OutputIntent, no XMP."""
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


@pytest.fixture
def old_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An archive whose one revision was published before its files were held to a format."""
    with monkeypatch.context() as before:
        before.setattr("publisher.render.pdf.save_pdfa", _plain)
        before.setattr("publisher.check.format_findings", lambda path: [])
        published = cli("publish", copy_sample(tmp_path / "in"), "--archive", tmp_path / "a")
    assert published.exit_code == 0, published.output
    return tmp_path / "a"


def it_names_a_revision_written_before_pdfa_as_not_pdfa_not_damaged(old_archive: Path) -> None:
    assert cli("archive", "verify", old_archive).exit_code == 0  # its hashes are whole
    result = cli("archive", "verify", old_archive, "--deep")
    no_traceback(result)
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if ".pdf:" in line]
    assert "format: " in line and "not PDF/A-2b" in line and "not damaged" in line
    assert "tampered" not in result.output and "missing" not in result.output
    assert "FAILED: 1 problem(s)" in result.output  # the deck was valid Open XML already
