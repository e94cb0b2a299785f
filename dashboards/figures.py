"""Plotly figures of the dashboards as pure functions: data in, figure out.

No queries, no requests: each function takes a DataFrame built by
`dashboards.selectors` and returns a figure, so tests read the figure instead
of a browser. A figure is the dict Plotly.js reads (see `charts.figures`), built
directly because plotly's validated `graph_objects` cost more than the rest of a
cold page. Colours come from the one motive palette; texts are translated by
the caller's active language, and every number a reader sees (a tick, a value
label, a hover) is in that language's notation: ticks by a tick format and the
figure's separators, labels and hovers as the texts the table prints. Held-back
numbers are drawn as `charts.figures` draws them: a gap in the trace, the mark
as the text. Figures of several panels are in `dashboards.figure_panels`.
"""

import pandas as pd
from django.utils.translation import gettext as _

from charts.figures import (
    ONE_DECIMAL_TICKS,
    category_axis,
    count_axis,
    drawn_value,
    drawn_values,
    hover,
    longest_end,
    mark_text,
    portal_figure,
    value_labels,
    wrap_label,
)
from charts.formatting import format_number, format_percent
from dashboards.figure_panels import (
    BAR_LABEL_WIDTH,
    COMPARISON_PALETTE,
    NETHERLANDS_STYLE,
    groups,
    indicator_against_target,
    method_change_marks,
    motive_label,
    motive_small_multiples,
    subplot_grid,
    years_of,
)
from policy.constants import RecommendationStatus
from registry.constants import MOTIVE_COLOURS, MotiveSlug, Provenance

__all__ = [
    "estimates_against_register",
    "indicator_against_target",
    "motive_label",
    "motive_shares_over_time",
    "motive_small_multiples",
    "motive_split",
    "recommendation_statuses",
    "share_comparison",
    "subplot_grid",
]

STATUS_COLOURS = {
    RecommendationStatus.OPEN: "#7F7F7F",
    RecommendationStatus.ADOPTED: "#56B4E9",
    RecommendationStatus.IN_PROGRESS: "#E69F00",
    RecommendationStatus.DONE: "#009E73",
    RecommendationStatus.REJECTED: "#D55E00",
}


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


def _texts(values, formatter, kinds: list[str] | None = None) -> list[str]:
    """Each value as the table prints it (a mark as the mark), with its kind where given."""
    texts = [mark_text(value, formatter) for value in values]
    return [text + kind for text, kind in zip(texts, kinds, strict=True)] if kinds else texts


def motive_shares_over_time(data: pd.DataFrame, *, title: str) -> dict:
    """Migrants by motive as a share of inhabitants, per year (the report's Figure 1).

    `data`: columns year, motive, share_of_population_pct.
    """
    traces = []
    for slug, rows in groups(data, "motive", MotiveSlug.values):
        years = [str(year) for year in rows["year"]]
        shares = rows["share_of_population_pct"]
        traces.append(
            {
                "type": "bar",
                "name": motive_label(slug),
                "x": years,
                "y": drawn_values(shares),
                "marker": {"color": MOTIVE_COLOURS[slug]},
                **hover(years, _texts(shares, format_percent, _kind(rows))),
            }
        )
    years = years_of(data)
    layout = {
        "barmode": "stack",
        "xaxis": category_axis(categoryorder="array", categoryarray=years),
        "yaxis": {"tickformat": ONE_DECIMAL_TICKS},
        **method_change_marks(years=years, axes=[""]),
    }
    return portal_figure(traces, layout, title=title, y_title=_("Share of inhabitants (%)"))


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
    labels = [motive_label(slug) for slug in ordered["motive"]]
    # On two lines, so that even a short bar's label fits inside it or beside it on a phone.
    texts = [
        f"{mark_text(count, format_number)}<br>({mark_text(share, format_percent)})"
        for count, share in zip(ordered["count"], ordered["share_of_migrants_pct"], strict=True)
    ]
    bar = {
        "type": "bar",
        "name": _("Registered migrants"),
        "x": drawn_values(ordered["count"]),
        "y": labels,
        "orientation": "h",
        "marker": {"color": [MOTIVE_COLOURS[slug] for slug in ordered["motive"]]},
        **value_labels(texts, ordered["count"]),
        **hover(
            labels,
            [
                text.replace("<br>", " ") + kind
                for text, kind in zip(texts, _kind(ordered), strict=True)
            ],
            named=False,
        ),
    }
    layout = {
        "showlegend": False,
        "xaxis": count_axis(ordered["count"]),
        "yaxis": category_axis(),
        "height": max(320, 48 * len(ordered) + 110),
    }
    return portal_figure([bar], layout, title=title, x_title=_("persons"))


def share_comparison(data: pd.DataFrame, *, title: str, highlight: str) -> dict:
    """Share of migrants among inhabitants over the years, one line per area.

    `data`: columns municipality_code, municipality, year, share_pct. The chosen
    municipality (`highlight`) is drawn thickest and the Netherlands dashed.
    """
    traces = []
    areas = data[["municipality_code", "municipality"]].drop_duplicates()
    by_area = dict(groups(data, "municipality_code", areas["municipality_code"]))
    for index, (code, name) in enumerate(areas.itertuples(index=False)):
        rows = by_area[code].sort_values("year")
        if code == "NL01":
            line = NETHERLANDS_STYLE
        else:
            colour = COMPARISON_PALETTE[index % len(COMPARISON_PALETTE)]
            line = {"width": 5 if code == highlight else 2, "color": colour}
        years = [str(year) for year in rows["year"]]
        traces.append(
            {
                "type": "scatter",
                "name": name,
                "x": years,
                "y": drawn_values(rows["share_pct"]),
                "mode": "lines+markers",
                "line": line,
                "cliponaxis": False,
                **hover(years, _texts(rows["share_pct"], format_percent, _kind(rows))),
            }
        )
    years = years_of(data)
    layout = {
        "xaxis": category_axis(categoryorder="array", categoryarray=years),
        "yaxis": {"tickformat": ONE_DECIMAL_TICKS},
        **method_change_marks(years=years, axes=[""]),
    }
    return portal_figure(traces, layout, title=title, y_title=_("Share of inhabitants (%)"))


def estimates_against_register(data: pd.DataFrame, *, title: str) -> dict:
    """What the register misses: registered figures beside estimates and their ranges.

    `data`: columns label, kind ("registered" or "estimate"), value, low, high, provenance.
    A range is drawn as a floating bar from its low to its high end (no invented
    midpoint); a point as a bar. A document's figure is labelled with its kind
    (published, found by counting, estimated), as the table says it.
    """
    registered = data[data["kind"] == "registered"]
    estimates = data[data["kind"] == "estimate"]
    points = estimates[estimates["value"].notna()]
    ranges = estimates[estimates["low"].notna() & estimates["high"].notna()]
    ends = [*drawn_values(data["value"]), *drawn_values(data["high"])]
    longest = longest_end(ends)
    traces = []
    if not registered.empty:
        traces.append(
            _estimate_bar(
                registered,
                name=_("Registered in the BRP"),
                texts=_texts(registered["value"], format_number),
                ends=registered["value"],
                longest=longest,
                x=drawn_values(registered["value"]),
                marker={"color": "#0072B2"},
            )
        )
    if not points.empty:
        traces.append(
            _estimate_bar(
                points,
                name=_("Figure from the document"),
                texts=[format_number(value) for value in points["value"]],
                ends=points["value"],
                longest=longest,
                kinds=True,
                x=drawn_values(points["value"].astype("float")),
                marker={"color": "#E69F00", "pattern": {"shape": "/", "fgopacity": 0.4}},
            )
        )
    if not ranges.empty:
        low = ranges["low"].astype("float")
        traces.append(
            _estimate_bar(
                ranges,
                name=_("Range from the document"),
                texts=[
                    f"{format_number(range_low)}–{format_number(range_high)}"
                    for range_low, range_high in zip(ranges["low"], ranges["high"], strict=True)
                ],
                ends=ranges["high"],
                longest=longest,
                kinds=True,
                x=drawn_values(ranges["high"].astype("float") - low),
                base=drawn_values(low),
                marker={"color": "#CC79A7", "pattern": {"shape": "x", "fgopacity": 0.4}},
            )
        )
    layout = {
        "barmode": "group",
        "height": max(380, 110 * data["label"].nunique() + 120),
        "xaxis": count_axis(ends),
        "yaxis": category_axis(autorange="reversed"),
    }
    return portal_figure(traces, layout, title=title, x_title=_("persons"))


def _estimate_bar(
    rows: pd.DataFrame,
    *,
    name: str,
    texts: list[str],
    ends,
    longest: float,
    kinds: bool = False,
    **bar,
) -> dict:
    """One kind of figure as bars; a document's figure says its kind on the bar and in the hover.

    `ends`: where the bars end; `longest`: the chart's longest bar (see `value_labels`).
    """
    labels, hovers = texts, texts
    if kinds:
        pairs = list(zip(texts, rows["provenance"], strict=True))
        labels = [f"{text}<br>({kind})" for text, kind in pairs]
        hovers = [f"{text} ({kind})" for text, kind in pairs]
    return {
        "type": "bar",
        "name": name,
        "y": [wrap_label(label, BAR_LABEL_WIDTH) for label in rows["label"]],
        "orientation": "h",
        **bar,
        **value_labels(labels, ends, longest=longest),
        **hover(rows["label"].tolist(), hovers),
    }


def recommendation_statuses(data: pd.DataFrame, *, title: str) -> dict:
    """How many recommendations are open, adopted, in progress, done or rejected.

    `data`: columns status, count (every status present, zero included). Bars
    lie down, so the statuses' names keep their room on a phone.
    """
    labels = [str(RecommendationStatus(status).label) for status in data["status"]]
    texts = [format_number(count) for count in data["count"]]
    bar = {
        "type": "bar",
        "name": _("recommendations"),
        "x": drawn_values(data["count"]),
        "y": [wrap_label(label, BAR_LABEL_WIDTH) for label in labels],
        "orientation": "h",
        "marker": {"color": [STATUS_COLOURS[status] for status in data["status"]]},
        **value_labels(texts, data["count"]),
        **hover(labels, texts, named=False),
    }
    layout = {
        "showlegend": False,
        "height": 48 * len(data) + 130,
        "xaxis": count_axis(data["count"]),
        "yaxis": category_axis(autorange="reversed"),
    }
    return portal_figure([bar], layout, title=title, x_title=_("recommendations"))
