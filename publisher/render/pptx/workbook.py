"""Deck renderer: the workbook inside a native chart, written directly and reproducibly."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from publisher.render.pptx.package import ZIP_EPOCH

DATE_FORMAT = "yyyy-mm-dd"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Parts Excel needs and nothing else: no docProps, so no creation time to stamp.
CONTENT_TYPES = (
    f'{HEAD}<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SHEET_TYPE}.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/styles" Target="styles.xml"/>'
    "</Relationships>"
)


@dataclass(frozen=True)
class Sheet:
    """One sheet: a category column (dates as serials, or labels) and one column per series."""

    head: str
    categories: Sequence[float | str]
    dates: bool
    names: Sequence[str]
    columns: Sequence[Sequence[str | None]]  # each value as written (its repr), None: no figure
    formats: Sequence[str]  # number format code of each column


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _styles(formats: Sequence[str]) -> tuple[str, dict[str, int]]:
    codes = list(dict.fromkeys([DATE_FORMAT, *formats]))
    fmts = "".join(
        f'<numFmt numFmtId="{164 + n}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
        for n, code in enumerate(codes)
    )
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' + "".join(
        f'<xf numFmtId="{164 + n}" fontId="0" fillId="0" borderId="0" xfId="0" '
        'applyNumberFormat="1"/>'
        for n in range(len(codes))
    )
    xml = (
        f'{HEAD}<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="{len(codes)}">{fmts}</numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(codes) + 1}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    return xml, {code: n + 1 for n, code in enumerate(codes)}


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _sheet(sheet: Sheet, style_of: dict[str, int]) -> str:
    letters = [column_letter(c + 1) for c in range(len(sheet.columns))]  # once, not per cell
    rows = [
        '<row r="1">'
        + _text("A1", sheet.head)
        + "".join(_text(f"{letter}1", n) for letter, n in zip(letters, sheet.names, strict=True))
        + "</row>"
    ]
    numbers = [str(r) for r in range(2, len(sheet.categories) + 2)]  # once, not per column
    if sheet.dates:
        date_style = style_of[DATE_FORMAT]
        firsts = [
            f'<row r="{r}"><c r="A{r}" s="{date_style}"><v>{category}</v></c>'
            for r, category in zip(numbers, sheet.categories, strict=True)
        ]
    else:
        firsts = [
            f'<row r="{r}">{_text(f"A{r}", str(category))}'
            for r, category in zip(numbers, sheet.categories, strict=True)
        ]
    # written a column at a time, where a cell's letter and style are the column's, then laid
    # out row by row: half the time of formatting cell by cell
    cells = [firsts]
    for letter, code, column in zip(letters, sheet.formats, sheet.columns, strict=True):
        start, style = f'<c r="{letter}', f'" s="{style_of[code]}"><v>'
        cells.append(
            [
                "" if figure is None else f"{start}{r}{style}{figure}</v></c>"
                for r, figure in zip(numbers, column, strict=True)
            ]
        )
    cells.append(["</row>"] * len(numbers))
    rows.extend(itertools.chain.from_iterable(zip(*cells, strict=True)))
    last = f"{column_letter(len(sheet.columns))}{len(sheet.categories) + 1}"
    return (
        f'{HEAD}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="A1:{last}"/>'
        '<cols><col min="1" max="1" width="12" customWidth="1"/>'
        f'<col min="2" max="{len(sheet.columns) + 1}" width="14" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def xlsx(sheet: Sheet) -> bytes:
    """The workbook as bytes: the same sheet gives the same bytes."""
    styles, style_of = _styles(sheet.formats)
    parts = (
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/styles.xml", styles),
        ("xl/worksheets/sheet1.xml", _sheet(sheet, style_of)),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)
    return out.getvalue()
