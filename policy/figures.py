"""The figure of a closed prioritisation round's result: data in, `go.Figure` out."""

import pandas as pd
import plotly.graph_objects as go

from charts.figures import figure_layout, wrap_label
from charts.formatting import format_number


def round_result(data: pd.DataFrame, *, title: str, score_label: str) -> go.Figure:
    """A closed prioritisation round's result: one bar per attention point, highest on top.

    `data`: columns label, score, in the order of the result (first place first).
    """
    figure = go.Figure(
        go.Bar(
            x=data["score"].tolist(),
            y=[wrap_label(label) for label in data["label"]],
            orientation="h",
            marker_color="#0072B2",
            text=[format_number(score) for score in data["score"]],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(showlegend=False, height=max(380, 60 * len(data) + 140))
    figure.update_yaxes(autorange="reversed", automargin=True)
    if not data.empty and data["score"].max() <= 10:
        figure.update_xaxes(dtick=1)  # whole scores only, no 0,5 between them
    return figure_layout(figure, title=title, x_title=score_label)
