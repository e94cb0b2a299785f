"""cell_text(): a table cell in the reader's notation."""

from django.utils import translation

from charts.chart import cell_text


def test_a_date_column_shows_an_iso_day_in_dutch():
    with translation.override("nl"):
        assert cell_text("2025-07-01", "date") == "1 juli 2025"


def test_a_date_column_shows_an_iso_day_in_english_on_request():
    with translation.override("en"):
        assert cell_text("2025-07-01", "date") == "1 July 2025"


def test_a_date_column_keeps_the_documents_own_words():
    assert cell_text("anno 2025", "date") == "anno 2025"
