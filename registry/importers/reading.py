"""Read the files a clerk gets, without writing: CBS StatLine CSV, CBS open-data (OData v3)
TypedDataSet JSON, and the portal's own template as CSV or XLSX.

The format is told by the content. The whole file is read and checked before anything is
written; every problem names its row, column and value. `registry.services` validates,
plans and writes.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import ImportFormat
from registry.importers.results import ImportRefused, ParsedFile, Problem
from registry.importers.tables import (
    columns_check,
    columns_classify,
    table_parse,
    table_row_parse,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024


def read_file(*, content: bytes, file_name: str = "") -> ParsedFile:
    """Parse any accepted format; raises ImportRefused for an unreadable file."""
    if not content or not content.strip():
        raise ImportRefused([Problem(_("The file is empty."))])
    if len(content) > MAX_FILE_BYTES:
        raise ImportRefused(
            [
                Problem(
                    _("The file is larger than %(limit)s MB.")
                    % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
                )
            ]
        )
    if content[:4] == b"PK\x03\x04":
        return table_parse(rows=_xlsx_rows(content), file_format=ImportFormat.TEMPLATE_XLSX)
    text = _decode(content)
    if text.lstrip().startswith(("{", "[")):
        return _parse_odata(text)
    return table_parse(rows=_csv_rows(text), file_format=ImportFormat.STATLINE_CSV)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV as Windows-1252.
        return content.decode("cp1252", errors="strict")


def _csv_rows(text: str) -> Iterator[list[Any]]:
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";"
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    # Check the archive before openpyxl unpacks it: a small file can unpack to gigabytes.
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ImportRefused([Problem(_("The file is not a readable XLSX file."))]) from error
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ImportRefused(
            [
                Problem(
                    _("The XLSX file holds %(count)s parts, more than the %(limit)s allowed.")
                    % {"count": len(entries), "limit": MAX_XLSX_ENTRIES}
                )
            ]
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportRefused(
            [
                Problem(
                    _("The XLSX file unpacks to %(size)s MB, more than the %(limit)s MB allowed.")
                    % {
                        "size": unpacked // (1024 * 1024),
                        "limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024),
                    }
                )
            ]
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused([Problem(_("The file is not a readable XLSX file."))]) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


# --- CBS open data (OData v3 TypedDataSet). ---


def _parse_odata(text: str) -> ParsedFile:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                Problem(
                    _("The file is not valid JSON (line %(line)s, column %(column)s).")
                    % {"line": error.lineno, "column": error.colno}
                )
            ]
        ) from error
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise ImportRefused(
            [Problem(_("The JSON file is not a CBS open-data response: it has no “value” list."))]
        )
    if document.get("odata.nextLink"):
        raise ImportRefused(
            [
                Problem(
                    _(
                        "The file holds only the first page of a paged CBS response "
                        "(it has an “odata.nextLink”); download all pages into one file."
                    )
                )
            ]
        )
    return odata_records_parse(records=document["value"])


def odata_records_parse(*, records: list[Any]) -> ParsedFile:
    """Parse the records of a TypedDataSet; also used for pages fetched from CBS."""
    if not records:
        raise ImportRefused([Problem(_("The file holds no rows of figures."))])
    keys = [key for key in records[0] if key != "ID"] if isinstance(records[0], dict) else []
    columns = columns_classify(headers=keys)
    parsed = ParsedFile(file_format=ImportFormat.CBS_ODATA)
    if not columns.has_region() or columns.period is None:
        raise ImportRefused(
            [Problem(_("The records have no region (RegioS) or period (Perioden) field."))]
        )
    if columns.motive is not None and columns.count is None:
        remaining = [
            index
            for index, key in enumerate(keys)
            if index
            not in {
                columns.period,
                columns.motive,
                columns.measure,
                columns.population,
                columns.region_code,
                columns.region_name,
                *columns.region_mixed,
            }
        ]
        # A TypedDataSet names its topic after the table ("Immigratie_1"); one left-over
        # field is unambiguous, several are not.
        if len(remaining) == 1:
            columns.count = remaining[0]
    parsed.problems += columns_check(columns=columns)
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            parsed.problems.append(Problem(_("The record is not an object."), row=number))
            continue
        cells = [record.get(key) for key in keys]
        table_row_parse(parsed=parsed, columns=columns, headers=keys, cells=cells, row=number)
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    return parsed
