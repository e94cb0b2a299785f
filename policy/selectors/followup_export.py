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
from django.utils.translation import gettext_noop

from policy.constants import (
    Acceptance,
    Addressee,
    PlanState,
    PublicationState,
    RecommendationStatus,
    StatusReporter,
    VerdictBasis,
)
from policy.selectors.followup import Monitor

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


def _stale_text(row) -> str:
    """*No update in 12 months* as the monitor's column says it."""
    if row.stale:
        return _("Yes")
    if row.closed:
        return _("Not applicable: closed")
    if row.stale_since is None:
        return _("Cannot tell: date unknown")
    return _("No")


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
            "addressee": _label(Addressee, r.addressee),
            "state": _label(
                PublicationState,
                PublicationState.DRAFT if row.is_draft else PublicationState.PUBLISHED,
            ),
            "council_decision": _label(Acceptance, r.council_acceptance),
            "council_decided_on": r.besluitvorming_on,
            "college_response": _label(Acceptance, r.college_acceptance),
            "college_responded_on": r.college_responded_on,
            "status": _label(RecommendationStatus, row.verdict.status),
            "status_on": row.verdict.changed_on,
            "status_reported_by": _label(StatusReporter, row.verdict.reported_by),
            "status_basis": _label(VerdictBasis, row.verdict_basis),
            "college_claim": _label(RecommendationStatus, claim.status) if claim else None,
            "college_claim_on": claim.changed_on if claim else None,
            "age_months": row.age_months,
            "age_since": row.age_since,
            "last_update_on": row.last_update_on,
            "no_update_in_12_months": _stale_text(row),
            "plan_due_on": row.plan.due_on,
            "plan_received_on": row.plan.received_on,
            "plan_state": _label(PlanState, row.plan.state),
        }
        rows.append([record[key] for key in EXPORT_COLUMNS])
    return rows


# The monitor's own explanations (templates/policy/followup/monitor.html), as the
# download's About sheet repeats them.
DEFINITIONS = [
    gettext_noop(
        "Verdict: the latest progress update reported by the audit office or the council. Until "
        "either has reported, the latest update the college reported stands in; with no update at "
        "all a recommendation is open."
    ),
    gettext_noop(
        "The college's claim: its latest reported status, shown beside the verdict where the two "
        "differ."
    ),
    gettext_noop(
        "Plan of approach: due six calendar months after the council's decision to adopt the "
        "recommendation, wholly or partly; flagged when it has not been received by then, or was "
        "received later. None is due while the council's decision is pending, and none is expected "
        "when the council rejected the recommendation."
    ),
    gettext_noop(
        "No update in 12 months: more than twelve months since the last progress update or, "
        "without any, since the council's decision, else since the report. Done and rejected "
        "recommendations are closed and never flagged."
    ),
    gettext_noop(
        "Age: whole months since the council's decision, else since the report (the first of "
        "January of its year when it gives no day)."
    ),
]


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
    rows += [[_("Definition"), _(definition)] for definition in DEFINITIONS]
    rows.append([_("Downloaded on"), downloaded_on])
    return rows
