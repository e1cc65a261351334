"""PDF renderer: writes the report as PDF/A-2b through pikepdf.pdfa and reads its findings back."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import pdfa

from publisher.errors import CheckError

FLAVOUR = "2b"
CLAIM = "PDF/A-2b"
PRODUCER = "publisher"
# Object streams keep the file small; deterministic_id derives /ID from the bytes, not a clock.
SAVE_SETTINGS: dict[str, Any] = {
    "deterministic_id": True,
    "object_stream_mode": pikepdf.ObjectStreamMode.generate,
}
OBJECT = re.compile(r"\bobj (\d+) (\d+)\b")


def save_pdfa(pdf: pikepdf.Pdf, as_of: dt.date, where: Path, validate: bool = False) -> bytes:
    """The document's bytes as PDF/A-2b, with pikepdf.pdfa's pinned save settings. With
    `validate`, the bytes are validated as written and refused (exit 1) if they fail; a build
    leaves that to `publisher check`, which publish runs before anything is archived (the
    validation costs ~0.5 s a report, a sixth of the build)."""
    _tidy(pdf)
    pdfa.prepare(pdf, FLAVOUR)
    _restamp(pdf, as_of)
    out = io.BytesIO()
    if not validate:
        pdf.save(out, **pdfa.resolve_save_kwargs(FLAVOUR, **SAVE_SETTINGS))
        return out.getvalue()
    try:
        pdfa.save(pdf, out, FLAVOUR, repair=False, **SAVE_SETTINGS)
    except pdfa.PdfaError as failed:
        first = failed.report.findings[0]
        raise CheckError(
            where,
            f"the renderer wrote a file that is not {CLAIM}: {first.rule}: {first.message} "
            f"({first.where}; {len(failed.report.findings)} finding(s))",
            "a renderer bug, not the snapshot's fault: report it with this message",
        ) from None
    return out.getvalue()


def _tidy(pdf: pikepdf.Pdf) -> None:
    """Drop what the allowlist validator cannot approve but that draws nothing: reportlab's
    empty page transition on every page, matplotlib's empty /Pattern and /Shading in charts."""
    for page in pdf.pages:
        if "/Trans" in page.obj and len(page.obj.Trans) == 0:
            del page.obj["/Trans"]
    for obj in pdf.objects:
        resources = obj.get("/Resources") if isinstance(obj, pikepdf.Dictionary) else None
        if isinstance(obj, pikepdf.Stream):
            resources = obj.stream_dict.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            for key in ("/Pattern", "/Shading"):
                if key in resources and len(resources[key]) == 0:
                    del resources[key]
    # An honest MarkInfo: reportlab writes no structure tree, so the file is not tagged.
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=False)


def _restamp(pdf: pikepdf.Pdf, as_of: dt.date) -> None:
    """`prepare` stamps the clock into xmp:MetadataDate and itself as producer; put back the
    report's date and publisher, so one snapshot still gives one file byte for byte."""
    stamp = dt.datetime.combine(as_of, dt.time(), dt.timezone(dt.timedelta(hours=8)))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["xmp:MetadataDate"] = stamp.isoformat()
        meta["pdf:Producer"] = PRODUCER


def findings(path: Path) -> list[tuple[int, str]]:
    """The file's PDF/A-2b findings as written, each as (1-based page or 0, what): empty for a
    conforming file."""
    with _schema_checks_once(), _glyphs_once(), _no_collection():
        report = pdfa.validate_written(path, FLAVOUR)
    if not report.findings:
        return []
    pages = _page_numbers(path)
    return [
        (
            _page_of(finding.where, pages),
            f"not {CLAIM}: {finding.rule}: {finding.message} ({finding.where})",
        )
        for finding in report.findings
    ]


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage collection while pikepdf.pdfa reads content: it takes any warning raised
    meanwhile for the content's own, and a collection can finalize something unrelated that
    warns (a font file some library left open warns ResourceWarning), failing a good file.
    What is pending is collected first; what the validation leaves, after."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_CLEAN_OBJECTS: set[bytes] = set()  # digests of (role, object) the role schemas passed


@contextlib.contextmanager
def _schema_checks_once() -> Iterator[None]:
    """The validator holds each object it reaches to its role's JSON Schema, read off the
    object's shallow JSON (its own keys and values, references as "N G R"): a pure function
    of the two, ~0.1 s a report for ~800 objects, most of them as in the last report (the
    same fonts, graphics states, forms' dictionaries). So an object whose role and shallow
    JSON a schema passed before in this process passes again; one that fails is checked
    whole, its findings as they were. Left alone if pikepdf's internals moved."""
    try:
        from pikepdf.pdfa._flavour import Flavour
        from pikepdf.pdfa._schemas import SchemaSet
    except ImportError:
        yield
        return
    schemas: Any = SchemaSet.for_flavour(Flavour(FLAVOUR))  # the instance the walker uses
    whole = getattr(schemas, "check", None)
    if whole is None:
        yield
        return

    def check(role: str, shallow: Any, ctx: Any, where: str) -> bool:
        seen = json.dumps([role, shallow], sort_keys=True, allow_nan=True).encode()
        key = hashlib.sha256(seen).digest()
        if key in _CLEAN_OBJECTS:
            return True
        passed = bool(whole(role, shallow, ctx, where))
        if passed:
            _CLEAN_OBJECTS.add(key)
        return passed

    schemas.check = check  # shadows the method on this instance only
    try:
        yield
    finally:
        del schemas.check


# Whether each glyph of an embedded TrueType program can be read, by the program's SHA-256 and
# the glyph id: the programs of the last report checked (a few, each a few hundred glyphs).
_GLYPHS: dict[bytes, dict[int, bool]] = {}


@contextlib.contextmanager
def _glyphs_once() -> Iterator[None]:
    """The validator reads the outline of every glyph a report shows (TrueTypeProgram.has_gid:
    ~750 a report, a fifth of its validation), a pure function of the font program's bytes
    and the glyph id; a batch's reports mostly embed the same programs, day to day (4 of the
    sample's 6). So a glyph of a program with the same bytes as in the last report gets that
    report's verdict: ~0.025 s a report. Left alone if pikepdf's internals moved."""
    try:
        from pikepdf.pdfa._fontprogram import TrueTypeProgram
    except ImportError:
        yield
        return
    init = TrueTypeProgram.__dict__.get("__init__")
    has_gid = TrueTypeProgram.__dict__.get("has_gid")
    if init is None or has_gid is None:
        yield
        return
    used: dict[bytes, dict[int, bool]] = {}

    def start(self: Any, data: bytes) -> None:
        init(self, data)
        digest = hashlib.sha256(data).digest()
        self._publisher_glyphs = used.setdefault(digest, _GLYPHS.get(digest, {}))

    def readable(self: Any, gid: int) -> bool:
        glyphs: dict[int, bool] | None = getattr(self, "_publisher_glyphs", None)
        if glyphs is None:
            return bool(has_gid(self, gid))
        if gid not in glyphs:
            glyphs[gid] = bool(has_gid(self, gid))
        return glyphs[gid]

    # the class's, for the validation's length: the validator makes its programs itself
    programs: Any = TrueTypeProgram
    programs.__init__, programs.has_gid = start, readable
    try:
        yield
    finally:
        programs.__init__, programs.has_gid = init, has_gid
        _GLYPHS.clear()
        _GLYPHS.update(used)


def _page_numbers(path: Path) -> dict[tuple[int, int], int]:
    """Each page object, and each font and XObject a page draws (charts' fonts included), to
    the first page that uses it: the validator names objects, the reader wants pages."""
    owners: dict[tuple[int, int], int] = {}
    try:
        with pikepdf.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                owners.setdefault(page.obj.objgen, number)
                _claim(page.obj.get("/Resources"), number, owners)
    except pikepdf.PdfError:
        pass  # the validator's own finding says why the file does not open
    return owners


def _claim(resources: Any, page: int, owners: dict[tuple[int, int], int]) -> None:
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for kind in ("/Font", "/XObject"):
        for item in dict(resources.get(kind, pikepdf.Dictionary())).values():
            if not item.is_indirect or item.objgen in owners:
                continue  # seen from an earlier page: it belongs there
            owners[item.objgen] = page
            if isinstance(item, pikepdf.Stream):  # a chart's form draws fonts of its own
                _claim(item.stream_dict.get("/Resources"), page, owners)


def _page_of(where: str, pages: dict[tuple[int, int], int]) -> int:
    match = OBJECT.search(where)
    return pages.get((int(match[1]), int(match[2])), 0) if match else 0
