"""Metrics stage: numbers become text in one way, by unit precision, with signs on changes."""

from __future__ import annotations

import math

import pytest

from publisher.metrics import formatting as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (8350.0, 0, "元/吨", "8350"),
        (58.2, 1, "万吨", "58.2"),
        (0.0425, 3, "元/W", "0.043"),  # half away from zero, not banker's 0.042
        (2.5, 0, "元/吨", "3"),
        (-0.0001, 2, "%", "0.00"),  # never a negative zero
        (794309425.0, 0, "个", "794,309,425"),
        (None, 0, "元/吨", "—"),
        (math.nan, 2, "万吨", "—"),
        (math.inf, 2, "万吨", "—"),
    ],
)
def it_formats_a_level_by_its_unit(
    value: float | None, decimals: int, unit: str, expected: str
) -> None:
    assert fmt.number(value, decimals, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(65.0, "+65"), (-165.0, "-165"), (0.0, "0"), (-0.2, "0"), (None, "—")]
)
def it_signs_a_change(value: float | None, expected: str) -> None:
    assert fmt.change(value, 0) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(7.47, "+7.47%"), (-2.18, "-2.18%"), (0.0, "0.00%"), (None, "—")]
)
def it_prints_percent_with_two_decimals(value: float | None, expected: str) -> None:
    assert fmt.percent(value) == expected


def it_strips_the_sign_for_prose() -> None:
    assert fmt.magnitude("-2.84%") == "2.84%"
