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


def findings_page(*, filters: Filters, suppress_below: int | None = None) -> FindingsPage:
    """Counts of recommendations, not of persons: `suppress_below` has nothing to hold back."""
    code = filters.municipality.code
    groups = list(MigrantGroup.objects.order_by("order"))
    themes = list(PolicyTheme.objects.order_by("order"))
    if filters.group and filters.group not in {g.slug for g in groups}:
        raise FilterError(_("Unknown group “%(value)s”.") % {"value": filters.group})
    if filters.theme and filters.theme not in {t.slug for t in themes}:
        raise FilterError(_("Unknown theme “%(value)s”.") % {"value": filters.theme})
    points = [
        point
        for point in policy_selectors.attention_point_list(municipality_code=code)
        if (not filters.group or filters.group in {g.slug for g in point.groups.all()})
        and (not filters.theme or (point.theme and point.theme.slug == filters.theme))
    ]
    conclusions = list(policy_selectors.conclusion_list(municipality_code=code))
    recommendations = list(policy_selectors.recommendation_list(municipality_code=code))
    statuses = {
        rec.pk: policy_selectors.recommendation_current_status(recommendation=rec)
        for rec in recommendations
    }
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
    title = _("Recommendations by status, %(name)s") % {"name": name}
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
