"""A chart's XLSX: the data on a sheet named after the chart, and an About sheet that says
what the numbers are (title, sources, definitions, units, kinds of value, download date)."""

import datetime
import io
from unittest import mock

import openpyxl
import pandas as pd
from django.utils import timezone, translation

from charts.chart import Chart, Column, chart_freeze, chart_thaw
from charts.downloads import chart_download

TODAY = datetime.date(2026, 11, 29)
KINDS = {"gepubliceerd": "published", "berekend": "computed by the portal", "afgeleid": "derived"}


def _chart(**changes) -> Chart:
    data = pd.DataFrame(
        [
            {"motive": "Asylum", "count": 2525, "share": 13.66, "provenance": "gepubliceerd"},
            {"motive": "Labour", "count": 4025, "share": 21.78, "provenance": "gepubliceerd"},
            {"motive": "Unknown", "count": 1911, "share": 10.34, "provenance": "berekend"},
        ]
    ).assign(provenance_basis=["", "", "remainder: 18,480 minus 16,569"])
    fields = {
        "id": "motive-split",
        "title": "Registered migrants by motive, Haarlemmermeer, 2023",
        "summary": "The largest group is family.",
        "data": data,
        "columns": [
            Column("motive", "Motive"),
            Column("count", "Persons", "number"),
            Column("share", "Share of migrants (%)", "percent"),
            Column("provenance", "Kind of value", codes=KINDS),
            Column("provenance_basis", "How computed or derived"),
        ],
        "sources": ["Rekenkamer Haarlemmermeer, Migranten in Haarlemmermeer (2025): §2.2"],
        "definitions": ["CBS definition: stock means persons registered on 1 January."],
    }
    return Chart(**(fields | changes))


def _workbook(chart, today=TODAY) -> openpyxl.Workbook:
    with translation.override("en"):
        response = chart_download(chart=chart, file_format="xlsx", file_stem="x", today=today)
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _about(chart, **kwargs) -> dict[str, list]:
    """The About sheet as {what: [texts]}, in the order the sheet gives them."""
    about: dict[str, list] = {}
    for what, text in _workbook(chart, **kwargs)["About"].iter_rows(values_only=True):
        about.setdefault(what, []).append(text)
    return about


def test_the_data_sheet_is_named_after_the_chart_and_the_second_is_about():
    assert _workbook(_chart()).sheetnames == ["Registered migrants by motive…", "About"]


def test_the_data_sheet_has_the_tables_headers_and_the_records():
    sheet = _workbook(_chart()).worksheets[0]

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Motive",
        "Persons",
        "Share of migrants (%)",
        "Kind of value",
        "How computed or derived",
    )
    assert rows[3] == ("Unknown", 1911, 10.34, "berekend", "remainder: 18,480 minus 16,569")


def test_the_about_sheet_names_title_summary_sources_and_definitions():
    about = _about(_chart())

    assert about["Title"] == ["Registered migrants by motive, Haarlemmermeer, 2023"]
    assert about["Summary"] == ["The largest group is family."]
    assert about["Source"] == [
        "Rekenkamer Haarlemmermeer, Migranten in Haarlemmermeer (2025): §2.2"
    ]
    assert about["Definition"] == ["CBS definition: stock means persons registered on 1 January."]


def test_the_about_sheet_gives_the_unit_of_each_number_column():
    chart = _chart()
    chart.columns[1].unit = "persons"

    assert _about(chart)["Unit"] == ["Persons: persons", "Share of migrants (%): percent (%)"]


def test_a_number_column_counts_unless_it_says_it_has_no_unit():
    chart = _chart()
    chart.columns.append(Column("number", "Number", "number", unit=""))

    assert _about(chart)["Unit"][0] == "Persons: count"
    assert not any(line.startswith("Number") for line in _about(chart)["Unit"])


def test_a_stored_number_refers_to_the_charts_unit_column():
    chart = _chart(
        data=pd.DataFrame([{"value": 1.54, "unit": "euro per euro"}]),
        columns=[Column("value", "Value", "stored"), Column("unit", "Unit")],
    )

    assert _about(chart)["Unit"] == ["Value: as recorded, in the unit of the column “Unit”"]


def test_the_about_sheet_gives_each_kind_of_value_with_how_it_was_made_and_how_often():
    assert _about(_chart())["Kind of value"] == [
        "gepubliceerd: published, on 2 rows",
        "berekend: computed by the portal (remainder: 18,480 minus 16,569), on 1 row",
    ]


def test_a_chart_without_kinds_of_value_says_they_are_not_recorded():
    chart = _chart(columns=_chart().columns[:3])

    assert _about(chart)["Kind of value"] == [
        "not recorded per value; see the sources and definitions"
    ]


def test_the_about_sheet_names_each_columns_key_in_the_json_download():
    assert _about(_chart())["Column"][:2] == [
        "Motive (“motive” in the JSON download)",
        "Persons (“count” in the JSON download)",
    ]


def test_the_about_sheet_ends_with_the_download_date_as_a_date():
    assert _about(_chart())["Downloaded on"] == [datetime.datetime(2026, 11, 29)]


def test_the_download_date_is_the_date_in_amsterdam():
    late_evening_utc = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)

    with mock.patch.object(timezone, "now", return_value=late_evening_utc):
        about = _about(_chart(), today=None)

    assert about["Downloaded on"] == [datetime.datetime(2026, 11, 30)]


def test_the_about_sheet_never_runs_a_text_as_a_formula():
    chart = _chart(title="=HYPERLINK(A1)", sources=["@SUM(1)"], summary="+31 more")

    about = _about(chart)

    assert (about["Title"], about["Source"], about["Summary"]) == (
        ["'=HYPERLINK(A1)"],
        ["'@SUM(1)"],
        ["'+31 more"],
    )


def test_a_frozen_chart_downloads_with_the_same_about_sheet():
    chart = _chart()

    assert _about(chart_thaw(frozen=chart_freeze(chart=chart))) == _about(chart)


def test_a_chart_titled_like_the_about_sheet_keeps_both_sheets():
    assert _workbook(_chart(title="About")).sheetnames == ["About", "About (2)"]
