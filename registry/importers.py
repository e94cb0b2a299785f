"""Parse and validate files of migrant counts and population, without writing.

Reads the files a clerk actually gets: CBS StatLine CSV downloads, CBS open-data
(OData v3) TypedDataSet JSON, and the portal's own template as CSV or XLSX. The
whole file is read and checked before anything is written; every problem names
its row, column and value. `registry.services.migrant_counts_import` writes.

Header names and motive labels are matched against the alias lists below,
case- and accent-insensitively, on the parts of a CBS label such as
`Immigratie/Migratiemotief/Asiel (aantal)` (the unit in brackets ignored).
docs/importing.md documents them with an example of each format.
"""

import csv
import functools
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import YEAR_MAX, YEAR_MIN, ImportFormat, Measure, MotiveSlug

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL_CHARS = 1000
MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS_LISTED = 50
HEADER_SEARCH_ROWS = 20

# --- Aliases: the one place that says which names the importer understands. ---

REGION_CODE_HEADERS = {
    "gemeentecode",
    "regiocode",
    "cbs code",
    "cbs-code",
    "code",
    "municipality code",
    "region code",
}
REGION_NAME_HEADERS = {"gemeentenaam", "naam", "regionaam", "municipality name", "name"}
# Columns that hold a code or a name, told apart cell by cell.
REGION_HEADERS = {"regios", "regio", "gemeente", "gemeenten", "region", "regions", "municipality"}
PERIOD_HEADERS = {"perioden", "periode", "jaar", "year", "period", "periods"}
MOTIVE_HEADERS = {"migratiemotief", "motief", "motive", "migration motive"}
MEASURE_HEADERS = {"maat", "measure"}
COUNT_HEADER_PREFIXES = (
    "aantal",
    "migranten",
    "immigratie",
    "immigranten",
    "personen",
    "count",
    "persons",
    "migrants",
    "immigrants",
)
POPULATION_HEADER_PREFIXES = ("bevolking", "inwoners", "population", "inhabitants")
TOTAL_LABELS = {"totaal", "total", "t001056", "totaal migratiemotieven", "totaal alle motieven"}

MOTIVE_ALIASES: dict[str, set[str]] = {
    MotiveSlug.ASIEL: {"asiel", "asielmigratie", "asielmigrant", "asielmigranten", "asylum"},
    MotiveSlug.ARBEID: {
        "arbeid",
        "arbeidsmigratie",
        "arbeidsmigrant",
        "arbeidsmigranten",
        "labour",
        "labor",
        "work",
    },
    MotiveSlug.GEZIN: {"gezin", "gezinsmigratie", "gezinsmigrant", "gezinsmigranten", "family"},
    MotiveSlug.STUDIE: {"studie", "studiemigratie", "studiemigrant", "studiemigranten", "study"},
    MotiveSlug.OEKRAINE: {
        "oekraine",
        "oekraiense ontheemden",
        "oekrainers",
        "tijdelijke bescherming",
        "ukrainian displaced persons",
        "ukrainians",
        "temporary protection",
    },
    MotiveSlug.ONBEKEND: {"onbekend", "overig", "overige", "unknown", "other"},
}
# CBS open data codes of the dimension Migratiemotief (tables 84809NED, 84808NED).
CBS_MOTIVE_CODES = {
    "a009232": MotiveSlug.ARBEID,
    "a009233": MotiveSlug.ASIEL,
    "a009234": MotiveSlug.GEZIN,
    "a009235": MotiveSlug.STUDIE,
    "a052135": MotiveSlug.OEKRAINE,
    "a009238": MotiveSlug.ONBEKEND,
}
MEASURE_ALIASES = {
    Measure.STOCK: {"stock", "stand", "bestand", "voorraad"},
    Measure.INFLOW: {"inflow", "instroom", "immigratie"},
}
# CBS symbols for a value that is missing (.) or kept secret (x); skipped, not stored as 0.
MISSING_SYMBOLS = {"", ".", "x", "?"}
# CBS's "nihil": the value is zero.
NIL_SYMBOLS = {"-", "–"}

_REGION_CODE = re.compile(r"^(GM\d{4}|NL01)$")
_PERIOD = re.compile(r"^(\d{4})(JJ00)?\*?$")
_PLAIN_WHOLE = re.compile(r"^\d+$")
_GROUPED_WHOLE = re.compile(r"^\d{1,3}([. ]\d{3})+$")
_UNIT = re.compile(r"\s*\([^()]*\)\s*$")

MOTIVE_BY_LABEL = {alias: slug for slug, aliases in MOTIVE_ALIASES.items() for alias in aliases}
MOTIVE_BY_LABEL.update({slug.value: slug for slug in MotiveSlug})
MOTIVE_BY_LABEL.update(CBS_MOTIVE_CODES)
MEASURE_BY_LABEL = {alias: slug for slug, aliases in MEASURE_ALIASES.items() for alias in aliases}

TEMPLATE_HEADERS_NL = [
    "Gemeentecode",
    "Gemeente",
    "Jaar",
    "Migratiemotief",
    "Maat",
    "Aantal",
    "Bevolking",
]
TEMPLATE_HEADERS_EN = [
    "Municipality code",
    "Municipality",
    "Year",
    "Motive",
    "Measure",
    "Count",
    "Population",
]


@functools.lru_cache(maxsize=4096)
def _normalise_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("'", "").replace("\u2019", "").replace('"', "")
    return " ".join(plain.lower().split())


def normalise(text: Any) -> str:
    """Lower case, accents and apostrophes removed, white space folded."""
    # Cached: a national file repeats the same few labels tens of thousands of times.
    return _normalise_text(str(text))


def label_parts(header: Any) -> list[str]:
    """`Immigratie/Migratiemotief/Asiel (aantal)` → ['immigratie', 'migratiemotief', 'asiel']."""
    without_unit = _UNIT.sub("", str(header))
    return [normalise(part) for part in without_unit.split("/") if normalise(part)]


def motive_from_label(label: Any) -> str | None:
    return MOTIVE_BY_LABEL.get(normalise(label))


# --- Results of reading a file. ---


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused, with where it is."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        text = self.message
        if self.value is not None:
            # Messages with a value are phrased to follow it: "“-5” is negative".
            text = f"“{_shorten(self.value)}” {text}"
        return f"{', '.join(where)}: {text}" if where else text


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ImportRefused(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(summarise_problems(problems))


def summarise_problems(problems: list[Problem]) -> str:
    lines = [
        _("The file was refused: %(count)s problem(s) found; nothing was imported.")
        % {"count": len(problems)}
    ]
    lines += [str(problem) for problem in problems[:MAX_PROBLEMS_LISTED]]
    if len(problems) > MAX_PROBLEMS_LISTED:
        lines.append(_("… and %(more)s more.") % {"more": len(problems) - MAX_PROBLEMS_LISTED})
    return "\n".join(lines)


@dataclass
class ParsedRow:
    """One row of figures as read, before municipalities are looked up."""

    row: int
    region_code: str | None
    region_name: str | None
    region_column: str
    year: int
    motive: str | None
    persons: int | None
    population: int | None
    measure: str | None
    motive_column: str | None = None


@dataclass(frozen=True)
class Skipped:
    row: int
    column: str
    symbol: str

    def __str__(self) -> str:
        return _("row %(row)s, column “%(column)s”: no value (“%(symbol)s”), skipped") % {
            "row": self.row,
            "column": self.column,
            "symbol": self.symbol,
        }


@dataclass(frozen=True)
class TotalRow:
    """A total over all motives in the file, checked against the sum, never stored."""

    row: int
    column: str
    region_code: str | None
    region_name: str | None
    year: int
    measure: str | None
    total: int


@dataclass
class ParsedFile:
    file_format: str
    rows: list[ParsedRow] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- Values. ---


class _BadValue(Exception):
    pass


def parse_whole_number(raw: Any) -> int | None:
    """A count as CBS and spreadsheets write it; None for a missing value.

    Accepts `18480`, Dutch grouping `18.480`, space grouping, CBS's nil `-` (0)
    and spreadsheet floats that are whole. Refuses negatives and fractions.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _BadValue(_("is not a whole number"))
    if isinstance(raw, int):
        if raw < 0:
            raise _BadValue(_("is negative"))
        return raw
    if isinstance(raw, float):
        if raw < 0:
            raise _BadValue(_("is negative"))
        if not raw.is_integer():
            raise _BadValue(_("is not a whole number"))
        return int(raw)
    text = str(raw).strip().replace("\u00a0", " ")
    if text.lower() in MISSING_SYMBOLS:
        return None
    if text in NIL_SYMBOLS:
        return 0
    if text.startswith("-"):
        raise _BadValue(_("is negative"))
    if _PLAIN_WHOLE.match(text):
        return int(text)
    if _GROUPED_WHOLE.match(text):
        return int(text.replace(".", "").replace(" ", ""))
    raise _BadValue(_("is not a whole number"))


def parse_year(raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _parse_year_text(str(raw).strip() if raw is not None else "")


@functools.lru_cache(maxsize=1024)
def _parse_year_text(text: str) -> int:
    match = _PERIOD.match(text)
    if not match:
        raise _BadValue(_("is not a year (expected for example 2023 or 2023JJ00)"))
    year = int(match.group(1))
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _BadValue(
            _("is outside the years %(min)s–%(max)s") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return year


def split_region(raw: Any) -> tuple[str | None, str | None]:
    """A region cell holds a CBS code (possibly padded) or a name."""
    return _split_region_text(str(raw) if raw is not None else "")


@functools.lru_cache(maxsize=4096)
def _split_region_text(raw: str) -> tuple[str | None, str | None]:
    text = " ".join(raw.split())
    if _REGION_CODE.match(text.upper()):
        return text.upper(), None
    return None, text or None


# --- Reading bytes. ---


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
        return _parse_table(_xlsx_rows(content), ImportFormat.TEMPLATE_XLSX)
    text = _decode(content)
    if text.lstrip().startswith(("{", "[")):
        return _parse_odata(text)
    return _parse_table(_csv_rows(text), ImportFormat.STATLINE_CSV)


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


# --- Tables: StatLine CSV, template CSV and XLSX. ---


@dataclass
class _Columns:
    region_code: int | None = None
    region_name: int | None = None
    region_mixed: list[int] = field(default_factory=list)
    period: int | None = None
    motive: int | None = None
    measure: int | None = None
    count: int | None = None
    population: int | None = None
    total: int | None = None
    motive_columns: dict[int, str] = field(default_factory=dict)

    def has_region(self) -> bool:
        return (
            self.region_code is not None or self.region_name is not None or bool(self.region_mixed)
        )


def _classify_header(headers: list[Any]) -> _Columns:
    columns = _Columns()
    for index, header in enumerate(headers):
        parts = label_parts(header) if header is not None else []
        whole = " ".join(parts)
        if not parts:
            continue
        if whole in REGION_CODE_HEADERS and columns.region_code is None:
            columns.region_code = index
        elif whole in REGION_NAME_HEADERS and columns.region_name is None:
            columns.region_name = index
        elif whole in REGION_HEADERS:
            columns.region_mixed.append(index)
        elif whole in PERIOD_HEADERS and columns.period is None:
            columns.period = index
        elif whole in MOTIVE_HEADERS and columns.motive is None:
            columns.motive = index
        elif whole in MEASURE_HEADERS and columns.measure is None:
            columns.measure = index
        elif motive := next((motive_from_label(p) for p in parts if motive_from_label(p)), None):
            columns.motive_columns[index] = motive
        elif any(part in TOTAL_LABELS for part in parts) and columns.total is None:
            columns.total = index
        elif any(part.startswith(POPULATION_HEADER_PREFIXES) for part in parts):
            columns.population = index if columns.population is None else columns.population
        elif any(part.startswith(COUNT_HEADER_PREFIXES) for part in parts):
            columns.count = index if columns.count is None else columns.count
    return columns


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _parse_table(rows: Iterable[list[Any]], file_format: str) -> ParsedFile:
    rows = list(rows)
    header_index, columns = _find_header(rows)
    headers = [("" if cell is None else str(cell).strip()) for cell in rows[header_index]]
    if file_format == ImportFormat.STATLINE_CSV and _is_template(headers):
        file_format = ImportFormat.TEMPLATE_CSV
    parsed = ParsedFile(file_format=file_format)
    parsed.problems += _missing_columns(columns)
    if parsed.problems:
        raise ImportRefused(parsed.problems)

    data = rows[header_index + 1 :]
    last = len(data)
    # A trailing block of lines with at most one filled cell is CBS's footer ("Bron: CBS").
    while last and sum(not _is_blank(cell) for cell in data[last - 1]) <= 1:
        last -= 1
    for offset, cells in enumerate(data[:last]):
        row_number = header_index + offset + 2
        if all(_is_blank(cell) for cell in cells):
            continue
        _parse_table_row(parsed, columns, headers, cells, row_number)
    if not parsed.rows and not parsed.totals and not parsed.problems:
        parsed.problems.append(Problem(_("The file holds no rows of figures.")))
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    return parsed


def _is_template(headers: list[str]) -> bool:
    found = {normalise(header) for header in headers if header}
    return any(
        found <= {normalise(h) for h in template} and len(found) >= 4
        for template in (TEMPLATE_HEADERS_NL, TEMPLATE_HEADERS_EN)
    )


def _find_header(rows: list[list[Any]]) -> tuple[int, _Columns]:
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _classify_header(cells)
        if columns.has_region() and columns.period is not None:
            return index, columns
    raise ImportRefused(
        [
            Problem(
                _(
                    "No header row with a region column (such as “Regio's” or “Gemeente”) "
                    "and a period column (such as “Perioden” or “Jaar”) in the first "
                    "%(rows)s lines."
                )
                % {"rows": HEADER_SEARCH_ROWS}
            )
        ]
    )


def _missing_columns(columns: _Columns) -> list[Problem]:
    if columns.motive is not None and columns.count is None:
        return [
            Problem(
                _("A required column is missing: the number of persons (such as “Aantal”)."),
                column=_("Aantal"),
            )
        ]
    if columns.motive is None and not columns.motive_columns and columns.population is None:
        return [
            Problem(
                _(
                    "A required column is missing: a motive column (such as “Migratiemotief”), "
                    "a column per motive (such as “Asiel”), or the population "
                    "(such as “Bevolking op 1 januari”)."
                ),
                column=_("Migratiemotief"),
            )
        ]
    return []


def _cell(cells: list[Any], index: int | None) -> Any:
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _parse_table_row(
    parsed: ParsedFile, columns: _Columns, headers: list[str], cells: list[Any], row: int
) -> None:
    problems_before = len(parsed.problems)
    if len(cells) > len(headers) and any(not _is_blank(c) for c in cells[len(headers) :]):
        parsed.problems.append(
            Problem(
                _("The row has %(cells)s cells but the header only %(headers)s.")
                % {"cells": len(cells), "headers": len(headers)},
                row=row,
            )
        )
        return
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            parsed.problems.append(
                Problem(
                    _("The cell is longer than %(limit)s characters.") % {"limit": MAX_CELL_CHARS},
                    row=row,
                    column=headers[index] if index < len(headers) else str(index + 1),
                )
            )
    if len(parsed.problems) > problems_before:
        return

    region_code, region_name, region_column = _row_region(columns, headers, cells)
    if not region_code and not region_name:
        parsed.problems.append(Problem(_("The region is empty."), row=row, column=region_column))

    year = None
    try:
        year = parse_year(_cell(cells, columns.period))
    except _BadValue as bad:
        parsed.problems.append(
            Problem(
                str(bad),
                row=row,
                column=headers[columns.period],
                value=str(_cell(cells, columns.period)),
            )
        )

    measure = None
    if columns.measure is not None and not _is_blank(_cell(cells, columns.measure)):
        raw_measure = _cell(cells, columns.measure)
        measure = MEASURE_BY_LABEL.get(normalise(raw_measure))
        if measure is None:
            parsed.problems.append(
                Problem(
                    _("is not a known measure (stock or inflow)"),
                    row=row,
                    column=headers[columns.measure],
                    value=str(raw_measure),
                )
            )

    population = _number(parsed, cells, headers, columns.population, row)
    if len(parsed.problems) > problems_before or year is None:
        return

    common = {
        "row": row,
        "region_code": region_code,
        "region_name": region_name,
        "region_column": region_column,
        "year": year,
        "measure": measure,
    }
    if columns.motive is not None:
        raw_motive = _cell(cells, columns.motive)
        persons = _number(parsed, cells, headers, columns.count, row)
        if len(parsed.problems) > problems_before:
            return
        if normalise(raw_motive) in TOTAL_LABELS:
            if persons is not None:
                parsed.totals.append(
                    TotalRow(
                        row,
                        headers[columns.count],
                        region_code,
                        region_name,
                        year,
                        measure,
                        persons,
                    )
                )
            return
        motive = motive_from_label(raw_motive)
        if motive is None:
            parsed.problems.append(
                Problem(
                    _("is not a known migration motive"),
                    row=row,
                    column=headers[columns.motive],
                    value=str(raw_motive),
                )
            )
            return
        parsed.rows.append(
            ParsedRow(
                **common,
                motive=motive,
                persons=persons,
                population=population,
                motive_column=headers[columns.count],
            )
        )
        return

    for index, motive in columns.motive_columns.items():
        persons = _number(parsed, cells, headers, index, row)
        parsed.rows.append(
            ParsedRow(
                **common,
                motive=motive,
                persons=persons,
                population=None,
                motive_column=headers[index],
            )
        )
    if population is not None:
        parsed.rows.append(ParsedRow(**common, motive=None, persons=None, population=population))
    total = _number(parsed, cells, headers, columns.total, row)
    if total is not None:
        parsed.totals.append(
            TotalRow(row, headers[columns.total], region_code, region_name, year, measure, total)
        )


def _row_region(
    columns: _Columns, headers: list[str], cells: list[Any]
) -> tuple[str | None, str | None, str]:
    code = name = None
    column = ""
    if columns.region_code is not None:
        column = headers[columns.region_code]
        code, name_in_code_column = split_region(_cell(cells, columns.region_code))
        if name_in_code_column and not code:
            code = name_in_code_column  # kept as given, reported as an unknown code later
    if columns.region_name is not None:
        column = column or headers[columns.region_name]
        raw = _cell(cells, columns.region_name)
        name = " ".join(str(raw).split()) if not _is_blank(raw) else None
    for index in columns.region_mixed:
        column = column or headers[index]
        mixed_code, mixed_name = split_region(_cell(cells, index))
        code = code or mixed_code
        name = name or mixed_name
    return code, name, column


def _number(
    parsed: ParsedFile, cells: list[Any], headers: list[str], index: int | None, row: int
) -> int | None:
    if index is None:
        return None
    raw = _cell(cells, index)
    try:
        value = parse_whole_number(raw)
    except _BadValue as bad:
        parsed.problems.append(Problem(str(bad), row=row, column=headers[index], value=str(raw)))
        return None
    if value is None:
        parsed.skipped.append(Skipped(row, headers[index], "" if raw is None else str(raw)))
    return value


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
    columns = _classify_header(keys)
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
    parsed.problems += _missing_columns(columns)
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            parsed.problems.append(Problem(_("The record is not an object."), row=number))
            continue
        cells = [record.get(key) for key in keys]
        _parse_table_row(parsed, columns, keys, cells, number)
    if parsed.problems:
        raise ImportRefused(parsed.problems)
    return parsed


def template_rows(*, language: str = "nl") -> list[list[str]]:
    """The portal's template: a header and two example rows (from the Haarlemmermeer report)."""
    headers = TEMPLATE_HEADERS_EN if language.startswith("en") else TEMPLATE_HEADERS_NL
    measure = "stock" if language.startswith("en") else "stand"
    return [
        headers,
        ["GM0394", "Haarlemmermeer", "2023", "gezin", measure, "7.975", "162.105"],
        ["GM0394", "Haarlemmermeer", "2023", "arbeid", measure, "4.025", "162.105"],
    ]
