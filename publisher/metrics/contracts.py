"""Metrics stage: a layout's `main` and `{main}` read as the snapshot's main contract."""

from __future__ import annotations

from pathlib import Path

from publisher.errors import LayoutError
from publisher.snapshot.layoutfile import MAIN
from publisher.snapshot.model import Contract, Snapshot

# What a row label may say of the main contract: {main} prints 2507, {main_month} 07.
PLACEHOLDERS = ("{main}", "{main_month}")


def main_contract(snapshot: Snapshot, product: str) -> Contract | None:
    """The product's main contract as the snapshot names it, if it does."""
    judgement = snapshot.judgements.get(product)
    return judgement.main_contract if judgement else None


def resolved(series: str, product: str, snapshot: Snapshot) -> str | None:
    """The catalog series an input means (`main`: the main contract's), None when the
    snapshot names no main contract for the product."""
    if series != MAIN:
        return series
    contract = main_contract(snapshot, product)
    return contract.series if contract else None


def contract_series(series: str, product: str, snapshot: Snapshot, path: Path, where: str) -> str:
    """As `resolved`, refusing a `main` the snapshot cannot answer."""
    found = resolved(series, product, snapshot)
    if found is None:
        raise _unnamed(product, path, where)
    return found


def contract_label(text: str, product: str, snapshot: Snapshot, path: Path, where: str) -> str:
    """A label with {main} and {main_month} filled in: {main_month}合约MA20 → 07合约MA20."""
    if not any(p in text for p in PLACEHOLDERS):
        return text
    contract = main_contract(snapshot, product)
    if contract is None:
        raise _unnamed(product, path, where)
    return text.replace("{main}", contract.label).replace("{main_month}", contract.month)


def _unnamed(product: str, path: Path, where: str) -> LayoutError:
    return LayoutError(
        path,
        f"{where} reads the main contract, and snapshot.toml names none for product "
        f"'{product or '?'}'",
        f'add main = "<series id>" and [products.{product or "<key>"}.contracts] to '
        "snapshot.toml (docs/snapshot.md), or name the series in the layout",
    )
