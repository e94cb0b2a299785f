"""The follow-up monitor as a download: the rows shown, for people to read in Excel.

Headers and values are in the interface's language (Dutch unless the visitor chose
English): a status reads *In uitvoering*, not `in_progress`, and a plan of approach
*Wacht op het besluit van de raad*, not `awaiting_decision`. Dates are dates (ISO in
CSV, date cells in XLSX). The column order is `EXPORT_COLUMNS`. The XLSX's second sheet
(`followup_export_about`) says what the rows are, as of when, and how the monitor reads them.
"""

from datetime import date

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from policy.constants import (
    PublicationState,
    VerdictBasis,
)
from policy.selectors.followup import MONITOR_DEFINITIONS, Monitor

EXPORT_COLUMNS = [
    "municipality_code",
    "report",
    "report_year",
    "number",
    "title",
    "addressee",
    "state",
    "council_decision",
    "council_decided_on",
    "college_response",
    "college_responded_on",
    "status",
    "status_on",
    "status_reported_by",
    "status_basis",
    "college_claim",
    "college_claim_on",
    "age_months",
    "age_since",
    "last_update_on",
    "no_update_in_12_months",
    "plan_due_on",
    "plan_received_on",
    "plan_state",
]


def followup_export_headers() -> list[str]:
    """The header of each column of `EXPORT_COLUMNS`, in the active language."""
    headers = {
        "municipality_code": _("Municipality code"),
        "report": _("Report"),
        "report_year": _("Year of the report"),
        "number": _("No."),
        "title": _("Recommendation"),
        "addressee": _("Addressed to"),
        "state": _("Publication"),
        "council_decision": _("Council's decision"),
        "council_decided_on": _("Date of the council's decision"),
        "college_response": _("College's response"),
        "college_responded_on": _("Date of the college's response"),
        "status": _("Status (verdict)"),
        "status_on": _("Date of the status"),
        "status_reported_by": _("Status reported by"),
        "status_basis": _("Status rests on"),
        "college_claim": _("College's claim"),
        "college_claim_on": _("Date of the college's claim"),
        "age_months": _("Age in months"),
        "age_since": _("Age counted from"),
        "last_update_on": _("Last update"),
        "no_update_in_12_months": _("No update in 12 months"),
        "plan_due_on": _("Plan of approach due on"),
        "plan_received_on": _("Plan of approach received on"),
        "plan_state": _("Plan of approach"),
    }
    return [str(headers[key]) for key in EXPORT_COLUMNS]


def _label(choices: type[models.TextChoices], value: str | None) -> str:
    """A code as its label in the active language; an empty or unknown code as it is."""
    if not value or value not in choices.values:
        return value or ""
    return str(choices(value).label)


def followup_export_rows(*, monitor: Monitor) -> list[list[str | int | date | None]]:
    """The monitor's rows as a person reads them, in `EXPORT_COLUMNS` order."""
    rows = []
    for row in monitor.rows:
        r = row.recommendation
        claim = row.claim
        record = {
            "municipality_code": monitor.filters.municipality.code,
            "report": r.report.title,
            "report_year": r.report.year,
            "number": r.number,
            "title": r.title,
            "addressee": r.get_addressee_display(),
            "state": _label(
                PublicationState,
                PublicationState.DRAFT if row.is_draft else PublicationState.PUBLISHED,
            ),
            "council_decision": r.get_council_acceptance_display(),
            "council_decided_on": r.besluitvorming_on,
            "college_response": r.get_college_acceptance_display(),
            "college_responded_on": r.college_responded_on,
            "status": row.verdict.label,
            "status_on": row.verdict.changed_on,
            "status_reported_by": row.verdict.reporter_label,
            "status_basis": _label(VerdictBasis, row.verdict_basis),
            "college_claim": claim.label if claim else None,
            "college_claim_on": claim.changed_on if claim else None,
            "age_months": row.age_months,
            "age_since": row.age_since,
            "last_update_on": row.last_update_on,
            "no_update_in_12_months": row.stale_answer,
            "plan_due_on": row.plan.due_on,
            "plan_received_on": row.plan.received_on,
            "plan_state": row.plan.label,
        }
        rows.append([record[key] for key in EXPORT_COLUMNS])
    return rows


def followup_export_about(*, monitor: Monitor, downloaded_on: date) -> list[list]:
    """The XLSX's second sheet: what the rows are, as of when, and how they are read."""
    municipality = monitor.filters.municipality
    rows: list[list] = [
        [_("Title"), f"{_('Follow-up of recommendations')}: {municipality.name}"],
        [
            _("Summary"),
            _("What became of the audit office's recommendations, as of %(date)s.")
            % {"date": date_format(monitor.today, "j F Y")},
        ],
        [
            _("Rows"),
            _("%(shown)s of %(total)s recommendations")
            % {"shown": len(monitor.rows), "total": monitor.total},
        ],
    ]
    rows += [[_("Definition"), str(definition)] for definition in MONITOR_DEFINITIONS]
    rows.append([_("Downloaded on"), downloaded_on])
    return rows
