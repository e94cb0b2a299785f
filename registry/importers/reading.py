"""Read the files a clerk gets, without writing: CBS StatLine CSV, CBS open-data (OData v3)
TypedDataSet JSON, and the portal's own template as CSV or XLSX.

The format is told by the content. A file is read row by row, never held as a whole in
lists; the limits in `limits` apply while it is read. Every problem names its row, column
and value; a file that is no text, an image or a PDF is refused with a message that says
so. `registry.services` validates, plans and writes.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from typing import TextIO

from django.utils.translation import gettext as _

from registry.constants import ImportFormat
from registry.importers.limits import MAX_FILE_BYTES, MAX_ROW_CHARS
from registry.importers.odata import odata_records_parse, odata_text_parse
from registry.importers.results import ImportRefused, ParsedFile, Problem
from registry.importers.tables import table_parse
from registry.importers.xlsx import xlsx_rows

__all__ = ["odata_records_parse", "read_file"]

# Files that are something else than the formats the portal reads, by their first bytes.
_SIGNATURES = [
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"RIFF", "RIFF (WebP, WAV, AVI)"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"Rar!", "RAR"),
    (b"\xd0\xcf\x11\xe0", "Excel 97-2003 (.xls) / Word (.doc)"),
    (b"\x7fELF", "ELF"),
    (b"MZ", "Windows (.exe)"),
]
_ENCODINGS = ("utf-8-sig", "cp1252")
_CHUNK = 1024 * 1024


def read_file(*, content: bytes, file_name: str = "") -> ParsedFile:
    """Parse any accepted format into figures and problems.

    Raises ImportRefused when the file cannot be read at all; a file that can be read
    comes back with all its problems in `problems`.
    """
    if not content or content.isspace():
        raise _refused(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise _refused(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content[:4] == b"PK\x03\x04":
        return table_parse(rows=xlsx_rows(content=content), file_format=ImportFormat.TEMPLATE_XLSX)
    _refuse_other_kinds(content)
    encoding = _encoding(content)
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    start = ""
    while not start and (chunk := stream.read(65536)):
        start = chunk.lstrip()[:1]
    if start in ("{", "["):
        stream.detach()
        # Decoded in one piece, without the stream's chunks that read() would join.
        return odata_text_parse(text=content.decode(encoding))
    stream.seek(0)
    return table_parse(rows=_csv_rows(stream), file_format=ImportFormat.STATLINE_CSV)


def _refused(message: str, **where) -> ImportRefused:
    return ImportRefused([Problem(message, **where)])


def _refuse_other_kinds(content: bytes) -> None:
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            raise _refused(
                _(
                    "The file is a %(kind)s file, not a CSV, JSON or XLSX file: upload the "
                    "CBS download or the portal's template itself."
                )
                % {"kind": kind}
            )
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _refused(
            _(
                "The file is UTF-16 text (Excel's “Unicode text”), which the portal does not "
                "read: save it as “CSV UTF-8” or as XLSX."
            )
        )
    position = content.find(b"\x00")
    if position >= 0:
        raise _refused(
            _(
                "The file is not text: it holds a zero byte on line %(line)s. Upload a CSV, "
                "JSON or XLSX file."
            )
            % {"line": content.count(b"\n", 0, position) + 1}
        )


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Excel on Windows saves CSV."""
    error = None
    for encoding in _ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(content), _CHUNK):
                decoder.decode(content[start : start + _CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as failed:
            if error is None:
                error = (start + failed.start, failed.object[failed.start])
            continue
        return encoding
    position, byte = error if error else (0, 0)
    line = content.count(b"\n", 0, position) + 1
    raise _refused(
        _(
            "The file is not text in UTF-8 or Windows-1252: byte 0x%(byte)02X on line "
            "%(line)s cannot be read in either. Save it as “CSV UTF-8” or as XLSX."
        )
        % {"byte": byte, "line": line}
    )


class _LineFeed:
    """Lines for the csv module, at most MAX_ROW_CHARS of them per row it reads."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.fed = 0

    def __iter__(self) -> "_LineFeed":
        return self

    def __next__(self) -> str:
        line = self.stream.readline(MAX_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.fed += len(line)
        if self.fed > MAX_ROW_CHARS:
            raise _RowTooLong
        return line


class _RowTooLong(Exception):
    pass


def _delimiter(stream: TextIO) -> str:
    sample = stream.read(8192)
    stream.seek(0)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        return ";"


def _csv_rows(stream: TextIO) -> Iterator[list[str]]:
    """The rows of a CSV file, one at a time; a row too long or unreadable ends it."""
    feed = _LineFeed(stream)
    reader = csv.reader(feed, delimiter=_delimiter(stream))
    row = 0
    while True:
        row += 1
        feed.fed = 0
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _RowTooLong:
            raise _refused(
                _("The row is longer than %(limit)s characters; reading stopped here.")
                % {"limit": MAX_ROW_CHARS},
                row=row,
            ) from None
        except csv.Error:
            raise _refused(
                _("The row cannot be read as CSV (a quote or a field out of place)."), row=row
            ) from None
        yield cells
