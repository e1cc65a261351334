"""Deck renderer: reproducible bytes (fixed zip dates, python-pptx's order), deflated once."""

from __future__ import annotations

import io
import zipfile

from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter, _PhysPkgWriter
from pptx.presentation import Presentation as Deck

# The earliest date a zip entry can carry: the clock never reaches the file.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PACKED = (".xlsx", ".png", ".jpeg", ".jpg")
# The embedded faces (~1 MB each) are the deck's largest entries and the last it writes: a
# light pass (level 1) deflates them in half the time of level 6 for 4 % more of their size
# (~80 kB a deck), ~30 ms off the end of every build.
LIGHT = (".fntdata",)


def add_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """`data` as the entry `name`, dated ZIP_EPOCH, with fixed permissions."""
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    # workbooks and pictures are compressed already: deflating them again buys nothing
    info.compress_type = zipfile.ZIP_STORED if name.endswith(PACKED) else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=1 if name.endswith(LIGHT) else 6)


class _Entries(_PhysPkgWriter):
    """What python-pptx's package writer writes through: each item goes to `archive` as is."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        add_entry(self.archive, pack_uri.membername, blob)


class _ReproducibleWriter(PackageWriter):
    """python-pptx's package writer (its items, in its order, [Content_Types].xml first, as
    Office expects) with our zip: each item is deflated once, not zipped and then rezipped."""

    def _write(self) -> None:
        with zipfile.ZipFile(self._pkg_file, "w") as archive:
            entries = _Entries(archive)
            self._write_content_types_stream(entries)
            self._write_pkg_rels(entries)
            self._write_parts(entries)


def deck_bytes(deck: Deck) -> bytes:
    """The deck saved as a reproducible .pptx: the same deck gives the same bytes."""
    out = io.BytesIO()
    package = deck.part.package
    _ReproducibleWriter.write(out, package._rels, tuple(package.iter_parts()))
    return out.getvalue()
