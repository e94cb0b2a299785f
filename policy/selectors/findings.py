"""The read API for the audit office's findings and the policy matrix."""

from django.db.models import Count, Prefetch, Q, QuerySet

from policy.constants import PublicationState, RecommendationStatus, StatusReporter
from policy.models import (
    AttentionPoint,
    Conclusion,
    Indicator,
    PolicyCell,
    Recommendation,
    RecommendationStatusChange,
    Report,
)
from registry.models import Municipality

PUBLISHED = PublicationState.PUBLISHED
# Whose status reports count as the verdict; the college's are its claims.
VERDICT_REPORTERS = frozenset({StatusReporter.AUDIT_OFFICE, StatusReporter.COUNCIL})


def recommendation_current_status(*, recommendation: Recommendation) -> str:
    """The audit office's verdict: the latest update it or the council reported.

    The college's own claims stand in only while nobody else has reported
    (the follow-up monitor shows them beside the verdict). A recommendation
    with no follow-up yet is open. Expects `status_changes` to be prefetched
    when called in a loop.
    """
    changes = list(recommendation.status_changes.all())
    own = [change for change in changes if change.reported_by in VERDICT_REPORTERS]
    if not (own or changes):
        return RecommendationStatus.OPEN
    return max(own or changes, key=lambda change: (change.changed_on, change.pk)).status


def policy_cell_list(
    *, municipality_code: str, published_only: bool = True
) -> QuerySet[PolicyCell]:
    cells = PolicyCell.objects.for_municipality(municipality_code).select_related(
        "group", "theme", "report"
    )
    if published_only:
        cells = cells.published()
    return cells.order_by("group__order", "theme__order")


def _findings_of(model, *, municipality_code: str, published_only: bool):
    items = model.objects.for_municipality(municipality_code).select_related("report")
    if published_only:
        items = items.published()
    return items.order_by("report__year", "report__title", "number")


def attention_point_list(
    *, municipality_code: str, published_only: bool = True
) -> QuerySet[AttentionPoint]:
    return (
        _findings_of(
            AttentionPoint, municipality_code=municipality_code, published_only=published_only
        )
        .select_related("theme")
        .prefetch_related("groups", "conclusions", "recommendations")
    )


def conclusion_list(*, municipality_code: str, published_only: bool = True) -> QuerySet[Conclusion]:
    return _findings_of(
        Conclusion, municipality_code=municipality_code, published_only=published_only
    ).prefetch_related("attention_points")


def recommendation_list(
    *, municipality_code: str, published_only: bool = True
) -> QuerySet[Recommendation]:
    return _findings_of(
        Recommendation, municipality_code=municipality_code, published_only=published_only
    ).prefetch_related(
        "conclusions",
        Prefetch("attention_points", queryset=AttentionPoint.objects.order_by("number")),
        Prefetch(
            "status_changes",
            queryset=RecommendationStatusChange.objects.order_by("changed_on", "pk"),
        ),
    )


def indicator_list(*, municipality_code: str, published_only: bool = True) -> QuerySet[Indicator]:
    indicators = Indicator.objects.for_municipality(municipality_code).select_related("report")
    if published_only:
        indicators = indicators.published()
    return indicators.order_by("year", "label")


def municipalities_with_policy_cells(*, codes: list[str]) -> dict[str, Municipality]:
    """Of these municipality codes, the ones with a published matrix, as code → Municipality."""
    return {
        municipality.code: municipality
        for municipality in Municipality.objects.filter(
            code__in=codes, pk__in=PolicyCell.objects.published().values("municipality")
        )
    }


def report_list_for_editor(*, municipality_code: str) -> QuerySet[Report]:
    """Every report of the municipality and every national one, drafts included."""
    return (
        Report.objects.filter(
            Q(municipality__code=municipality_code) | Q(municipality__isnull=True)
        )
        .select_related("municipality")
        .annotate(
            attention_point_count=Count("attention_points", distinct=True),
            conclusion_count=Count("conclusions", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
        )
        .order_by("-year", "title")
    )


def report_findings_for_editor(*, report: Report) -> dict[str, list]:
    """A report's attention points, conclusions and recommendations, drafts included."""
    return {
        "attention_points": list(
            report.attention_points.select_related("theme").order_by("number")
        ),
        "conclusions": list(report.conclusions.order_by("number")),
        "recommendations": list(report.recommendations.order_by("number")),
    }


def finding_is_visible(*, item, include_drafts: bool) -> bool:
    """Drafts, and items of a draft report, are seen by their editors only.

    The same rule as `Publishable.objects.published()`: a matrix cell only cites its
    report, so a draft report hides it neither in the matrix nor on its own page.
    """
    if include_drafts:
        return True
    published = item.state == PUBLISHED
    if not getattr(type(item), "shown_with_report", False):
        return published
    return published and item.report.state == PUBLISHED


def finding_links(*, item, include_drafts: bool) -> dict[str, list]:
    """What an item leads to and rests on: the trail from attention point to recommendation."""

    def visible(queryset):
        if not include_drafts:
            queryset = queryset.published()
        return list(queryset.select_related("report").order_by("report__year", "number"))

    if isinstance(item, AttentionPoint):
        return {
            "conclusions": visible(item.conclusions.all()),
            "recommendations": visible(item.recommendations.all()),
        }
    if isinstance(item, Conclusion):
        return {
            "attention_points": visible(item.attention_points.all()),
            "recommendations": visible(item.recommendations.all()),
        }
    if isinstance(item, Recommendation):
        return {
            "attention_points": visible(item.attention_points.all()),
            "conclusions": visible(item.conclusions.all()),
        }
    return {}


def policy_cell_list_for_editor(*, municipality_code: str) -> QuerySet[PolicyCell]:
    return policy_cell_list(municipality_code=municipality_code, published_only=False)
