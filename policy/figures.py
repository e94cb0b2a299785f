"""The figure of a closed prioritisation round's result: data in, figure out.

The figure is the dict Plotly.js reads, built as `charts.figures` builds one, with
the ticks, value labels and hover in the reader's notation.
"""

import pandas as pd

from charts.figures import (
    category_axis,
    count_axis,
    drawn_values,
    hover,
    portal_figure,
    value_labels,
    wrap_label,
)
from charts.formatting import format_number


def round_result(data: pd.DataFrame, *, title: str, score_label: str) -> dict:
    """A closed prioritisation round's result: one bar per attention point, highest on top.

    `data`: columns label, score, in the order of the result (first place first).
    """
    texts = [format_number(score) for score in data["score"]]
    bar = {
        "type": "bar",
        "name": str(score_label),
        "x": drawn_values(data["score"]),
        "y": [wrap_label(label) for label in data["label"]],
        "orientation": "h",
        "marker": {"color": "#0072B2"},
        **value_labels(texts, data["score"]),
        **hover(data["label"].tolist(), texts, named=False),
    }
    layout = {
        "showlegend": False,
        "height": max(380, 60 * len(data) + 140),
        "yaxis": category_axis(autorange="reversed"),
        # Whole scores only, no 0,5 between them.
        "xaxis": count_axis(data["score"]),
    }
    return portal_figure([bar], layout, title=title, x_title=score_label)
