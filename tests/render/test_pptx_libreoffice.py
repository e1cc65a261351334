"""Deck renderer: LibreOffice opens the sample deck and exports one page per slide."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.render.deck_fixtures import sample_deck

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice Impress (soffice) is not installed; .ci/run installs it"
)


def convert(deck: Path, out: Path) -> Path:
    """`soffice --headless --convert-to pdf`, with a profile of its own so it never waits on
    (or disturbs) another LibreOffice running on the machine."""
    profile = out / "profile"
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(deck),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    pdf = out / f"{deck.stem}.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    return pdf


@needs_soffice
def it_opens_in_libreoffice_with_one_page_per_slide(tmp_path: Path) -> None:
    from pypdf import PdfReader

    result = sample_deck()
    pdf = convert(result.path, tmp_path)
    reader = PdfReader(pdf)
    assert len(reader.pages) == result.slides
    first = reader.pages[0].extract_text()
    # Chinese survived the trip: LibreOffice found a face for a:ea
    assert "分析师" in first and "数据来源" in first
