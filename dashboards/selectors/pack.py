"""Debatpakket: the charts and findings chosen for a meeting, on one page."""

import functools
from dataclasses import dataclass, replace

from charts import privacy
from charts.chart import Chart
from dashboards.filters import Filters
from dashboards.selectors.compare import compare_page
from dashboards.selectors.findings import FindingsPage, findings_page
from dashboards.selectors.indicators import indicators_page
from dashboards.selectors.overview import overview_page
from dashboards.selectors.register import register_page


@dataclass
class PackPage:
    available: list[tuple[str, str]]
    charts: list[Chart]
    findings: FindingsPage


PACK_BUILDERS = {
    "overview": overview_page,
    "compare": functools.partial(compare_page, with_suggestions=False),
    "register": register_page,
    "indicators": indicators_page,
}


def pack_page(*, filters: Filters, suppress_below: int | None = None) -> PackPage:
    """The chosen charts of every page, held back for the reader as each page does."""
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    available, chosen = [], []
    for page_name, build in PACK_BUILDERS.items():
        for chart in build(filters=filters, suppress_below=threshold).charts:
            key = f"{page_name}:{chart.id}"
            available.append((key, chart.title))
            if key in filters.include:
                chosen.append(chart)
    findings = findings_page(filters=replace_filters(filters), suppress_below=threshold)
    for chart in findings.charts:
        key = f"findings:{chart.id}"
        available.append((key, chart.title))
        if key in filters.include:
            chosen.append(chart)
    return PackPage(available=available, charts=chosen, findings=findings)


def replace_filters(filters: Filters) -> Filters:
    # The pack shows every finding; the group and theme filters belong to the findings page.
    return replace(filters, group="", theme="")
