"""Output check: read written PDFs and decks back: compliance text on every page, file format."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from publisher.snapshot.model import Snapshot
from publisher.snapshot.text import forbidden_tokens

# Labels every page and slide must print, whatever brand and analyst signed it.
REQUIRED_MARKS: tuple[str, ...] = ("重要提示", "从业资格证号", "投资咨询证号", "数据来源：")
# The footer's credentials, read on text with all whitespace removed.
ANALYST = re.compile(r"分析师[：:](.+?)从业资格证号")
QUALIFICATION = re.compile(r"从业资格证号[：:]([A-Za-z0-9-]+)")
CONSULTING = re.compile(r"投资咨询证号[：:]([A-Za-z0-9-]+)")
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
FOOTER_BAND = 0.16  # the page's foot, as a share of its height: where the footer sits
CHART_TEXT = ".//c:title//a:t | .//c:tx//c:v | .//c:cat//c:v"
IN_PLACEHOLDER = "ancestor::p:sp[.//p:nvPr/p:ph]"
PPTX_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


@dataclass(frozen=True)
class Expectations:
    """What every page must carry; a field left None is read off the file's first page."""

    disclaimer: str | None = None
    analyst: str | None = None
    qualification: str | None = None  # 从业资格证号
    consulting: str | None = None  # 投资咨询证号


@dataclass(frozen=True)
class Problem:
    page: int  # 1-based page or slide; 0 for the file as a whole
    what: str


@dataclass(frozen=True)
class CheckResult:
    """One file's verdict: every problem, each naming its page or slide."""

    path: Path
    unit: str  # "page" or "slide"
    pages: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def failing_pages(self) -> tuple[int, ...]:
        return tuple(sorted({p.page for p in self.problems}))

    def lines(self) -> list[str]:
        """One line per problem, for the terminal: `report.pdf: page 3: no 数据来源：`."""
        return [
            f"{self.path}: {f'{self.unit} {p.page}: ' if p.page else ''}{p.what}"
            for p in self.problems
        ]


def expectations_from(snapshot: Snapshot) -> Expectations:
    """The disclaimer and credentials a snapshot's report must print on every page."""
    analyst = snapshot.analyst
    return Expectations(
        disclaimer=snapshot.brand.disclaimer,
        analyst=analyst.name,
        qualification=analyst.qualification,
        consulting=analyst.consulting,
    )


def check_file(path: Path | str, expect: Expectations | None = None) -> CheckResult:
    """Check a PDF or PPTX; unreadable files come back as a file-level problem, never raise."""
    path = Path(path)
    suffix = path.suffix.lower()
    unit = "slide" if suffix == ".pptx" else "page"
    if suffix not in (".pdf", ".pptx"):
        return _unusable(path, unit, f"cannot check '{suffix}' files; give a .pdf or .pptx")
    if not path.is_file():
        return _unusable(path, unit, "file not found")
    # A deck's format rules run first: the validator parses every part, and the slides' text
    # is read from those trees rather than by parsing the deck again (~0.07 s a deck).
    formats = format_findings(path) if suffix == ".pptx" else None
    try:
        texts, fonts = _read_pdf(path) if suffix == ".pdf" else (_read_pptx(path), [])
    except Exception as exc:  # pypdf and python-pptx raise many types for damaged files
        return _unusable(path, unit, f"unreadable {suffix[1:].upper()} ({exc})")
    expect = _complete(expect or Expectations(), texts)
    problems = [
        Problem(number, what)
        for number, text in enumerate(texts, start=1)
        for what in page_problems(text, expect)
    ]
    problems += [Problem(number, what) for number, what in fonts]
    if formats is None:
        formats = format_findings(path)
    problems += [Problem(number, what) for number, what in formats]
    if not texts:
        problems.append(Problem(0, f"has no {unit}s"))
    problems.sort(key=lambda p: p.page)
    return CheckResult(path, unit, len(texts), tuple(problems))


def format_findings(path: Path) -> list[tuple[int, str]]:
    """What keeps a readable file from its archival format, as (page or slide, what): PDF/A-2b
    for a PDF (pikepdf.pdfa on the bytes as written), the Open XML rules for a deck."""
    # Remembered by the bytes: a deck's rules take ~5 s, and publish, verify --deep and the
    # tests read the same bytes again in one process; the same bytes give the same verdict.
    key = _bytes_key(path)
    if key not in _FOUND:
        _FOUND[key] = _openxml_findings(path) if key[0] == ".pptx" else _pdfa_findings(path)
    return list(_FOUND[key])


_FOUND: dict[tuple[str, str], list[tuple[int, str]]] = {}
# The parts of the deck the Open XML rules last read, as the validator parsed them, by its key:
# the slides' text is read from them next (one deck's, dropped once read).
_PARSED: dict[tuple[str, str], dict[str, Any]] = {}


def _bytes_key(path: Path) -> tuple[str, str]:
    return (path.suffix.lower(), hashlib.sha256(path.read_bytes()).hexdigest())


def _pdfa_findings(path: Path) -> list[tuple[int, str]]:
    # the PDF/A rules live with the renderer that writes them (pikepdf stays in its folder)
    from publisher.render.pdf.pdfa import findings

    return findings(path)


def check_files(
    paths: Iterable[Path | str], expect: Expectations | None = None
) -> list[CheckResult]:
    return [check_file(path, expect) for path in paths]


def page_problems(text: str, expect: Expectations) -> list[str]:
    """What one page's text lacks or leaks."""
    page = compact(text)
    marks = [m for m in REQUIRED_MARKS if not (m == "重要提示" and expect.disclaimer)]
    problems = [f"no {mark}" for mark in marks if mark not in page]
    if expect.disclaimer and compact(expect.disclaimer) not in page:
        problems.append("no disclaimer (the brand's full text)")
    if expect.analyst and compact(expect.analyst) not in page:
        problems.append(f"no analyst name {expect.analyst}")
    for label, number in (
        ("从业资格证号", expect.qualification),
        ("投资咨询证号", expect.consulting),
    ):
        if number and f"{label}：{number}" not in page and f"{label}:{number}" not in page:
            problems.append(f"no {label}：{number}")
    # Leaks of a missing value or a template slip, by the one rule the loader holds analyst
    # text to: a leak found here came from the layout, the brand or the code, not the analyst.
    problems += [f"prints '{token}'" for token in forbidden_tokens(text)]
    return problems


def compact(text: str) -> str:
    """Text without any whitespace: extraction breaks lines (and spaces CJK) where it likes."""
    return "".join(text.split())


def _complete(expect: Expectations, texts: list[str]) -> Expectations:
    """Fill what the caller did not give from the first page that prints the footer."""
    found: dict[str, str] = {}
    for field, pattern in (
        ("analyst", ANALYST),
        ("qualification", QUALIFICATION),
        ("consulting", CONSULTING),
    ):
        match = next((m for t in texts if (m := pattern.search(compact(t)))), None)
        if getattr(expect, field) is None and match:
            found[field] = match[1]
    return dataclasses.replace(expect, **found)


def _unusable(path: Path, unit: str, what: str) -> CheckResult:
    return CheckResult(path, unit, 0, (Problem(0, what),))


# ── PDF ──


def _read_pdf(path: Path) -> tuple[list[str], list[tuple[int, str]]]:
    reader = PdfReader(path)
    found = []
    for number, page in enumerate(reader.pages, start=1):
        found += [(number, f"font {name} is not embedded") for name in _unembedded(page)]
    texts, footers = _page_texts(path)
    if len(texts) != len(reader.pages):
        raise ValueError(f"pdfium reads {len(texts)} pages, pypdf {len(reader.pages)}")
    found += [
        (number, "no 数据来源： line in the footer")
        for number, footer in enumerate(footers, start=1)
        if "数据来源：" not in compact(footer)
    ]
    return texts, found


def page_texts(path: Path) -> list[str]:
    """Each page's text, as PDFium (Chrome's PDF engine) copies it out."""
    return _page_texts(path)[0]


def _page_texts(path: Path) -> tuple[list[str], list[str]]:
    """Each page's text and, apart, its footer band's (a chart's own source line also reads
    数据来源：, so the footer's is looked for in the page's foot alone), as PDFium copies
    them out: 0.03 s a sample report, where two poppler pdftotext passes took 0.8 s of CPU
    and pypdf longer."""
    import pypdfium2 as pdfium  # only what reads text back needs it

    texts, footers = [], []
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            text = page.get_textpage()
            width, height = page.get_size()
            texts.append(text.get_text_range())
            footers.append(text.get_text_bounded(0, 0, width, height * FOOTER_BAND))
            text.close()
            page.close()
    finally:
        document.close()
    return texts, footers


def _unembedded(page: DictionaryObject) -> list[str]:
    names = []
    for font in _fonts(page.get("/Resources"), set()):
        if not _embedded(font):
            names.append(str(font.get("/BaseFont", "(unnamed)")).lstrip("/"))
    return list(dict.fromkeys(names))


def _fonts(resources: Any, seen: set[int]) -> Iterator[DictionaryObject]:
    """Fonts of a resource dictionary and of the form XObjects it draws (charts are forms)."""
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = _resolve(resources.get("/Font"))
    if isinstance(fonts, DictionaryObject):
        yield from (_resolve(font) for font in fonts.values())
    xobjects = _resolve(resources.get("/XObject"))
    if isinstance(xobjects, DictionaryObject):
        for xobject in (_resolve(x) for x in xobjects.values()):
            if xobject.get("/Subtype") == "/Form":
                yield from _fonts(xobject.get("/Resources"), seen)


def _embedded(font: DictionaryObject) -> bool:
    """A font carries its glyphs: a font file in its descriptor, or Type3 glyph procedures."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        descendants = _resolve(font.get("/DescendantFonts")) or []
        return bool(descendants) and all(_embedded(_resolve(d)) for d in descendants)
    descriptor = _resolve(font.get("/FontDescriptor"))
    return isinstance(descriptor, DictionaryObject) and any(k in descriptor for k in FONT_FILES)


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


# ── PPTX ──


def _read_pptx(path: Path) -> list[str]:
    """Each slide's text, read from the package's XML (python-pptx's object model took 0.3 s a
    deck): the slide's own paragraphs and charts, then its layout's and master's fixed shapes
    unless the slide hides them. Parts the Open XML rules just parsed from these very bytes
    are read from their trees."""
    parsed = _PARSED.pop(_bytes_key(path), {}) if _PARSED else {}
    _PARSED.clear()
    with zipfile.ZipFile(path) as package:
        deck = _Package(package, parsed)
        return ["\n".join(deck.slide_texts(part)) for part in deck.slides()]


class _Package:
    """Just enough of an OPC package to follow a deck's relationships."""

    def __init__(self, package: zipfile.ZipFile, parsed: dict[str, Any] | None = None) -> None:
        self.package = package
        self.names = set(package.namelist())
        # each part's tree, parsed once: a layout or master is read for every slide on it
        self.parsed = dict(parsed or {})

    def xml(self, part: str) -> Any:
        tree = self.parsed.get(part)
        if tree is None:
            tree = self.parsed[part] = etree.fromstring(self.package.read(part))
        return tree

    def related(self, part: str, kind: str) -> list[str]:
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.names:
            return []
        targets = []
        for rel in self.xml(rels):
            if rel.get("Type", "").endswith("/" + kind) and rel.get("TargetMode") != "External":
                targets.append(posixpath.normpath(posixpath.join(folder, rel.get("Target"))))
        return targets

    def slides(self) -> list[str]:
        """Slide parts in presentation order (the order of p:sldIdLst)."""
        presentation = "ppt/presentation.xml"
        by_id = {}
        for rel in self.xml("ppt/_rels/presentation.xml.rels"):
            by_id[rel.get("Id")] = posixpath.normpath(posixpath.join("ppt", rel.get("Target")))
        ids = self.xml(presentation).xpath("p:sldIdLst/p:sldId/@r:id", namespaces=PPTX_NS)
        return [by_id[i] for i in ids]

    def slide_of_parts(self) -> dict[str, int]:
        """Each slide part and the chart parts it shows, to its 1-based slide number."""
        owners = {}
        for number, slide in enumerate(self.slides(), start=1):
            owners[slide] = number
            owners.update({chart: number for chart in self.related(slide, "chart")})
        return owners

    def slide_texts(self, slide: str) -> Iterator[str]:
        root = self.xml(slide)
        yield from _paragraphs(root)
        for chart in self.related(slide, "chart"):
            yield from _chart_texts(self.xml(chart))
        if not _shows_master_shapes(root):
            return
        for layout in self.related(slide, "slideLayout"):
            layout_root = self.xml(layout)
            yield from _paragraphs(layout_root, placeholders=False)
            if _shows_master_shapes(layout_root):
                for master in self.related(layout, "slideMaster"):
                    yield from _paragraphs(self.xml(master), placeholders=False)


@functools.cache
def _openxml_validator() -> Any:
    from openxml_audit import OpenXmlValidator  # loads its schemas (~0.5 s): once a process

    return OpenXmlValidator()


def _openxml_findings(path: Path) -> list[tuple[int, str]]:
    """The Open XML SDK's schema and semantic rules (openxml-audit), each error on the slide
    whose part (or chart) it is in; 0 for a part no slide owns."""
    parsed: dict[str, Any] = {}
    try:
        with (
            _sibling_positions_once(),
            _schema_rules_once(parsed),
            _semantic_rules_where_they_apply(),
        ):
            result = _openxml_validator().validate(path)
        errors = [error for error in result.errors if error.severity.value == "error"]
        owners: dict[str, int] = {}
        if errors:
            with zipfile.ZipFile(path) as package:
                owners = _Package(package, parsed).slide_of_parts()
    except Exception as exc:  # a package the validator cannot open at all
        return [(0, f"not valid Open XML: the validator could not read it ({exc})")]
    _PARSED.clear()
    _PARSED[_bytes_key(path)] = parsed
    return [(owners.get(error.part_uri.lstrip("/"), 0), _openxml_line(error)) for error in errors]


@contextlib.contextmanager
def _sibling_positions_once() -> Iterator[None]:
    """openxml-audit numbers every element it visits among its same-tag siblings (for the
    XPath of a finding) by walking them from the first: quadratic in a chart's thousand data
    points, a fifth of a deck's validation. Number each parent's children once instead: the
    same numbers, 3.0 → 2.3 s a sample deck. Left alone if the library no longer has the
    function (it may have fixed it)."""
    from openxml_audit import context

    walk = getattr(context, "_sibling_position", None)
    if walk is None:
        yield
        return
    numbered: dict[Any, dict[Any, int]] = {}
    part: list[Any] = [None]  # the root of the part being validated

    def position(element: Any) -> int:
        parent = element.getparent()
        if parent is None:
            return 1
        if parent not in numbered:
            root = parent.getroottree().getroot()
            if root is not part[0]:  # a new part: the last one's numbers are done with
                numbered.clear()
                part[0] = root
            seen: dict[str, int] = {}
            numbered[parent] = {}
            for child in parent:
                seen[child.tag] = seen.get(child.tag, 0) + 1
                numbered[parent][child] = seen[child.tag]
        return numbered[parent][element]

    context._sibling_position = position
    try:
        yield
    finally:
        context._sibling_position = walk
        numbered.clear()


# What SemanticValidator._validate_element reads of an element, by the names its code uses:
# with other names the library's walk does something more, and is left whole.
_SEMANTIC_WALK_NAMES = frozenset(
    {
        "ElementContext",
        "FileFormat",
        "OFFICE_2010",
        "_MC_ALTERNATE_CONTENT",
        "_constraints",
        "_resolve_mce",
        "_validate_element",
        "_validate_mc_ignorable",
        "_validate_relationship_attributes",
        "file_format",
        "isinstance",
        "should_stop",
        "str",
        "tag",
        "validate",
    }
)


@contextlib.contextmanager
def _semantic_rules_where_they_apply() -> Iterator[None]:
    """openxml-audit's semantic rules walk every element of presentation.xml and the slides
    (~39,000 a sample deck), and at each one can object only to a relationship attribute
    (r:…), an mc:Ignorable, or by a constraint registered for its tag: ~1,300 elements hold
    one of these, the rest (fills, runs, table borders) are visited for nothing. So the walk
    enters only those elements and their ancestors, in the same order, with the same paths:
    the same findings (tests plant slips and compare with the full walk), 0.17 → 0.02 s a
    deck. Left whole if the library's walk reads anything else."""
    from openxml_audit.namespaces import MC, OFFICE_DOC_RELATIONSHIPS

    semantic: Any = getattr(_openxml_validator(), "_semantic_validator_pptx", None)
    whole: Any = getattr(semantic, "_validate_element", None)
    constraints = getattr(semantic, "_constraints", None)
    code = getattr(getattr(whole, "__func__", None), "__code__", None)
    if not isinstance(constraints, dict) or code is None:
        yield
        return
    if frozenset(code.co_names) != _SEMANTIC_WALK_NAMES:
        yield
        return
    tags = list(constraints)
    # Every element one of the walk's own rules reads, whatever the file format; from the
    # attributes up (a predicate on each element took twice as long).
    ruled = etree.XPath(
        "//@*[namespace-uri() = $r]/.. | //@mc:Ignorable/.. | //mc:AlternateContent",
        namespaces={"mc": MC},
    )
    entered: set[Any] = set()

    def validate_element(element: Any, context: Any) -> None:
        if element.getparent() is None:  # a part's root: find where its rules apply
            entered.clear()
            for found in [*element.iter(*tags), *ruled(element, r=OFFICE_DOC_RELATIONSHIPS)]:
                while found is not None and found not in entered:
                    entered.add(found)
                    found = found.getparent()
        if element in entered:
            whole(element, context)

    semantic._validate_element = validate_element  # shadows the method on this instance
    try:
        yield
    finally:
        del semantic._validate_element
        entered.clear()


CHART_SPACE = f"{{{PPTX_NS['c']}}}chartSpace"
# A cache's whole point list as python-pptx writes it: ptCount, then points whose markup
# differs only in idx (≤ 9 digits: a valid unsignedInt) and the number in <c:v>, up to the
# cache's end. Collapsed to its first point (see _schema_rules_once).
_POINT = rb'<c:pt idx="\d{1,9}"><c:v>[^<]*</c:v></c:pt>'
_POINT_LIST = re.compile(
    rb'(<c:ptCount val="\d+"/>' + _POINT + rb")(?:" + _POINT + rb")+(?=</c:(?:num|str)Cache>)"
)
# Values that move from one day's chart to the next (point counts, a point's or series' index,
# axis bounds, a plot's layout fractions, number formats with the day's date serial in them),
# each as python-pptx writes it, and a value the schema rules accept just as they accept every
# value the pattern matches (tests read the rules' types: an unsignedInt, an unbounded decimal,
# any string; none fixed). A value the pattern does not match is left for the rules to judge.
_VARYING: tuple[tuple[re.Pattern[bytes], bytes], ...] = (
    (re.compile(rb'(<c:(?:ptCount|idx) val=")\d{1,9}("/>)'), rb"\g<1>0\2"),
    (re.compile(rb'(<c:(?:max|min|x|y|w|h) val=")-?\d{1,15}(?:\.\d{1,15})?("/>)'), rb"\g<1>0\2"),
    (re.compile(rb'(<c:numFmt formatCode=")[^"]*(")'), rb"\1\2"),
)
_CHART_NS = b'xmlns:c="' + PPTX_NS["c"].encode() + b'"'
_NO_TEXT = etree.XSLT(
    etree.XML(
        b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        b'<xsl:template match="@*|*|comment()|processing-instruction()"><xsl:copy>'
        b'<xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>'
        b'<xsl:template match="text()"/></xsl:stylesheet>'
    )
)
_CLEAN_MARKUP: set[bytes] = set()  # digests of markup the schema rules found nothing in
_TEXT = re.compile(rb">[^<]+<")  # a text or tail as lxml writes it: its < and > escaped


def _markup(xml: Any) -> bytes:
    """A part's tags, attributes and nesting without its text, for the digest markup is known
    by: the part as lxml writes it with each text cut out (lxml escapes < and > in text and
    attribute values, so all that lies between a > and the next < is text), 0.06 → 0.015 s a
    deck where an XSLT copy without text took the time; through that copy if the part holds
    a comment or processing instruction, whose own < and > are not escaped."""
    written = etree.tostring(xml)
    if b"<!--" in written or b"<?" in written:
        return b"xslt:" + etree.tostring(_NO_TEXT(xml))
    return b"text cut:" + _TEXT.sub(b"><", written)


@contextlib.contextmanager
def _schema_rules_once(parsed: dict[str, Any] | None = None) -> Iterator[None]:
    """The schema rules of openxml-audit read an element's tag, attributes and children,
    never its text (the number in a <c:v>, the words in an <a:t>). So:
    - a chart's data points (four in five of a deck's ~210k elements) that differ only in
      idx and number get the first one's verdict: each point list is validated as its first
      point alone, the rest dropped from the copy the rules read; values that move day to
      day are read as one the rules accept alike (see _VARYING), so a chart whose numbers
      moved is markup seen before: 30–44 of a new day's 55 charts were validated anew, 0–2 now;
    - markup (a part without its text) the rules found clean once in this process is clean
      again: a batch's slides and charts mostly repeat day to day, numbers aside.
    The same findings, with the same paths (tests compare with the full run); 2.3 s → 1.0 s
    a sample deck, less again in a batch. A part with a finding is always validated whole.
    The package's own trees are left alone: the semantic rules read them next, and each is
    put in `parsed` by its part name, for the deck's text. Left alone if the library's
    internals moved."""
    schema: Any = getattr(_openxml_validator(), "_schema_validator", None)
    whole = getattr(schema, "validate_part", None)
    if whole is None:
        yield
        return

    def validate_part(part: Any, context: Any) -> Any:
        xml = part.xml
        if xml is None:
            return whole(part, context)
        if parsed is not None:
            parsed[part.uri.lstrip("/")] = xml
        if xml.tag == CHART_SPACE:
            xml = _chart_for_the_rules(part.raw_content, xml)
            part = _PartView(part, xml)
        markup = hashlib.sha256(_markup(xml)).digest()
        if markup in _CLEAN_MARKUP:
            return context.errors
        found = len(context.errors)
        errors = whole(part, context)
        if len(context.errors) == found:
            _CLEAN_MARKUP.add(markup)
        return errors

    schema.validate_part = validate_part  # shadows the method on this instance only
    try:
        yield
    finally:
        del schema.validate_part


class _PartView:
    """A part as the schema rules see it: its own tree replaced by `xml`."""

    def __init__(self, part: Any, xml: Any) -> None:
        self._part, self.xml = part, xml

    def __getattr__(self, name: str) -> Any:
        return getattr(self._part, name)


def _chart_for_the_rules(data: bytes | None, chart: Any) -> Any:
    """The chart part as the schema rules are shown it: each point list collapsed to its first
    point and each value that moves day to day set to one they accept alike (see _VARYING),
    so that a chart whose numbers moved is markup found clean before; or the part's own tree
    where the prefix c is not plainly the chart namespace."""
    if not data or data.count(b"xmlns:c=") != 1 or _CHART_NS not in data:
        return chart
    seen, changes = _POINT_LIST.subn(rb"\1", data)
    for pattern, accepted in _VARYING:
        seen, changed = pattern.subn(accepted, seen)
        changes += changed
    return etree.fromstring(seen) if changes else chart


def _openxml_line(error: Any) -> str:
    where = " ".join(part for part in (error.part_uri, error.path) if part)
    return f"not valid Open XML: {where}: {error.description}"


def _shows_master_shapes(element: Any) -> bool:
    return element.get("showMasterSp", "1") not in ("0", "false")


def _paragraphs(root: Any, placeholders: bool = True) -> Iterator[str]:
    # Placeholders on a layout or master are prompts, shown only when a slide fills them.
    tree = root.find("p:cSld/p:spTree", PPTX_NS)
    if tree is None:
        return
    for paragraph in tree.iterfind(".//a:p", PPTX_NS):
        if not placeholders and _IN_PLACEHOLDER(paragraph):
            continue
        yield "".join(_RUN_TEXTS(paragraph))


# Compiled once: a deck's ~1,900 paragraphs each compiled them anew (a third of its text).
_IN_PLACEHOLDER = etree.XPath(IN_PLACEHOLDER, namespaces=PPTX_NS)
_RUN_TEXTS = etree.XPath(".//a:t/text()", namespaces=PPTX_NS, smart_strings=False)


# The text nodes themselves, as plain strings: an element without text adds no line, which
# the rules, reading text with its whitespace collapsed or removed, never saw anyway.
_CHART_TEXT = etree.XPath(
    " | ".join(f"{path}/text()" for path in CHART_TEXT.split(" | ")),
    namespaces=PPTX_NS,
    smart_strings=False,
)


def _chart_texts(root: Any) -> list[str]:
    """A chart's title, series names and category labels, read straight from its XML: walking
    them through python-pptx's objects took most of a deck's check."""
    texts: list[str] = _CHART_TEXT(root)
    return texts
