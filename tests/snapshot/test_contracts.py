"""Snapshot stage: each product names its contracts and its main one, and is refused when the
main contract is not one of them or a contract is not in the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main as cli
from publisher.errors import SnapshotError
from publisher.snapshot import load_snapshot
from publisher.snapshot.model import Contract


def _products(folder: Path, keys: str, contracts: str = "", call: str | None = None) -> None:
    """The tiny snapshot with `keys` added under [products.si] and [products.si.contracts]."""
    manifest = folder / "snapshot.toml"
    text = manifest.read_text(encoding="utf-8").replace(
        'name = "工业硅"\n', f'name = "工业硅"\n{keys}\n', 1
    )
    if call is not None:
        text = text.replace('{ contract = "2507", low = 7335, high = 7545 }', call, 1)
    if contracts:
        text += f"\n[products.si.contracts]\n{contracts}\n"
    manifest.write_text(text, encoding="utf-8")


def _refused(folder: Path) -> SnapshotError:
    with pytest.raises(SnapshotError) as refused:
        load_snapshot(folder)
    assert refused.value.where.endswith("snapshot.toml") and refused.value.fix
    return refused.value


def it_reads_the_main_contract_and_its_label(tiny_snapshot: Path) -> None:
    _products(tiny_snapshot, 'main = "si_fut_07"', 'si_fut_07 = "2507"\nsi_spot_553 = 2508')
    judgement = load_snapshot(tiny_snapshot).judgements["si"]
    assert judgement.main_contract == Contract("si_fut_07", "2507")
    assert judgement.main_contract.month == "07"
    assert judgement.contracts[1] == Contract("si_spot_553", "2508")  # a TOML integer label


def it_calls_the_range_on_the_main_contract_when_the_call_names_none(
    tiny_snapshot: Path,
) -> None:
    call = "{ low = 7335, high = 7545 }"
    _products(tiny_snapshot, 'main = "si_fut_07"', 'si_fut_07 = "2509"', call)
    assert load_snapshot(tiny_snapshot).judgements["si"].range_call.contract == "2509"


def it_loads_a_product_without_contracts_as_before(tiny_snapshot: Path) -> None:
    judgement = load_snapshot(tiny_snapshot).judgements["si"]
    assert (judgement.main_contract, judgement.range_call.contract) == (None, "2507")


@pytest.mark.parametrize(
    ("keys", "contracts", "complaint"),
    [
        (
            'main = "si_fut_09"',
            'si_fut_07 = "2507"',
            "products.si.main 'si_fut_09' is not one of products.si.contracts",
        ),
        (
            'main = "si_fut_07"',
            'si_fut_07 = "2507"\nsi_fut_13 = "2513"',
            "products.si.contracts.si_fut_13 names series 'si_fut_13', which the catalog lacks",
        ),
        ('main = "si_fut_07"', 'si_fut_07 = "2513"', "si_fut_07 is '2513', not a contract label"),
        ('main = "si_fut_07"', 'si_fut_07 = "七月"', "si_fut_07 is '七月', not a contract label"),
        ("", 'si_fut_07 = "2507"', "products.si lists contracts but names no main contract"),
        ('main = "si_fut_07"\ncontracts = ["si_fut_07"]', "", "products.si.contracts is ['si_"),
    ],
)
def it_refuses_contracts_it_cannot_follow(
    tiny_snapshot: Path, keys: str, contracts: str, complaint: str
) -> None:
    _products(tiny_snapshot, keys, contracts)
    assert complaint in _refused(tiny_snapshot).what


def it_refuses_a_call_on_no_contract(tiny_snapshot: Path) -> None:
    _products(tiny_snapshot, "", call="{ low = 7335, high = 7545 }")
    error = _refused(tiny_snapshot)
    assert "range_call names no contract, and [products.si] no main contract" in error.what


def it_says_so_on_the_command_line_with_exit_2(tiny_snapshot: Path) -> None:
    _products(tiny_snapshot, 'main = "si_fut_09"', 'si_fut_07 = "2507"')
    result = CliRunner().invoke(cli, ["validate", str(tiny_snapshot)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "products.si.main 'si_fut_09'" in result.output
