"""A chart's data as CSV (two dialects), XLSX or JSON: the numbers the chart draws.

CSV and XLSX cells are formula-safe (migrantportal/spreadsheet.py); JSON carries the
values as they are, since no spreadsheet runs it.
"""

import json

import tablib
from django.http import HttpResponse

from charts.chart import Chart, FrozenChart
from migrantportal.spreadsheet import CSV_CONTENT_TYPE, csv_text, spreadsheet_safe

FORMATS = {
    "csv": CSV_CONTENT_TYPE,
    # Dutch Excel: ";" between fields, decimal comma, a byte-order mark.
    "csv-nl": CSV_CONTENT_TYPE,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _json_body(*, chart: Chart | FrozenChart, records: list[dict], keys: list[str]) -> str:
    return json.dumps(
        {"title": chart.title, "sources": chart.sources, "rows": records},
        ensure_ascii=False,
        indent=2,
    )


def _csv_body(*, chart: Chart | FrozenChart, records: list[dict], keys: list[str]) -> str:
    return csv_text(header=keys, rows=([r[k] for k in keys] for r in records))


def _csv_nl_body(*, chart: Chart | FrozenChart, records: list[dict], keys: list[str]) -> str:
    return csv_text(header=keys, rows=([r[k] for k in keys] for r in records), dialect="csv-nl")


def _xlsx_body(*, chart: Chart | FrozenChart, records: list[dict], keys: list[str]) -> bytes:
    dataset = tablib.Dataset(
        *[[spreadsheet_safe(r[k]) for k in keys] for r in records], headers=keys
    )
    return dataset.export("xlsx")


WRITERS = {"json": _json_body, "csv": _csv_body, "csv-nl": _csv_nl_body, "xlsx": _xlsx_body}
EXTENSIONS = {"csv-nl": "csv"}


def chart_download(*, chart: Chart | FrozenChart, file_format: str, file_stem: str) -> HttpResponse:
    """The chart's exported records as an attachment; `file_format` is one of `FORMATS`."""
    records = chart.export_records()
    keys = [column.key for column in chart.columns]
    body = WRITERS[file_format](chart=chart, records=records, keys=keys)
    response = HttpResponse(body, content_type=FORMATS[file_format])
    extension = EXTENSIONS.get(file_format, file_format)
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{extension}"'
    return response
