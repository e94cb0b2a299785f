"""Read models for the dashboard pages, built on the apps' selectors."""

from dataclasses import dataclass, field

from registry.constants import NETHERLANDS_CODE, Measure, MotiveSlug, ShareBasis
from registry.models import Municipality
from registry.selectors import (
    CountRow,
    ShareRow,
    SourceRef,
    count_source_list,
    migrant_count_rows,
    municipality_with_counts_list,
    published_share_list,
)


@dataclass(frozen=True)
class MotiveLine:
    motive: str
    label: str
    count: int
    share_of_migrants_pct: float | None
    share_of_population_pct: float | None


@dataclass
class Overview:
    municipality: Municipality
    year: int | None = None
    total: int = 0
    share_of_population_pct: float | None = None
    lines: list[MotiveLine] = field(default_factory=list)
    published_shares: list[ShareRow] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)


def overview_municipalities() -> list[Municipality]:
    return list(municipality_with_counts_list())


def overview_get(*, municipality: Municipality) -> Overview:
    """The latest year's registered migrants by motive, with the published shares over time."""
    rows: list[CountRow] = migrant_count_rows(
        municipality_code=municipality.code, measure=Measure.STOCK
    )
    overview = Overview(
        municipality=municipality,
        published_shares=published_share_list(
            municipality_codes=[municipality.code, NETHERLANDS_CODE], basis=ShareBasis.POPULATION
        ),
    )
    if not rows:
        return overview
    overview.year = max(row.year for row in rows)
    latest = [row for row in rows if row.year == overview.year]
    overview.total = sum(row.count for row in latest)
    overview.lines = [
        MotiveLine(
            motive=row.motive,
            label=MotiveSlug(row.motive).label,
            count=row.count,
            share_of_migrants_pct=row.share_of_migrants_pct,
            share_of_population_pct=row.share_of_population_pct,
        )
        for row in latest
    ]
    population_shares = [row.share_of_population_pct for row in latest]
    if all(share is not None for share in population_shares):
        overview.share_of_population_pct = round(sum(population_shares), 2)
    overview.sources = count_source_list(
        municipality_code=municipality.code, year=overview.year, measure=Measure.STOCK
    )
    return overview
