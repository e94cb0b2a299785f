"""What several dashboard pages share: the register's definitions, sources and shares."""

import pandas as pd
from django.utils.translation import gettext_lazy

from charts import privacy
from charts.chart import Column
from dashboards.filters import Filters
from registry import selectors as registry_selectors
from registry.constants import CBS_METHOD_CHANGE_YEAR, MotiveSlug, Provenance, ShareBasis

# CBS's definitions, not the documents': they say so, and stand only under register counts.
STOCK_DEFINITION = gettext_lazy(
    "CBS definition: stock means persons registered as residents in the municipal personal "
    "records database (BRP) on 1 January. Short-stay labour migrants and asylum seekers "
    "without a residence permit are mostly missing."
)
UKRAINE_DEFINITION = gettext_lazy(
    "CBS definition: Ukrainian displaced persons are counted apart from asylum migrants."
)
CBS_2020_DEFINITION = gettext_lazy(
    "CBS definition: CBS changed its method of determining the migration motive in 2020; "
    "figures before and after are not fully comparable."
)
SHARE_COLUMNS = [
    "municipality_code",
    "municipality",
    "year",
    "share_pct",
    "provenance",
    "provenance_basis",
    "source",
]


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


def provenance_columns() -> list[Column]:
    """Every table and download of figures says what kind of value each is, and how made."""
    return [
        Column(
            "provenance",
            str(gettext_lazy("Kind of value")),
            codes={code: str(label) for code, label in Provenance.choices},
        ),
        Column("provenance_basis", str(gettext_lazy("How computed or derived"))),
    ]


def provenance_text(kind: str, basis: str = "") -> str:
    """A value's kind as readers see it: “afgeleid (6 % van 18.480)”."""
    label = str(Provenance(kind).label) if kind in Provenance.values else kind
    return f"{label} ({basis})" if basis else label


def missing_motives_note(*, motives_present: set[str], chosen: tuple[str, ...]) -> str:
    """Which chosen motives have no figure, so totals and shares leave them out ("" if none)."""
    missing = [slug for slug in MotiveSlug.values if slug in chosen and slug not in motives_present]
    if not missing:
        return ""
    return str(
        gettext_lazy("No figure for %(motives)s: the total and the shares leave that group out.")
    ) % {"motives": ", ".join(str(MotiveSlug(slug).label).lower() for slug in missing)}


def population_notes(rows: list) -> list[str]:
    """For count rows with a share of inhabitants: that share is computed by the portal, and
    where the population itself is derived (Haarlemmermeer 2023), how."""
    notes = {
        str(
            gettext_lazy(
                "Shares of inhabitants are computed by the portal; the population of "
                "%(name)s in %(year)s is itself %(kind)s."
            )
        )
        % {
            "name": row.municipality,
            "year": row.year,
            "kind": provenance_text(row.population_provenance, row.population_provenance_basis),
        }
        for row in rows
        if row.population_provenance not in (None, Provenance.PUBLISHED)
    }
    return sorted(notes)


def held_back(value) -> bool:
    return isinstance(value, privacy.Suppressed)


def shares_by_area(
    filters: Filters, *, threshold: int, rows: list[registry_selectors.CountRow] | None = None
) -> pd.DataFrame:
    """Share of migrants among inhabitants per area and year.

    Published before computed: the share a source publishes (Haarlemmermeer's
    11,4 %) is shown as published; only where none is published is it computed
    from counts and population. The column `provenance` says which (Provenance).
    A share whose total is held back (see `charts.privacy`) is a `Suppressed` mark.
    `rows`: the areas' count rows when already read (`migrant_count_rows` of `filters.areas`).
    """
    published = registry_selectors.published_share_list(
        municipality_codes=filters.areas, basis=ShareBasis.POPULATION
    )
    records = [
        {
            "municipality_code": share.municipality_code,
            "municipality": share.municipality,
            "year": share.year,
            "share_pct": share.share_pct,
            "provenance": Provenance.PUBLISHED,
            "provenance_basis": "",
            "source": f"{share.source}, {share.source_detail}",
        }
        for share in published
        if share.motive is None
    ]
    have = {(r["municipality_code"], r["year"]) for r in records}
    records += [
        record
        for record in _computed_shares(filters, threshold=threshold, rows=rows)
        if (record["municipality_code"], record["year"]) not in have
    ]
    frame = pd.DataFrame.from_records(records, columns=SHARE_COLUMNS)
    in_years = pd.Series([filters.years_allow(int(y)) for y in frame["year"]], dtype=bool)
    frame = frame.loc[in_years.to_numpy()]
    order = {code: index for index, code in enumerate(filters.areas)}
    return frame.sort_values(
        ["municipality_code", "year"],
        key=lambda s: s.map(order) if s.name == "municipality_code" else s,
    ).reset_index(drop=True)


def _computed_shares(
    filters: Filters, *, threshold: int, rows: list[registry_selectors.CountRow] | None = None
) -> list[dict]:
    """The shares summed from the motives' counts, for the area-years with every motive's share."""
    counts = (
        registry_selectors.migrant_count_rows(municipality_codes=filters.areas)
        if rows is None
        else rows
    )
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
                "provenance": Provenance.COMPUTED,
                "provenance_basis": str(gettext_lazy("sum of the motives' counts / inhabitants")),
                "source": "",
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
