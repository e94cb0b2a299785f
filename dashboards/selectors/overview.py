"""Overzicht: the key figures and the motive charts of one municipality."""

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from charts import privacy
from charts.chart import Chart, Column, cell_text
from charts.formatting import format_percent
from dashboards import figures
from dashboards.filters import Filters
from dashboards.selectors.common import (
    held_back,
    missing_motives_note,
    population_notes,
    provenance_columns,
    register_definitions,
    shares_by_area,
    source_texts,
)
from registry import selectors as registry_selectors
from registry.constants import NETHERLANDS_CODE, Provenance
from registry.models import Municipality


@dataclass
class Tile:
    label: str
    value: str
    note: str = ""


@dataclass
class OverviewPage:
    tiles: list[Tile]
    charts: list[Chart]


@dataclass
class _Facts:
    """What the tiles, the summary and the charts of one overview are made of."""

    municipality: Municipality
    threshold: int
    counts: pd.DataFrame  # the chosen rows, held back for the reader
    exact: pd.DataFrame  # the same rows with their exact numbers
    latest_year: int
    latest: pd.DataFrame  # `counts` of the latest year
    total: object  # the latest year's total of the chosen motives, or its mark
    sources: list[str]
    own_shares: pd.DataFrame
    own_share: object
    national_share: object
    largest: pd.Series  # the largest motive of the latest year, as the reader sees it
    largest_shown: bool
    own_share_provenance: str = ""
    missing_note: str = ""  # which chosen motives have no figure in the latest year
    rows: list = field(default_factory=list)  # the CountRows behind `every`


def overview_page(*, filters: Filters, suppress_below: int | None = None) -> OverviewPage:
    """The key figures and the motive charts of one municipality.

    `suppress_below`: the small-number threshold of the reader (0 for staff);
    without it, what a council member may see (see `charts.privacy`).
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    # Every motive of every year: the cells held back do not depend on the filters.
    rows = registry_selectors.migrant_count_rows(municipality_code=filters.municipality.code)
    every = pd.DataFrame([row.as_dict() for row in rows])
    chosen = pd.Series(
        [_row_chosen(row, filters=filters) for row in rows], index=every.index, dtype=bool
    )
    if not chosen.any():
        return OverviewPage(tiles=[], charts=[])
    facts = _overview_facts(every=every, chosen=chosen, filters=filters, threshold=threshold)
    facts.rows = rows
    charts = [_motive_shares_chart(facts), _motive_split_chart(facts)]
    return OverviewPage(
        tiles=_overview_tiles(facts), charts=[chart for chart in charts if chart is not None]
    )


def overview_chart_index(
    *, filters: Filters, suppress_below: int | None = None
) -> list[tuple[str, str]]:
    """The ids and titles of the charts `overview_page` makes, without making them.

    Which charts there are does not depend on the threshold: it is taken from
    the exact rows, as the page takes it (`suppress_below` is for a like call).
    """
    rows = registry_selectors.migrant_count_rows(municipality_code=filters.municipality.code)
    chosen = [row for row in rows if _row_chosen(row, filters=filters)]
    if not chosen:
        return []
    municipality = filters.municipality
    latest_year = max(int(row.year) for row in chosen)
    index = []
    if any(row.share_of_population_pct is not None for row in chosen):
        index.append(("motive-shares", _motive_shares_title(municipality)))
    index.append(("motive-split", _motive_split_title(municipality, latest_year)))
    return index


def _row_chosen(row: registry_selectors.CountRow, *, filters: Filters) -> bool:
    return filters.years_allow(int(row.year)) and row.motive in filters.motives


def _overview_facts(
    *, every: pd.DataFrame, chosen: pd.Series, filters: Filters, threshold: int
) -> _Facts:
    municipality = filters.municipality
    exact = every[chosen]
    counts = privacy.counts_suppressed(frame=every, threshold=threshold)[chosen]
    shares = shares_by_area(filters, threshold=threshold)

    latest_year = int(exact["year"].max())
    in_latest = counts["year"] == latest_year
    latest = counts[in_latest].reset_index(drop=True)
    latest_exact = exact[in_latest].reset_index(drop=True)
    year_rows = every[every["year"] == latest_year]
    own_shares = shares[shares["municipality_code"] == municipality.code]
    national = shares[shares["municipality_code"] == NETHERLANDS_CODE]
    own_latest = own_shares[own_shares["year"] == latest_year]["share_pct"]
    national_latest = national[national["year"] == latest_year]["share_pct"]
    # The largest by the exact numbers, named only when its own number is shown.
    largest = latest.loc[latest_exact.sort_values("count", ascending=False).index[0]]
    return _Facts(
        municipality=municipality,
        threshold=threshold,
        counts=counts,
        exact=exact,
        latest_year=latest_year,
        latest=latest,
        total=privacy.chosen_total(
            counts=year_rows["count"].tolist(),
            chosen=year_rows["motive"].isin(filters.motives).tolist(),
            threshold=threshold,
        ),
        sources=source_texts(
            registry_selectors.count_source_list(
                municipality_code=municipality.code, year=latest_year
            )
        ),
        own_shares=own_shares,
        own_share=None if own_latest.empty else own_latest.iloc[0],
        national_share=None if national_latest.empty else national_latest.iloc[0],
        largest=largest,
        largest_shown=not isinstance(largest["count"], privacy.Suppressed),
        own_share_provenance=""
        if own_latest.empty
        else str(own_shares[own_shares["year"] == latest_year]["provenance"].iloc[0]),
        missing_note=missing_motives_note(
            motives_present=set(year_rows["motive"]), chosen=filters.motives
        ),
    )


def _overview_tiles(facts: _Facts) -> list[Tile]:
    tiles = [
        Tile(
            _("Registered migrants, %(year)s") % {"year": facts.latest_year},
            cell_text(facts.total, "number"),
        )
    ]
    own_share, national_share = facts.own_share, facts.national_share
    if own_share is not None and not held_back(own_share):
        tiles.append(
            Tile(
                _("Share of inhabitants"),
                cell_text(own_share, "percent"),
                _("the Netherlands: %(share)s") % {"share": cell_text(national_share, "percent")}
                if national_share is not None and not held_back(national_share)
                else "",
            )
        )
    if len(facts.own_shares) > 1:
        first = facts.own_shares.iloc[0]
        last = facts.own_shares.iloc[-1]
        if not held_back(first["share_pct"]) and not held_back(last["share_pct"]):
            tiles.append(
                Tile(
                    _("Change since %(year)s") % {"year": int(first["year"])},
                    _("%(start)s → %(end)s")
                    % {
                        "start": format_percent(first["share_pct"]),
                        "end": format_percent(last["share_pct"]),
                    },
                    _("share of inhabitants"),
                )
            )
    if facts.largest_shown:
        tiles.append(
            Tile(
                _("Largest motive"),
                figures.motive_label(facts.largest["motive"]),
                cell_text(facts.largest["share_of_migrants_pct"], "percent")
                + " "
                + _("of migrants"),
            )
        )
    return tiles


def _overview_summary(facts: _Facts) -> str:
    """The sentence that says what the motive-shares chart shows, held-back numbers left out."""
    values = {"year": facts.latest_year, "name": facts.municipality.name}
    if held_back(facts.total) and not facts.total.small:
        summary = (
            _(
                "In %(year)s, the number of migrants registered as residents of %(name)s is held "
                "back to protect small numbers"
            )
            % values
        )
    else:
        summary = _("In %(year)s, %(total)s migrants were registered as residents of %(name)s") % {
            **values,
            "total": cell_text(facts.total, "number"),
        }
    if facts.own_share is not None and not held_back(facts.own_share):
        summary += _(", %(share)s (%(kind)s) of the inhabitants") % {
            "share": cell_text(facts.own_share, "percent"),
            "kind": facts.own_share_provenance,
        }
    if facts.national_share is not None and not held_back(facts.national_share):
        summary += _("; in the Netherlands it was %(share)s") % {
            "share": cell_text(facts.national_share, "percent")
        }
    summary += "."
    derived = sorted(set(facts.latest["provenance"]) - {Provenance.PUBLISHED})
    if derived:
        summary += " " + _("Some counts are not published but %(kinds)s; the table says which.") % {
            "kinds": ", ".join(derived)
        }
    return " ".join(part for part in [summary, facts.missing_note] if part)


def _motive_shares_chart(facts: _Facts) -> Chart | None:
    """Each year's motives as shares of the inhabitants; none without population figures."""
    by_year = facts.counts[facts.exact["share_of_population_pct"].notna()]
    if by_year.empty:
        return None
    title = _motive_shares_title(facts.municipality)
    return Chart(
        id="motive-shares",
        title=title,
        summary=_overview_summary(facts),
        data=by_year[
            [
                "year",
                "motive",
                "count",
                "provenance",
                "provenance_basis",
                "share_of_population_pct",
            ]
        ].assign(motive=lambda f: f["motive"].map(figures.motive_label)),
        columns=[
            Column("year", _("Year")),
            Column("motive", _("Motive")),
            Column("count", _("Persons"), "number"),
            Column("share_of_population_pct", _("Share of inhabitants (%), computed"), "percent"),
            *provenance_columns(),
        ],
        figure=figures.motive_shares_over_time(by_year, title=title),
        sources=facts.sources,
        definitions=[
            *population_notes(facts.rows),
            *register_definitions(sorted(by_year["year"].unique().tolist())),
        ],
    )


def _motive_split_chart(facts: _Facts) -> Chart:
    """The latest year's split by motive, the largest named only when its number is shown."""
    largest = facts.largest
    if facts.largest_shown:
        # Published before computed: the report's 43 % rather than the portal's 43,15 %.
        published = largest.get("published_share_of_migrants_pct")
        largest_line = _(
            "The largest group is %(motive)s: %(count)s persons, %(share)s of the registered "
            "migrants (%(kind)s)."
        ) % {
            "motive": figures.motive_label(largest["motive"]).lower(),
            "count": cell_text(largest["count"], "number"),
            "share": cell_text(
                published if pd.notna(published) else largest["share_of_migrants_pct"], "percent"
            ),
            "kind": Provenance.PUBLISHED if pd.notna(published) else Provenance.COMPUTED,
        }
    else:
        largest_line = _(
            "Registered migrants by motive in %(year)s; numbers below %(threshold)s are not shown."
        ) % {"year": facts.latest_year, "threshold": facts.threshold}
    title = _motive_split_title(facts.municipality, facts.latest_year)
    return Chart(
        id="motive-split",
        title=title,
        summary=" ".join(part for part in [largest_line, facts.missing_note] if part),
        data=facts.latest[
            [
                "motive",
                "count",
                "provenance",
                "provenance_basis",
                "published_share_of_migrants_pct",
                "share_of_migrants_pct",
                "share_of_population_pct",
            ]
        ].assign(motive_label=lambda f: f["motive"].map(figures.motive_label)),
        columns=[
            Column("motive_label", _("Motive")),
            Column("count", _("Persons"), "number"),
            Column("share_of_migrants_pct", _("Share of migrants (%), computed"), "percent"),
            Column("share_of_population_pct", _("Share of inhabitants (%), computed"), "percent"),
            *provenance_columns(),
            Column(
                "published_share_of_migrants_pct",
                _("Share of migrants (%), published"),
                "percent",
            ),
        ],
        figure=figures.motive_split(facts.latest, title=title),
        sources=facts.sources,
        definitions=[
            *population_notes([r for r in facts.rows if r.year == facts.latest_year]),
            *register_definitions([facts.latest_year]),
        ],
    )


def _motive_shares_title(municipality: Municipality) -> str:
    return _("Migrants by motive as a share of inhabitants, %(name)s") % {"name": municipality.name}


def _motive_split_title(municipality: Municipality, year: int) -> str:
    return _("Registered migrants by motive, %(name)s, %(year)s") % {
        "name": municipality.name,
        "year": year,
    }
