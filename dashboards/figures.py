"""Plotly figures of the dashboards as pure functions: data in, `go.Figure` out.

No queries, no requests: each function takes a DataFrame built by
`dashboards.selectors` and returns a figure, so tests read the figure instead
of a browser. Colours come from the one motive palette; texts are translated
by the caller's active language. Held-back numbers are drawn as `charts.figures`
draws them: a gap in the trace, the mark as the text.
"""

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from charts.figures import drawn_value, drawn_values, figure_layout, mark_text, wrap_label
from charts.formatting import format_as_stored, format_number, format_percent
from policy.constants import RecommendationStatus
from registry.constants import MOTIVE_COLOURS, MotiveSlug, Provenance

NETHERLANDS_STYLE = {"dash": "dash", "width": 3, "color": "#1b1b1b"}
COMPARISON_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F"]
STATUS_COLOURS = {
    RecommendationStatus.OPEN: "#7F7F7F",
    RecommendationStatus.ADOPTED: "#56B4E9",
    RecommendationStatus.IN_PROGRESS: "#E69F00",
    RecommendationStatus.DONE: "#009E73",
    RecommendationStatus.REJECTED: "#D55E00",
}


def motive_label(slug: str) -> str:
    return str(MotiveSlug(slug).label)


def _kind(data: pd.DataFrame) -> list[str]:
    """Per row, what kind of value it is for the hover: "" where published or not known."""
    if "provenance" not in data:
        return [""] * len(data)
    bases = data["provenance_basis"] if "provenance_basis" in data else [""] * len(data)
    return [
        ""
        if kind in (None, Provenance.PUBLISHED)
        else f" – {kind}" + (f" ({basis})" if basis else "")
        for kind, basis in zip(data["provenance"], bases, strict=True)
    ]


def motive_shares_over_time(data: pd.DataFrame, *, title: str) -> go.Figure:
    """Migrants by motive as a share of inhabitants, per year (the report's Figure 1).

    `data`: columns year, motive, share_of_population_pct.
    """
    figure = go.Figure()
    for slug in MotiveSlug.values:
        rows = data[data["motive"] == slug]
        if rows.empty:
            continue
        figure.add_bar(
            name=motive_label(slug),
            x=[str(year) for year in rows["year"]],
            y=drawn_values(rows["share_of_population_pct"]),
            marker_color=MOTIVE_COLOURS[slug],
            customdata=[
                mark_text(value, format_percent) + kind
                for value, kind in zip(rows["share_of_population_pct"], _kind(rows), strict=True)
            ],
            hovertemplate="%{x}: %{customdata}<extra>" + motive_label(slug) + "</extra>",
        )
    figure.update_layout(barmode="stack")
    return figure_layout(figure, title=title, y_title=_("Share of inhabitants (%)"))


def motive_split(data: pd.DataFrame, *, title: str) -> go.Figure:
    """Registered migrants per motive in one year, largest first.

    `data`: columns motive, count, share_of_migrants_pct.
    """
    # Marks first (at the bottom), in motive order: their place tells nothing of their size.
    ordered = data.sort_values(
        "count",
        ascending=True,
        kind="stable",
        na_position="first",
        key=lambda counts: pd.to_numeric(counts.map(drawn_value), errors="coerce"),
    )
    labels = [motive_label(slug) for slug in ordered["motive"]]
    figure = go.Figure(
        go.Bar(
            x=drawn_values(ordered["count"]),
            y=labels,
            orientation="h",
            marker_color=[MOTIVE_COLOURS[slug] for slug in ordered["motive"]],
            text=[
                f"{mark_text(count, format_number)} ({mark_text(share, format_percent)})"
                for count, share in zip(
                    ordered["count"], ordered["share_of_migrants_pct"], strict=True
                )
            ],
            customdata=_kind(ordered),
            textposition="auto",
            hovertemplate="%{y}: %{text}%{customdata}<extra></extra>",
        )
    )
    figure.update_layout(showlegend=False)
    return figure_layout(figure, title=title, x_title=_("persons"))


def share_comparison(data: pd.DataFrame, *, title: str, highlight: str) -> go.Figure:
    """Share of migrants among inhabitants over the years, one line per area.

    `data`: columns municipality_code, municipality, year, share_pct. The chosen
    municipality (`highlight`) is drawn thickest and the Netherlands dashed.
    """
    figure = go.Figure()
    areas = data[["municipality_code", "municipality"]].drop_duplicates()
    for index, (code, name) in enumerate(areas.itertuples(index=False)):
        rows = data[data["municipality_code"] == code].sort_values("year")
        if code == "NL01":
            line = NETHERLANDS_STYLE
        else:
            colour = COMPARISON_PALETTE[index % len(COMPARISON_PALETTE)]
            line = {"width": 5 if code == highlight else 2, "color": colour}
        figure.add_scatter(
            name=name,
            x=[str(year) for year in rows["year"]],
            y=drawn_values(rows["share_pct"]),
            mode="lines+markers",
            line=line,
            customdata=[
                mark_text(value, format_percent) + kind
                for value, kind in zip(rows["share_pct"], _kind(rows), strict=True)
            ],
            hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        )
    return figure_layout(figure, title=title, y_title=_("Share of inhabitants (%)"))


def estimates_against_register(data: pd.DataFrame, *, title: str) -> go.Figure:
    """What the register misses: registered figures beside estimates and their ranges.

    `data`: columns label, kind ("registered" or "estimate"), value, low, high, provenance.
    A range without a point is drawn as a floating bar from its low to its high end.
    """
    figure = go.Figure()
    registered = data[data["kind"] == "registered"]
    if not registered.empty:
        figure.add_bar(
            name=_("Registered in the BRP"),
            y=[wrap_label(label) for label in registered["label"]],
            x=drawn_values(registered["value"]),
            orientation="h",
            marker_color="#0072B2",
            text=[mark_text(value, format_number) for value in registered["value"]],
            textposition="auto",
        )
    estimates = data[data["kind"] == "estimate"]
    points = estimates[estimates["value"].notna()]
    if not points.empty:
        figure.add_bar(
            name=_("Figure from the document"),
            y=[wrap_label(label) for label in points["label"]],
            x=points["value"].astype("float").tolist(),
            orientation="h",
            marker_color="#E69F00",
            marker_pattern_shape="/",
            text=[
                f"{format_number(value)} ({kind})"
                for value, kind in zip(points["value"], points["provenance"], strict=True)
            ],
            textposition="outside",
        )
    ranges = estimates[estimates["value"].isna() & estimates["low"].notna()]
    if not ranges.empty:
        # A range is a floating bar from its low to its high end: no invented midpoint.
        low = ranges["low"].astype("float")
        figure.add_bar(
            name=_("Range from the document"),
            y=[wrap_label(label) for label in ranges["label"]],
            x=(ranges["high"].astype("float") - low).tolist(),
            base=low.tolist(),
            orientation="h",
            marker_color="#CC79A7",
            marker_pattern_shape="x",
            text=[
                f"{format_number(range_low)}–{format_number(range_high)} ({kind})"
                for range_low, range_high, kind in zip(
                    ranges["low"], ranges["high"], ranges["provenance"], strict=True
                )
            ],
            textposition="inside",
        )
    figure.update_layout(barmode="group", height=max(380, 110 * data["label"].nunique()))
    figure.update_yaxes(autorange="reversed")
    return figure_layout(figure, title=title, x_title=_("persons"))


def recommendation_statuses(data: pd.DataFrame, *, title: str) -> go.Figure:
    """How many recommendations are open, adopted, in progress, done or rejected.

    `data`: columns status, count (every status present, zero included).
    """
    labels = [str(RecommendationStatus(status).label) for status in data["status"]]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=data["count"].tolist(),
            marker_color=[STATUS_COLOURS[status] for status in data["status"]],
            text=[format_number(count) for count in data["count"]],
            textposition="auto",
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    figure.update_layout(showlegend=False)
    figure.update_yaxes(dtick=1)
    return figure_layout(figure, title=title, y_title=_("recommendations"))


def indicator_against_target(data: pd.DataFrame, *, title: str) -> go.Figure:
    """Each indicator's value beside its target, where it has one.

    `data`: columns label, value, target.
    """
    figure = go.Figure()
    figure.add_bar(
        name=_("Value"),
        y=data["label"].tolist(),
        x=drawn_values(data["value"]),
        orientation="h",
        marker_color="#0072B2",
        text=[mark_text(value, format_as_stored) for value in data["value"]],
        textposition="auto",
    )
    targets = data[data["target"].notna()]
    if not targets.empty:
        figure.add_bar(
            name=_("Target"),
            y=targets["label"].tolist(),
            x=targets["target"].tolist(),
            orientation="h",
            marker_color="#7F7F7F",
            marker_pattern_shape="x",
            text=[format_as_stored(value) for value in targets["target"]],
            textposition="auto",
        )
    figure.update_layout(barmode="group")
    return figure_layout(figure, title=title)


def motive_small_multiples(data: pd.DataFrame, *, title: str, highlight: str) -> go.Figure:
    """One small chart per motive: its share of inhabitants over the years, per area.

    `data`: columns municipality_code, municipality, year, motive, share_of_population_pct.
    """
    motives = [slug for slug in MotiveSlug.values if slug in set(data["motive"])]
    columns = 3
    rows = max(1, -(-len(motives) // columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[motive_label(slug) for slug in motives],
        shared_xaxes=True,
    )
    areas = data[["municipality_code", "municipality"]].drop_duplicates()
    for index, slug in enumerate(motives):
        row, column = index // columns + 1, index % columns + 1
        for area_index, (code, name) in enumerate(areas.itertuples(index=False)):
            points = data[(data["motive"] == slug) & (data["municipality_code"] == code)]
            if points.empty:
                continue
            colour = COMPARISON_PALETTE[area_index % len(COMPARISON_PALETTE)]
            figure.add_scatter(
                name=name,
                legendgroup=code,
                showlegend=index == 0,
                x=[str(year) for year in points["year"]],
                y=drawn_values(points["share_of_population_pct"]),
                mode="lines+markers",
                line=NETHERLANDS_STYLE
                if code == "NL01"
                else {"width": 4 if code == highlight else 2, "color": colour},
                row=row,
                col=column,
            )
    figure.update_layout(height=320 * rows)
    return figure_layout(figure, title=title)
