"""CSV and spreadsheet cells that open as text, never as a formula.

Excel and LibreOffice run a cell that starts with one of `DANGEROUS_PREFIXES` as a
formula. Dutch Excel splits a CSV line on `;` and English Excel on `,`, so a text
such as `Zie bijlage;=HYPERLINK(A1);` becomes several cells there, one of them a
formula. Every text field is therefore quoted, and every `;`- or `,`-separated part
of a text that starts with a formula character gets a leading apostrophe, which the
spreadsheet shows as text. Numbers and codes pass as they are.

Two CSV dialects: `csv` (`,`, decimal point, UTF-8: for programs) and `csv-nl` (what a
clerk's Dutch Excel opens as columns: `;`, decimal comma, UTF-8 with a byte-order mark
so that Excel reads the accents).

XLSX workbooks (`xlsx_bytes`) hold one or more named sheets; every text cell is made
formula-safe the same way, characters XLSX cannot hold are dropped, dates are date cells,
and sheet names keep Excel's rules (`sheet_title`).
"""

import csv
import datetime
import io
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A part begins at the start of the text or after a separator, past any spaces.
_PART_START = re.compile(r"(^|[;,])(\s*)(?=[=+\-@\t\r])")

CSV_DIALECTS = ("csv", "csv-nl")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BYTE_ORDER_MARK = "\ufeff"


def spreadsheet_safe(value: Any) -> Any:
    """The value, with a text's formula-like parts made plain text."""
    if not isinstance(value, str) or not value:
        return value
    if not any(prefix in value for prefix in DANGEROUS_PREFIXES):
        return value
    return _PART_START.sub(lambda match: f"{match.group(1)}{match.group(2)}'", value)


def _dutch_number(value: Any) -> Any:
    if isinstance(value, numbers.Integral) or not isinstance(value, numbers.Number):
        return value
    return str(value).replace(".", ",")


def csv_text(*, header: Sequence[str], rows: Iterable[Sequence[Any]], dialect: str = "csv") -> str:
    """A CSV document: text quoted and made formula-safe, numbers bare.

    `dialect` is one of `CSV_DIALECTS`; `csv-nl` starts with a byte-order mark.
    """
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"Unknown CSV dialect {dialect!r}")
    dutch = dialect == "csv-nl"
    buffer = io.StringIO()
    if dutch:
        buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(
        buffer,
        delimiter=";" if dutch else ",",
        quoting=csv.QUOTE_NONNUMERIC,
        lineterminator="\r\n" if dutch else "\n",
    )
    writer.writerow([spreadsheet_safe(str(name)) for name in header])
    for row in rows:
        cells = [_cell(value) for value in row]
        if dutch:
            # Written as text so the decimal comma survives; quoted, Excel still reads it
            # as a number in a Dutch locale.
            cells = [_dutch_number(value) for value in cells]
        writer.writerow(cells)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):
        # NaN is how pandas says "no value".
        return "" if value != value else value
    return spreadsheet_safe(str(value))


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's rules for a sheet's name: at most 31 characters, none of `[]:*?/\`, no
# apostrophe at either end, not "History" (Excel keeps that name for itself).
SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = str.maketrans(
    {"[": "(", "]": ")", ":": " -", "*": "", "?": "", "/": "-", "\\": "-"}
)
_RESERVED_SHEET_TITLES = frozenset({"history"})
_WIDEST_COLUMN = 60
# How a date cell shows, by the interface's language; ISO for any other.
DATE_FORMATS = {"nl": "d-m-yyyy"}


def sheet_title(text: str, *, taken: Iterable[str] = ()) -> str:
    """`text` as a sheet name Excel accepts, different from every name in `taken`.

    Forbidden characters become a dash or a bracket, or go (`*`, `?`); a long text is cut at a
    word and ends in "…"; a name already taken (Excel ignores case) gets " (2)", " (3)".
    """
    name = ILLEGAL_CHARACTERS_RE.sub("", str(text)).translate(_SHEET_FORBIDDEN)
    name = " ".join(name.split()).strip("'").strip() or "Data"
    if name.lower() in _RESERVED_SHEET_TITLES:
        name = f"{name} (1)"
    used = {title.lower() for title in taken}
    candidate, number = _shortened(name, SHEET_TITLE_MAX), 1
    while candidate.lower() in used:
        number += 1
        suffix = f" ({number})"
        candidate = _shortened(name, SHEET_TITLE_MAX - len(suffix)) + suffix
    return candidate


def _shortened(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    # Cut at the last space, unless the cut ends a word already or one word is too long.
    ends_a_word = name[limit - 1] == " "
    at_word = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] and not ends_a_word else cut
    return at_word.rstrip(" ,;.-'") + "…"


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: `header` in bold above `rows` (no header when empty)."""

    title: str
    rows: Sequence[Sequence[Any]]
    header: Sequence[str] = ()
    # The first column in bold: for a sheet of labels and their texts.
    labelled_rows: bool = False


def xlsx_bytes(*, sheets: Sequence[Sheet], date_format: str | None = None) -> bytes:
    """A workbook of `sheets`, in order, their names made valid and unique.

    Date cells show as `date_format`, by default as the interface's language writes them.
    """
    if date_format is None:
        language = (get_language() or "").split("-")[0]
        date_format = DATE_FORMATS.get(language, "yyyy-mm-dd")
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles: list[str] = []
    for sheet in sheets:
        titles.append(sheet_title(sheet.title, taken=titles))
        worksheet = workbook.create_sheet(titles[-1])
        if sheet.header:
            worksheet.append([_xlsx_cell(name) for name in sheet.header])
            for cell in worksheet[1]:
                cell.font = Font(bold=True)
            worksheet.freeze_panes = "A2"
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(value) for value in row])
        if sheet.header and sheet.rows:
            worksheet.auto_filter.ref = worksheet.dimensions
        _format_columns(worksheet, date_format=date_format, bold_first=sheet.labelled_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Number):
        return None if value != value else value
    if isinstance(value, datetime.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(str(value)))


def _format_columns(worksheet, *, date_format: str, bold_first: bool) -> None:
    for index, column in enumerate(worksheet.iter_cols(), start=1):
        width = 0
        for cell in column:
            if isinstance(cell.value, datetime.date):
                cell.number_format = date_format
            if bold_first and index == 1:
                cell.font = Font(bold=True)
            width = max(width, len(str(cell.value)) if cell.value is not None else 0)
        worksheet.column_dimensions[get_column_letter(index)].width = min(width, _WIDEST_COLUMN) + 2
