"""CSV cells open as text in Dutch and English Excel, never as a formula."""

import csv
import io
from decimal import Decimal

import pytest

from migrantportal.spreadsheet import csv_text, spreadsheet_safe


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("Zie bijlage;=HYPERLINK(A1);", "Zie bijlage;'=HYPERLINK(A1);"),
        ("a, +1", "a, '+1"),
        ("@cmd", "'@cmd"),
        ("Haarlemmermeer", "Haarlemmermeer"),
        ("GM0394", "GM0394"),
        ("2015–2023", "2015–2023"),
    ],
)
def test_every_separated_part_that_starts_a_formula_becomes_text(text, safe):
    assert spreadsheet_safe(text) == safe


def test_numbers_pass_unquoted_and_texts_are_quoted():
    text = csv_text(header=["code", "count", "share"], rows=[["GM0394", 18480, 11.4]])

    assert text.splitlines()[1] == '"GM0394",18480,11.4'


def test_a_text_with_a_semicolon_formula_stays_one_quoted_text_cell_in_dutch_excel():
    text = csv_text(header=["note"], rows=[["Zie bijlage;=HYPERLINK(A1);"]], dialect="csv-nl")

    (row,) = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[1:]
    assert row == ["Zie bijlage;'=HYPERLINK(A1);"]


def test_the_dutch_dialect_uses_semicolons_decimal_commas_and_a_byte_order_mark():
    text = csv_text(
        header=["gemeente", "aantal", "aandeel"],
        rows=[["Haarlemmermeer", 18480, 11.4], ["Aalsmeer", 1500, Decimal("1.54")]],
        dialect="csv-nl",
    )

    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1] == '"Haarlemmermeer";18480;"11,4"'
    assert lines[2] == '"Aalsmeer";1500;"1,54"'


def test_an_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="dialect"):
        csv_text(header=["a"], rows=[], dialect="tsv")
