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
"""

import functools
import json
import math
import re
from decimal import Decimal
from numbers import Number

import plotly.graph_objects as go

# The portal's one look: title on the left, legend below, light grid, Dutch separators.
LOOK = {
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14},
    "margin": {"l": 60, "r": 20, "t": 60, "b": 60},
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "separators": ",.",
}
Y_AXIS_LOOK = {"gridcolor": "#e5e5e5", "zeroline": True, "rangemode": "tozero"}
_AXIS = re.compile(r"^[xy]axis\d*$")


def figure_layout(
    figure: go.Figure, *, title: str, y_title: str = "", x_title: str = ""
) -> go.Figure:
    """The portal's one look on a `go.Figure` (see `portal_figure` for a figure as a dict)."""
    figure.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, **LOOK)
    figure.update_yaxes(title_text=y_title, **Y_AXIS_LOOK)
    figure.update_xaxes(title_text=x_title)
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
    least `xaxis` and `yaxis`) gets the look and the title.
    """
    layout = dict(layout or {})
    layout.setdefault("xaxis", {})
    layout.setdefault("yaxis", {})
    for key in [key for key in layout if _AXIS.match(key)]:
        if key.startswith("y"):
            layout[key] = {**layout[key], "title": {"text": str(y_title)}, **Y_AXIS_LOOK}
        else:
            layout[key] = {**layout[key], "title": {"text": str(x_title)}}
    layout.update(LOOK, title={"text": str(title), "x": 0, "xanchor": "left"})
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
    """A number in the reader's notation, a mark as it prints."""
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
