"""The figure of a closed prioritisation round's result: data in, figure out.

The figure is the dict Plotly.js reads, built as `charts.figures` builds one.
"""

import pandas as pd

from charts.figures import drawn_values, portal_figure, wrap_label
from charts.formatting import format_number


def round_result(data: pd.DataFrame, *, title: str, score_label: str) -> dict:
    """A closed prioritisation round's result: one bar per attention point, highest on top.

    `data`: columns label, score, in the order of the result (first place first).
    """
    bar = {
        "type": "bar",
        "x": drawn_values(data["score"]),
        "y": [wrap_label(label) for label in data["label"]],
        "orientation": "h",
        "marker": {"color": "#0072B2"},
        "text": [format_number(score) for score in data["score"]],
        "textposition": "auto",
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    layout = {
        "showlegend": False,
        "height": max(380, 60 * len(data) + 140),
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    if not data.empty and data["score"].max() <= 10:
        layout["xaxis"] = {"dtick": 1}  # whole scores only, no 0,5 between them
    return portal_figure([bar], layout, title=title, x_title=score_label)
