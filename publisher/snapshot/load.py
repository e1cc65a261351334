"""Snapshot stage: read snapshot.toml, its brand file, catalog and observations into a Snapshot."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from publisher.errors import SnapshotError
from publisher.snapshot.catalog import load_catalog
from publisher.snapshot.files import decode_text
from publisher.snapshot.model import (
    FACTORS,
    VERDICTS,
    Analyst,
    Brand,
    Contract,
    Factor,
    Judgement,
    RangeCall,
    SeriesSpec,
    Snapshot,
)
from publisher.snapshot.observations import load_observations
from publisher.snapshot.text import check_judgement, check_text, lf, line_ends

MANIFEST = "snapshot.toml"
# Ids become folder names in the archive: no separators, no dots, nothing to escape with.
SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")  # what reportlab, matplotlib and PowerPoint all take
# A contract as the exchange labels it: year and month (2507), or one year digit (507, 郑商所).
CONTRACT_LABEL = re.compile(r"[0-9]{1,2}(0[1-9]|1[0-2])")


def load_snapshot(path: Path | str) -> Snapshot:
    """Load and validate a snapshot folder (or its snapshot.toml)."""
    manifest = Path(path)
    if manifest.is_dir():
        manifest = manifest / MANIFEST
    doc = _toml(manifest)
    report = _table(manifest, doc, "report")
    data = _table(manifest, doc, "data")
    as_of = _field(manifest, report, "report.as_of", dt.date)
    if isinstance(as_of, dt.datetime):
        raise SnapshotError(
            manifest, "report.as_of is a date-time", "write a plain date: as_of = 2025-05-27"
        )
    brand_path = _brand_path(manifest, _field(manifest, report, "report.brand", str))
    brand = load_brand(brand_path)
    analyst_key = _safe_id(
        manifest, "report.analyst", _field(manifest, report, "report.analyst", str)
    )
    if analyst_key not in brand.analysts:
        raise SnapshotError(
            manifest,
            f"analyst '{analyst_key}' is not in {brand_path}",
            f"use one of {', '.join(sorted(brand.analysts))}",
        )
    catalog_path = manifest.parent / _field(manifest, data, "data.catalog", str)
    observation_paths = [
        manifest.parent / p
        for p in _strings(manifest, data, "data.observations", "observations.csv")
    ]
    catalog = load_catalog(catalog_path)
    observations = load_observations(observation_paths, catalog, as_of)
    if all(values.empty for values in observations.values()):
        raise SnapshotError(
            catalog_path,
            f"none of the {len(catalog)} series in the catalog has an observation",
            "check data.observations in snapshot.toml names the files holding the values",
        )
    products = _table(manifest, doc, "products")
    judgements = {
        key: _judgement(manifest, key, _table(manifest, products, key, f"products.{key}"), catalog)
        for key in products
    }
    return Snapshot(
        path=manifest,
        report_id=_safe_id(manifest, "report.id", _field(manifest, report, "report.id", str)),
        title=check_text(
            manifest, "report.title", "title", lf(_field(manifest, report, "report.title", str))
        ),
        as_of=as_of,
        layout=_layout(manifest, _field(manifest, report, "report.layout", str)),
        analyst=brand.analysts[analyst_key],
        brand=brand,
        catalog=MappingProxyType(catalog),
        observations=MappingProxyType(observations),
        judgements=MappingProxyType(judgements),
        files=(manifest, brand_path, catalog_path, *observation_paths),
    )


def _brand_path(manifest: Path, value: str) -> Path:
    """The brand file report.brand names, which a snapshot copied alone leaves behind."""
    path = manifest.parent / value
    if not path.is_file():
        raise SnapshotError(
            manifest,
            f"the brand file named in report.brand was not found at {path.resolve()} "
            f"(report.brand = '{value}', relative to this file)",
            "copy the brand folder beside the snapshot as report.brand expects, "
            "or fix report.brand to the brand file's path",
        )
    return path


def load_brand(path: Path) -> Brand:
    """The firm and its analysts, shared by every snapshot that names this file."""
    doc = _toml(path)
    firm = _table(path, doc, "firm")
    colors = _table(path, firm, "colors", "firm.colors")
    analysts = {
        _safe_id(path, "analysts", key): Analyst(
            key=key,
            name=_field(path, entry, f"analysts.{key}.name", str),
            qualification=_field(path, entry, f"analysts.{key}.qualification", str),
            consulting=_field(path, entry, f"analysts.{key}.consulting", str),
            phone=_optional(path, entry, f"analysts.{key}.phone", str) or "",
        )
        for key, entry in _table(path, doc, "analysts").items()
    }
    logo = _optional(path, firm, "firm.logo", str)
    template = _optional(path, firm, "firm.template", str)
    return Brand(
        firm=_field(path, firm, "firm.name", str),
        licence=_field(path, firm, "firm.licence", str),
        disclaimer=_field(path, firm, "firm.disclaimer", str),
        primary=_colour(path, colors, "firm.colors.primary"),
        accent=_colour(path, colors, "firm.colors.accent"),
        palette=tuple(
            _colour(path, {"palette": c}, "firm.colors.palette")
            for c in _strings(path, colors, "firm.colors.palette", "#1F3864")
        ),
        logo=_beside(path, "firm.logo", logo),
        analysts=MappingProxyType(analysts),
        template=_beside(path, "firm.template", template),
        thousands=_thousands(path, doc),
    )


def _thousands(path: Path, doc: Mapping[str, Any]) -> bool:
    """[numbers] thousands: whether every figure of the report groups its digits (default no)."""
    numbers = doc.get("numbers", {})
    if not isinstance(numbers, dict):
        raise SnapshotError(
            path, "numbers is not a table", "write it as [numbers] with thousands = false"
        )
    extra = sorted(set(numbers) - {"thousands"})
    if extra:
        raise SnapshotError(
            path, f"[numbers] has the unknown key '{extra[0]}'", "the only key is thousands"
        )
    value = numbers.get("thousands", False)
    if not isinstance(value, bool):
        raise SnapshotError(
            path,
            f"numbers.thousands is {value!r}, not true or false",
            "write thousands = true (1,234,567) or thousands = false (1234567)",
        )
    return value


def _judgement(
    path: Path, key: str, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]
) -> Judgement:
    where = f"products.{key}"
    contracts, main = _contracts(path, where, doc, catalog)
    factors_doc = _table(path, doc, "factors", f"{where}.factors")
    factors = []
    for name in FACTORS:
        entry = _table(path, factors_doc, name, f"{where}.factors.{name}")
        verdict = _field(path, entry, f"{where}.factors.{name}.verdict", str)
        if verdict not in VERDICTS:
            raise SnapshotError(
                path,
                f"{where}.factors.{name}.verdict is '{verdict}'",
                f"use one of {'/'.join(VERDICTS)}",
            )
        factors.append(Factor(name, verdict, str(entry.get("comment", "")).strip()))
    extra = sorted(set(factors_doc) - set(FACTORS))
    if extra:
        raise SnapshotError(
            path,
            f"{where}.factors has unknown factor '{extra[0]}'",
            f"the six factors are {'、'.join(FACTORS)}",
        )
    call = _table(path, doc, "range_call", f"{where}.range_call")
    low = _field(path, call, f"{where}.range_call.low", (int, float))
    high = _field(path, call, f"{where}.range_call.high", (int, float))
    if low > high:
        raise SnapshotError(
            path, f"{where}.range_call has low {low} above high {high}", "swap them"
        )
    judgement = Judgement(
        product=key,
        name=_field(path, doc, f"{where}.name", str),
        factors=tuple(factors),
        range_call=RangeCall(_called(path, where, call, main), low, high),
        outlook=_field(path, doc, f"{where}.outlook", str),
        bullish=tuple(_field(path, doc, f"{where}.bullish", list)),
        bearish=tuple(_field(path, doc, f"{where}.bearish", list)),
        logic=_field(path, doc, f"{where}.logic", str),
        risks=_field(path, doc, f"{where}.risks", str),
        contracts=contracts,
        main=main.series if main else None,
    )
    return check_judgement(path, line_ends(judgement))


def _contracts(
    path: Path, where: str, doc: Mapping[str, Any], catalog: Mapping[str, SeriesSpec]
) -> tuple[tuple[Contract, ...], Contract | None]:
    """`[<where>.contracts]` (series id = label) and the one of them `main` names: what a
    layout's `main` reads, so that it follows the roll with no edit."""
    listed = doc.get("contracts", {})
    if not isinstance(listed, dict):
        raise SnapshotError(
            path,
            f"{where}.contracts is {listed!r}, not a table",
            f'write [{where}.contracts] with a line a contract: si_fut_07 = "2507"',
        )
    contracts = tuple(_contract(path, where, s, label, catalog) for s, label in listed.items())
    main = _optional(path, doc, f"{where}.main", str)
    if main is None:
        if contracts:
            raise SnapshotError(
                path,
                f"{where} lists contracts but names no main contract",
                f'add main = "{contracts[0].series}" (the 主力合约\'s series id) to [{where}]',
            )
        return (), None
    found = next((c for c in contracts if c.series == main), None)
    if found is None:
        raise SnapshotError(
            path,
            f"{where}.main '{main}' is not one of {where}.contracts",
            f'add {main} = "<label, e.g. 2509>" under [{where}.contracts], or fix main',
        )
    return contracts, found


def _contract(
    path: Path, where: str, series: str, label: Any, catalog: Mapping[str, SeriesSpec]
) -> Contract:
    name = f"{where}.contracts.{series}"
    if series not in catalog:
        raise SnapshotError(
            path,
            f"{name} names series '{series}', which the catalog lacks",
            "fix the series id, or add the contract to catalog.csv",
        )
    # 2507 written as a TOML integer is the same label
    text = str(label) if isinstance(label, int) and not isinstance(label, bool) else label
    if not isinstance(text, str) or not CONTRACT_LABEL.fullmatch(text):
        raise SnapshotError(
            path,
            f"{name} is {label!r}, not a contract label",
            'write its year and month as the exchange lists it, e.g. "2507"',
        )
    return Contract(series, text)


def _called(path: Path, where: str, call: Mapping[str, Any], main: Contract | None) -> str:
    """The contract the range call is on: as written, else the main contract's label."""
    if call.get("contract") in (None, ""):
        if main is not None:
            return main.label
        raise SnapshotError(
            path,
            f"{where}.range_call names no contract, and [{where}] no main contract",
            f'add contract = "2507" to the range call, or main and [{where}.contracts]',
        )
    return str(_field(path, call, f"{where}.range_call.contract", (str, int)))


def _toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SnapshotError(path, "file not found", "pass a snapshot folder holding snapshot.toml")
    try:
        return tomllib.loads(decode_text(path, path.read_bytes()))
    except tomllib.TOMLDecodeError as exc:
        raise SnapshotError(
            path, f"not valid TOML ({exc})", "fix the syntax at that line"
        ) from None


def _table(path: Path, doc: Mapping[str, Any], key: str, name: str | None = None) -> dict[str, Any]:
    value = doc.get(key)
    if not isinstance(value, dict):
        raise SnapshotError(path, f"[{name or key}] is missing", f"add a [{name or key}] table")
    return value


def _field(path: Path, doc: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = doc.get(name.rsplit(".", 1)[-1])
    if value is None or value == "":
        raise SnapshotError(path, f"{name} is missing", f"add {name}")
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SnapshotError(
            path,
            f"{name} has the wrong type ({type(value).__name__})",
            "see docs/snapshot.md for its form",
        )
    return value


def _beside(path: Path, name: str, value: str | None) -> Path | None:
    """A file the brand names, relative to it, which must exist."""
    if value is None:
        return None
    found = path.parent / value
    if not found.is_file():
        raise SnapshotError(path, f"{name} '{value}' is not a file beside it", f"fix {name}")
    return found


def _optional(path: Path, doc: Mapping[str, Any], name: str, kind: type) -> Any:
    """An optional field: None when absent or empty, else checked like a required one."""
    if doc.get(name.rsplit(".", 1)[-1]) in (None, ""):
        return None
    return _field(path, doc, name, kind)


def _strings(path: Path, doc: Mapping[str, Any], name: str, example: str) -> list[str]:
    values = _field(path, doc, name, list)
    if not values or not all(isinstance(v, str) and v for v in values):
        key = name.rsplit(".", 1)[-1]
        raise SnapshotError(
            path, f"{name} must be a list of strings", f'e.g. {key} = ["{example}"]'
        )
    return values


def _colour(path: Path, doc: Mapping[str, Any], name: str) -> str:
    value = _field(path, doc, name, str)
    if not COLOUR.fullmatch(value):
        raise SnapshotError(path, f"{name} '{value}' is not a colour", 'write it as "#1F3864"')
    return value


def _layout(path: Path, value: str) -> str:
    """A layout id, or a desk's own layout file named relative to snapshot.toml (found by
    publisher/snapshot/layoutfile.py:locate)."""
    if value.endswith(".toml") and not Path(value).is_absolute():
        return value
    if SAFE_ID.fullmatch(value):
        return value
    raise SnapshotError(
        path,
        f"report.layout '{value}' is neither a layout id nor a .toml file relative to this file",
        "name a layout id (lowercase letters, digits, '-' and '_') or a relative path such "
        "as 'layouts/lithium-daily.toml' (docs/layouts.md)",
    )


def _safe_id(path: Path, name: str, value: str) -> str:
    if not SAFE_ID.fullmatch(value):
        raise SnapshotError(
            path,
            f"{name} '{value}' is not a safe id",
            "use lowercase letters, digits, '-' and '_' only (no '/' or '..')",
        )
    return value
