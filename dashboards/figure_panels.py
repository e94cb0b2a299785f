"""Figures of several panels, and what every dashboard figure shares: data in, figure out.

The small multiples of the comparison page (one panel per motive, one y scale
for all, so a panel's height tells its size), the indicators in one panel per
unit (no axis ever mixes persons with percentages or euros), the marker at
CBS's 2020 method change on every axis of years that spans it, and the
palette and names the figures share. Pure functions, as in `dashboards.figures`.
"""

import pandas as pd
from django.utils.translation import gettext as _

from charts.figures import (
    ONE_DECIMAL_TICKS,
    TWO_DECIMALS_TICKS,
    WHOLE_TICKS,
    category_axis,
    count_axis,
    drawn_values,
    hover,
    longest_end,
    mark_text,
    portal_figure,
    value_labels,
    wrap_label,
)
from charts.formatting import format_as_stored, format_percent
from policy.constants import IndicatorUnit
from registry.constants import CBS_METHOD_CHANGE_YEAR, NETHERLANDS_CODE, MotiveSlug

NETHERLANDS_STYLE = {"dash": "dash", "width": 3, "color": "#1b1b1b"}
COMPARISON_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F"]
MARKER_COLOUR = "#595959"
SMALL_MULTIPLE_COLUMNS = 2
# The space between two rows of panels, for the years and the next panel's title.
SMALL_MULTIPLE_GAP = 0.3
# Horizontal bar charts break their labels at this width, so the bars keep their room
# on a phone.
BAR_LABEL_WIDTH = 24
# The indicators' panels: pixels per indicator and between two panels (ticks, unit).
INDICATOR_ROW_PX = 56
INDICATOR_LINE_PX = 18
PANEL_GAP_PX = 110


def motive_label(slug: str) -> str:
    return str(MotiveSlug(slug).label)


def groups(data: pd.DataFrame, column: str, keys):
    """The rows of `data` per value of `column`, in the order of `keys`, those with rows only."""
    positions: dict = {}
    for position, key in enumerate(data[column].tolist()):
        positions.setdefault(key, []).append(position)
    for key in keys:
        if key in positions:
            yield key, data.iloc[positions[key]]


def years_of(data: pd.DataFrame) -> list[str]:
    """The years of `data`, in order, as the category axes name them."""
    return [str(year) for year in sorted(set(data["year"]))]


def method_change_marks(*, years: list[str], axes: list[str], labelled: str = "") -> dict:
    """A dotted line before the first year of CBS's new method, where the years span it.

    `years`: the categories of the x axes, in order; `axes`: the suffixes of the
    axes to mark ("" for x/y, "2" for x2/y2); `labelled`: the one axis whose line
    says what it is. The line stands between the last year before 2020 and the
    first from it, placed by the category's serial number (the axes list their
    years in this order). Returns the layout's `shapes` and `annotations`, or nothing.
    """
    numbers = [int(year) for year in years]
    if not numbers or not min(numbers) < CBS_METHOD_CHANGE_YEAR <= max(numbers):
        return {}
    first = next(i for i, year in enumerate(numbers) if year >= CBS_METHOD_CHANGE_YEAR)
    position = first - 0.5
    shapes = [
        {
            "type": "line",
            "xref": f"x{axis}",
            "yref": f"y{axis} domain",
            "x0": position,
            "x1": position,
            "y0": 0,
            "y1": 1,
            "line": {"color": MARKER_COLOUR, "width": 1.5, "dash": "dot"},
        }
        for axis in axes
    ]
    # The label on the side with more room, so it stays inside the panel.
    right = position < (len(numbers) - 1) / 2
    label = {
        "xref": f"x{labelled}",
        "yref": f"y{labelled} domain",
        "x": position,
        "y": 1,
        "xanchor": "left" if right else "right",
        "yanchor": "top",
        "xshift": 4 if right else -4,
        "align": "left" if right else "right",
        "showarrow": False,
        "text": wrap_label(
            _("CBS method change (%(year)s)") % {"year": CBS_METHOD_CHANGE_YEAR}, width=16
        ),
        "font": {"size": 12, "color": MARKER_COLOUR},
    }
    return {"shapes": shapes, "annotations": [label]}


def motive_small_multiples(
    data: pd.DataFrame, *, title: str, highlight: str, own_scales: bool = False
) -> dict:
    """One small chart per motive: its share of inhabitants over the years, per area.

    `data`: columns municipality_code, municipality, year, motive, share_of_population_pct.
    Every panel has the same y scale (the first panel's, which the others match),
    so the heights compare across motives, and the same years; with `own_scales` each
    panel runs from zero to its own highest share and shows its own ticks.
    """
    present = set(data["motive"])
    motives = [slug for slug in MotiveSlug.values if slug in present]
    columns = SMALL_MULTIPLE_COLUMNS
    rows = max(1, -(-len(motives) // columns))
    layout = subplot_grid(
        rows=rows,
        columns=columns,
        titles=[motive_label(s) for s in motives],
        vertical=SMALL_MULTIPLE_GAP / rows,
    )
    years = years_of(data)
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
            shown_years = [str(year) for year in points["year"]]
            shares = points["share_of_population_pct"]
            traces.append(
                {
                    "type": "scatter",
                    "name": name,
                    "legendgroup": code,
                    "showlegend": index == 0,
                    "x": shown_years,
                    "y": drawn_values(shares),
                    "mode": "lines+markers",
                    "line": NETHERLANDS_STYLE
                    if code == NETHERLANDS_CODE
                    else {"width": 4 if code == highlight else 2, "color": colour},
                    "cliponaxis": False,
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                    **hover(
                        [f"{motive_label(slug)}, {year}" for year in shown_years],
                        [mark_text(share, format_percent) for share in shares],
                    ),
                }
            )
    _panel_scales(layout, data=data, count=len(motives), years=years, own=own_scales)
    marks = method_change_marks(
        years=years, axes=["" if i == 0 else str(i + 1) for i in range(len(motives))]
    )
    if marks:
        layout["shapes"] = marks["shapes"]
        layout["annotations"] = [*layout.get("annotations", []), *marks["annotations"]]
    layout["height"] = 240 * rows + 120
    return portal_figure(traces, layout, title=title, y_title="")


def _panel_scales(
    layout: dict, *, data: pd.DataFrame, count: int, years: list[str], own: bool = False
) -> None:
    """Every panel on the first panel's y scale (zero to the highest share) and the same
    years; with `own`, every panel from zero to its own highest share, with its own ticks."""
    shares = [s for s in drawn_values(data["share_of_population_pct"]) if s is not None]
    top = max(shares, default=1) * 1.15 or 1
    for index in range(SMALL_MULTIPLE_COLUMNS * -(-count // SMALL_MULTIPLE_COLUMNS)):
        suffix = "" if index == 0 else str(index + 1)
        yaxis = layout[f"yaxis{suffix}"]
        yaxis |= {"tickformat": ONE_DECIMAL_TICKS, "ticksuffix": " %"}
        if own:
            yaxis |= {"autorange": True, "rangemode": "tozero"}
        elif index == 0:
            yaxis |= {"range": [0, top], "autorange": False}
        else:
            yaxis["matches"] = "y"
        if index % SMALL_MULTIPLE_COLUMNS and not own:
            yaxis["showticklabels"] = False
        xaxis = layout[f"xaxis{suffix}"]
        xaxis |= category_axis(categoryorder="array", categoryarray=years)
        if index >= count:  # a cell of the grid without a motive
            xaxis["visible"] = yaxis["visible"] = False
        elif index + SMALL_MULTIPLE_COLUMNS >= count:  # no panel below: it shows the years
            xaxis["showticklabels"] = True
    for note in layout.get("annotations", []):
        note["font"] = {"size": 14}


def subplot_grid(
    *, rows: int, columns: int, titles: list[str], vertical: float | None = None
) -> dict:
    """The layout of `make_subplots(rows, cols, subplot_titles=titles, shared_xaxes=True)`
    (with `vertical_spacing=vertical` where given).

    The same axes, domains and title annotations as plotly computes them (the
    same arithmetic, so the same floats; `tests/test_figures.py` holds it to
    plotly's): cell n (1, 2, … from the top left, row by row) is drawn on axes
    xn and yn, and every column shares the x axis of its bottom cell.
    """
    horizontal = 0.2 / columns
    vertical = 0.5 / rows if vertical is None else vertical
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


def _row_px(label: str) -> int:
    """The height of an indicator's row: room for its bar and every line of its label."""
    lines = wrap_label(label, BAR_LABEL_WIDTH).count("<br>") + 1
    return max(INDICATOR_ROW_PX, INDICATOR_LINE_PX * lines + 20)


def _unit_axis(unit: str, values) -> dict:
    """A panel's value axis in its unit's notation."""
    if unit == IndicatorUnit.PERSONS:
        return count_axis(values)
    if unit == IndicatorUnit.PERCENT:
        axis = {"tickformat": ONE_DECIMAL_TICKS, "ticksuffix": " %"}
        shown = [value for value in drawn_values(values) if value is not None]
        # A share of a whole is drawn against the whole, where it is one (0–100 %).
        whole = bool(shown) and min(shown) >= 0 and max(shown) <= 100
        return axis | ({"range": [0, 100]} if whole else {})
    if unit == IndicatorUnit.EURO:
        return {"tickformat": WHOLE_TICKS, "tickprefix": "€ "}
    return {"tickformat": TWO_DECIMALS_TICKS}


def _unit_text(unit: str, text: str) -> str:
    """A value label with its unit where the number alone does not say it (82 %, € 210.000)."""
    if not text[:1].isdigit():  # a mark (< 5, x) or no value
        return text
    if unit == IndicatorUnit.PERCENT:
        return f"{text} %"
    if unit == IndicatorUnit.EURO:
        return f"€ {text}"
    return text


def indicator_against_target(data: pd.DataFrame, *, title: str) -> dict:
    """Each indicator's value beside its target, one panel per unit.

    `data`: columns label, value, target, unit_code (an `IndicatorUnit`). The
    panels stand one under the other, each with its own value axis in its unit,
    so no axis mixes persons with percentages or euros; the values and targets
    are labelled as the table prints them.
    """
    panels = list(groups(data, "unit_code", IndicatorUnit.values))
    sizes = [sum(_row_px(label) for label in rows["label"]) + 30 for _unit, rows in panels]
    plot_height = sum(sizes) + PANEL_GAP_PX * (len(panels) - 1)
    layout: dict = {"height": plot_height + 150}
    traces: list[dict] = []
    top = 0
    for index, (unit, rows) in enumerate(panels):
        suffix = "" if index == 0 else str(index + 1)
        domain = [1 - (top + sizes[index]) / plot_height, 1 - top / plot_height]
        top += sizes[index] + PANEL_GAP_PX
        layout[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            "title": {"text": str(IndicatorUnit(unit).label)},
            **_unit_axis(unit, [*rows["value"], *rows["target"]]),
        }
        layout[f"yaxis{suffix}"] = category_axis(
            anchor=f"x{suffix}", domain=[max(0.0, domain[0]), domain[1]], autorange="reversed"
        )
        traces += _indicator_bars(rows, unit=unit, suffix=suffix)
    shown: set[str] = set()
    for trace in traces:  # each of "value" and "target" once in the legend
        trace["showlegend"] = trace["legendgroup"] not in shown
        shown.add(trace["legendgroup"])
    return portal_figure(traces, layout, title=title)


def _indicator_bars(rows: pd.DataFrame, *, unit: str, suffix: str) -> list[dict]:
    """One panel's bars: the values, and the targets where there are any."""
    longest = longest_end([*rows["value"], *rows["target"].dropna()])
    labels = [wrap_label(label, BAR_LABEL_WIDTH) for label in rows["label"]]
    value_texts = [_unit_text(unit, mark_text(v, format_as_stored)) for v in rows["value"]]
    bars = [
        {
            "type": "bar",
            "name": _("Value"),
            "legendgroup": "value",
            "y": labels,
            "x": drawn_values(rows["value"]),
            "orientation": "h",
            "marker": {"color": "#0072B2"},
            "xaxis": f"x{suffix}",
            "yaxis": f"y{suffix}",
            **value_labels(value_texts, rows["value"], longest=longest),
            # A label inside its bar stands at the start, clear of the target's mark.
            "insidetextanchor": "start",
            **hover(rows["label"].tolist(), value_texts),
        }
    ]
    targets = rows[rows["target"].notna()]
    if not targets.empty:
        # A target is a mark across its indicator's bar, as in a bullet chart.
        target_texts = [_unit_text(unit, format_as_stored(v)) for v in targets["target"]]
        bars.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Target"),
                "legendgroup": "target",
                "y": [wrap_label(label, BAR_LABEL_WIDTH) for label in targets["label"]],
                "x": drawn_values(targets["target"]),
                "marker": {
                    "symbol": "line-ns-open",
                    "size": 30,
                    "color": "#1b1b1b",
                    "line": {"width": 4, "color": "#1b1b1b"},
                },
                "cliponaxis": False,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                **hover(targets["label"].tolist(), target_texts),
            }
        )
    return bars
