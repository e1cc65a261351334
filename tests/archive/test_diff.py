"""archive diff: the figures, sentences and pages one revision changes in another."""

from __future__ import annotations

import json
from pathlib import Path

from tests.archive.conftest import cli


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
