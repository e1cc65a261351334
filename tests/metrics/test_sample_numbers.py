"""Metrics stage on the sample: large figures print in display units, and one thousands rule
holds across the whole report — tables, prose and charts alike."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable

import pytest
from pypdf import PdfReader

from publisher.pipeline import Prepared, build, prepare
from publisher.snapshot import Snapshot, load_snapshot
from tests.conftest import SAMPLE

# A figure as printed: grouped (1,234,567.89) or plain (1234567.89); a sign is not part of it.
FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def whole_digits(text: str) -> int:
    return len(text.split(".")[0].replace(",", ""))


def grouping(texts: Iterable[str]) -> tuple[list[str], list[str]]:
    """Figures of five or more whole digits: (grouped, plain)."""
    grouped, plain = [], []
    for text in texts:
        for found in FIGURE.findall(text):
            if whole_digits(found) >= 5:
                (grouped if "," in found else plain).append(found)
    return grouped, plain


def without_identifiers(text: str, snapshot: Snapshot) -> str:
    """The page without the licence numbers and phone compliance prints: names, not figures."""
    analyst, brand = snapshot.analyst, snapshot.brand
    for name in (analyst.qualification, analyst.consulting, analyst.phone, brand.licence):
        text = text.replace(name, " ")
    return text


@pytest.fixture(scope="module")
def sample_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    built = build(SAMPLE, tmp_path_factory.mktemp("numbers"), formats=("pdf",))
    assert built.pdf is not None
    snapshot = load_snapshot(SAMPLE)
    return [
        without_identifiers(p.extract_text(), snapshot) for p in PdfReader(built.pdf.path).pages
    ]


def it_helpers_tell_grouped_from_plain_figures() -> None:
    grouped, plain = grouping(["出口794,309,425个，-112,899,898；234200吨，7415，1,234.5"])
    assert grouped == ["794,309,425", "112,899,898"] and plain == ["234200"]


def it_prints_no_integer_of_eight_or_more_digits(sample_pages: list[str]) -> None:
    for number, text in enumerate(sample_pages, start=1):
        long = [f for f in FIGURE.findall(text) if whole_digits(f) >= 8]
        assert not long, (number, long)


def it_groups_no_thousands_anywhere_under_the_sample_brand(sample_pages: list[str]) -> None:
    # the sample brand says thousands = false: no figure groups its digits, as the reference
    grouped, plain = grouping(sample_pages)
    assert not grouped, grouped
    assert plain  # the check looks at real figures: prices run to five digits


def it_prints_large_tonnages_in_10k_tonnes(sample_pages: list[str]) -> None:
    flat = re.sub(r"\s+", "", "".join(sample_pages))
    assert "月度DMC库存（万吨）10.5011.35-0.85-7.49%" in flat
    assert "周度样本企业库存（万吨）23.4224.76-1.34-5.41%" in flat
    assert "有机硅库存为10.50万吨" in flat and "样本企业库存为23.42万吨" in flat
    assert "光伏电池出口（亿个）7.949.07-1.13-12.46%" in flat
    assert "组件月度出口（万个）43584652-294-6.32%" in flat


@pytest.fixture(scope="module")
def grouped_sample(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """The sample under a brand that groups thousands."""
    root = tmp_path_factory.mktemp("grouped")
    shutil.copytree(SAMPLE, root / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "brand", root / "brand")
    brand = root / "brand" / "brand.toml"
    text = brand.read_text(encoding="utf-8")
    assert "\nthousands = false\n" in text
    brand.write_text(text.replace("\nthousands = false\n", "\nthousands = true\n"), "utf-8")
    return prepare(root / SAMPLE.name)


def it_groups_every_table_and_prose_figure_when_the_brand_says_so(grouped_sample: Prepared):
    texts = [
        cell
        for fig in grouped_sample.metrics.figures.values()
        for cell in (fig.text.current, fig.text.previous, fig.text.change, fig.text.pct)
    ]
    for view in grouped_sample.views:
        texts += [*view.paragraphs, *(f.text for f in view.factors), view.range_call]
    grouped, plain = grouping(texts)
    assert not plain, plain
    assert "35,290" in grouped and "64,626" in grouped  # a price and a count of lots
    ps = next(v for v in grouped_sample.views if v.product == "ps")
    assert ps.range_call == "多晶硅2507：在34,690-35,890区间震荡。"
