"""XLSX workbooks: sheet names Excel accepts, cells that never run as a formula."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from migrantportal.spreadsheet import SHEET_TITLE_MAX, Sheet, sheet_title, xlsx_bytes


def _workbook(*sheets: Sheet) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets=list(sheets))))


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Migranten", "Migranten"),
        ("Resultaat: prioriteiten [2026]", "Resultaat - prioriteiten (2026)"),
        ("Wie/wat? *nu* \\ later", "Wie-wat nu - later"),
        ("'Tussen aanhalingstekens'", "Tussen aanhalingstekens"),
        ("History", "History (1)"),
        ("", "Data"),
        ("Ingeschreven migranten naar motief, Haarlemmermeer", "Ingeschreven migranten naar…"),
    ],
)
def test_a_sheet_title_keeps_excels_rules(text, title):
    assert sheet_title(text) == title


def test_a_long_title_without_spaces_is_cut_at_the_limit():
    title = sheet_title("x" * 40)

    assert len(title) == SHEET_TITLE_MAX
    assert title.endswith("…")


def test_a_sheet_title_already_taken_gets_a_number_whatever_its_case():
    assert sheet_title("Toelichting", taken=["toelichting"]) == "Toelichting (2)"


def test_every_sheet_title_is_one_openpyxl_and_excel_accept():
    names = ["Resultaat: [a]/b\\c*?", "Resultaat: [a]/b\\c*?", "a" * 50]

    workbook = _workbook(*(Sheet(title=name, rows=[[1]]) for name in names))

    assert workbook.sheetnames == ["Resultaat - (a)-b-c", "Resultaat - (a)-b-c (2)", "a" * 30 + "…"]


def test_the_header_is_bold_and_stays_in_view():
    sheet = _workbook(Sheet(title="Data", header=["Motief", "Personen"], rows=[["Asiel", 3]]))[
        "Data"
    ]

    assert [cell.value for cell in sheet[1]] == ["Motief", "Personen"]
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B2"


def test_text_cells_that_start_a_formula_are_text_in_every_sheet():
    workbook = _workbook(
        Sheet(title="Data", header=["=kop", "b", "c"], rows=[["=HYPERLINK(A1)", "@SUM(1)", 12]]),
        Sheet(title="Over", rows=[["Titel", "+31 ingeschreven"]], labelled_rows=True),
    )

    assert [cell.value for cell in workbook["Data"][1]] == ["'=kop", "b", "c"]
    assert [cell.value for cell in workbook["Data"][2]] == ["'=HYPERLINK(A1)", "'@SUM(1)", 12]
    assert workbook["Over"]["B1"].value == "'+31 ingeschreven"
    assert workbook["Over"]["B1"].data_type == "s"


def test_characters_xlsx_cannot_hold_are_dropped_instead_of_failing():
    workbook = _workbook(Sheet(title="Da\x07ta", rows=[["bel\x07 en\x1b escape"]]))

    assert workbook.sheetnames == ["Data"]
    assert workbook["Data"]["A1"].value == "bel en escape"


@pytest.mark.parametrize(("language", "shown"), [("nl", "d-m-yyyy"), ("en", "yyyy-mm-dd")])
def test_a_date_is_a_date_cell_shown_as_the_interface_writes_dates(language, shown):
    with translation.override(language):
        workbook = _workbook(Sheet(title="Data", rows=[[datetime.date(2026, 11, 29)]]))

    cell = workbook["Data"]["A1"]
    assert cell.is_date
    assert cell.value.date() == datetime.date(2026, 11, 29)
    assert cell.number_format == shown
