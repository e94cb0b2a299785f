"""What several dashboard pages share: the register's definitions, sources and shares."""

import pandas as pd
from django.utils.translation import gettext_lazy

from charts import privacy
from dashboards.filters import Filters
from registry import selectors as registry_selectors
from registry.constants import ShareBasis

STOCK_DEFINITION = gettext_lazy(
    "Stock: persons registered as residents in the municipal personal records database (BRP) "
    "on 1 January. Short-stay labour migrants and asylum seekers without a residence permit "
    "are mostly missing."
)
UKRAINE_DEFINITION = gettext_lazy(
    "Ukrainian displaced persons under temporary protection are counted apart from asylum."
)
CBS_2020_DEFINITION = gettext_lazy(
    "CBS changed its method of determining the migration motive in 2020; figures before and "
    "after are not fully comparable."
)
CBS_METHOD_CHANGE_YEAR = 2020
SHARE_COLUMNS = ["municipality_code", "municipality", "year", "share_pct", "basis", "source"]


def source_texts(sources: list[registry_selectors.SourceRef]) -> list[str]:
    return [
        f"{source.publisher}, {source.title} ({source.year})"
        + (f": {'; '.join(source.details)}" if source.details else "")
        for source in sources
    ]


def register_definitions(years: list[int]) -> list[str]:
    """The definitions a chart of register counts over `years` carries."""
    definitions = [str(STOCK_DEFINITION), str(UKRAINE_DEFINITION)]
    if years and min(years) < CBS_METHOD_CHANGE_YEAR <= max(years):
        definitions.append(str(CBS_2020_DEFINITION))
    return definitions


def held_back(value) -> bool:
    return isinstance(value, privacy.Suppressed)


def shares_by_area(filters: Filters, *, threshold: int) -> pd.DataFrame:
    """Share of migrants among inhabitants per area and year.

    Computed from counts and population where both are stored, otherwise the
    share the source publishes; the column `basis` says which. A share whose
    total is held back (see `charts.privacy`) is a `Suppressed` mark.
    """
    records = _computed_shares(filters, threshold=threshold)
    have = {(r["municipality_code"], r["year"]) for r in records}
    published = registry_selectors.published_share_list(
        municipality_codes=filters.areas, basis=ShareBasis.POPULATION
    )
    for share in published:
        if share.motive is None and (share.municipality_code, share.year) not in have:
            records.append(
                {
                    "municipality_code": share.municipality_code,
                    "municipality": share.municipality,
                    "year": share.year,
                    "share_pct": share.share_pct,
                    "basis": "published",
                    "source": f"{share.source}, {share.source_detail}",
                }
            )
    frame = pd.DataFrame.from_records(records, columns=SHARE_COLUMNS)
    in_years = pd.Series([filters.years_allow(int(y)) for y in frame["year"]], dtype=bool)
    frame = frame.loc[in_years.to_numpy()]
    order = {code: index for index, code in enumerate(filters.areas)}
    return frame.sort_values(
        ["municipality_code", "year"],
        key=lambda s: s.map(order) if s.name == "municipality_code" else s,
    ).reset_index(drop=True)


def _computed_shares(filters: Filters, *, threshold: int) -> list[dict]:
    """The shares summed from the motives' counts, for the area-years with every motive's share."""
    counts = registry_selectors.migrant_count_rows(municipality_codes=filters.areas)
    computed: dict[tuple, dict] = {}
    parts: dict[tuple, list[int]] = {}
    for row in counts:
        key = (row.municipality_code, row.year)
        parts.setdefault(key, []).append(row.count)
        entry = computed.setdefault(
            key,
            {
                "municipality_code": row.municipality_code,
                "municipality": row.municipality,
                "year": row.year,
                "share_pct": 0.0,
                "complete": True,
                "basis": "computed",
            },
        )
        if row.share_of_population_pct is None:
            entry["complete"] = False
        else:
            entry["share_pct"] += row.share_of_population_pct
    return [
        {
            **entry,
            "share_pct": privacy.Suppressed(threshold)
            if privacy.group_suppression(counts=parts[key], threshold=threshold).total
            else round(entry["share_pct"], 2),
        }
        for key, entry in computed.items()
        if entry["complete"]
    ]
