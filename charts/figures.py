"""What every figure of the portal shares: its layout, and how it draws held-back numbers.

A cell may hold a mark instead of a number (a small number held back for the
reader, see `charts.privacy`): it is left out of the trace (a gap) and its
text is the mark ("< 5", "x"), so a figure never holds more than the table.
"""

from numbers import Number

import plotly.graph_objects as go


def figure_layout(
    figure: go.Figure, *, title: str, y_title: str = "", x_title: str = ""
) -> go.Figure:
    """The portal's one look: title on the left, legend below, light grid, Dutch separators."""
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 14},
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=",.",
    )
    figure.update_yaxes(title_text=y_title, gridcolor="#e5e5e5", zeroline=True, rangemode="tozero")
    figure.update_xaxes(title_text=x_title)
    return figure


def drawn_value(value):
    """A value as a trace draws it: a number as it is, a mark as None (nothing drawn)."""
    return value if isinstance(value, Number) else None


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
