"""Rows of cells to figures: StatLine CSV, the template as CSV or XLSX, and OData records.

The header is found and classified by its labels (see `aliases`), then every row is read
into `ParsedRow`s and `TotalRow`s; a cell without a value is skipped and reported, a bad one
is a `Problem` naming its row, column and value.
"""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import ImportFormat
from registry.importers.aliases import (
    MEASURE_BY_LABEL,
    TEMPLATE_HEADERS_EN,
    TEMPLATE_HEADERS_NL,
    TOTAL_LABELS,
    motive_from_label,
    normalise,
)
from registry.importers.columns import Columns, columns_check, columns_classify
from registry.importers.limits import (
    HEADER_SEARCH_ROWS,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
)
from registry.importers.results import (
    ImportRefused,
    ParsedFile,
    ParsedRow,
    Problem,
    Skipped,
    TotalRow,
)
from registry.importers.values import (
    BadValue,
    looks_like_a_number,
    parse_whole_number,
    parse_year,
    split_region,
)

# CBS's footer ("Bron: CBS") is a few lines with at most one filled cell; more such lines
# in a row are data, read (and refused) as rows.
MAX_FOOTER_ROWS = 20


def _is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _filled(cells: list[Any], *, enough: int) -> int:
    """How many cells hold something, counting no further than `enough`."""
    found = 0
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or (cell and not cell.isspace())):
            found += 1
            if found >= enough:
                break
    return found


def table_parse(*, rows: Iterable[list[Any]], file_format: str) -> ParsedFile:
    """Parse the rows of a StatLine CSV or a template CSV or XLSX, one at a time.

    Returns the figures and every problem found; a reader that cannot go on (a row too
    long, bytes that are no CSV) raises ImportRefused, which ends the reading with that
    problem added to the others.
    """
    parsed = ParsedFile(file_format=file_format)
    rows = iter(rows)
    try:
        _table_read(parsed, rows)
    except ImportRefused as stopped:
        parsed.problems += stopped.problems
    if not parsed.rows and not parsed.totals and not parsed.problems:
        parsed.problems.append(Problem(_("The file holds no rows of figures.")))
    return parsed


def _table_read(parsed: ParsedFile, rows: Iterator[list[Any]]) -> None:
    header_index, header_cells = _find_header(rows)
    headers = [("" if cell is None else str(cell).strip()) for cell in header_cells]
    if len(headers) > MAX_COLUMNS:
        parsed.problems.append(
            Problem(
                _("The header has %(count)s columns, more than the %(limit)s allowed.")
                % {"count": len(headers), "limit": MAX_COLUMNS},
                row=header_index + 1,
            )
        )
        return
    columns = columns_classify(headers=headers)
    if parsed.file_format == ImportFormat.STATLINE_CSV and _is_template(headers):
        parsed.file_format = ImportFormat.TEMPLATE_CSV
    parsed.problems += columns_check(columns=columns)
    if parsed.problems:
        return
    parsed.label_measure = columns.label_measure
    numbers_in: dict[int, Problem] = {}
    cells_read = 0
    for row_number, cells in _data_rows(rows, first=header_index + 2):
        cells_read += len(cells)
        if _beyond_limits(parsed, row_number, row_number - header_index - 1, cells_read):
            break
        if parsed.problems_full():
            break
        if not _filled(cells, enough=1):
            continue
        _unknown_numbers(numbers_in, columns, headers, cells, row_number)
        table_row_parse(
            parsed=parsed, columns=columns, headers=headers, cells=cells, row=row_number
        )
    parsed.problems += numbers_in.values()


def _beyond_limits(parsed: ParsedFile, row: int, rows_read: int, cells_read: int) -> bool:
    """True, with the problem noted, when the file holds more rows or cells than allowed."""
    for count, limit, message in (
        (
            rows_read,
            MAX_ROWS,
            _("The file has more than %(limit)s rows; split it into smaller files."),
        ),
        (
            cells_read,
            MAX_CELLS,
            _("The file has more than %(limit)s cells; split it into smaller files."),
        ),
    ):
        if count > limit:
            parsed.problems.append(Problem(message % {"limit": limit}, row=row))
            return True
    return False


def _data_rows(rows: Iterator[list[Any]], *, first: int) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) after the header, without CBS's trailing footer.

    Rows with at most one filled cell wait until a fuller row shows they are data; at the
    end of the file they were the footer. At most MAX_FOOTER_ROWS wait.
    """
    waiting: list[tuple[int, list[Any]]] = []
    for row_number, cells in zip(itertools.count(first), rows, strict=False):
        if _filled(cells, enough=2) <= 1 and len(waiting) < MAX_FOOTER_ROWS:
            waiting.append((row_number, cells))
            continue
        yield from waiting
        waiting.clear()
        yield row_number, cells


def _unknown_numbers(
    found: dict[int, Problem], columns: Columns, headers: list[str], cells: list[Any], row: int
) -> None:
    """A column the import does not know may hold text, never figures."""
    for index in columns.unknown:
        if index in found or index >= len(cells):
            continue
        if looks_like_a_number(cells[index]):
            found[index] = Problem(
                _(
                    "holds numbers (“%(value)s” in row %(row)s), but the portal does not know "
                    "what they count: name the column after what it holds (such as “Aantal” "
                    "with a motive column, or “Migranten/Asiel”), or remove it"
                )
                % {"value": str(cells[index]).strip()[:40], "row": row},
                column=headers[index],
            )


def _is_template(headers: list[str]) -> bool:
    found = {normalise(header) for header in headers if header}
    return any(
        found <= {normalise(h) for h in template} and len(found) >= 4
        for template in (TEMPLATE_HEADERS_NL, TEMPLATE_HEADERS_EN)
    )


def _find_header(rows: Iterator[list[Any]]) -> tuple[int, list[Any]]:
    for index, cells in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS)):
        if len(cells) > MAX_COLUMNS * 10:
            break  # no header is that wide; the columns check names the limit
        columns = columns_classify(headers=cells)
        if columns.has_region() and columns.period is not None:
            return index, cells
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


@dataclass(frozen=True, slots=True)
class _RowReading:
    """The row being read: its cells against the header, and the file its problems go to."""

    parsed: ParsedFile
    columns: Columns
    headers: list[str]
    cells: list[Any]
    row: int

    def cell(self, index: int | None) -> Any:
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        return value.strip() if isinstance(value, str) else value

    def problem(self, message: str, *, index: int, value: str) -> None:
        """A problem of the cell in column `index`, which holds `value`."""
        self.parsed.problems.append(
            Problem(message, row=self.row, column=self.headers[index], value=value)
        )

    def number(self, index: int | None) -> int | None:
        """The whole number in column `index`; None, noted, for a missing or bad one."""
        if index is None:
            return None
        raw = self.cell(index)
        try:
            value = parse_whole_number(raw)
        except BadValue as bad:
            self.problem(str(bad), index=index, value=str(raw))
            return None
        if value is None:
            self.parsed.skipped.append(
                Skipped(self.row, self.headers[index], "" if raw is None else str(raw))
            )
        return value


def table_row_parse(
    *, parsed: ParsedFile, columns: Columns, headers: list[str], cells: list[Any], row: int
) -> None:
    """Read one row of cells into `parsed`: its figures, totals, skipped cells or problems.

    Every problem of the row is reported; a row with any keeps only its region, so that
    an unknown municipality in it is reported too, and adds no figures.
    """
    problems_before = len(parsed.problems)
    reading = _RowReading(parsed=parsed, columns=columns, headers=headers, cells=cells, row=row)
    if not _cells_check(reading):
        return
    common = _row_common(reading)
    population = reading.number(columns.population)
    if columns.motive is not None:
        figures, totals = _long_row_parse(reading, common, population)
    else:
        figures, totals = _wide_row_parse(reading, common, population)
    if len(parsed.problems) > problems_before:
        if common["region_code"] or common["region_name"]:
            parsed.rows.append(
                ParsedRow(**{**common, "year": 0}, motive=None, persons=None, population=None)
            )
        return
    parsed.rows += figures
    parsed.totals += totals


def _cells_check(reading: _RowReading) -> bool:
    """False when the row cannot be read against the header at all."""
    parsed, headers, cells, row = reading.parsed, reading.headers, reading.cells, reading.row
    if len(cells) > len(headers) and any(not _is_blank(c) for c in cells[len(headers) :]):
        parsed.problems.append(
            Problem(
                _("The row has %(cells)s cells but the header only %(headers)s.")
                % {"cells": len(cells), "headers": len(headers)},
                row=row,
            )
        )
        return False
    too_long = False
    for index, value in enumerate(cells):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            parsed.problems.append(
                Problem(
                    _("The cell is longer than %(limit)s characters.") % {"limit": MAX_CELL_CHARS},
                    row=row,
                    column=headers[index] if index < len(headers) else str(index + 1),
                )
            )
            too_long = True
    return not too_long


def _row_common(reading: _RowReading) -> dict[str, Any]:
    """Region, year and measure, which every figure of the row shares; year None if bad."""
    columns = reading.columns
    region_code, region_name, region_column = _row_region(reading)
    if not region_code and not region_name:
        reading.parsed.problems.append(
            Problem(_("The region is empty."), row=reading.row, column=region_column)
        )

    year = None
    try:
        year = parse_year(reading.cell(columns.period))
    except BadValue as bad:
        reading.problem(str(bad), index=columns.period, value=str(reading.cell(columns.period)))

    measure = None
    if columns.measure is not None and not _is_blank(reading.cell(columns.measure)):
        raw_measure = reading.cell(columns.measure)
        measure = MEASURE_BY_LABEL.get(normalise(raw_measure))
        if measure is None:
            reading.problem(
                _("is not a known measure (stock or inflow)"),
                index=columns.measure,
                value=str(raw_measure),
            )
    return {
        "row": reading.row,
        "region_code": region_code,
        "region_name": region_name,
        "region_column": region_column,
        "year": year,
        "measure": measure,
    }


def _long_row_parse(
    reading: _RowReading, common: dict[str, Any], population: int | None
) -> tuple[list[ParsedRow], list[TotalRow]]:
    """One motive per row, in a motive column (StatLine's long layout, the template)."""
    columns, headers = reading.columns, reading.headers
    raw_motive = reading.cell(columns.motive)
    persons = reading.number(columns.count)
    if normalise(raw_motive) in TOTAL_LABELS:
        if persons is None:
            return [], []
        return [], [_total_row(common, headers[columns.count], persons)]
    motive = motive_from_label(raw_motive)
    if motive is None:
        reading.problem(
            _("is not a known migration motive"),
            index=columns.motive,
            value="" if raw_motive is None else str(raw_motive),
        )
        return [], []
    figure = ParsedRow(
        **common,
        motive=motive,
        persons=persons,
        population=population,
        motive_column=headers[columns.count],
    )
    return [figure], []


def _wide_row_parse(
    reading: _RowReading, common: dict[str, Any], population: int | None
) -> tuple[list[ParsedRow], list[TotalRow]]:
    """One column per motive (StatLine's wide layout), with an optional total."""
    figures = [
        ParsedRow(
            **common,
            motive=motive,
            persons=reading.number(index),
            population=None,
            motive_column=reading.headers[index],
        )
        for index, motive in reading.columns.motive_columns.items()
    ]
    if population is not None:
        figures.append(ParsedRow(**common, motive=None, persons=None, population=population))
    total = reading.number(reading.columns.total)
    if total is None:
        return figures, []
    return figures, [_total_row(common, reading.headers[reading.columns.total], total)]


def _total_row(common: dict[str, Any], column: str, total: int) -> TotalRow:
    return TotalRow(
        common["row"],
        column,
        common["region_code"],
        common["region_name"],
        common["year"],
        common["measure"],
        total,
    )


def _row_region(reading: _RowReading) -> tuple[str | None, str | None, str]:
    columns, headers = reading.columns, reading.headers
    code = name = None
    column = ""
    if columns.region_code is not None:
        column = headers[columns.region_code]
        code, name_in_code_column = split_region(reading.cell(columns.region_code))
        if name_in_code_column and not code:
            code = name_in_code_column  # kept as given, reported as an unknown code later
    if columns.region_name is not None:
        column = column or headers[columns.region_name]
        raw = reading.cell(columns.region_name)
        name = " ".join(str(raw).split()) if not _is_blank(raw) else None
    for index in columns.region_mixed:
        column = column or headers[index]
        mixed_code, mixed_name = split_region(reading.cell(index))
        code = code or mixed_code
        name = name or mixed_name
    return code, name, column
