"""The portal's template as XLSX: the first sheet's rows, with the archive checked first.

A small XLSX file can unpack to gigabytes, declare a million columns or hold a row of
millions of cells. Before openpyxl opens it, the archive's parts are counted and their
unpacked sizes added up (from the ZIP directory; reading stops at the declared size), and
every worksheet is walked once with a streaming XML parser that stops at the first row or
cell beyond the limits. Anything openpyxl cannot read is refused as no readable XLSX file.
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


def _sheet_check(archive: zipfile.ZipFile, name: str) -> None:
    """Walk one worksheet's XML, stopping at the first row or cell beyond the limits."""
    with archive.open(name) as part:
        if re.search(rb"<!(DOCTYPE|ENTITY)", part.read(65536), re.IGNORECASE):
            raise _unreadable()
    rows = cells = 0
    sheet_data = None
    with archive.open(name) as part:
        for event, element in ElementTree.iterparse(part, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "end":
                if tag == "row" and sheet_data is not None:
                    sheet_data.clear()
                continue
            if tag == "sheetData":
                sheet_data = element
            elif tag == "row":
                rows, cells = rows + 1, 0
                reference = element.get("r") or ""
                number = int(reference) if reference.isdigit() else rows
                if rows > MAX_ROWS + HEADER_SEARCH_ROWS or number > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_long()
            elif tag == "c":
                cells += 1
                match = _CELL_REFERENCE.match(element.get("r") or "")
                column = _column_number(match.group(1)) if match else cells
                if cells > MAX_COLUMNS or column > MAX_COLUMNS:
                    raise _too_wide(rows)


def xlsx_rows(*, content: bytes) -> Iterator[list[Any]]:
    """The rows of the first worksheet, as lists of cell values."""
    archive = _archive_check(content)
    try:
        for name in archive.namelist():
            if _WORKSHEET.match(name):
                _sheet_check(archive, name)
    except ImportRefused:
        raise
    except Exception:  # damaged compression, XML or archive: zlib, expat, zipfile errors
        raise _unreadable() from None
    yield from _openpyxl_rows(content)


def _openpyxl_rows(content: bytes) -> Iterator[list[Any]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise _unreadable() from None
    try:
        if not workbook.worksheets:
            raise _unreadable()
        sheet = workbook.worksheets[0]
        if not hasattr(sheet, "reset_dimensions"):
            raise _unreadable()  # a chart sheet first
        # The declared dimensions may be anything; the walk above checked the real ones.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except ImportRefused:
                raise
            except Exception:  # a part that turns out damaged while it is read
                raise _unreadable() from None
            yield list(values)
    finally:
        workbook.close()
