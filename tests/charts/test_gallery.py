"""The gallery: every chart of the sample's catalog drawn into one folder, each a valid
one-page vector PDF whose text includes its title."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from publisher.assets import SAMPLE
from publisher.charts.catalog import catalog_path, load_catalog, with_contracts
from publisher.charts.gallery import INDEX, write_gallery
from publisher.snapshot import load_snapshot


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    snapshot = load_snapshot(SAMPLE)
    out = tmp_path_factory.mktemp("gallery")
    with warnings.catch_warnings():
        # a missing glyph (a box in print) warns; workers inherit the filter and fail
        warnings.simplefilter("error")
        written = write_gallery(snapshot, out)
    return written, catalog_path(snapshot.layout)


def it_draws_every_catalog_chart_of_the_sample(gallery: tuple[list[Path], Path]) -> None:
    written, catalog_file = gallery
    catalog = load_catalog(catalog_file)
    charts = [p for p in written if p.suffix == ".pdf"]
    assert sorted(p.stem for p in charts) == sorted(catalog.ids)
    assert len(charts) == len(catalog)
    assert written[-1].name == INDEX
    index = written[-1].read_text(encoding="utf-8")
    assert all(f"`{chart_id}`" in index for chart_id in catalog.ids)


def it_writes_valid_vector_pdfs_whose_text_has_the_title(
    gallery: tuple[list[Path], Path],
) -> None:
    written, catalog_file = gallery
    # titles as the sample reads them: {main_month} is its main contract's month
    catalog = with_contracts(load_catalog(catalog_file), load_snapshot(SAMPLE))
    titles = {chart.id: chart.title for chart in catalog}
    assert titles["si_basis_main"] == "工业硅现货、07合约与基差"
    for path in (p for p in written if p.suffix == ".pdf"):
        pdf = path.read_bytes()
        assert pdf.startswith(b"%PDF-")
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == 1
        page = reader.pages[0]
        forms = page["/Resources"].get("/XObject", {})
        assert all(ref.get_object()["/Subtype"] != "/Image" for ref in forms.values())
        text = "".join(page.extract_text().split())
        assert titles[path.stem].replace(" ", "") in text, path.name
        assert "数据来源：" in text
