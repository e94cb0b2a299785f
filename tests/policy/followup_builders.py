"""Builders the recommendation follow-up tests share: updates, reads, URLs, posted forms."""

import csv
import io
from datetime import date

import openpyxl
from django.urls import reverse

from policy.constants import Acceptance, RecommendationStatus, StatusReporter
from policy.models import Recommendation, RecommendationStatusChange
from policy.selectors.followup import (
    MonitorFilters,
    followup_detail,
    followup_monitor,
    recommendation_followup_version,
)
from policy.selectors.followup_export import EXPORT_COLUMNS
from tests import factories as f

TODAY = date(2026, 6, 15)
ROLES = ["raadslid", "griffie", "rekenkamer", "superuser"]
READERS = ["raadslid", "griffie"]
EDITORS = ["rekenkamer", "superuser"]
DONE, IN_PROGRESS, ADOPTED = (
    RecommendationStatus.DONE,
    RecommendationStatus.IN_PROGRESS,
    RecommendationStatus.ADOPTED,
)
AUDIT_OFFICE, COLLEGE, COUNCIL = (
    StatusReporter.AUDIT_OFFICE,
    StatusReporter.COLLEGE,
    StatusReporter.COUNCIL,
)


def recommendation_in(report, *, number: int, **fields) -> Recommendation:
    return f.RecommendationFactory(report=report, number=number, **fields)


def update(recommendation, status, on: date, by=AUDIT_OFFICE, note="") -> None:
    RecommendationStatusChange.objects.create(
        recommendation=recommendation, status=status, changed_on=on, reported_by=by, note=note
    )


def read(recommendation: Recommendation, on: date = TODAY):
    return followup_detail(pk=recommendation.pk, include_drafts=True, today=on)


def monitor(municipality, *, include_drafts=False, **filters):
    return followup_monitor(
        filters=MonitorFilters(municipality=municipality, **filters),
        include_drafts=include_drafts,
        today=TODAY,
    )


def detail_url(recommendation) -> str:
    return reverse("policy:followup_detail", kwargs={"pk": recommendation.pk})


def edit_url(recommendation) -> str:
    return reverse("policy:followup_edit", kwargs={"pk": recommendation.pk})


def progress_url(recommendation) -> str:
    return reverse("policy:followup_progress_add", kwargs={"pk": recommendation.pk})


MONITOR_URL = reverse("policy:followup_monitor")


def edit_data(recommendation, **changes) -> dict:
    data = {
        "base_version": recommendation_followup_version(recommendation=recommendation),
        "council_acceptance": Acceptance.ACCEPTED,
        "beeldvorming_on": "",
        "oordeelsvorming_on": "2025-09-29",
        "besluitvorming_on": "2025-10-13",
        "route_note": "",
        "college_acceptance": Acceptance.PENDING,
        "college_responded_on": "",
        "plan_received_on": "",
    }
    return data | changes


def progress_data(**changes) -> dict:
    return {
        "changed_on": "2026-03-12",
        "status": IN_PROGRESS,
        "reported_by": AUDIT_OFFICE,
        "note": "Brief van het college",
    } | changes


def _keyed(header: list, rows: list[list]) -> list[dict]:
    """A download's rows by EXPORT_COLUMNS key: the headers are in the reader's language."""
    assert len(header) == len(EXPORT_COLUMNS)
    return [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in rows]


def csv_rows(response) -> list[dict]:
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return _keyed(header, rows)


def xlsx_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return _keyed(header, rows)
