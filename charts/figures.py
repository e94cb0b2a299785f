"""What every figure of the portal shares: its layout, and how it draws held-back numbers.

A figure is the dict Plotly.js reads (`{"data": [...], "layout": {...}}`), built
directly: plotly's `graph_objects` validate every property they are given, which
cost more than the rest of a cold dashboard page. `portal_figure` gives such a
dict the portal's look and the template a `go.Figure` carries, so the browser
receives the same JSON as from `go.Figure(...).to_json()`. `figure_layout` gives
the same look to a figure built as a `go.Figure` (none is now; kept while other
work may still bring one), and `figure_json` reads either kind as JSON, as page
data cached before the change still holds `go.Figure`s.

A cell may hold a mark instead of a number (a small number held back for the
reader, see `charts.privacy`): it is left out of the trace (a gap) and its
text is the mark ("< 5", "x"), so a figure never holds more than the table.

Every number a reader sees is in the active language's notation: ticks by a
tick format (`count_axis`, `WHOLE_TICKS`, …) and the figure's `separators`,
value labels (`value_labels`) and hovers (`hover`) as the texts the table
prints. docs/charts.md says what each chart shows and why.
"""

import functools
import json
import math
import re
from decimal import Decimal
from numbers import Number

import plotly.graph_objects as go
from django.utils.formats import get_format

# The portal's one look: legend below the plot, light grid, the reader's separators. The
# title stays in the JSON (for a downloaded PNG), but the page shows it as the chart's
# heading, so static/js/charts.js leaves it out of the drawn figure and the mode bar
# sits in the top margin without covering it.
LOOK = {
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14},
    "margin": {"l": 10, "r": 30, "t": 40, "b": 10},
    "legend": {
        "orientation": "h",
        "xref": "container",
        "yref": "container",
        "y": 0,
        "yanchor": "bottom",
        "x": 0,
        "xanchor": "left",
    },
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "hoverlabel": {"align": "left"},
}
Y_AXIS_LOOK = {"gridcolor": "#e5e5e5", "zeroline": True, "rangemode": "tozero"}
# Every axis: its labels and title make room for themselves, never an SI suffix ("2k").
AXIS_LOOK = {"automargin": True, "exponentformat": "none"}
_AXIS = re.compile(r"^[xy]axis\d*$")

# Tick formats (d3-format, drawn with the figure's separators): whole numbers with a
# thousands separator (18.000), numbers with up to one or two decimals (2,5; 1,54).
WHOLE_TICKS = ",d"
ONE_DECIMAL_TICKS = ",.1~f"
TWO_DECIMALS_TICKS = ",.2~f"
# Hover texts break at this width, so a hover fits on a phone.
HOVER_WIDTH = 40
# Counts up to this are drawn with a tick at every whole number, never at 0,5.
WHOLE_TICK_LIMIT = 12


def figure_separators() -> str:
    """Plotly's `separators` for the active language: decimal mark, then thousands mark.

    Read from Django's formats, as `charts.formatting` writes the tables: ",." in
    Dutch (18.480 and 11,4), ".," in English (18,480 and 11.4).
    """
    decimal = get_format("DECIMAL_SEPARATOR", use_l10n=True)
    thousands = get_format("THOUSAND_SEPARATOR", use_l10n=True)
    return f"{decimal}{thousands}"


def figure_look() -> dict:
    """The portal's look (`LOOK`) with the active language's separators."""
    return {**LOOK, "separators": figure_separators()}


def count_axis(values) -> dict:
    """A value axis of counts: whole numbers, a tick at each one where the counts are small."""
    drawn = [value for value in drawn_values(values) if value is not None]
    axis = {"tickformat": WHOLE_TICKS}
    if not drawn or max(drawn) <= WHOLE_TICK_LIMIT:
        axis["dtick"] = 1
    return axis


def category_axis(**properties) -> dict:
    """An axis of labels or years: every value a category, never read as a number."""
    return {"type": "category", **properties}


def hover(*columns, named: bool = True) -> dict:
    """A trace's hover: each column a list of texts as the table writes them.

    The texts travel as `customdata`, so the hover shows exactly the table's
    notation (no number formatted by Plotly) and no text a user wrote ends up
    in the template itself. A long text is broken over lines so the hover fits
    on a phone; with `named`, the trace's name heads it (where the chart has
    several traces, it says which one is meant).
    """
    rows = [
        [wrap_label(str(text), HOVER_WIDTH) for text in row] for row in zip(*columns, strict=True)
    ]
    parts = "<br>".join(f"%{{customdata[{index}]}}" for index in range(len(columns)))
    head = "<b>%{fullData.name}</b><br>" if named else ""
    return {"customdata": rows, "hovertemplate": head + parts + "<extra></extra>"}


def longest_end(ends) -> float:
    """The longest bar among `ends`, as drawn (held-back marks and gaps draw none)."""
    return max((abs(end) for end in drawn_values(ends) if end is not None), default=0)


def value_labels(texts: list[str], ends, *, longest: float | None = None) -> dict:
    """Value labels on bars that are never cut off.

    `ends`: where each bar ends; `longest`: the chart's longest bar (else the
    longest of `ends`). A bar that reaches past half of the longest carries its
    label inside, shrunk to fit if need be; a shorter one beside its end, where
    there is room. Labels are not clipped at the plot's edge (`cliponaxis` off).
    """
    drawn = drawn_values(ends)
    if longest is None:
        longest = longest_end(ends)
    return {
        "text": texts,
        "textposition": [
            "inside" if end is not None and longest and abs(end) >= 0.5 * longest else "outside"
            for end in drawn
        ],
        "cliponaxis": False,
        "constraintext": "inside",
        "insidetextanchor": "end",
    }


def figure_layout(
    figure: go.Figure, *, title: str, y_title: str = "", x_title: str = ""
) -> go.Figure:
    """The portal's one look on a `go.Figure` (see `portal_figure` for a figure as a dict)."""
    figure.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, **figure_look())
    figure.update_yaxes(title_text=y_title, **Y_AXIS_LOOK, **AXIS_LOOK)
    figure.update_xaxes(title_text=x_title, **AXIS_LOOK)
    return figure


def portal_figure(
    data: list[dict],
    layout: dict | None = None,
    *,
    title: str,
    y_title: str = "",
    x_title: str = "",
) -> dict:
    """A figure as Plotly.js reads it, in the portal's one look (`LOOK`).

    `data`: the traces as dicts (plain Python values: str, int, float, None);
    `layout`: what the figure sets itself, axes included. Every axis in it (at
    least `xaxis` and `yaxis`) gets the look and, unless it has its own, the title.
    """
    layout = dict(layout or {})
    layout.setdefault("xaxis", {})
    layout.setdefault("yaxis", {})
    for key in [key for key in layout if _AXIS.match(key)]:
        look = {**AXIS_LOOK, **(Y_AXIS_LOOK if key.startswith("y") else {})}
        axis_title = {"text": str(y_title if key.startswith("y") else x_title)}
        layout[key] = {"title": axis_title, **look, **layout[key]}
    layout.update(figure_look(), title={"text": str(title), "x": 0, "xanchor": "left"})
    layout["template"] = plotly_template()
    return {"data": data, "layout": layout}


@functools.cache
def plotly_template() -> dict:
    """The template a `go.Figure` carries (plotly's default), as its JSON holds it.

    Read once per process and shared by every figure: treat it as read-only.
    """
    return json.loads(go.Figure().to_json())["layout"]["template"]


def figure_json(figure: dict | go.Figure) -> dict:
    """A figure as the JSON the browser receives, whether built as a dict or a `go.Figure`."""
    if isinstance(figure, go.Figure):
        return json.loads(figure.to_json())
    return figure


def drawn_value(value):
    """A value as a trace draws it: a number as a plain int or float, a mark or NaN as None.

    None is the gap plotly's own JSON makes of NaN; a Decimal (a stored share)
    and a numpy number become the float or int JSON can hold.
    """
    if not isinstance(value, Number):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def drawn_values(values) -> list:
    return [drawn_value(value) for value in values]


def mark_text(value, formatter) -> str:
    """A number in the reader's notation, a mark as it prints, no number as the table's "–"."""
    if isinstance(value, float) and math.isnan(value):
        return formatter(None)
    return formatter(value) if value is None or isinstance(value, Number) else str(value)


def wrap_label(text: str, width: int = 34) -> str:
    """Break a long category label over lines so a chart keeps its room for the bars."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)
