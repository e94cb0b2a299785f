"""Bevindingen: per report the attention points, conclusions and recommendations."""

from collections import Counter
from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from charts.chart import Chart, Column
from dashboards import figures
from dashboards.filters import FilterError, Filters
from policy import selectors as policy_selectors
from policy.constants import RecommendationStatus
from policy.models import MigrantGroup, PolicyTheme


@dataclass
class ReportFindings:
    report: object
    attention_points: list
    conclusions: list
    recommendations: list


@dataclass
class FindingsPage:
    reports: list[ReportFindings]
    charts: list[Chart]
    groups: list
    themes: list
    statuses: dict
    has_programme: bool = False


def findings_page(
    *, filters: Filters, suppress_below: int | None = None, with_links: bool = True
) -> FindingsPage:
    """Counts of recommendations, not of persons: `suppress_below` has nothing to hold back.

    Without `with_links` (the debate pack shows each finding's number and title
    only) the links between findings and their edit history (`changed_on`) are
    not read.
    """
    code = filters.municipality.code
    groups = list(MigrantGroup.objects.order_by("order"))
    themes = list(PolicyTheme.objects.order_by("order"))
    if filters.group and filters.group not in {g.slug for g in groups}:
        raise FilterError(_("Unknown group “%(value)s”.") % {"value": filters.group})
    if filters.theme and filters.theme not in {t.slug for t in themes}:
        raise FilterError(_("Unknown theme “%(value)s”.") % {"value": filters.theme})
    points, conclusions, recommendations = _finding_lists(filters, with_links=with_links)
    statuses = {
        rec.pk: policy_selectors.recommendation_current_status(recommendation=rec)
        for rec in recommendations
    }
    if with_links:
        _mark_changed_after_publication(points, conclusions, recommendations)
    reports: dict[int, ReportFindings] = {}
    for item, bucket in (
        *((p, "attention_points") for p in points),
        *((c, "conclusions") for c in conclusions),
        *((r, "recommendations") for r in recommendations),
    ):
        findings = reports.setdefault(item.report_id, ReportFindings(item.report, [], [], []))
        getattr(findings, bucket).append(item)
    charts = (
        [_status_chart(recommendations, statuses=statuses, name=filters.municipality.name)]
        if recommendations
        else []
    )
    return FindingsPage(
        reports=list(reports.values()),
        charts=charts,
        groups=groups,
        themes=themes,
        statuses=statuses,
        # Asked only where there are no findings to show (it costs two queries).
        has_programme=not reports
        and (
            policy_selectors.programme_line_list(municipality_code=code).exists()
            or policy_selectors.context_note_list(municipality_code=code).exists()
        ),
    )


def findings_chart_index(
    *, filters: Filters, suppress_below: int | None = None
) -> list[tuple[str, str]]:
    """The ids and titles of the charts `findings_page` makes, without making them.

    The chart counts every recommendation, whatever the group and theme filters.
    """
    code = filters.municipality.code
    if not policy_selectors.recommendation_list(municipality_code=code).exists():
        return []
    return [("recommendation-status", _status_title(filters.municipality.name))]


def _status_title(name: str) -> str:
    return _("Recommendations by status, %(name)s") % {"name": name}


def _finding_lists(filters: Filters, *, with_links: bool) -> tuple[list, list, list]:
    """The attention points (of the chosen group and theme), conclusions and recommendations."""
    code = filters.municipality.code
    points = policy_selectors.attention_point_list(municipality_code=code)
    conclusions = policy_selectors.conclusion_list(municipality_code=code)
    recommendations = policy_selectors.recommendation_list(municipality_code=code)
    if not with_links:
        # What is read without the links: a point's groups to filter on, a recommendation's
        # status changes for its status (the latest by date, whatever their order).
        points = points.prefetch_related(None).prefetch_related(
            *(["groups"] if filters.group else [])
        )
        conclusions = conclusions.prefetch_related(None)
        recommendations = recommendations.prefetch_related(None).prefetch_related("status_changes")
    return (
        [
            point
            for point in points
            if (not filters.group or filters.group in {g.slug for g in point.groups.all()})
            and (not filters.theme or (point.theme and point.theme.slug == filters.theme))
        ],
        list(conclusions),
        list(recommendations),
    )


def _mark_changed_after_publication(*groups: list) -> None:
    """Give each item whose published text was edited its `changed_on` (else None)."""
    for items in groups:
        if not items:
            continue
        changed = policy_selectors.items_changed_after_publication(
            model=type(items[0]), pks=[item.pk for item in items]
        )
        for item in items:
            item.changed_on = changed.get(item.pk)


def _status_chart(recommendations: list, *, statuses: dict, name: str) -> Chart:
    """How many recommendations have each status, every status named (zero too)."""
    tally = Counter(statuses.values())
    data = pd.DataFrame(
        [
            {"status": s, "label": str(RecommendationStatus(s).label), "count": tally.get(s, 0)}
            for s in RecommendationStatus.values
        ]
    )
    title = _status_title(name)
    return Chart(
        id="recommendation-status",
        title=title,
        summary=_("%(total)s recommendations: %(parts)s.")
        % {
            "total": len(recommendations),
            "parts": ", ".join(
                f"{count} {label.lower()}"
                for label, count in zip(data["label"], data["count"], strict=True)
                if count
            ),
        },
        data=data,
        columns=[
            Column("label", _("Status")),
            Column("count", _("Recommendations"), "number"),
        ],
        figure=figures.recommendation_statuses(data, title=title),
        sources=sorted({r.report.title for r in recommendations}),
    )
