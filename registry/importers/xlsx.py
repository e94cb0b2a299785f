"""The portal's template as XLSX: the first sheet's rows, read as the XML streams in.

A small XLSX file can unpack to gigabytes, declare a million columns or hold a row of
millions of cells. The archive's parts are counted and their unpacked sizes added up first
(from the ZIP directory; reading stops at the declared size), XML with a DTD is refused,
and the sheet is read with a streaming parser that stops at the first row or cell beyond
the limits, before such a row is built. Anything that cannot be read is refused as no
readable XLSX file. (openpyxl, which reads the whole sheet's dimensions and pads every row
to them, is no longer used for reading.)
"""

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from registry.importers.limits import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_STRINGS_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
)
from registry.importers.results import ImportRefused, Problem

_MB = 1024 * 1024
_CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def _refused(message: str, **where) -> ImportRefused:
    return ImportRefused([Problem(message, **where)])


def _unreadable() -> ImportRefused:
    return _refused(
        _(
            "The file is not a readable XLSX file (it may be another kind of file with the "
            "name of one): open it in Excel and save it as “Excel-werkmap (.xlsx)” or CSV."
        )
    )


def _archive_check(content: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable() from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise _refused(
            _("The XLSX file holds %(count)s parts, more than the %(limit)s allowed.")
            % {"count": len(entries), "limit": MAX_XLSX_ENTRIES}
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _refused(
            _("The XLSX file unpacks to %(size)s MB, more than the %(limit)s MB allowed.")
            % {"size": unpacked // _MB, "limit": MAX_XLSX_UNPACKED_BYTES // _MB}
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise _unreadable()
    strings = next((e for e in entries if e.filename == "xl/sharedStrings.xml"), None)
    if strings is not None and strings.file_size > MAX_XLSX_STRINGS_BYTES:
        raise _refused(
            _("The XLSX file's texts unpack to %(size)s MB, more than the %(limit)s MB allowed.")
            % {"size": strings.file_size // _MB, "limit": MAX_XLSX_STRINGS_BYTES // _MB}
        )
    return archive


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _too_wide(row: int) -> ImportRefused:
    return _refused(_("The row has more than %(limit)s cells.") % {"limit": MAX_COLUMNS}, row=row)


def _too_long() -> ImportRefused:
    return _refused(
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": MAX_ROWS}
    )


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _no_dtd(archive: zipfile.ZipFile, name: str) -> None:
    """XML with a DTD can declare entities that expand without end; no XLSX needs one."""
    with archive.open(name) as part:
        if re.search(rb"<!(DOCTYPE|ENTITY)", part.read(65536), re.IGNORECASE):
            raise _unreadable()


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first worksheet, from workbook.xml and its rels."""
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        _no_dtd(archive, name)
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise _unreadable()
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{_PACKAGE_RELATIONSHIPS}Relationship"):
        if relation.get("Id") == sheet.get(_RELATIONSHIP):
            target = relation.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise _unreadable()


def _string_text(item: ElementTree.Element) -> str:
    """A shared string's text: plain (<t>) or rich (runs <r><t>); phonetic hints are none."""
    parts = []
    for child in item:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.append(child.findtext(f"{_MAIN}t") or "")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    _no_dtd(archive, "xl/sharedStrings.xml")
    strings = []
    with archive.open("xl/sharedStrings.xml") as part:
        for _event, element in ElementTree.iterparse(part):
            if element.tag == f"{_MAIN}si":
                # Rich text has its runs in <r><t>; phonetic hints (<rPh>) are no text.
                strings.append(_string_text(element))
                element.clear()
    return strings


def _value(cell: ElementTree.Element, strings: list[str]) -> Any:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
    raw = cell.findtext(f"{_MAIN}v")
    if raw is None:
        return None
    if kind == "s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else None
    if kind == "n":
        number = float(raw)
        return int(number) if number.is_integer() and "." not in raw and "E" not in raw else number
    if kind == "b":
        return raw == "1"
    return raw  # "str" (a formula's text), "e" (an error such as #N/A), "d" (a date)


def _sheet_rows(archive: zipfile.ZipFile, name: str, strings: list[str]) -> Iterator[list[Any]]:
    """Rows as lists of values, read as the XML streams in; stops at the first row or cell
    beyond the limits, before such a row is built."""
    _no_dtd(archive, name)
    rows = cells = 0
    sheet_data = None
    with archive.open(name) as part:
        for event, element in ElementTree.iterparse(part, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_MAIN}sheetData":
                    sheet_data = element
                elif tag == f"{_MAIN}row":
                    cells = 0
                    reference = element.get("r") or ""
                    number = int(reference) if reference.isdigit() else rows + 1
                    if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise _too_long()
                    while rows + 1 < number:  # rows Excel left out are blank
                        rows += 1
                        yield []
                    rows = max(rows, number)
                elif tag == f"{_MAIN}c":
                    cells += 1
                    match = _CELL_REFERENCE.match(element.get("r") or "")
                    column = _column_number(match.group(1)) if match else cells
                    if cells > MAX_COLUMNS or column > MAX_COLUMNS:
                        raise _too_wide(rows)
            elif tag == f"{_MAIN}row":
                values: list[Any] = []
                for cell in element.iter(f"{_MAIN}c"):
                    match = _CELL_REFERENCE.match(cell.get("r") or "")
                    column = _column_number(match.group(1)) if match else len(values) + 1
                    values += [None] * (column - 1 - len(values))
                    values.append(_value(cell, strings))
                if sheet_data is not None:
                    sheet_data.clear()
                yield values


def xlsx_rows(*, content: bytes) -> Iterator[list[Any]]:
    """The rows of the first worksheet, as lists of cell values."""
    archive = _archive_check(content)
    try:
        strings = _shared_strings(archive)
        rows = _sheet_rows(archive, _first_sheet(archive), strings)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            yield values
    except ImportRefused:
        raise
    except Exception:  # damaged compression, XML or archive: zlib, expat, zipfile, KeyError
        raise _unreadable() from None
