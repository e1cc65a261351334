"""Metrics stage: numbers become text in one way, by unit precision, with signs on changes, and
grouped in thousands everywhere or nowhere (the brand's rule)."""

from __future__ import annotations

import datetime as dt
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
        (794309425.0, 0, "个", "794309425"),  # no unit groups digits: the brand does
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


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (794309425.0, 0, "794,309,425"),
        (-112899898.0, 0, "-112,899,898"),
        (12345.675, 2, "12,345.68"),  # half away from zero, then grouped
        (1234.0, 0, "1,234"),
        (999.5, 0, "1,000"),  # grouped after rounding
        (58.2, 1, "58.2"),
        (-0.0001, 0, "0"),
        (None, 0, "—"),
    ],
)
def it_groups_thousands_when_the_brand_says_so(
    value: float | None, decimals: int, expected: str
) -> None:
    assert fmt.number(value, decimals, "元/吨", thousands=True) == expected
    assert fmt.number(value, decimals, thousands=False) == expected.replace(",", "")


def it_groups_changes_and_percentages_by_the_same_rule() -> None:
    assert fmt.change(13400.0, 0, thousands=True) == "+13,400"
    assert fmt.change(-13400.0, 0, thousands=True) == "-13,400"
    assert fmt.change(13400.0, 0) == "+13400"
    assert fmt.percent(-12345.678, thousands=True) == "-12,345.68%"
    assert fmt.percent(-12345.678) == "-12345.68%"


def it_keeps_the_unit_out_of_the_grouping_rule() -> None:
    for unit in ("个", "吨", "元/吨", ""):
        assert fmt.number(43583779.0, 0, unit) == "43583779"
        assert fmt.number(43583779.0, 0, unit, thousands=True) == "43,583,779"


def it_writes_days_as_desks_do_without_leading_zeros() -> None:
    assert fmt.day(dt.date(2025, 6, 10)) == "6月10日"
    assert fmt.day(dt.date(2025, 5, 7)) == "5月7日"
    assert fmt.date_note(dt.date(2025, 4, 1), dt.date(2025, 5, 27), True) == "（4月1日，未更新）"
    assert fmt.date_note(dt.date(2024, 12, 31), dt.date(2025, 1, 2), False) == "（2024年12月31日）"
