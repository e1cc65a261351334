"""Backfill: write one snapshot a business day from the sample, to exercise batch and archive.

    python samples/backfill.py --days 20 --out backfill

writes `backfill/brand/brand.toml` and `backfill/silicon-YYYY-MM-DD/` for the 20 business days
ending 2025-05-27. Each day is the sample as it stood then: observations dated after that day
are dropped, `as_of` is that day, and the report id, layout and judgements stay the sample's
(they are the analyst's words, not data). Deterministic: no clock, no randomness; the rows
kept are the sample's bytes, so a day's snapshot is the same file every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "silicon-2025-05-27"
BRAND = HERE / "brand" / "brand.toml"
END = dt.date(2025, 5, 27)
AS_OF = re.compile(r"^as_of = \d{4}-\d{2}-\d{2}$", re.MULTILINE)
HEADER = re.compile(r"^# Sample snapshot:.*$", re.MULTILINE)


def business_days(end: dt.date, days: int) -> list[dt.date]:
    """The `days` weekdays up to and including `end`, oldest first (no holiday calendar)."""
    found: list[dt.date] = []
    day = end
    while len(found) < days:
        if day.weekday() < 5:
            found.append(day)
        day -= dt.timedelta(days=1)
    return found[::-1]


def manifest_for(text: str, day: dt.date) -> str:
    """The sample's snapshot.toml dated `day`; everything else (brand path too) unchanged."""
    text = HEADER.sub(
        f"# Backfill snapshot: the SYNTHETIC sample as of {day}; written by samples/backfill.py.",
        text,
        count=1,
    )
    dated, found = AS_OF.subn(f"as_of = {day.isoformat()}", text, count=1)
    if not found:
        raise SystemExit(f"{SAMPLE / 'snapshot.toml'}: no 'as_of = YYYY-MM-DD' line to shift")
    return dated


def observations_until(lines: list[bytes], day: dt.date) -> bytes:
    """Header and the rows dated up to `day` (the first column is an ISO date, as sorted)."""
    cutoff = day.isoformat().encode()
    kept = [lines[0]] + [line for line in lines[1:] if line[:10] <= cutoff]
    return b"".join(kept)


def write_day(out: Path, day: dt.date, manifest: str, lines: list[bytes]) -> Path:
    folder = out / f"silicon-{day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "snapshot.toml").write_bytes(manifest_for(manifest, day).encode("utf-8"))
    shutil.copyfile(SAMPLE / "catalog.csv", folder / "catalog.csv")
    (folder / "observations.csv").write_bytes(observations_until(lines, day))
    return folder


def copy_brand(into: Path) -> None:
    """The brand file and the files it names (deck template, logo) into `into`: snapshot.toml
    names "../brand/brand.toml", which then holds from the output folder."""
    into.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BRAND, into / BRAND.name)
    firm = tomllib.loads(BRAND.read_text(encoding="utf-8"))["firm"]
    for key in ("logo", "template"):
        if firm.get(key):
            shutil.copyfile(BRAND.parent / firm[key], into / firm[key])


def backfill(out: Path, days: int = 20, end: dt.date = END) -> list[Path]:
    """Write the brand file and `days` snapshots ending `end` under `out`; return the folders."""
    copy_brand(out / "brand")
    manifest = (SAMPLE / "snapshot.toml").read_text(encoding="utf-8")
    lines = (SAMPLE / "observations.csv").read_bytes().splitlines(keepends=True)
    return [write_day(out, day, manifest, lines) for day in business_days(end, days)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20, help="business days (default 20)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument(
        "--end", type=dt.date.fromisoformat, default=END, help="last day (default 2025-05-27)"
    )
    args = parser.parse_args()
    if args.days < 1 or args.end > END:
        parser.error(f"--days must be at least 1 and --end no later than {END}")
    folders = backfill(args.out, args.days, args.end)
    print(f"wrote {len(folders)} snapshots ({folders[0].name} … {folders[-1].name}) in {args.out}")


if __name__ == "__main__":
    main()
