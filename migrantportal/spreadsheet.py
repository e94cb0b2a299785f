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
"""

import csv
import io
import numbers
import re
from collections.abc import Iterable, Sequence
from typing import Any

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
    writer.writerow([str(name) for name in header])
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
