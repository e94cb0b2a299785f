"""The rules a recommendation's follow-up must keep, whichever screen writes it.

One function per rule set, returning the errors per field (empty when all is
well) as ValidationErrors with a code. The models' clean() calls them, so the
admin's forms and the demo loader (through full_clean) refuse what breaks them;
the follow-up services call them before writing, so the follow-up pages refuse
the same values with the same codes.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from policy.constants import (
    Acceptance,
    LegalPosition,
    PolicyStatus,
    UnusedRoom,
    UnusedRoomBasis,
)

Errors = dict[str, list[ValidationError]]

FOLLOWUP_FIELDS = (
    "council_acceptance",
    "beeldvorming_on",
    "oordeelsvorming_on",
    "besluitvorming_on",
    "route_note",
    "college_acceptance",
    "college_responded_on",
    "plan_received_on",
)


def day_format(value: date) -> str:
    return date_format(value, "j F Y")


# The council's route runs beeldvorming → oordeelsvorming → besluitvorming: per pair of
# steps, the earlier field, the later one, and the refusal on the earlier one. A step is
# compared with the next step given, so beeldvorming with besluitvorming only when it
# was not already refused against oordeelsvorming.
_ROUTE_ORDER = (
    (
        "beeldvorming_on",
        "oordeelsvorming_on",
        "beeldvorming_after_oordeelsvorming",
        _("Beeldvorming cannot come after oordeelsvorming (%(date)s)."),
    ),
    (
        "beeldvorming_on",
        "besluitvorming_on",
        "beeldvorming_after_besluitvorming",
        _("Beeldvorming cannot come after besluitvorming (%(date)s)."),
    ),
    (
        "oordeelsvorming_on",
        "besluitvorming_on",
        "oordeelsvorming_after_besluitvorming",
        _("Oordeelsvorming cannot come after besluitvorming (%(date)s)."),
    ),
)


def _route_errors(values: Mapping[str, Any]) -> Errors:
    errors: Errors = {}
    for earlier, later, code, message in _ROUTE_ORDER:
        first, then = values.get(earlier), values.get(later)
        if earlier not in errors and first and then and first > then:
            params = {"date": day_format(then)}
            errors[earlier] = [ValidationError(message, code=code, params=params)]
    return errors


def _decision_errors(values: Mapping[str, Any], today: date) -> Errors:
    """A decision taken has its date, and that date has passed; so has the college's."""
    council = values.get("council_acceptance")
    college = values.get("college_acceptance")
    besluit = values.get("besluitvorming_on")
    responded = values.get("college_responded_on")
    errors: Errors = {}

    def refuse(field: str, message, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    for name, value in (("council_acceptance", council), ("college_acceptance", college)):
        if value not in Acceptance.values:
            refuse(name, _("Choose one of the options."), "invalid_choice")
    if council in Acceptance.values and council != Acceptance.PENDING:
        if besluit is None:
            refuse(
                "besluitvorming_on",
                _("Give the date of the council's decision."),
                "decision_date_missing",
            )
        elif besluit > today:
            refuse(
                "besluitvorming_on",
                _(
                    "A decision the council has taken cannot lie in the future; "
                    "leave the council's decision open until it has decided."
                ),
                "decision_in_future",
            )
    if college in Acceptance.values and college != Acceptance.PENDING and responded is None:
        refuse(
            "college_responded_on",
            _("Give the date of the college's response."),
            "response_date_missing",
        )
    if responded and college == Acceptance.PENDING:
        refuse(
            "college_acceptance",
            _("Choose the college's response, or clear its date."),
            "response_without_decision",
        )
    if responded and responded > today:
        refuse("college_responded_on", _("The date cannot be in the future."), "date_in_future")
    return errors


def _plan_errors(values: Mapping[str, Any], today: date) -> Errors:
    """The plan of approach answers the council's decision, so it cannot precede it."""
    plan = values.get("plan_received_on")
    besluit = values.get("besluitvorming_on")
    if not plan:
        return {}
    problems = []
    if plan > today:
        problems.append(
            ValidationError(_("The date cannot be in the future."), code="date_in_future")
        )
    if besluit is None:
        problems.append(
            ValidationError(
                _("The plan of approach follows the council's decision: give its date first."),
                code="plan_without_decision",
            )
        )
    elif plan < besluit:
        problems.append(
            ValidationError(
                _("The plan cannot have been received before the council's decision (%(date)s)."),
                code="plan_before_decision",
                params={"date": day_format(besluit)},
            )
        )
    return {"plan_received_on": problems} if problems else {}


def recommendation_followup_errors(*, values: Mapping[str, Any], today: date) -> Errors:
    """What is impossible in these follow-up values (FOLLOWUP_FIELDS), per field."""
    errors: Errors = {}
    for part in (
        _route_errors(values),
        _decision_errors(values, today),
        _plan_errors(values, today),
    ):
        for name, problems in part.items():
            errors.setdefault(name, []).extend(problems)
    return errors


def status_change_errors(
    *,
    changed_on: date | None,
    report_date: date | None,
    today: date,
    report_year: int | None = None,
) -> Errors:
    """What is impossible in a progress update's date: the future, or a day before the
    report it follows up (`report_date`; where the report gives no day, only a year
    before its `report_year` is refused, never a day guessed within that year)."""
    if changed_on is None:
        return {}
    if changed_on > today:
        problem = ValidationError(_("The date cannot be in the future."), code="date_in_future")
    elif report_date is not None and changed_on < report_date:
        problem = ValidationError(
            _("The update cannot come before the report (%(date)s)."),
            code="before_report",
            params={"date": day_format(report_date)},
        )
    elif report_date is None and report_year is not None and changed_on.year < report_year:
        problem = ValidationError(
            _("The update cannot come before the report's year (%(year)s)."),
            code="before_report",
            params={"year": report_year},
        )
    else:
        return {}
    return {"changed_on": [problem]}


def unused_room_basis(*, unused_room: str, legal_position: str, policy_status: str) -> str | None:
    """Whether a matrix cell is unused policy room, and on whose word.

    The report's own statement wins (conclusion 3 of Haarlemmermeer names a cell whose
    policy recently stopped); else the portal's rule, policy freedom with no specific
    policy, unless the editors judged it does not apply. Returns an UnusedRoomBasis value.
    """
    if unused_room == UnusedRoom.REPORT:
        return UnusedRoomBasis.REPORT
    if unused_room == UnusedRoom.NOT_MARKED:
        return None
    if legal_position == LegalPosition.POLICY_FREEDOM and policy_status == PolicyStatus.NONE:
        return UnusedRoomBasis.PORTAL
    return None
