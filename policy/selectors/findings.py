"""The read API for the audit office's findings and the policy matrix."""

from django.db.models import Prefetch, QuerySet

from policy.constants import PublicationState, RecommendationStatus
from policy.models import (
    AttentionPoint,
    Conclusion,
    Indicator,
    PolicyCell,
    Recommendation,
    RecommendationStatusChange,
)
from registry.models import Municipality

PUBLISHED = PublicationState.PUBLISHED


def recommendation_current_status(*, recommendation: Recommendation) -> str:
    """The latest dated status; a recommendation with no follow-up yet is open.

    Expects `status_changes` to be prefetched in date order when called in a loop.
    """
    changes = list(recommendation.status_changes.all())
    if not changes:
        return RecommendationStatus.OPEN
    return max(changes, key=lambda change: (change.changed_on, change.pk)).status


def policy_cell_list(
    *, municipality_code: str, published_only: bool = True
) -> QuerySet[PolicyCell]:
    cells = PolicyCell.objects.filter(municipality__code=municipality_code).select_related(
        "group", "theme"
    )
    if published_only:
        cells = cells.filter(state=PUBLISHED)
    return cells.order_by("group__order", "theme__order")


def _findings_of(model, *, municipality_code: str, published_only: bool):
    items = model.objects.filter(report__municipality__code=municipality_code).select_related(
        "report"
    )
    if published_only:
        items = items.filter(state=PUBLISHED, report__state=PUBLISHED)
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
        Prefetch(
            "status_changes",
            queryset=RecommendationStatusChange.objects.order_by("changed_on", "pk"),
        ),
    )


def policy_export(*, municipality_code: str) -> dict:
    """The municipality's published matrix and findings as plain data (for JSON)."""
    return {
        "municipality": municipality_code,
        "policy_matrix": [
            {
                "group": cell.group.slug,
                "theme": cell.theme.slug,
                "legal_position": cell.legal_position,
                "policy_status": cell.policy_status,
                "note": cell.note,
            }
            for cell in policy_cell_list(municipality_code=municipality_code)
        ],
        "attention_points": [
            {
                "report": point.report.slug,
                "number": point.number,
                "title": point.title,
                "explanation": point.explanation,
                "groups": [group.slug for group in point.groups.all()],
                "theme": point.theme.slug if point.theme else None,
            }
            for point in attention_point_list(municipality_code=municipality_code)
        ],
        "conclusions": [
            {
                "report": conclusion.report.slug,
                "number": conclusion.number,
                "title": conclusion.title,
                "explanation": conclusion.explanation,
                "attention_points": sorted(p.number for p in conclusion.attention_points.all()),
            }
            for conclusion in conclusion_list(municipality_code=municipality_code)
        ],
        "recommendations": [
            {
                "report": recommendation.report.slug,
                "number": recommendation.number,
                "title": recommendation.title,
                "explanation": recommendation.explanation,
                "addressee": recommendation.addressee,
                "conclusions": sorted(c.number for c in recommendation.conclusions.all()),
                "status": recommendation_current_status(recommendation=recommendation),
                "status_history": [
                    {
                        "date": change.changed_on.isoformat(),
                        "status": change.status,
                        "reported_by": change.reported_by,
                    }
                    for change in recommendation.status_changes.all()
                ],
            }
            for recommendation in recommendation_list(municipality_code=municipality_code)
        ],
    }


def indicator_list(*, municipality_code: str, published_only: bool = True) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(municipality__code=municipality_code).select_related(
        "report"
    )
    if published_only:
        indicators = indicators.filter(state=PUBLISHED)
    return indicators.order_by("year", "label")


def municipalities_with_policy_cells(*, codes: list[str]) -> dict[str, Municipality]:
    """Of these municipality codes, the ones with a published matrix, as code → Municipality."""
    return {
        municipality.code: municipality
        for municipality in Municipality.objects.filter(
            code__in=codes, policy_cells__state=PUBLISHED
        ).distinct()
    }
