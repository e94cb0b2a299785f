"""Vergelijken: the municipality beside its comparison group, and municipalities like it."""

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from charts import privacy
from charts.chart import Chart, Column
from charts.formatting import format_percent
from dashboards import figures
from dashboards.filters import Filters
from dashboards.selectors.common import (
    held_back,
    population_notes,
    provenance_columns,
    register_definitions,
    shares_by_area,
)
from policy import selectors as policy_selectors
from policy.constants import ContextPlacement
from registry import selectors as registry_selectors
from registry.constants import MotiveSlug
from registry.models import Municipality

SUGGESTION_COUNT = 5


@dataclass
class Suggestion:
    code: str
    name: str
    distance: float
    query: str = ""


@dataclass
class ComparePage:
    charts: list[Chart]
    suggestions: list[Suggestion]
    # The compared areas without a single figure: the page names them, never drops them.
    without_figures: list[Municipality] = field(default_factory=list)
    # The report's own comparison statements (ContextNote), for areas without figures.
    statements: list = field(default_factory=list)


def similar_municipalities(*, municipality: Municipality, year: int) -> list[Suggestion]:
    """The municipalities most alike in motive mix per 1,000 inhabitants (not in size)."""
    mix = registry_selectors.motive_mix_per_thousand(year=year)
    own = mix.get(municipality.code)
    if not own or len(mix) <= SUGGESTION_COUNT:
        return []
    names = dict(Municipality.objects.filter(code__in=list(mix)).values_list("code", "name"))
    distances = []
    for code, other in mix.items():
        if code == municipality.code:
            continue
        squared = sum((own.get(m, 0.0) - other.get(m, 0.0)) ** 2 for m in MotiveSlug.values)
        distances.append(Suggestion(code, names.get(code, code), round(squared**0.5, 2)))
    return sorted(distances, key=lambda s: (s.distance, s.name))[:SUGGESTION_COUNT]


def compare_page(
    *, filters: Filters, suppress_below: int | None = None, with_suggestions: bool = True
) -> ComparePage:
    """The municipality beside its comparison group; held-back numbers as in `overview_page`.

    The suggestions are computed from the exact numbers, but show only names;
    without `with_suggestions` (the debate pack shows none) they are left out,
    as they read every municipality's counts.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    municipality = filters.municipality
    # Every area's counts, read once for the shares and the motive chart.
    rows = registry_selectors.migrant_count_rows(municipality_codes=filters.areas)
    shares = shares_by_area(filters, threshold=threshold, rows=rows)
    charts: list[Chart] = []
    suggestions: list[Suggestion] = []
    if not shares.empty:
        own_rows = shares["municipality_code"] == municipality.code
        # The municipality's own latest year, else the comparison's.
        years = shares[own_rows]["year"] if own_rows.any() else shares["year"]
        latest_year = int(years.max())
        charts.append(
            _share_comparison_chart(shares, municipality=municipality, latest_year=latest_year)
        )
        if with_suggestions:
            suggestions = similar_municipalities(municipality=municipality, year=latest_year)
        for suggestion in suggestions:
            suggestion.query = filters.as_query(compare=(*filters.compare, suggestion.code))
    motive_chart = _motive_comparison_chart(filters, threshold=threshold, every=rows)
    if motive_chart is not None:
        charts.append(motive_chart)
    with_figures = registry_selectors.municipality_codes_with_figures(codes=list(filters.compare))
    return ComparePage(
        charts=charts,
        suggestions=suggestions,
        without_figures=list(
            Municipality.objects.filter(code__in=set(filters.compare) - with_figures).order_by(
                "name"
            )
        ),
        statements=list(
            policy_selectors.context_note_list(
                municipality_code=municipality.code, placement=ContextPlacement.COMPARISON
            ).prefetch_related(None)  # texts only: their themes and groups are not shown
        ),
    )


def compare_chart_index(
    *, filters: Filters, suppress_below: int | None = None
) -> list[tuple[str, str]]:
    """The ids and titles of the charts `compare_page` makes, without making them."""
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    rows = registry_selectors.migrant_count_rows(municipality_codes=filters.areas)
    index = []
    if not shares_by_area(filters, threshold=threshold, rows=rows).empty:
        index.append(("share-comparison", _share_comparison_title(filters.municipality)))
    if any(_motive_comparison_rows(filters, every=rows)):
        index.append(("motive-comparison", _motive_comparison_title()))
    return index


def _share_comparison_chart(
    shares: pd.DataFrame, *, municipality: Municipality, latest_year: int
) -> Chart:
    latest = shares[shares["year"] == latest_year]
    parts = [
        f"{row.municipality} {format_percent(row.share_pct)}"
        for row in latest.itertuples()
        if not held_back(row.share_pct)
    ]
    title = _share_comparison_title(municipality)
    return Chart(
        id="share-comparison",
        title=title,
        summary=_("Share of registered migrants among inhabitants in %(year)s: %(parts)s.")
        % {"year": latest_year, "parts": "; ".join(parts)},
        data=shares,
        columns=[
            Column("municipality", _("Area")),
            Column("year", _("Year")),
            Column("share_pct", _("Share of inhabitants (%)"), "percent"),
            *provenance_columns(),
            Column("source", _("Source")),
        ],
        figure=figures.share_comparison(shares, title=title, highlight=municipality.code),
        sources=sorted(set(shares["source"].dropna())),
        definitions=register_definitions(sorted(shares["year"].unique().tolist())),
    )


def _motive_comparison_chart(filters: Filters, *, threshold: int, every: list) -> Chart | None:
    """Per motive, each area's share of inhabitants; none where no area has population figures.

    `every`: the areas' count rows (`registry.selectors.migrant_count_rows`).
    """
    shown = privacy.counts_suppressed(
        frame=pd.DataFrame([row.as_dict() for row in every]), threshold=threshold
    )
    per_motive = shown[_motive_comparison_rows(filters, every=every)].reset_index(drop=True)
    if per_motive.empty:
        return None
    title = _motive_comparison_title()
    return Chart(
        id="motive-comparison",
        title=title,
        summary=_(
            "Per motive, the share of inhabitants registered with that motive, for the "
            "areas with counts and population: %(areas)s."
        )
        % {"areas": ", ".join(dict.fromkeys(per_motive["municipality"]))},
        data=per_motive.assign(motive_label=lambda f: f["motive"].map(figures.motive_label)),
        columns=[
            Column("municipality", _("Area")),
            Column("year", _("Year")),
            Column("motive_label", _("Motive")),
            Column("count", _("Persons"), "number"),
            Column("share_of_population_pct", _("Share of inhabitants (%), computed"), "percent"),
            *provenance_columns(),
        ],
        figure=figures.motive_small_multiples(
            per_motive,
            title=title,
            highlight=filters.municipality.code,
            own_scales=filters.own_scales,
        ),
        definitions=[
            *_scale_note(filters),
            *population_notes([row for row in every if row.share_of_population_pct is not None]),
            *register_definitions(sorted(per_motive["year"].unique().tolist())),
        ],
    )


def _scale_note(filters: Filters) -> list[str]:
    if not filters.own_scales:
        return []
    return [
        _(
            "Each motive has its own scale here: compare the heights within one panel, "
            "not across panels."
        )
    ]


def _motive_comparison_rows(filters: Filters, *, every: list) -> list[bool]:
    """Of the areas' count rows, the ones the motive chart shows: with population, chosen."""
    return [
        row.share_of_population_pct is not None
        and filters.years_allow(row.year)
        and row.motive in filters.motives
        for row in every
    ]


def _share_comparison_title(municipality: Municipality) -> str:
    return _("Migrants as a share of inhabitants: %(name)s and its comparison") % {
        "name": municipality.name
    }


def _motive_comparison_title() -> str:
    return _("Share of inhabitants per motive, per area")
