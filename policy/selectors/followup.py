"""The read API for recommendation follow-up: one recommendation's page and the monitor.

How the follow-up is read, as the audit offices of Amsterdam and Rotterdam track it:

- **Verdict** (the current status): the latest progress update reported by the
  audit office or by the council. When neither has reported yet, the latest
  update of any reporter (that is, the college's) stands in, and the page says
  so; with no update at all a recommendation is open.
- **The college's claim**: the college's latest reported status, shown beside
  the verdict only when it differs from it.
- **Plan of approach**: the college owes one for a recommendation the council
  adopted (accepted or partly accepted), due six calendar months after the
  council's decision (besluitvorming), the day clamped to the month's end (31
  August → 28 or 29 February). While the council's decision is recorded as
  pending none is due yet (even with a planned date); after a rejection none is
  expected. Flagged when it is overdue (not received and the due date has
  passed) or when it was received after the due date.
- **No update in 12 months**: more than twelve calendar months have passed since
  the last progress update or, when there has never been one, since the
  council's decision (once taken) or else the report's date (its first of
  January when the report gives no day). Recommendations whose verdict is done
  or rejected are closed and never flagged.
- **Age**: full calendar months since the council's decision, else since the
  report's date.

"Today" is always passed in (`today=`), so the views take it from
`django.utils.timezone.localdate()` and tests can choose it.
"""

import calendar
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policy.constants import (
    Acceptance,
    AgeBasis,
    FlagFilter,
    PlanState,
    PublicationState,
    RecommendationStatus,
    StatusReporter,
    VerdictBasis,
)
from policy.models import Recommendation, RecommendationStatusChange
from policy.selectors.findings import VERDICT_REPORTERS
from policy.selectors.history import item_version
from registry.constants import RegionKind
from registry.models import Municipality

PLAN_DUE_MONTHS = 6
STALE_AFTER_MONTHS = 12

# How the monitor reads the follow-up: the page lists these under its table, and the
# download's About sheet repeats them.
MONITOR_DEFINITIONS = [
    gettext_lazy(
        "Verdict: the latest progress update reported by the audit office or the council. Until "
        "either has reported, the latest update the college reported stands in; with no update at "
        "all a recommendation is open."
    ),
    gettext_lazy(
        "The college's claim: its latest reported status, shown beside the verdict where the two "
        "differ."
    ),
    gettext_lazy(
        "Plan of approach: due six calendar months after the council's decision to adopt the "
        "recommendation, wholly or partly; flagged when it has not been received by then, or was "
        "received later. None is due while the council's decision is pending, and none is expected "
        "when the council rejected the recommendation."
    ),
    gettext_lazy(
        "No update in 12 months: more than twelve months since the last progress update or, "
        "without any, since the council's decision, else since the report. Done and rejected "
        "recommendations are closed and never flagged."
    ),
    gettext_lazy(
        "Age: whole months since the council's decision, else since the report (the first of "
        "January of its year when it gives no day)."
    ),
]

CLOSED_STATUSES = frozenset({RecommendationStatus.DONE, RecommendationStatus.REJECTED})
PUBLISHED = PublicationState.PUBLISHED


def months_add(*, day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(*, start: date, end: date) -> int:
    """Whole calendar months from start to end (0 when end is not after start)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if months_add(day=start, months=months) > end:
        months -= 1
    return months


@dataclass(frozen=True)
class Plan:
    """The college's plan of approach: when it is due and whether it came in time."""

    state: str
    due_on: date | None
    received_on: date | None

    @property
    def flagged(self) -> bool:
        return self.state in (PlanState.OVERDUE, PlanState.RECEIVED_LATE)

    @property
    def label(self) -> str:
        return str(PlanState(self.state).label)


def plan_of_approach(*, recommendation: Recommendation, today: date) -> Plan:
    """The plan the college owes for a recommendation the council adopted (wholly or partly).

    Due six calendar months after the council's decision (besluitvorming). A
    decision still recorded as pending, even with a (planned) date, asks for no
    plan yet; a rejection asks for none at all.
    """
    decided_on = recommendation.besluitvorming_on
    received_on = recommendation.plan_received_on
    acceptance = recommendation.council_acceptance
    adopted = acceptance in (Acceptance.ACCEPTED, Acceptance.PARTLY) and decided_on is not None
    due_on = months_add(day=decided_on, months=PLAN_DUE_MONTHS) if adopted else None
    if received_on is not None:
        late = due_on is not None and received_on > due_on
        state = PlanState.RECEIVED_LATE if late else PlanState.RECEIVED
    elif acceptance == Acceptance.REJECTED:
        state = PlanState.NOT_EXPECTED
    elif due_on is None:
        state = PlanState.AWAITING_DECISION
    else:
        state = PlanState.OVERDUE if today > due_on else PlanState.DUE
    return Plan(state=state, due_on=due_on, received_on=received_on)


@dataclass(frozen=True)
class StatusReport:
    status: str
    changed_on: date | None = None
    reported_by: str | None = None

    @property
    def label(self) -> str:
        return str(RecommendationStatus(self.status).label)

    @property
    def reporter_label(self) -> str:
        return str(StatusReporter(self.reported_by).label) if self.reported_by else ""


def _report_of(change: RecommendationStatusChange) -> StatusReport:
    return StatusReport(
        status=change.status, changed_on=change.changed_on, reported_by=change.reported_by
    )


@dataclass(frozen=True)
class FollowUp:
    """What became of one recommendation, read on `today`."""

    recommendation: Recommendation
    today: date
    verdict: StatusReport
    verdict_basis: str
    claim: StatusReport | None  # the college's latest report, only where it differs
    college_latest: StatusReport | None
    updates: list[RecommendationStatusChange]  # newest first
    plan: Plan
    age_since: date | None  # None where no date is known: then there is no age
    age_basis: str
    stale_since: date | None  # what "no update in 12 months" counts from; None: no flag

    @property
    def is_draft(self) -> bool:
        return any(
            state != PUBLISHED
            for state in (self.recommendation.state, self.recommendation.report.state)
        )

    @property
    def age_basis_label(self) -> str:
        return str(AgeBasis(self.age_basis).label)

    @property
    def closed(self) -> bool:
        return self.verdict.status in CLOSED_STATUSES

    @property
    def last_update_on(self) -> date | None:
        return self.updates[0].changed_on if self.updates else None

    @property
    def age_months(self) -> int | None:
        if self.age_since is None:
            return None
        return months_between(start=self.age_since, end=self.today)

    @property
    def stale(self) -> bool:
        """No update in 12 months (closed recommendations never are)."""
        if self.closed or self.stale_since is None:
            return False
        return months_add(day=self.stale_since, months=STALE_AFTER_MONTHS) < self.today

    @property
    def stale_answer(self) -> str:
        """*No update in 12 months?* as the monitor and its download answer it."""
        if self.stale:
            return _("Yes")
        if self.closed:
            return _("Not applicable: closed")
        if self.stale_since is None:
            return _("Cannot tell: date unknown")
        return _("No")

    @property
    def flagged(self) -> bool:
        return self.stale or self.plan.flagged


def _decided_on(recommendation: Recommendation, today: date) -> date | None:
    decided_on = recommendation.besluitvorming_on
    return decided_on if decided_on is not None and decided_on <= today else None


def recommendation_followup(*, recommendation: Recommendation, today: date) -> FollowUp:
    """The follow-up of a recommendation whose `status_changes` (and report) are loaded.

    Reads `recommendation.status_changes.all()`, so prefetch it in a loop.
    """
    ordered = sorted(
        recommendation.status_changes.all(),
        key=lambda change: (change.changed_on, change.pk),
        reverse=True,
    )
    own = next((c for c in ordered if c.reported_by in VERDICT_REPORTERS), None)
    college = next((c for c in ordered if c.reported_by == StatusReporter.COLLEGE), None)
    college_latest = _report_of(college) if college else None
    if own is not None:
        verdict, basis = _report_of(own), VerdictBasis.AUDIT_OFFICE_OR_COUNCIL
    elif ordered:
        verdict, basis = _report_of(ordered[0]), VerdictBasis.COLLEGE_ONLY
    else:
        verdict, basis = StatusReport(status=RecommendationStatus.OPEN), VerdictBasis.NO_UPDATES
    claim = (
        college_latest
        if basis == VerdictBasis.AUDIT_OFFICE_OR_COUNCIL
        and college_latest is not None
        and college_latest.status != verdict.status
        else None
    )

    decided_on = _decided_on(recommendation, today)
    report = recommendation.report
    if decided_on is not None:
        age_since, age_basis = decided_on, AgeBasis.DECISION
    elif report.published_on is not None:
        age_since, age_basis = report.published_on, AgeBasis.REPORT_DATE
    else:
        # No invented date: without a decision or a dated report there is no age.
        age_since, age_basis = None, AgeBasis.UNKNOWN
    return FollowUp(
        recommendation=recommendation,
        today=today,
        verdict=verdict,
        verdict_basis=basis,
        claim=claim,
        college_latest=college_latest,
        updates=ordered,
        plan=plan_of_approach(recommendation=recommendation, today=today),
        age_since=age_since,
        age_basis=age_basis,
        stale_since=ordered[0].changed_on if ordered else age_since,
    )


def _with_follow_up(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return queryset.select_related("report", "report__municipality").prefetch_related(
        Prefetch(
            "status_changes",
            queryset=RecommendationStatusChange.objects.select_related("created_by").order_by(
                "changed_on", "pk"
            ),
        )
    )


def _visible(queryset: QuerySet[Recommendation], *, include_drafts: bool):
    if include_drafts:
        return queryset
    return queryset.published()


def followup_detail(*, pk: int, include_drafts: bool, today: date) -> FollowUp:
    """One recommendation's follow-up; Recommendation.DoesNotExist for a hidden draft."""
    recommendation = _with_follow_up(
        _visible(Recommendation.objects.filter(pk=pk), include_drafts=include_drafts)
    ).get()
    return recommendation_followup(recommendation=recommendation, today=today)


# The monitor -----------------------------------------------------------------


class FollowupFilterError(ValueError):
    """A query-string value the monitor cannot use; the message says which."""


@dataclass(frozen=True)
class MonitorFilters:
    municipality: Municipality
    status: str = ""
    flagged: str = ""

    def as_query(self, **changes) -> str:
        """The query string of this view (with `changes` applied), for links."""
        state = replace(self, **changes) if changes else self
        params = {"municipality": state.municipality.code}
        if state.status:
            params["status"] = state.status
        if state.flagged:
            params["flagged"] = state.flagged
        return urlencode(params)

    def allows(self, row: FollowUp) -> bool:
        if self.status and row.verdict.status != self.status:
            return False
        if self.flagged == FlagFilter.ANY:
            return row.flagged
        if self.flagged == FlagFilter.STALE:
            return row.stale
        if self.flagged == FlagFilter.PLAN:
            return row.plan.flagged
        return True


def followup_municipalities() -> list[Municipality]:
    """The municipalities the monitor's switcher offers (no synthetic ones, no country)."""
    return list(
        Municipality.objects.filter(is_synthetic=False)
        .exclude(kind=RegionKind.COUNTRY)
        .order_by("name")
    )


def followup_filters(
    *, params: QueryDict, municipalities: list[Municipality], default_code: str | None
) -> MonitorFilters:
    """The monitor's filters from the query string; `default_code` when none is named."""
    by_code = {m.code: m for m in municipalities}
    code = params.get("municipality", "").strip().upper()
    if not code:
        fallback = default_code if default_code in by_code else settings.DEFAULT_MUNICIPALITY
        code = fallback if fallback in by_code else next(iter(by_code), "")
    if code not in by_code:
        raise FollowupFilterError(_("Unknown municipality “%(code)s”.") % {"code": code})
    status = params.get("status", "").strip()
    if status and status not in RecommendationStatus.values:
        raise FollowupFilterError(_("Unknown status “%(value)s”.") % {"value": status})
    flagged = params.get("flagged", "").strip()
    if flagged and flagged not in FlagFilter.values:
        raise FollowupFilterError(_("Unknown flag “%(value)s”.") % {"value": flagged})
    return MonitorFilters(municipality=by_code[code], status=status, flagged=flagged)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    query: str  # the monitor's query string showing only this status


@dataclass
class Monitor:
    filters: MonitorFilters
    today: date
    rows: list[FollowUp]  # the rows shown: after the filters
    total: int  # recommendations before the filters
    status_counts: list[StatusCount] = field(default_factory=list)
    flagged_count: int = 0
    stale_count: int = 0
    plan_flagged_count: int = 0
    claim_differs_count: int = 0


def followup_monitor(*, filters: MonitorFilters, include_drafts: bool, today: date) -> Monitor:
    """All recommendations of the municipality's reports, in two queries whatever their number.

    The summary counts cover every recommendation the user may see; the rows
    only those the filters let through (and the downloads exactly these rows).
    """
    recommendations = _with_follow_up(
        _visible(
            Recommendation.objects.for_municipality(filters.municipality),
            include_drafts=include_drafts,
        )
    ).order_by("report__year", "report__title", "report__pk", "number")
    every = [recommendation_followup(recommendation=r, today=today) for r in recommendations]
    counts = dict.fromkeys(RecommendationStatus.values, 0)
    for row in every:
        counts[row.verdict.status] += 1
    return Monitor(
        filters=filters,
        today=today,
        rows=[row for row in every if filters.allows(row)],
        total=len(every),
        status_counts=[
            StatusCount(
                status=status,
                label=str(label),
                count=counts[status],
                query=filters.as_query(status=status),
            )
            for status, label in RecommendationStatus.choices
        ],
        flagged_count=sum(row.flagged for row in every),
        stale_count=sum(row.stale for row in every),
        plan_flagged_count=sum(row.plan.flagged for row in every),
        claim_differs_count=sum(row.claim is not None for row in every),
    )


# Editing ---------------------------------------------------------------------


def recommendation_followup_version(*, recommendation: Recommendation) -> int:
    """The id of the recommendation's latest history row: what an edit form is based on."""
    return item_version(instance=recommendation)
