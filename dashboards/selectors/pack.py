"""Debatpakket: the charts and findings chosen for a meeting, on one page."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from charts import privacy
from charts.chart import Chart
from dashboards.filters import Filters
from dashboards.selectors.compare import compare_chart_index, compare_page
from dashboards.selectors.findings import FindingsPage, findings_chart_index, findings_page
from dashboards.selectors.indicators import indicators_chart_index, indicators_page
from dashboards.selectors.overview import overview_chart_index, overview_page
from dashboards.selectors.register import register_chart_index, register_page


@dataclass
class PackPage:
    available: list[tuple[str, str]]
    charts: list[Chart]
    # None when nothing of the findings page is chosen (no "findings:…" in the include).
    findings: FindingsPage | None


@dataclass(frozen=True)
class PackSource:
    """A page the pack takes charts from.

    `build(filters=…, suppress_below=…)` makes the page, whose `charts` the pack
    offers; `index(filters=…, suppress_below=…)` gives the same charts' ids and
    titles, in the same order, without making them (a test holds the two together).
    """

    build: Callable[..., object]
    index: Callable[..., list[tuple[str, str]]]


def replace_filters(filters: Filters) -> Filters:
    # The pack shows every finding; the group and theme filters belong to the findings page.
    return replace(filters, group="", theme="")


def _pack_findings_page(*, filters: Filters, suppress_below: int | None = None) -> FindingsPage:
    # The pack shows each finding's number and title, not the links between them.
    return findings_page(
        filters=replace_filters(filters), suppress_below=suppress_below, with_links=False
    )


PACK_SOURCES = {
    "overview": PackSource(build=overview_page, index=overview_chart_index),
    # The pack shows no suggestions, which would read every municipality's counts.
    "compare": PackSource(
        build=functools.partial(compare_page, with_suggestions=False), index=compare_chart_index
    ),
    "register": PackSource(build=register_page, index=register_chart_index),
    "indicators": PackSource(build=indicators_page, index=indicators_chart_index),
    # The index reads only the municipality, so it needs no group or theme cleared.
    "findings": PackSource(build=_pack_findings_page, index=findings_chart_index),
}


def pack_page(*, filters: Filters, suppress_below: int | None = None) -> PackPage:
    """The chosen charts of every page, held back for the reader as each page does.

    Only the pages a chosen chart (or the findings) comes from are built; the
    charts of the others are listed from their indexes, which build nothing.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    chosen_pages = {key.partition(":")[0] for key in filters.include}
    available, chosen, findings = [], [], None
    for page_name, source in PACK_SOURCES.items():
        if page_name not in chosen_pages:
            available += _indexed(page_name, source, filters=filters, threshold=threshold)
            continue
        page = source.build(filters=filters, suppress_below=threshold)
        for chart in page.charts:
            key = f"{page_name}:{chart.id}"
            available.append((key, chart.title))
            if key in filters.include:
                chosen.append(chart)
        if page_name == "findings":
            findings = page
    return PackPage(available=available, charts=chosen, findings=findings)


def _indexed(
    page_name: str, source: PackSource, *, filters: Filters, threshold: int
) -> list[tuple[str, str]]:
    return [
        (f"{page_name}:{chart_id}", title)
        for chart_id, title in source.index(filters=filters, suppress_below=threshold)
    ]
