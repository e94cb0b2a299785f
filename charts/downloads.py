"""A chart's data as CSV, XLSX or JSON: the numbers the chart draws, formula-safe."""

import csv
import io
import json

import tablib
from django.http import HttpResponse

from charts.chart import Chart, FrozenChart
from migrantportal.spreadsheet import spreadsheet_safe

FORMATS = {
    "csv": "text/csv; charset=utf-8",
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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _xlsx_body(*, chart: Chart | FrozenChart, records: list[dict], keys: list[str]) -> bytes:
    dataset = tablib.Dataset(*[[r[k] for k in keys] for r in records], headers=keys)
    return dataset.export("xlsx")


WRITERS = {"json": _json_body, "csv": _csv_body, "xlsx": _xlsx_body}


def chart_download(*, chart: Chart | FrozenChart, file_format: str, file_stem: str) -> HttpResponse:
    """The chart's exported records as an attachment; `file_format` is one of `FORMATS`."""
    records = [
        {key: spreadsheet_safe(value) for key, value in record.items()}
        for record in chart.export_records()
    ]
    keys = [column.key for column in chart.columns]
    body = WRITERS[file_format](chart=chart, records=records, keys=keys)
    response = HttpResponse(body, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{file_format}"'
    return response
