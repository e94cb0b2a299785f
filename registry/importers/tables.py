"""Rows of cells to figures: StatLine CSV, the template as CSV or XLSX, and OData records.

The header is found and classified by its labels (see `aliases`), then every row is read
into `ParsedRow`s and `TotalRow`s; a cell without a value is skipped and reported, a bad one
is a `Problem` naming its row, column and value.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import ImportFormat
from registry.importers.aliases import (
    COUNT_HEADER_PREFIXES,
    MEASURE_BY_LABEL,
    MEASURE_HEADERS,
    MOTIVE_HEADERS,
    PERIOD_HEADERS,
    POPULATION_HEADER_PREFIXES,
    REGION_CODE_HEADERS,
    REGION_HEADERS,
    REGION_NAME_HEADERS,
    TEMPLATE_HEADERS_EN,
    TEMPLATE_HEADERS_NL,
    TOTAL_LABELS,
    label_parts,
    motive_from_label,
    normalise,
)
from registry.importers.results import (
    ImportRefused,
    ParsedFile,
    ParsedRow,
    Problem,
    Skipped,
    TotalRow,
)
from registry.importers.values import BadValue, parse_whole_number, parse_year, split_region

MAX_CELL_CHARS = 1000
HEADER_SEARCH_ROWS = 20


@dataclass
class Columns:
    """Which column holds what, by index."""

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


def columns_classify(*, headers: list[Any]) -> Columns:
    """Tell from the header's labels which column holds what."""
    columns = Columns()
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


def table_parse(*, rows: Iterable[list[Any]], file_format: str) -> ParsedFile:
    """Parse the rows of a StatLine CSV or a template CSV or XLSX; refuse it on any problem."""
    rows = list(rows)
    header_index, columns = _find_header(rows)
    headers = [("" if cell is None else str(cell).strip()) for cell in rows[header_index]]
    if file_format == ImportFormat.STATLINE_CSV and _is_template(headers):
        file_format = ImportFormat.TEMPLATE_CSV
    parsed = ParsedFile(file_format=file_format)
    parsed.problems += columns_check(columns=columns)
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
        table_row_parse(
            parsed=parsed, columns=columns, headers=headers, cells=cells, row=row_number
        )
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


def _find_header(rows: list[list[Any]]) -> tuple[int, Columns]:
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = columns_classify(headers=cells)
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


def columns_check(*, columns: Columns) -> list[Problem]:
    """The required columns the header lacks."""
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


def table_row_parse(
    *, parsed: ParsedFile, columns: Columns, headers: list[str], cells: list[Any], row: int
) -> None:
    """Read one row of cells into `parsed`: its figures, totals, skipped cells or problems."""
    problems_before = len(parsed.problems)
    _cells_check(parsed, headers, cells, row)
    if len(parsed.problems) > problems_before:
        return
    common = _row_common(parsed, columns, headers, cells, row)
    population = _number(parsed, cells, headers, columns.population, row)
    if len(parsed.problems) > problems_before or common["year"] is None:
        return
    if columns.motive is not None:
        _long_row_parse(parsed, columns, headers, cells, common, population)
    else:
        _wide_row_parse(parsed, columns, headers, cells, common, population)


def _cells_check(parsed: ParsedFile, headers: list[str], cells: list[Any], row: int) -> None:
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


def _row_common(
    parsed: ParsedFile, columns: Columns, headers: list[str], cells: list[Any], row: int
) -> dict[str, Any]:
    """Region, year and measure, which every figure of the row shares; year None if bad."""
    region_code, region_name, region_column = _row_region(columns, headers, cells)
    if not region_code and not region_name:
        parsed.problems.append(Problem(_("The region is empty."), row=row, column=region_column))

    year = None
    try:
        year = parse_year(_cell(cells, columns.period))
    except BadValue as bad:
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
    return {
        "row": row,
        "region_code": region_code,
        "region_name": region_name,
        "region_column": region_column,
        "year": year,
        "measure": measure,
    }


def _long_row_parse(
    parsed: ParsedFile,
    columns: Columns,
    headers: list[str],
    cells: list[Any],
    common: dict[str, Any],
    population: int | None,
) -> None:
    """One motive per row, in a motive column (StatLine's long layout, the template)."""
    problems_before = len(parsed.problems)
    row = common["row"]
    raw_motive = _cell(cells, columns.motive)
    persons = _number(parsed, cells, headers, columns.count, row)
    if len(parsed.problems) > problems_before:
        return
    if normalise(raw_motive) in TOTAL_LABELS:
        if persons is not None:
            parsed.totals.append(_total_row(common, headers[columns.count], persons))
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


def _wide_row_parse(
    parsed: ParsedFile,
    columns: Columns,
    headers: list[str],
    cells: list[Any],
    common: dict[str, Any],
    population: int | None,
) -> None:
    """One column per motive (StatLine's wide layout), with an optional total."""
    row = common["row"]
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
        parsed.totals.append(_total_row(common, headers[columns.total], total))


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


def _row_region(
    columns: Columns, headers: list[str], cells: list[Any]
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
    except BadValue as bad:
        parsed.problems.append(Problem(str(bad), row=row, column=headers[index], value=str(raw)))
        return None
    if value is None:
        parsed.skipped.append(Skipped(row, headers[index], "" if raw is None else str(raw)))
    return value
