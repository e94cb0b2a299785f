"""Read models of the dashboard pages: every chart's data, text and figure.

Each page builder reads through the apps' selectors in a fixed number of
queries, whatever the number of municipalities or years, and returns charts
whose table, download and figure are the same numbers.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards import figures, privacy
from dashboards.filters import FilterError, Filters
from dashboards.formatting import format_number, format_percent
from dashboards.models import MeetingSnapshot
from migrantportal.figure_cache import figure_cache_get_or_build, figure_cache_version
from policy import selectors as policy_selectors
from policy.constants import IndicatorUnit, LegalPosition, PolicyStatus, RecommendationStatus
from policy.models import (
    AttentionPoint,
    Conclusion,
    MigrantGroup,
    PolicyTheme,
    Recommendation,
    RecommendationStatusChange,
)
from registry import selectors as registry_selectors
from registry.constants import NETHERLANDS_CODE, MotiveSlug, ShareBasis
from registry.models import ImportBatch, Municipality

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


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text, number or percent


@dataclass
class Chart:
    """One chart: its figure, the same numbers as a table, and what it rests on."""

    id: str
    title: str
    summary: str
    data: pd.DataFrame
    columns: list[Column]
    figure: go.Figure | None = None
    sources: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A chart with held-back numbers says why, wherever it is shown or frozen.
        held_back = privacy.frame_holds_suppressed(self.data)
        if held_back is not None:
            self.definitions = [
                *self.definitions,
                privacy.suppression_note(threshold=held_back.threshold),
            ]

    def table_rows(self) -> list[list[tuple[str, bool]]]:
        """Each cell as (text in the reader's notation, whether it is a number)."""
        return [
            [
                (_display(record.get(column.key), column.kind), column.kind != "text")
                for column in self.columns
            ]
            for record in self.data.to_dict("records")
        ]

    def export_records(self) -> list[dict]:
        return [
            {column.key: _plain(record.get(column.key)) for column in self.columns}
            for record in self.data.to_dict("records")
        ]


def _display(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, privacy.Suppressed):
        return str(value)
    if kind == "number":
        return format_number(value)
    if kind == "percent":
        return format_percent(value)
    return str(value)


def _plain(value):
    """A cell as downloads hold it: a held-back number as the table's text ("< 5", "x")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, privacy.Suppressed):
        return str(value)
    if hasattr(value, "item"):
        return value.item()
    return value


def _source_texts(sources: list[registry_selectors.SourceRef]) -> list[str]:
    return [
        f"{source.publisher}, {source.title} ({source.year})"
        + (f": {'; '.join(source.details)}" if source.details else "")
        for source in sources
    ]


def _definitions(years: list[int]) -> list[str]:
    definitions = [str(STOCK_DEFINITION), str(UKRAINE_DEFINITION)]
    if years and min(years) < CBS_METHOD_CHANGE_YEAR <= max(years):
        definitions.append(str(CBS_2020_DEFINITION))
    return definitions


# --- Overzicht ---


@dataclass
class Tile:
    label: str
    value: str
    note: str = ""


@dataclass
class OverviewPage:
    tiles: list[Tile]
    charts: list[Chart]


def _shares_by_area(filters: Filters, *, threshold: int) -> pd.DataFrame:
    """Share of migrants among inhabitants per area and year.

    Computed from counts and population where both are stored, otherwise the
    share the source publishes; the column `basis` says which. A share whose
    total is held back (see `dashboards.privacy`) is a `Suppressed` mark.
    """
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
    published = registry_selectors.published_share_list(
        municipality_codes=filters.areas, basis=ShareBasis.POPULATION
    )
    records = [
        {
            **entry,
            "share_pct": privacy.Suppressed(threshold)
            if privacy.group_suppression(counts=parts[key], threshold=threshold).total
            else round(entry["share_pct"], 2),
        }
        for key, entry in computed.items()
        if entry["complete"]
    ]
    have = {(r["municipality_code"], r["year"]) for r in records}
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
    frame = pd.DataFrame.from_records(
        records,
        columns=["municipality_code", "municipality", "year", "share_pct", "basis", "source"],
    )
    in_years = pd.Series([filters.years_allow(int(y)) for y in frame["year"]], dtype=bool)
    frame = frame.loc[in_years.to_numpy()]
    order = {code: index for index, code in enumerate(filters.areas)}
    return frame.sort_values(
        ["municipality_code", "year"],
        key=lambda s: s.map(order) if s.name == "municipality_code" else s,
    ).reset_index(drop=True)


def overview_page(*, filters: Filters, suppress_below: int | None = None) -> OverviewPage:
    """The key figures and the motive charts of one municipality.

    `suppress_below`: the small-number threshold of the reader (0 for staff);
    without it, what a council member may see (see `dashboards.privacy`).
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    municipality = filters.municipality
    # Every motive of every year: the cells held back do not depend on the filters.
    every = pd.DataFrame(
        [
            row.as_dict()
            for row in registry_selectors.migrant_count_rows(municipality_code=municipality.code)
        ]
    )
    charts: list[Chart] = []
    tiles: list[Tile] = []
    chosen = pd.Series(
        [
            filters.years_allow(int(row["year"])) and row["motive"] in filters.motives
            for row in every.to_dict("records")
        ],
        index=every.index,
        dtype=bool,
    )
    if not chosen.any():
        return OverviewPage(tiles=tiles, charts=charts)
    exact = every[chosen]
    counts = privacy.counts_suppressed(frame=every, threshold=threshold)[chosen]
    shares = _shares_by_area(filters, threshold=threshold)

    latest_year = int(exact["year"].max())
    in_latest = counts["year"] == latest_year
    latest = counts[in_latest].reset_index(drop=True)
    latest_exact = exact[in_latest].reset_index(drop=True)
    year_rows = every[every["year"] == latest_year]
    total = privacy.chosen_total(
        counts=year_rows["count"].tolist(),
        chosen=year_rows["motive"].isin(filters.motives).tolist(),
        threshold=threshold,
    )
    sources = _source_texts(
        registry_selectors.count_source_list(municipality_code=municipality.code, year=latest_year)
    )
    own_shares = shares[shares["municipality_code"] == municipality.code]
    national = shares[shares["municipality_code"] == NETHERLANDS_CODE]
    own_latest = own_shares[own_shares["year"] == latest_year]["share_pct"]
    national_latest = national[national["year"] == latest_year]["share_pct"]
    own_share = None if own_latest.empty else own_latest.iloc[0]
    national_share = None if national_latest.empty else national_latest.iloc[0]
    # The largest by the exact numbers, named only when its own number is shown.
    largest_at = latest_exact.sort_values("count", ascending=False).index[0]
    largest = latest.loc[largest_at]
    largest_shown = not isinstance(largest["count"], privacy.Suppressed)

    tiles.append(
        Tile(
            _("Registered migrants, %(year)s") % {"year": latest_year},
            _display(total, "number"),
        )
    )
    if own_share is not None and not _held_back(own_share):
        tiles.append(
            Tile(
                _("Share of inhabitants"),
                _display(own_share, "percent"),
                _("the Netherlands: %(share)s") % {"share": _display(national_share, "percent")}
                if national_share is not None and not _held_back(national_share)
                else "",
            )
        )
    if len(own_shares) > 1:
        first = own_shares.iloc[0]
        last = own_shares.iloc[-1]
        if not _held_back(first["share_pct"]) and not _held_back(last["share_pct"]):
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
    if largest_shown:
        tiles.append(
            Tile(
                _("Largest motive"),
                figures.motive_label(largest["motive"]),
                _display(largest["share_of_migrants_pct"], "percent") + " " + _("of migrants"),
            )
        )

    if _held_back(total) and not total.small:
        summary = _(
            "In %(year)s, the number of migrants registered as residents of %(name)s is held "
            "back to protect small numbers"
        ) % {"year": latest_year, "name": municipality.name}
    else:
        summary = _("In %(year)s, %(total)s migrants were registered as residents of %(name)s") % {
            "year": latest_year,
            "total": _display(total, "number"),
            "name": municipality.name,
        }
    if own_share is not None and not _held_back(own_share):
        summary += _(", %(share)s of the inhabitants") % {"share": _display(own_share, "percent")}
    if national_share is not None and not _held_back(national_share):
        summary += _("; in the Netherlands it was %(share)s") % {
            "share": _display(national_share, "percent")
        }
    summary += "."

    by_year = counts[exact["share_of_population_pct"].notna()]
    title = _("Migrants by motive as a share of inhabitants, %(name)s") % {
        "name": municipality.name
    }
    if not by_year.empty:
        charts.append(
            Chart(
                id="motive-shares",
                title=title,
                summary=summary,
                data=by_year[["year", "motive", "count", "share_of_population_pct"]].assign(
                    motive=lambda f: f["motive"].map(figures.motive_label)
                ),
                columns=[
                    Column("year", _("Year")),
                    Column("motive", _("Motive")),
                    Column("count", _("Persons"), "number"),
                    Column("share_of_population_pct", _("Share of inhabitants (%)"), "percent"),
                ],
                figure=figures.motive_shares_over_time(by_year, title=title),
                sources=sources,
                definitions=_definitions(sorted(by_year["year"].unique().tolist())),
            )
        )
    if largest_shown:
        largest_line = _(
            "The largest group is %(motive)s: %(count)s persons, %(share)s of the registered "
            "migrants."
        ) % {
            "motive": figures.motive_label(largest["motive"]).lower(),
            "count": _display(largest["count"], "number"),
            "share": _display(largest["share_of_migrants_pct"], "percent"),
        }
    else:
        largest_line = _(
            "Registered migrants by motive in %(year)s; numbers below %(threshold)s are not shown."
        ) % {"year": latest_year, "threshold": threshold}
    split_title = _("Registered migrants by motive, %(name)s, %(year)s") % {
        "name": municipality.name,
        "year": latest_year,
    }
    charts.append(
        Chart(
            id="motive-split",
            title=split_title,
            summary=largest_line,
            data=latest[
                ["motive", "count", "share_of_migrants_pct", "share_of_population_pct"]
            ].assign(motive_label=lambda f: f["motive"].map(figures.motive_label)),
            columns=[
                Column("motive_label", _("Motive")),
                Column("count", _("Persons"), "number"),
                Column("share_of_migrants_pct", _("Share of migrants (%)"), "percent"),
                Column("share_of_population_pct", _("Share of inhabitants (%)"), "percent"),
            ],
            figure=figures.motive_split(latest, title=split_title),
            sources=sources,
            definitions=_definitions([latest_year]),
        )
    )
    return OverviewPage(tiles=tiles, charts=charts)


def _held_back(value) -> bool:
    return isinstance(value, privacy.Suppressed)


# --- Vergelijken ---


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


SUGGESTION_COUNT = 5


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


def compare_page(*, filters: Filters, suppress_below: int | None = None) -> ComparePage:
    """The municipality beside its comparison group; held-back numbers as in `overview_page`.

    The suggestions are computed from the exact numbers, but show only names.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    municipality = filters.municipality
    shares = _shares_by_area(filters, threshold=threshold)
    charts: list[Chart] = []
    suggestions: list[Suggestion] = []
    if not shares.empty:
        latest_year = (
            int(shares[shares["municipality_code"] == municipality.code]["year"].max())
            if (shares["municipality_code"] == municipality.code).any()
            else int(shares["year"].max())
        )
        latest = shares[shares["year"] == latest_year]
        parts = [
            f"{row.municipality} {format_percent(row.share_pct)}"
            for row in latest.itertuples()
            if not _held_back(row.share_pct)
        ]
        title = _("Migrants as a share of inhabitants: %(name)s and its comparison") % {
            "name": municipality.name
        }
        charts.append(
            Chart(
                id="share-comparison",
                title=title,
                summary=_("Share of registered migrants among inhabitants in %(year)s: %(parts)s.")
                % {"year": latest_year, "parts": "; ".join(parts)},
                data=shares.assign(
                    basis=lambda f: f["basis"].map(
                        {"computed": _("computed from counts"), "published": _("as published")}
                    )
                ),
                columns=[
                    Column("municipality", _("Area")),
                    Column("year", _("Year")),
                    Column("share_pct", _("Share of inhabitants (%)"), "percent"),
                    Column("basis", _("Basis")),
                ],
                figure=figures.share_comparison(shares, title=title, highlight=municipality.code),
                sources=sorted(set(shares["source"].dropna())),
                definitions=_definitions(sorted(shares["year"].unique().tolist())),
            )
        )
        suggestions = similar_municipalities(municipality=municipality, year=latest_year)
        for suggestion in suggestions:
            suggestion.query = filters.as_query(compare=(*filters.compare, suggestion.code))

    every = registry_selectors.migrant_count_rows(municipality_codes=filters.areas)
    shown = privacy.counts_suppressed(
        frame=pd.DataFrame([row.as_dict() for row in every]), threshold=threshold
    )
    per_motive = shown[
        [
            row.share_of_population_pct is not None
            and filters.years_allow(row.year)
            and row.motive in filters.motives
            for row in every
        ]
    ].reset_index(drop=True)
    if not per_motive.empty:
        title = _("Share of inhabitants per motive, per area")
        charts.append(
            Chart(
                id="motive-comparison",
                title=title,
                summary=_(
                    "Per motive, the share of inhabitants registered with that motive, for the "
                    "areas with counts and population: %(areas)s."
                )
                % {"areas": ", ".join(dict.fromkeys(per_motive["municipality"]))},
                data=per_motive.assign(
                    motive_label=lambda f: f["motive"].map(figures.motive_label)
                ),
                columns=[
                    Column("municipality", _("Area")),
                    Column("year", _("Year")),
                    Column("motive_label", _("Motive")),
                    Column("count", _("Persons"), "number"),
                    Column("share_of_population_pct", _("Share of inhabitants (%)"), "percent"),
                ],
                figure=figures.motive_small_multiples(
                    per_motive, title=title, highlight=municipality.code
                ),
                definitions=_definitions(sorted(per_motive["year"].unique().tolist())),
            )
        )
    return ComparePage(charts=charts, suggestions=suggestions)


# --- Wat het register mist ---


@dataclass
class RegisterPage:
    charts: list[Chart]


def register_page(*, filters: Filters, suppress_below: int | None = None) -> RegisterPage:
    """Registered counts beside estimates.

    A registered count is a count of persons and is held back below the threshold;
    an estimate (point and range) is the output of a method, not a count of
    persons, and is shown as the source gives it.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    estimates = list(
        registry_selectors.estimate_list(municipality_codes=[filters.municipality.code])
    )
    records = []
    for estimate in estimates:
        label = f"{estimate.label} ({estimate.year})"
        if estimate.registered is not None:
            records.append(
                {
                    "label": label,
                    "kind": "registered",
                    "value": privacy.count_shown(count=estimate.registered, threshold=threshold),
                    "low": None,
                    "high": None,
                    "method": _("BRP registration"),
                    "year": estimate.year,
                }
            )
        records.append(
            {
                "label": label,
                "kind": "estimate",
                "value": estimate.point,
                "low": estimate.low,
                "high": estimate.high,
                "method": estimate.method,
                "year": estimate.year,
            }
        )
    if not records:
        return RegisterPage(charts=[])
    data = pd.DataFrame.from_records(records)
    parts = []
    for estimate in estimates:
        if estimate.point is not None and estimate.registered is not None:
            parts.append(
                _("%(label)s: about %(point)s, of whom %(registered)s registered")
                % {
                    "label": estimate.label,
                    "point": format_number(estimate.point),
                    "registered": _display(
                        privacy.count_shown(count=estimate.registered, threshold=threshold),
                        "number",
                    ),
                }
            )
        elif estimate.low is not None:
            parts.append(
                _("%(label)s: %(low)s to %(high)s")
                % {
                    "label": estimate.label,
                    "low": format_number(estimate.low),
                    "high": format_number(estimate.high),
                }
            )
        else:
            parts.append(f"{estimate.label}: {format_number(estimate.point)}")
    title = _("Registered and estimated migrants, %(name)s") % {"name": filters.municipality.name}
    sources = sorted(
        {
            f"{e.source.publisher}, {e.source.title} ({e.source.year})"
            + (f": {e.source_detail}" if e.source_detail else "")
            for e in estimates
        }
    )
    chart = Chart(
        id="estimates",
        title=title,
        summary="; ".join(parts) + ".",
        data=data.assign(
            kind=lambda f: f["kind"].map({"registered": _("registered"), "estimate": _("estimate")})
        ),
        columns=[
            Column("label", _("Group")),
            Column("kind", _("Kind")),
            Column("value", _("Persons"), "number"),
            Column("low", _("Lower bound"), "number"),
            Column("high", _("Upper bound"), "number"),
            Column("method", _("Method")),
        ],
        figure=figures.estimates_against_register(data, title=title),
        sources=sources,
        definitions=[
            str(_("Estimates are not register counts: each rests on the method stated beside it.")),
            str(STOCK_DEFINITION),
        ],
    )
    return RegisterPage(charts=[chart])


# --- Beleidsmatrix ---


@dataclass
class MatrixCell:
    legal_position: str
    legal_label: str
    policy_status: str
    status_label: str
    note: str
    unused_room: bool
    attention_points: list


@dataclass
class Matrix:
    municipality: Municipality
    themes: list
    rows: list[tuple]  # (group, [MatrixCell | None per theme])
    unused: int


@dataclass
class MatrixPage:
    matrices: list[Matrix]
    charts: list[Chart]


def _matrix(*, municipality: Municipality, groups, themes) -> Matrix | None:
    cells = {
        (cell.group_id, cell.theme_id): cell
        for cell in policy_selectors.policy_cell_list(municipality_code=municipality.code)
    }
    if not cells:
        return None
    points: dict[tuple, list] = {}
    for point in policy_selectors.attention_point_list(municipality_code=municipality.code):
        for group in point.groups.all():
            points.setdefault((group.pk, point.theme_id), []).append(point)
    rows = []
    unused = 0
    for group in groups:
        row = []
        for theme in themes:
            cell = cells.get((group.pk, theme.pk))
            if cell is None:
                row.append(None)
                continue
            room = (
                cell.legal_position == LegalPosition.POLICY_FREEDOM
                and cell.policy_status == PolicyStatus.NONE
            )
            unused += room
            row.append(
                MatrixCell(
                    legal_position=cell.legal_position,
                    legal_label=str(LegalPosition(cell.legal_position).label),
                    policy_status=cell.policy_status,
                    status_label=str(PolicyStatus(cell.policy_status).label),
                    note=cell.note,
                    unused_room=room,
                    attention_points=points.get((group.pk, theme.pk), []),
                )
            )
        rows.append((group, row))
    return Matrix(municipality=municipality, themes=themes, rows=rows, unused=unused)


def matrix_page(*, filters: Filters, suppress_below: int | None = None) -> MatrixPage:
    """Texts only: `suppress_below` is taken, like every page's, and has nothing to hold back."""
    groups = list(MigrantGroup.objects.order_by("order"))
    themes = list(PolicyTheme.objects.filter(in_matrix=True).order_by("order"))
    # The chosen municipality, and beside it the first compared one that has a matrix.
    with_cells = policy_selectors.municipalities_with_policy_cells(codes=list(filters.compare))
    other = next((code for code in filters.compare if code in with_cells), None)
    matrices = [
        matrix
        for municipality in [filters.municipality, with_cells.get(other)]
        if municipality is not None
        and (matrix := _matrix(municipality=municipality, groups=groups, themes=themes))
    ]
    charts = []
    if matrices:
        own = matrices[0]
        records = [
            {
                "municipality": own.municipality.name,
                "group": group.label,
                "theme": theme.label,
                "legal_position": cell.legal_label,
                "policy_status": cell.status_label,
                "unused_room": _("yes") if cell.unused_room else _("no"),
                "note": cell.note,
            }
            for matrix in matrices
            for group, row in matrix.rows
            for theme, cell in zip(matrix.themes, row, strict=True)
            if cell is not None
        ]
        charts.append(
            Chart(
                id="matrix",
                title=_("Policy matrix, %(name)s") % {"name": own.municipality.name},
                summary=_(
                    "%(unused)s cells where %(name)s has policy freedom but no specific policy "
                    "(unused room)."
                )
                % {"unused": own.unused, "name": own.municipality.name},
                data=pd.DataFrame.from_records(records),
                columns=[
                    Column("municipality", _("Municipality")),
                    Column("group", _("Group")),
                    Column("theme", _("Theme")),
                    Column("legal_position", _("Legal position")),
                    Column("policy_status", _("Current specific policy")),
                    Column("unused_room", _("Unused room")),
                    Column("note", _("Note")),
                ],
            )
        )
    return MatrixPage(matrices=matrices, charts=charts)


# --- Aandachtspunten, conclusies en aanbevelingen ---


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
    reports: dict[int, ReportFindings] = {}
    for item, bucket in (
        *((p, "attention_points") for p in points),
        *((c, "conclusions") for c in conclusions),
        *((r, "recommendations") for r in recommendations),
    ):
        findings = reports.setdefault(item.report_id, ReportFindings(item.report, [], [], []))
        getattr(findings, bucket).append(item)
    charts = []
    if recommendations:
        tally = Counter(statuses.values())
        data = pd.DataFrame(
            [
                {"status": s, "label": str(RecommendationStatus(s).label), "count": tally.get(s, 0)}
                for s in RecommendationStatus.values
            ]
        )
        title = _("Recommendations by status, %(name)s") % {"name": filters.municipality.name}
        charts.append(
            Chart(
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
        )
    return FindingsPage(
        reports=list(reports.values()),
        charts=charts,
        groups=groups,
        themes=themes,
        statuses=statuses,
    )


# --- Indicatoren ---


@dataclass
class IndicatorsPage:
    charts: list[Chart]
    indicators: list


def indicators_page(*, filters: Filters, suppress_below: int | None = None) -> IndicatorsPage:
    """Values against targets; a value counted in persons is held back below the threshold.

    Targets are numbers set by policy, not counts of persons, and percentages,
    amounts and ratios come without the counts behind them: both are shown.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    indicators = list(policy_selectors.indicator_list(municipality_code=filters.municipality.code))
    if not indicators:
        return IndicatorsPage(charts=[], indicators=[])
    values = {
        i.pk: privacy.count_shown(count=float(i.value), threshold=threshold)
        if i.unit == IndicatorUnit.PERSONS
        else float(i.value)
        for i in indicators
    }
    records = [
        {
            "label": i.label,
            "value": values[i.pk],
            "target": float(i.target) if i.target is not None else None,
            "unit": str(i.get_unit_display()),
            "date": i.reference_date.isoformat() if i.reference_date else str(i.year),
            "source": f"{i.report.title}, {i.source_section}",
        }
        for i in indicators
    ]
    data = pd.DataFrame.from_records(records)
    title = _("Indicators, %(name)s") % {"name": filters.municipality.name}
    with_target = [i for i in indicators if i.target is not None]
    summary = "; ".join(
        _("%(label)s: %(value)s against %(target)s")
        % {
            "label": i.label,
            "value": _display(values[i.pk], "number"),
            "target": format_number(i.target),
        }
        for i in with_target
    ) or _("%(count)s indicators without a target.") % {"count": len(indicators)}
    chart = Chart(
        id="indicators",
        title=title,
        summary=summary + ("." if with_target else ""),
        data=data,
        columns=[
            Column("label", _("Indicator")),
            Column("value", _("Value"), "number"),
            Column("target", _("Target"), "number"),
            Column("unit", _("Unit")),
            Column("date", _("Date")),
            Column("source", _("Source")),
        ],
        figure=figures.indicator_against_target(data, title=title),
        sources=sorted({r["source"] for r in records}),
    )
    return IndicatorsPage(charts=[chart], indicators=indicators)


# --- Debatpakket ---


@dataclass
class PackPage:
    available: list[tuple[str, str]]
    charts: list[Chart]
    findings: FindingsPage


PACK_BUILDERS = {
    "overview": overview_page,
    "compare": compare_page,
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


# --- Vergaderstukken: debate packs frozen for a council meeting ---

SNAPSHOT_FORMAT = 1
FINDINGS_ALL = "findings:all"
FINDING_KINDS = ("attention_points", "conclusions", "recommendations")
# What a snapshot keeps of each finding, and compares with what the portal shows now.
FINDING_FIELDS = {
    "attention_points": ("title", "explanation"),
    "conclusions": ("title", "explanation"),
    "recommendations": ("title", "explanation", "addressee", "status"),
}
FINDING_MODELS = {
    "attention_points": AttentionPoint,
    "conclusions": Conclusion,
    "recommendations": Recommendation,
}


def _json_plain(value):
    """`value` exactly as a JSON column gives it back: lists for tuples, text for dates."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _chart_frozen(chart: Chart) -> dict:
    return {
        "id": chart.id,
        "title": str(chart.title),
        "summary": str(chart.summary),
        "sources": [str(source) for source in chart.sources],
        "definitions": [str(definition) for definition in chart.definitions],
        "columns": [
            {"key": column.key, "label": str(column.label), "kind": column.kind}
            for column in chart.columns
        ],
        "rows": chart.table_rows(),
        "records": chart.export_records(),
        "figure": json.loads(chart.figure.to_json()) if chart.figure is not None else None,
    }


def _finding_frozen(item, *, kind: str, statuses: dict) -> dict:
    frozen = {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "explanation": item.explanation,
    }
    if kind == "recommendations":
        status = statuses.get(item.pk, RecommendationStatus.OPEN)
        frozen |= {
            "addressee": item.addressee,
            "addressee_label": str(item.get_addressee_display()),
            "status": str(status),
            "status_label": str(RecommendationStatus(status).label),
        }
    return frozen


def _findings_frozen(findings: FindingsPage) -> list[dict]:
    return [
        {
            "report": entry.report.slug,
            "title": entry.report.title,
            "author": entry.report.author,
            "year": entry.report.year,
            **{
                kind: [
                    _finding_frozen(item, kind=kind, statuses=findings.statuses)
                    for item in getattr(entry, kind)
                ]
                for kind in FINDING_KINDS
            },
        }
        for entry in findings.reports
    ]


def _data_state() -> dict:
    latest = (
        ImportBatch.objects.order_by("-created_at", "-pk").values("created_at", "file_name").first()
    )
    return {
        "version": figure_cache_version(),
        "latest_import": latest and {"at": latest["created_at"], "file_name": latest["file_name"]},
    }


def pack_frozen(*, pack: PackPage, filters: Filters, suppress_below: int | None = None) -> dict:
    """The debate pack as plain JSON data: what a meeting snapshot keeps.

    Texts are in the language active now, which the data names; the same pack
    of the same data always gives the same JSON, whoever asks. `pack` must be
    built for council members (as `meeting_snapshot_create` does): a snapshot
    is read by them, so it keeps their held-back numbers, whose threshold it
    names (`suppress_below`, the members' threshold when not given).
    """
    return _json_plain(
        {
            "format": SNAPSHOT_FORMAT,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "small_number_threshold": privacy.threshold_or_members(suppress_below=suppress_below),
            "filters": {
                "municipality": filters.municipality.code,
                "year_from": filters.year_from,
                "year_to": filters.year_to,
                "motives": list(filters.motives),
                "compare": list(filters.compare),
                "include": list(filters.include),
            },
            "charts": [_chart_frozen(chart) for chart in pack.charts],
            "findings": (
                _findings_frozen(pack.findings) if FINDINGS_ALL in filters.include else None
            ),
            "data": _data_state(),
        }
    )


@dataclass
class FrozenChart:
    """A chart as a snapshot kept it; templates and downloads read it as a Chart."""

    id: str
    title: str
    summary: str
    columns: list[Column]
    rows: list
    records: list[dict]
    figure: dict | None
    sources: list[str]
    definitions: list[str]

    def table_rows(self) -> list:
        return self.rows

    def export_records(self) -> list[dict]:
        return self.records


@dataclass
class SnapshotPage:
    snapshot: MeetingSnapshot
    filters: Filters
    language: str
    charts: list[FrozenChart]
    findings: list[dict] | None
    latest_import: dict | None

    @property
    def figures(self) -> dict[str, dict]:
        return {f"figure-{chart.id}": chart.figure for chart in self.charts if chart.figure}


def meeting_snapshot_list(*, municipality_code: str = "") -> QuerySet[MeetingSnapshot]:
    """Newest meeting first; without the frozen content, which only the snapshot's page needs."""
    snapshots = MeetingSnapshot.objects.select_related("municipality", "created_by").defer(
        "content"
    )
    if municipality_code:
        snapshots = snapshots.filter(municipality__code=municipality_code)
    return snapshots.order_by("-meeting_date", "-created_at", "-pk")


def meeting_snapshot_municipality_list() -> QuerySet[Municipality]:
    """The municipalities that have snapshots, for the list's filter."""
    return Municipality.objects.filter(meeting_snapshots__isnull=False).distinct().order_by("name")


def meeting_snapshot_get(*, pk: int) -> MeetingSnapshot | None:
    return (
        MeetingSnapshot.objects.select_related("municipality", "created_by").filter(pk=pk).first()
    )


def meeting_snapshot_filters(*, snapshot: MeetingSnapshot) -> Filters:
    """The debate pack's filters when it was frozen."""
    stored = snapshot.content.get("filters") or {}
    return Filters(
        municipality=snapshot.municipality,
        year_from=stored.get("year_from"),
        year_to=stored.get("year_to"),
        motives=tuple(stored.get("motives") or MotiveSlug.values),
        compare=tuple(stored.get("compare") or ()),
        include=tuple(snapshot.include),
    )


def meeting_snapshot_page(*, snapshot: MeetingSnapshot) -> SnapshotPage:
    """The frozen pack, read back from the snapshot alone (no other table is read)."""
    content = snapshot.content
    latest = (content.get("data") or {}).get("latest_import")
    return SnapshotPage(
        snapshot=snapshot,
        filters=meeting_snapshot_filters(snapshot=snapshot),
        language=content.get("language") or settings.LANGUAGE_CODE,
        charts=[
            FrozenChart(
                id=chart["id"],
                title=chart["title"],
                summary=chart["summary"],
                columns=[Column(**column) for column in chart["columns"]],
                rows=chart["rows"],
                records=chart["records"],
                figure=chart.get("figure"),
                sources=chart.get("sources", []),
                definitions=chart.get("definitions", []),
            )
            for chart in content.get("charts", [])
        ],
        findings=content.get("findings"),
        latest_import=latest
        and {"at": parse_datetime(latest["at"]), "file_name": latest["file_name"]},
    )


@dataclass
class ChartChange:
    id: str
    title: str
    state: str  # same, changed, removed (no longer in the portal), added (new in the portal)


@dataclass
class FindingChange:
    kind: str  # one of FINDING_KINDS
    report: str  # the report's slug
    report_title: str
    number: int
    title: str
    state: str  # edited, added, removed
    item_id: int
    fields: list[str] = field(default_factory=list)
    changed_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return {
            "attention_points": _("Attention point"),
            "conclusions": _("Conclusion"),
            "recommendations": _("Recommendation"),
        }[self.kind]

    @property
    def field_labels(self) -> list[str]:
        labels = {
            "title": _("title"),
            "explanation": _("explanation"),
            "addressee": _("addressed to"),
            "status": _("status"),
        }
        return [labels[name] for name in self.fields]


@dataclass
class SnapshotChanges:
    charts: list[ChartChange]
    findings: list[FindingChange]

    @property
    def nothing_changed(self) -> bool:
        return all(chart.state == "same" for chart in self.charts) and not self.findings


def meeting_snapshot_changes(*, snapshot: MeetingSnapshot) -> SnapshotChanges:
    """What the portal shows now that differs from what the snapshot kept.

    The current pack is built (or read from the figure cache) for the same
    filters, in the snapshot's language and as council members see it now
    (small numbers held back), so that only real changes count:
    per chart its exported records, per finding (report, kind, number) its
    texts, addressee and status. The history gives each finding's last change
    after the snapshot was made.
    """
    content = snapshot.content
    filters = meeting_snapshot_filters(snapshot=snapshot)
    language = content.get("language") or settings.LANGUAGE_CODE
    threshold = privacy.threshold_for_members()
    with translation.override(language):
        query = hashlib.sha256(filters.as_query().encode()).hexdigest()
        pack = figure_cache_get_or_build(
            key=f"snapshot-pack:{language}:below-{threshold}:{query}",
            build=lambda: pack_page(filters=filters, suppress_below=threshold),
        )
        current_charts = {chart.id: chart for chart in pack.charts}
        charts = []
        for frozen in content.get("charts", []):
            now = current_charts.pop(frozen["id"], None)
            if now is None:
                state = "removed"
            elif _json_plain(now.export_records()) == frozen["records"]:
                state = "same"
            else:
                state = "changed"
            charts.append(ChartChange(id=frozen["id"], title=frozen["title"], state=state))
        charts += [
            ChartChange(id=chart.id, title=str(chart.title), state="added")
            for chart in current_charts.values()
        ]
        current_findings = (
            _json_plain(_findings_frozen(pack.findings))
            if content.get("findings") is not None
            else None
        )
    findings = []
    if current_findings is not None:
        since = parse_datetime(content.get("made_at") or "") or snapshot.created_at
        findings = _finding_changes(
            frozen=content["findings"], current=current_findings, since=since
        )
    return SnapshotChanges(charts=charts, findings=findings)


def _finding_index(reports: list[dict]) -> dict[tuple, tuple[dict, dict]]:
    return {
        (report["report"], kind, item["number"]): (report, item)
        for report in reports
        for kind in FINDING_KINDS
        for item in report.get(kind, [])
    }


def _finding_changes(*, frozen: list[dict], current: list[dict], since) -> list[FindingChange]:
    before, after = _finding_index(frozen), _finding_index(current)
    changes = []
    for key in dict.fromkeys([*before, *after]):
        report_slug, kind, number = key
        old, new = before.get(key), after.get(key)
        if old and new:
            fields = [name for name in FINDING_FIELDS[kind] if old[1].get(name) != new[1].get(name)]
            if not fields:
                continue
            # Named as the snapshot shows it, so the reader finds it on the page.
            state, (report, item) = "edited", old
        elif new:
            state, fields, (report, item) = "added", [], new
        else:
            state, fields, (report, item) = "removed", [], old
        changes.append(
            FindingChange(
                kind=kind,
                report=report_slug,
                report_title=report["title"],
                number=number,
                title=item["title"],
                state=state,
                item_id=(new or old)[1]["id"],
                fields=fields,
            )
        )
    dates = _last_changed(since=since, keys={(change.kind, change.item_id) for change in changes})
    for change in changes:
        change.changed_at = dates.get((change.kind, change.item_id))
    reports = {
        slug: index for index, slug in enumerate(dict.fromkeys(k[0] for k in [*before, *after]))
    }
    return sorted(changes, key=lambda c: (reports[c.report], FINDING_KINDS.index(c.kind), c.number))


def _last_changed(*, since, keys: set[tuple[str, int]]) -> dict[tuple[str, int], datetime]:
    """Per (kind, id): the time of its last recorded change after `since`, if any.

    One query per kind of finding, plus one for recommendations' status changes.
    """
    latest: dict[tuple[str, int], datetime] = {}

    def note(kind: str, pk: int, when: datetime) -> None:
        key = (kind, pk)
        latest[key] = max(latest.get(key, when), when)

    for kind, model in FINDING_MODELS.items():
        ids = {pk for key_kind, pk in keys if key_kind == kind}
        if not ids:
            continue
        rows = (
            model.history.filter(id__in=ids, history_date__gt=since)
            .order_by()
            .values("id")
            .annotate(last=Max("history_date"))
        )
        for row in rows:
            note(kind, row["id"], row["last"])
        if kind == "recommendations":
            rows = (
                RecommendationStatusChange.history.filter(
                    recommendation_id__in=ids, history_date__gt=since
                )
                .order_by()
                .values("recommendation_id")
                .annotate(last=Max("history_date"))
            )
            for row in rows:
                note(kind, row["recommendation_id"], row["last"])
    return latest
