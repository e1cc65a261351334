"""Snapshot stage: read tabular files (CSV in UTF-8 or GBK, Parquet, Excel) as raw text frames."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from publisher.errors import SnapshotError

MAX_FILE_BYTES = 200 * 1024 * 1024
# An .xlsx whose parts inflate beyond this is refused before openpyxl sees it (zip bombs).
MAX_XLSX_UNPACKED_BYTES = 500 * 1024 * 1024

_MAGIC = {b"PK\x03\x04": "xlsx", b"PAR1": "parquet"}
_KINDS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}


def read_table(path: Path) -> pd.DataFrame:
    """Read a table as strings, refusing files that are not what their extension says."""
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise SnapshotError(
            path, f"unsupported file type '{path.suffix}'", "use .csv, .xlsx or .parquet"
        )
    if not path.is_file():
        raise SnapshotError(path, "file not found", "check the path in snapshot.toml")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SnapshotError(
            path,
            f"file is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit",
            "split the observations into several files or trim old history",
        )
    raw = path.read_bytes()
    found = _MAGIC.get(raw[:4], "csv")
    if found != kind:
        raise SnapshotError(
            path,
            f"content is not {kind.upper()} (it looks like {found.upper()})",
            f"save the file as real {kind.upper()} or give it the extension of what it is",
        )
    return _READERS[kind](path, raw)


def _read_csv(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(decode_text(path, raw)), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:  # e.g. a row with more fields than the header
        raise SnapshotError(
            path,
            f"not a well-formed CSV ({exc})".replace("\n", " "),
            "give every row as many fields as the header",
        ) from None
    except pd.errors.EmptyDataError:
        raise SnapshotError(path, "the file is empty", "export the table again") from None


def decode_text(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, a superset of GBK that Excel writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SnapshotError(path, "text is neither UTF-8 nor GBK/GB18030", "save it as UTF-8 CSV")


def _read_parquet(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises many types for damaged files
        raise SnapshotError(path, f"unreadable Parquet ({exc})", "re-export the file") from None
    return _as_text(frame)


def _read_xlsx(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SnapshotError(path, "damaged or truncated workbook", "re-export the file") from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SnapshotError(
            path,
            f"workbook unpacks to {unpacked / 2**20:.0f} MiB, over the limit",
            "export only the series the report needs",
        )
    try:
        frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise SnapshotError(path, f"unreadable workbook ({exc})", "re-export the file") from None
    return _as_text(frame)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Bring typed readers down to the strings the CSV reader gives, so one parser checks all."""
    frame.columns = [str(c).strip() for c in frame.columns]
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d")
        else:
            text = values.map(_cell_text)
        out[column] = text.fillna("")
    return out.reset_index(drop=True)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


_READERS = {"csv": _read_csv, "parquet": _read_parquet, "xlsx": _read_xlsx}
