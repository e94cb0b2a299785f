"""A chart's data as CSV (two dialects), XLSX or JSON: the numbers the chart draws.

CSV and XLSX are for people: their column headers are the table's, in the interface's
language (Dutch unless the visitor chose English). The XLSX workbook has the data on a
sheet named after the chart and a second sheet (*Toelichting* / *About*) with the
chart's title, summary, sources, definitions, units, the kind of each value (the
`provenance` column: gepubliceerd, berekend, afgeleid, geschat, gebleken, with how), the
JSON key of each column and the date of the download. JSON is for programs: its keys
(`title`, `sources`, `rows`, and the columns' keys) are a stable interface and never
translated.

CSV and XLSX cells are formula-safe (migrantportal/spreadsheet.py); JSON carries the
values as they are, since no spreadsheet runs it.
"""

import json
from collections import Counter
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from charts.chart import Chart, Column, FrozenChart
from migrantportal.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    csv_text,
    xlsx_bytes,
)

FORMATS = {
    "csv": CSV_CONTENT_TYPE,
    # Dutch Excel: ";" between fields, decimal comma, a byte-order mark.
    "csv-nl": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
    "json": "application/json",
}
# The columns that say what kind of value a row's figures are, and how they were made.
KIND_KEY = "provenance"
KIND_HOW_KEY = "provenance_basis"
# A column of units (the indicators'), which a "stored" number's unit refers to.
UNIT_KEY = "unit"


def _headers(chart: Chart | FrozenChart) -> list[str]:
    return [str(column.label) for column in chart.columns]


def _json_body(*, chart: Chart | FrozenChart, records: list[dict], today: date) -> str:
    return json.dumps(
        {"title": chart.title, "sources": chart.sources, "rows": records},
        ensure_ascii=False,
        indent=2,
    )


def _rows(chart: Chart | FrozenChart, records: list[dict]) -> list[list]:
    return [[record[column.key] for column in chart.columns] for record in records]


def _csv_body(*, chart: Chart | FrozenChart, records: list[dict], today: date) -> str:
    return csv_text(header=_headers(chart), rows=_rows(chart, records))


def _csv_nl_body(*, chart: Chart | FrozenChart, records: list[dict], today: date) -> str:
    return csv_text(header=_headers(chart), rows=_rows(chart, records), dialect="csv-nl")


def _xlsx_body(*, chart: Chart | FrozenChart, records: list[dict], today: date) -> bytes:
    return xlsx_bytes(
        sheets=[
            Sheet(title=str(chart.title), header=_headers(chart), rows=_rows(chart, records)),
            Sheet(
                title=pgettext("sheet of a download", "About"),
                rows=chart_about_rows(chart=chart, records=records, today=today),
                labelled_rows=True,
            ),
        ]
    )


def chart_about_rows(*, chart: Chart | FrozenChart, records: list[dict], today: date) -> list:
    """The XLSX's second sheet: (what, text) rows in the interface's language."""
    rows: list[list] = [[_("Title"), str(chart.title)]]
    if chart.summary:
        rows.append([_("Summary"), str(chart.summary)])
    groups = [
        (_("Source"), [str(source) for source in chart.sources]),
        (_("Definition"), [str(definition) for definition in chart.definitions]),
        (_("Unit"), _unit_lines(chart.columns)),
        (_("Kind of value"), _kind_lines(chart.columns, records)),
        (
            _("Column"),
            [
                _("%(label)s (“%(key)s” in the JSON download)")
                % {"label": column.label, "key": column.key}
                for column in chart.columns
            ],
        ),
    ]
    rows += [[label, line] for label, lines in groups for line in lines]
    rows.append([_("Downloaded on"), today])
    return rows


def _unit_lines(columns: list[Column]) -> list[str]:
    unit_column = next((column for column in columns if column.key == UNIT_KEY), None)
    lines = []
    for column in columns:
        unit = column.unit if column.unit is not None else _unit_by_kind(column, unit_column)
        if unit:
            lines.append(f"{column.label}: {unit}")
    return lines


def _unit_by_kind(column: Column, unit_column: Column | None) -> str:
    if column.kind == "number":
        return pgettext("unit of a column", "count")
    if column.kind == "percent":
        return _("percent (%)")
    if column.kind == "stored":
        if unit_column is None:
            return _("as recorded")
        return _("as recorded, in the unit of the column “%(column)s”") % {
            "column": unit_column.label
        }
    return ""


def _kind_lines(columns: list[Column], records: list[dict]) -> list[str]:
    """Each kind of value the rows hold, with how it was made and on how many rows."""
    kind_column = next((column for column in columns if column.key == KIND_KEY), None)
    if kind_column is None:
        return [_("not recorded per value; see the sources and definitions")]
    tally = Counter(
        (str(record.get(KIND_KEY) or ""), str(record.get(KIND_HOW_KEY) or "")) for record in records
    )
    lines = []
    for (code, how), count in tally.items():
        meaning = kind_column.codes.get(code, "")
        text = code or _("not given")
        if meaning and meaning.lower().startswith(code.lower()):
            text = meaning  # "berekend door het portaal" says "berekend" already
        elif meaning:
            text = f"{text}: {meaning}"
        if how:
            text = f"{text} ({how})"
        lines.append(
            ngettext("%(kind)s, on %(count)s row", "%(kind)s, on %(count)s rows", count)
            % {"kind": text, "count": count}
        )
    return lines


WRITERS = {"json": _json_body, "csv": _csv_body, "csv-nl": _csv_nl_body, "xlsx": _xlsx_body}
EXTENSIONS = {"csv-nl": "csv"}


def chart_download(
    *,
    chart: Chart | FrozenChart,
    file_format: str,
    file_stem: str,
    today: date | None = None,
) -> HttpResponse:
    """The chart's exported records as an attachment; `file_format` is one of `FORMATS`.

    `today` is the download's date (Europe/Amsterdam) unless a test chooses it.
    """
    records = chart.export_records()
    body = WRITERS[file_format](chart=chart, records=records, today=today or timezone.localdate())
    response = HttpResponse(body, content_type=FORMATS[file_format])
    extension = EXTENSIONS.get(file_format, file_format)
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{extension}"'
    return response
