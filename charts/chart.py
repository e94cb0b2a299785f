"""One chart: its figure, the same numbers as a table, and what it rests on.

A `Chart` is built from live data; a `FrozenChart` is the same chart as a
meeting snapshot kept it, in plain JSON, and reads like a `Chart` to templates
and downloads.
"""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from django.utils.formats import date_format

from charts import privacy
from charts.figures import figure_json
from charts.formatting import format_as_stored, format_number, format_percent


@dataclass
class Column:
    key: str
    label: str
    # text, date (an ISO day, shown in the reader's notation), number, percent or stored
    # (a number with its own decimals)
    kind: str = "text"
    # What a number counts, as downloads explain it; None says it by `kind`, "" not at all.
    unit: str | None = None
    # What each code in a column of codes means (the kinds of value of `provenance`).
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def is_number(self) -> bool:
        """Whether the column holds numbers: right-aligned, header and cells alike."""
        return self.kind in NUMBER_KINDS


NUMBER_KINDS = frozenset({"number", "percent", "stored"})

PORTRAIT_COLUMNS = 7
"""The most columns a chart's table has to print on portrait A4 with every word whole
(static/css/print.css); a wider chart prints on landscape pages."""


class _PrintLayout:
    columns: list[Column]

    @property
    def prints_landscape(self) -> bool:
        return len(self.columns) > PORTRAIT_COLUMNS


@dataclass
class Chart(_PrintLayout):
    """One chart: its figure, the same numbers as a table, and what it rests on."""

    id: str
    title: str
    summary: str
    data: pd.DataFrame
    columns: list[Column]
    figure: dict | go.Figure | None = None  # the dict Plotly.js reads (see charts.figures)
    sources: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A chart with held-back numbers says why, wherever it is shown or frozen.
        held_back = privacy.frame_holds_suppressed(self.data)
        if held_back is not None:
            self.definitions = [
                *self.definitions,
                privacy.suppression_note(threshold=held_back.threshold),
            ]

    def table_rows(self) -> list[list[tuple[str, bool]]]:
        """Each cell as (text in the reader's notation, whether it is a number)."""
        return [
            [
                (cell_text(record.get(column.key), column.kind), column.is_number)
                for column in self.columns
            ]
            for record in self.data.to_dict("records")
        ]

    def export_records(self) -> list[dict]:
        return [
            {column.key: _plain(record.get(column.key)) for column in self.columns}
            for record in self.data.to_dict("records")
        ]


def cell_text(value, kind: str) -> str:
    """A table cell in the reader's notation: a number formatted, a held-back one as its mark."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, privacy.Suppressed):
        return str(value)
    if kind == "number":
        return format_number(value)
    if kind == "stored":
        return format_as_stored(value)
    if kind == "percent":
        return format_percent(value)
    if kind == "date":
        return _date_text(value)
    return str(value)


def _date_text(value) -> str:
    """An ISO day as "1 juli 2025"; anything else (the document's own words) as it is."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "j F Y")


def _plain(value):
    """A cell as downloads hold it: a held-back number as the table's text ("< 5", "x")."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, privacy.Suppressed):
        return str(value)
    if hasattr(value, "item"):
        return value.item()
    return value


@dataclass
class FrozenChart(_PrintLayout):
    """A chart as a snapshot kept it; templates and downloads read it as a Chart."""

    id: str
    title: str
    summary: str
    columns: list[Column]
    rows: list
    records: list[dict]
    figure: dict | None
    sources: list[str]
    definitions: list[str]

    def table_rows(self) -> list:
        return self.rows

    def export_records(self) -> list[dict]:
        return self.records


def chart_freeze(*, chart: Chart) -> dict:
    """The chart as plain data: texts in the active language, table and figure as drawn now."""
    return {
        "id": chart.id,
        "title": str(chart.title),
        "summary": str(chart.summary),
        "sources": [str(source) for source in chart.sources],
        "definitions": [str(definition) for definition in chart.definitions],
        "columns": [
            {
                "key": column.key,
                "label": str(column.label),
                "kind": column.kind,
                "unit": None if column.unit is None else str(column.unit),
                "codes": {code: str(meaning) for code, meaning in column.codes.items()},
            }
            for column in chart.columns
        ],
        "rows": chart.table_rows(),
        "records": chart.export_records(),
        "figure": figure_json(chart.figure) if chart.figure is not None else None,
    }


def chart_thaw(*, frozen: dict) -> FrozenChart:
    """A chart kept by `chart_freeze`, read back as it was kept."""
    return FrozenChart(
        id=frozen["id"],
        title=frozen["title"],
        summary=frozen["summary"],
        columns=[Column(**column) for column in frozen["columns"]],
        rows=frozen["rows"],
        records=frozen["records"],
        figure=frozen.get("figure"),
        sources=frozen.get("sources", []),
        definitions=frozen.get("definitions", []),
    )
