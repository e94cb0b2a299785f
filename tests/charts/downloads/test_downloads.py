"""Chart downloads from the demo: CSV in two dialects with headers in the reader's
language, XLSX with a Dutch sheet to read, JSON with its documented keys."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db

SPLIT = "/dashboards/?municipality=GM0394&chart=motive-split"
# The keys of the motive split's JSON rows: a stable interface (docs/architecture.md).
SPLIT_KEYS = [
    "motive_label",
    "count",
    "share_of_migrants_pct",
    "share_of_population_pct",
    "provenance",
    "provenance_basis",
    "published_share_of_migrants_pct",
]


@pytest.fixture
def member(client, raadslid, demo):
    client.force_login(raadslid)
    return client


def _csv_header(response, file_format: str) -> list[str]:
    text = io.StringIO(response.content.decode("utf-8-sig"))
    return next(csv.reader(text, delimiter=";" if file_format == "csv-nl" else ","))


def _about(workbook: openpyxl.Workbook, sheet: str) -> dict[str, list]:
    about: dict[str, list] = {}
    for what, text in workbook[sheet].iter_rows(values_only=True):
        about.setdefault(what, []).append(text)
    return about


def test_every_chart_downloads_in_the_dutch_excel_dialect(client, raadslid):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(raadslid)

    response = client.get("/dashboards/?municipality=GM0394&format=csv-nl")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert ";" in text.splitlines()[0]


HEADERS = {
    "nl": ["Motief", "Personen", "Aandeel van de migranten (%), berekend"],
    "en": ["Motive", "Persons", "Share of migrants (%), computed"],
}


@pytest.mark.parametrize("file_format", ["csv", "csv-nl"])
@pytest.mark.parametrize(
    "cookie",
    [pytest.param(None, marks=pytest.mark.translation, id="dutch-by-default"), "en"],
)
def test_csv_headers_are_in_the_interface_language(member, file_format, cookie):
    if cookie:
        member.cookies["django_language"] = cookie

    response = member.get(f"{SPLIT}&format={file_format}")

    assert _csv_header(response, file_format)[:3] == HEADERS[cookie or "nl"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_json_keeps_its_documented_keys_in_every_language(member, language):
    member.cookies["django_language"] = language

    download = json.loads(member.get(f"{SPLIT}&format=json").content)

    assert list(download) == ["title", "sources", "rows"]
    assert {tuple(row) for row in download["rows"]} == {tuple(SPLIT_KEYS)}


@pytest.mark.translation
def test_the_demo_xlsx_reads_as_a_dutch_workbook(member):
    response = member.get(f"{SPLIT}&format=xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert response["Content-Disposition"] == 'attachment; filename="motive-split-GM0394.xlsx"'
    assert workbook.sheetnames == ["Ingeschreven migranten naar…", "Toelichting"]
    header, *rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[:2] == ("Motief", "Personen")
    assert ("Asiel", 2525) in {row[:2] for row in rows}


@pytest.mark.translation
def test_the_demo_xlsx_says_what_its_numbers_are_in_dutch(member):
    response = member.get(f"{SPLIT}&format=xlsx")

    about = _about(openpyxl.load_workbook(io.BytesIO(response.content)), "Toelichting")
    assert about["Titel"] == ["Ingeschreven migranten naar motief, Haarlemmermeer, 2023"]
    assert about["Bron"][0].startswith("Rekenkamer Haarlemmermeer, Migranten in Haarlemmermeer")
    assert "Personen: aantal" in about["Eenheid"]
    assert "Aandeel van de inwoners (%), berekend: procent (%)" in about["Eenheid"]
    assert about["Soort waarde"][0] == "gepubliceerd, op 4 rijen"
    assert about["Soort waarde"][1].startswith("afgeleid uit een aandeel (6 % van 18.480)")
    assert [day.date() for day in about["Gedownload op"]] == [timezone.localdate()]


def test_the_demo_xlsx_has_an_about_sheet_in_english_with_the_language_cookie(member):
    member.cookies["django_language"] = "en"

    response = member.get(f"{SPLIT}&format=xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Registered migrants by motive…", "About"]
    assert next(workbook.worksheets[0].iter_rows(values_only=True))[:2] == ("Motive", "Persons")
    assert [day.date() for day in _about(workbook, "About")["Downloaded on"]] == [
        timezone.localdate()
    ]
