"""Deck renderer: reproducible bytes (fixed zip dates and order) and atomic writes."""

from __future__ import annotations

import io
import zipfile

# The earliest date a zip entry can carry: the clock never reaches the file.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PACKED = (".xlsx", ".png", ".jpeg", ".jpg")


def normalised_zip(data: bytes) -> bytes:
    """`data` rezipped with every entry dated ZIP_EPOCH, in the writer's order (which is stable
    for one input, and keeps [Content_Types].xml first, as Office expects)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            # workbooks and pictures are compressed already: deflating them again buys nothing
            packed = entry.filename.endswith(PACKED)
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
