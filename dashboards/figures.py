"""Plotly figures of the dashboards as pure functions: data in, figure out.

No queries, no requests: each function takes a DataFrame built by
`dashboards.selectors` and returns a figure, so tests read the figure instead
of a browser. A figure is the dict Plotly.js reads (see `charts.figures`), built
directly because plotly's validated `graph_objects` cost more than the rest of a
cold page. Colours come from the one motive palette; texts are translated by
the caller's active language. Held-back numbers are drawn as `charts.figures`
draws them: a gap in the trace, the mark as the text.
"""

import pandas as pd
from django.utils.translation import gettext as _

from charts.figures import (
    drawn_value,
    drawn_values,
    mark_text,
    portal_figure,
    wrap_label,
)
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


def motive_shares_over_time(data: pd.DataFrame, *, title: str) -> dict:
    """Migrants by motive as a share of inhabitants, per year (the report's Figure 1).

    `data`: columns year, motive, share_of_population_pct.
    """
    traces = []
    for slug, rows in _groups(data, "motive", MotiveSlug.values):
        traces.append(
            {
                "type": "bar",
                "name": motive_label(slug),
                "x": [str(year) for year in rows["year"]],
                "y": drawn_values(rows["share_of_population_pct"]),
                "marker": {"color": MOTIVE_COLOURS[slug]},
                "customdata": [
                    mark_text(value, format_percent) + kind
                    for value, kind in zip(
                        rows["share_of_population_pct"], _kind(rows), strict=True
                    )
                ],
                "hovertemplate": "%{x}: %{customdata}<extra>" + motive_label(slug) + "</extra>",
            }
        )
    return portal_figure(
        traces, {"barmode": "stack"}, title=title, y_title=_("Share of inhabitants (%)")
    )


def motive_split(data: pd.DataFrame, *, title: str) -> dict:
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
    bar = {
        "type": "bar",
        "x": drawn_values(ordered["count"]),
        "y": [motive_label(slug) for slug in ordered["motive"]],
        "orientation": "h",
        "marker": {"color": [MOTIVE_COLOURS[slug] for slug in ordered["motive"]]},
        "text": [
            f"{mark_text(count, format_number)} ({mark_text(share, format_percent)})"
            for count, share in zip(ordered["count"], ordered["share_of_migrants_pct"], strict=True)
        ],
        "customdata": _kind(ordered),
        "textposition": "auto",
        "hovertemplate": "%{y}: %{text}%{customdata}<extra></extra>",
    }
    return portal_figure([bar], {"showlegend": False}, title=title, x_title=_("persons"))


def share_comparison(data: pd.DataFrame, *, title: str, highlight: str) -> dict:
    """Share of migrants among inhabitants over the years, one line per area.

    `data`: columns municipality_code, municipality, year, share_pct. The chosen
    municipality (`highlight`) is drawn thickest and the Netherlands dashed.
    """
    traces = []
    areas = data[["municipality_code", "municipality"]].drop_duplicates()
    by_area = dict(_groups(data, "municipality_code", areas["municipality_code"]))
    for index, (code, name) in enumerate(areas.itertuples(index=False)):
        rows = by_area[code].sort_values("year")
        if code == "NL01":
            line = NETHERLANDS_STYLE
        else:
            colour = COMPARISON_PALETTE[index % len(COMPARISON_PALETTE)]
            line = {"width": 5 if code == highlight else 2, "color": colour}
        traces.append(
            {
                "type": "scatter",
                "name": name,
                "x": [str(year) for year in rows["year"]],
                "y": drawn_values(rows["share_pct"]),
                "mode": "lines+markers",
                "line": line,
                "customdata": [
                    mark_text(value, format_percent) + kind
                    for value, kind in zip(rows["share_pct"], _kind(rows), strict=True)
                ],
                "hovertemplate": "%{x}: %{customdata}<extra>" + name + "</extra>",
            }
        )
    return portal_figure(traces, title=title, y_title=_("Share of inhabitants (%)"))


def estimates_against_register(data: pd.DataFrame, *, title: str) -> dict:
    """What the register misses: registered figures beside estimates and their ranges.

    `data`: columns label, kind ("registered" or "estimate"), value, low, high, provenance.
    A range without a point is drawn as a floating bar from its low to its high end.
    """
    traces = []
    registered = data[data["kind"] == "registered"]
    if not registered.empty:
        traces.append(
            {
                "type": "bar",
                "name": _("Registered in the BRP"),
                "y": [wrap_label(label) for label in registered["label"]],
                "x": drawn_values(registered["value"]),
                "orientation": "h",
                "marker": {"color": "#0072B2"},
                "text": [mark_text(value, format_number) for value in registered["value"]],
                "textposition": "auto",
            }
        )
    estimates = data[data["kind"] == "estimate"]
    points = estimates[estimates["value"].notna()]
    if not points.empty:
        traces.append(
            {
                "type": "bar",
                "name": _("Figure from the document"),
                "y": [wrap_label(label) for label in points["label"]],
                "x": drawn_values(points["value"].astype("float")),
                "orientation": "h",
                "marker": {"color": "#E69F00", "pattern": {"shape": "/"}},
                "text": [
                    f"{format_number(value)} ({kind})"
                    for value, kind in zip(points["value"], points["provenance"], strict=True)
                ],
                "textposition": "outside",
            }
        )
    ranges = estimates[estimates["value"].isna() & estimates["low"].notna()]
    if not ranges.empty:
        # A range is a floating bar from its low to its high end: no invented midpoint.
        low = ranges["low"].astype("float")
        traces.append(
            {
                "type": "bar",
                "name": _("Range from the document"),
                "y": [wrap_label(label) for label in ranges["label"]],
                "x": drawn_values(ranges["high"].astype("float") - low),
                "base": drawn_values(low),
                "orientation": "h",
                "marker": {"color": "#CC79A7", "pattern": {"shape": "x"}},
                "text": [
                    f"{format_number(range_low)}–{format_number(range_high)} ({kind})"
                    for range_low, range_high, kind in zip(
                        ranges["low"], ranges["high"], ranges["provenance"], strict=True
                    )
                ],
                "textposition": "inside",
            }
        )
    layout = {
        "barmode": "group",
        "height": max(380, 110 * data["label"].nunique()),
        "yaxis": {"autorange": "reversed"},
    }
    return portal_figure(traces, layout, title=title, x_title=_("persons"))


def recommendation_statuses(data: pd.DataFrame, *, title: str) -> dict:
    """How many recommendations are open, adopted, in progress, done or rejected.

    `data`: columns status, count (every status present, zero included).
    """
    bar = {
        "type": "bar",
        "x": [str(RecommendationStatus(status).label) for status in data["status"]],
        "y": drawn_values(data["count"]),
        "marker": {"color": [STATUS_COLOURS[status] for status in data["status"]]},
        "text": [format_number(count) for count in data["count"]],
        "textposition": "auto",
        "hovertemplate": "%{x}: %{y}<extra></extra>",
    }
    layout = {"showlegend": False, "yaxis": {"dtick": 1}}
    return portal_figure([bar], layout, title=title, y_title=_("recommendations"))


def indicator_against_target(data: pd.DataFrame, *, title: str) -> dict:
    """Each indicator's value beside its target, where it has one.

    `data`: columns label, value, target.
    """
    traces = [
        {
            "type": "bar",
            "name": _("Value"),
            "y": data["label"].tolist(),
            "x": drawn_values(data["value"]),
            "orientation": "h",
            "marker": {"color": "#0072B2"},
            "text": [mark_text(value, format_as_stored) for value in data["value"]],
            "textposition": "auto",
        }
    ]
    targets = data[data["target"].notna()]
    if not targets.empty:
        traces.append(
            {
                "type": "bar",
                "name": _("Target"),
                "y": targets["label"].tolist(),
                "x": drawn_values(targets["target"]),
                "orientation": "h",
                "marker": {"color": "#7F7F7F", "pattern": {"shape": "x"}},
                "text": [format_as_stored(value) for value in targets["target"]],
                "textposition": "auto",
            }
        )
    return portal_figure(traces, {"barmode": "group"}, title=title)


def motive_small_multiples(data: pd.DataFrame, *, title: str, highlight: str) -> dict:
    """One small chart per motive: its share of inhabitants over the years, per area.

    `data`: columns municipality_code, municipality, year, motive, share_of_population_pct.
    """
    present = set(data["motive"])
    motives = [slug for slug in MotiveSlug.values if slug in present]
    columns = 3
    rows = max(1, -(-len(motives) // columns))
    layout = subplot_grid(rows=rows, columns=columns, titles=[motive_label(s) for s in motives])
    areas = data[["municipality_code", "municipality"]].drop_duplicates()
    cells = dict(iter(data.groupby(["motive", "municipality_code"], sort=False)))
    traces = []
    for index, slug in enumerate(motives):
        axis = "" if index == 0 else str(index + 1)
        for area_index, (code, name) in enumerate(areas.itertuples(index=False)):
            points = cells.get((slug, code))
            if points is None:
                continue
            colour = COMPARISON_PALETTE[area_index % len(COMPARISON_PALETTE)]
            traces.append(
                {
                    "type": "scatter",
                    "name": name,
                    "legendgroup": code,
                    "showlegend": index == 0,
                    "x": [str(year) for year in points["year"]],
                    "y": drawn_values(points["share_of_population_pct"]),
                    "mode": "lines+markers",
                    "line": NETHERLANDS_STYLE
                    if code == "NL01"
                    else {"width": 4 if code == highlight else 2, "color": colour},
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
    layout["height"] = 320 * rows
    return portal_figure(traces, layout, title=title)


def subplot_grid(*, rows: int, columns: int, titles: list[str]) -> dict:
    """The layout of `make_subplots(rows, cols, subplot_titles=titles, shared_xaxes=True)`.

    The same axes, domains and title annotations as plotly computes them (the
    same arithmetic, so the same floats; `tests/test_figures.py` holds it to
    plotly's): cell n (1, 2, … from the top left, row by row) is drawn on axes
    xn and yn, and every column shares the x axis of its bottom cell.
    """
    horizontal, vertical = 0.2 / columns, 0.5 / rows
    width = (1.0 - horizontal * (columns - 1)) / columns
    height = (1.0 - vertical * (rows - 1)) / rows
    starts_x = [sum([width] * column) + column * horizontal for column in range(columns)]
    # The top row first: plotly's grid counts rows from the bottom.
    starts_y = [sum([height] * row) + row * vertical for row in range(rows)][::-1]
    layout: dict = {}
    annotations = []
    for row in range(rows):
        for column in range(columns):
            number = row * columns + column + 1
            suffix = "" if number == 1 else str(number)
            x_domain = [starts_x[column], starts_x[column] + width]
            y_domain = [_clamped(starts_y[row]), _clamped(starts_y[row] + height)]
            xaxis = {"anchor": f"y{suffix}", "domain": x_domain}
            if row < rows - 1:
                xaxis |= {
                    "matches": f"x{(rows - 1) * columns + column + 1}",
                    "showticklabels": False,
                }
            layout[f"xaxis{suffix}"] = xaxis
            layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": y_domain}
            if number <= len(titles) and titles[number - 1]:
                annotations.append(
                    {
                        "font": {"size": 16},
                        "showarrow": False,
                        "text": titles[number - 1],
                        "x": sum(x_domain) / 2.0,
                        "xanchor": "center",
                        "xref": "paper",
                        "y": y_domain[1],
                        "yanchor": "bottom",
                        "yref": "paper",
                    }
                )
    if annotations:
        layout["annotations"] = annotations
    return layout


def _clamped(position: float) -> float:
    """A domain's end as plotly rounds it: a hair below 0 or above 1 is 0 or 1."""
    if -0.01 < position < 0.0:
        return 0.0
    if 1.0 < position < 1.01:
        return 1.0
    return position


def _groups(data: pd.DataFrame, column: str, keys):
    """The rows of `data` per value of `column`, in the order of `keys`, those with rows only."""
    positions: dict = {}
    for position, key in enumerate(data[column].tolist()):
        positions.setdefault(key, []).append(position)
    for key in keys:
        if key in positions:
            yield key, data.iloc[positions[key]]
