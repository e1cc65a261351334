"""archive diff: the figures, sentences and pages one revision changes in another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.archive.publish import publish as publish_snapshot
from tests.archive.conftest import cli, copy_sample
from tests.conftest import SAMPLE

CORRECTED = ("si_inv_social", "2025-05-23", "58.5")  # the sample prints 58.2


def _with_value(into: Path, series: str, date: str, value: str) -> Path:
    """The sample with one observation of the wide observations file corrected."""
    folder = copy_sample(into)
    path = folder / "observations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    column = lines[0].split(",").index(series)
    for n, line in enumerate(lines):
        if line.startswith(date + ","):
            cells = line.split(",")
            cells[column] = value
            lines[n] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corrected_value(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of the sample (r1) and the sample with 周度社会库存 corrected (r2)."""
    root = tmp_path_factory.mktemp("diff") / "archive"
    publish_snapshot(SAMPLE, root)
    publish_snapshot(_with_value(tmp_path_factory.mktemp("fixed"), *CORRECTED), root)
    return root


def it_lists_exactly_the_corrected_figure(corrected_value: Path) -> None:
    result = cli("archive", "diff", corrected_value, "silicon-daily", "2025-05-27", "--json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    assert (changes["old"], changes["new"]) == ("2025-05-27 r1", "2025-05-27 r2")
    assert [(f["id"], f["old"], f["new"]) for f in changes["figures"]] == [
        ("si_inv_social", "58.2", "58.5")
    ]
    assert changes["figures"][0]["name"] == "周度社会库存"
    assert changes["pages"], "the tables print the figure: some page changed"
    text = cli("archive", "diff", corrected_value, "silicon-daily", "2025-05-27")
    assert "figure si_inv_social  周度社会库存  58.2 → 58.5 万吨" in text.output


def it_says_nothing_changed_between_a_revision_and_itself(corrected_value: Path) -> None:
    same = ("--from", "2", "--to", "2")
    result = cli("archive", "diff", corrected_value, "silicon-daily", "2025-05-27", *same)
    assert result.exit_code == 0 and "no figure, sentence or page changed" in result.output


def it_refuses_a_first_revision_without_another_to_compare(corrected_value: Path) -> None:
    result = cli("archive", "diff", corrected_value, "silicon-daily", "2025-05-27", "--to", "1")
    assert result.exit_code == 2 and "only r1" in result.output
    result = cli(
        "archive", "diff", corrected_value, "silicon-daily", "2025-05-27", "--previous-day"
    )
    assert result.exit_code == 2 and "holds no silicon-daily before 2025-05-27" in result.output
    assert "Traceback" not in result.output
