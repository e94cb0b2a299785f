"""The follow-up monitor's download reads as the monitor does: headers and values in the
reader's language (Dutch by default), never codes such as `awaiting_decision`."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from django.utils import timezone

from policy.constants import Acceptance, PlanState, RecommendationStatus
from tests.policy.followup_builders import MONITOR_URL, recommendation_in, update

pytestmark = pytest.mark.django_db

CODES = {*PlanState.values, *RecommendationStatus.values, *Acceptance.values, "True", "False"}


@pytest.fixture
def member(client, raadslid, report):
    stale = recommendation_in(report, number=1, title="Stil")
    update(stale, RecommendationStatus.IN_PROGRESS, date(2025, 1, 10))
    recommendation_in(report, number=2, title="Nog niet besloten")
    client.force_login(raadslid)
    return client


def _xlsx(client, **params) -> tuple[list[str], list[dict]]:
    response = client.get(MONITOR_URL, {"municipality": "GM0394", "format": "xlsx", **params})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    header, *rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    return workbook.sheetnames, [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.translation
def test_the_xlsx_has_dutch_headers_and_labels_on_a_sheet_named_after_it(member):
    sheets, (stale, undecided) = _xlsx(member)

    assert sheets == ["Opvolging Haarlemmermeer", "Toelichting"]
    assert stale["Status (oordeel)"] == "In uitvoering"
    assert stale["Status gemeld door"] == "Rekenkamer"
    assert stale["Status berust op"] == "Gemeld door de rekenkamer of de raad"
    assert stale["Geen voortgang in 12 maanden"] == "Ja"
    assert undecided["Plan van aanpak"] == "Wacht op het besluit van de raad"
    assert undecided["Besluit raad"] == "Nog niet besloten"


@pytest.mark.translation
def test_the_csv_has_dutch_headers_and_no_codes(member):
    response = member.get(MONITOR_URL, {"municipality": "GM0394", "format": "csv-nl"})

    header, *rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert header[:5] == ["Gemeentecode", "Rapport", "Jaar van het rapport", "Nr.", "Aanbeveling"]
    assert not CODES & {cell for row in rows for cell in row[5:]}


def test_the_download_is_english_with_the_language_cookie(member):
    member.cookies["django_language"] = "en"

    _, (stale, undecided) = _xlsx(member)

    assert stale["Status (verdict)"] == "In progress"
    assert stale["No update in 12 months"] == "Yes"
    assert undecided["Plan of approach"] == "Awaiting the council's decision"


def test_dates_are_date_cells_in_the_xlsx(member):
    member.cookies["django_language"] = "en"

    _, (stale, undecided) = _xlsx(member)

    assert stale["Date of the status"] == datetime(2025, 1, 10)
    assert stale["Last update"] == datetime(2025, 1, 10)
    assert undecided["Date of the status"] is None


def test_no_update_in_12_months_reads_as_the_monitors_column(member, report):
    done = recommendation_in(report, number=3, title="Klaar")
    update(done, RecommendationStatus.DONE, date(2024, 1, 10))
    fresh = recommendation_in(report, number=4, title="Vers")
    update(fresh, RecommendationStatus.IN_PROGRESS, timezone.localdate())
    member.cookies["django_language"] = "en"

    _, rows = _xlsx(member)

    assert [row["No update in 12 months"] for row in rows] == [
        "Yes",
        "Cannot tell: date unknown",  # no update, no decision, a report without a date
        "Not applicable: closed",
        "No",
    ]


@pytest.mark.translation
def test_the_xlsx_says_in_dutch_what_its_rows_are_and_when_it_was_downloaded(member):
    response = member.get(MONITOR_URL, {"municipality": "GM0394", "format": "xlsx"})

    about = {}
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    for what, text in workbook["Toelichting"].iter_rows(values_only=True):
        about.setdefault(what, []).append(text)
    assert about["Titel"] == ["Opvolging van aanbevelingen: Haarlemmermeer"]
    assert about["Rijen"] == ["2 van 2 aanbevelingen"]
    assert about["Definitie"][0].startswith("Oordeel: de laatste voortgangsmelding")
    assert [day.date() for day in about["Gedownload op"]] == [timezone.localdate()]
