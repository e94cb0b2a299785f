"""One row of cells read against its header (`registry.importers.tables`): every problem
names the row, the column and the cell's value; a row with problems keeps only its region."""

import pytest

from registry.constants import ImportFormat
from registry.importers.results import ParsedRow, Problem, Skipped, TotalRow
from registry.importers.tables import table_parse

LONG = ["Gemeentecode", "Jaar", "Migratiemotief", "Maat", "Aantal"]
WIDE = ["Gemeentecode", "Jaar", "Asiel", "Arbeid", "Totaal"]

pytestmark = pytest.mark.usefixtures("english")


def _parse(*rows: list[object]):
    return table_parse(rows=[list(row) for row in rows], file_format=ImportFormat.TEMPLATE_CSV)


def test_a_long_row_gives_its_motive_count_and_the_column_it_came_from():
    parsed = _parse(LONG, ["GM0394", "2023", "asiel", "stand", "1.250"])

    assert parsed.problems == []
    assert parsed.rows == [
        ParsedRow(
            row=2,
            region_code="GM0394",
            region_name=None,
            region_column="Gemeentecode",
            year=2023,
            motive="asiel",
            persons=1250,
            population=None,
            measure="stock",
            motive_column="Aantal",
        )
    ]


def test_every_problem_of_a_row_names_its_row_column_and_value_and_the_region_stays():
    parsed = _parse(LONG, ["GM0394", "20x3", "toerisme", "gemiddeld", "-3"])

    assert parsed.problems == [
        Problem(
            "is not a year (expected for example 2023 or 2023JJ00)",
            row=2,
            column="Jaar",
            value="20x3",
        ),
        Problem(
            "is not a known measure (stock or inflow)", row=2, column="Maat", value="gemiddeld"
        ),
        Problem("is negative", row=2, column="Aantal", value="-3"),
        Problem(
            "is not a known migration motive", row=2, column="Migratiemotief", value="toerisme"
        ),
    ]
    assert [(row.region_code, row.year, row.motive) for row in parsed.rows] == [("GM0394", 0, None)]


def test_a_row_without_a_region_says_so_in_the_region_column():
    parsed = _parse(LONG, ["", "2023", "asiel", "stand", "5"])

    assert parsed.problems == [Problem("The region is empty.", row=2, column="Gemeentecode")]
    assert parsed.rows == []


def test_a_wide_row_gives_a_figure_per_motive_column_and_its_total():
    parsed = _parse(WIDE, ["GM0394", "2023", "10", ".", "10"])

    assert parsed.problems == []
    assert [(row.motive, row.persons, row.motive_column) for row in parsed.rows] == [
        ("asiel", 10, "Asiel"),
        ("arbeid", None, "Arbeid"),
    ]
    assert parsed.skipped == [Skipped(2, "Arbeid", ".")]
    assert parsed.totals == [TotalRow(2, "Totaal", "GM0394", None, 2023, None, 10)]
