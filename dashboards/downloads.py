"""A chart's data as CSV, XLSX or JSON: the numbers the chart draws, formula-safe."""

import csv
import io
import json

import tablib
from django.http import HttpResponse

from dashboards.selectors import Chart
from migrantportal.spreadsheet import spreadsheet_safe

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def chart_download(*, chart: Chart, file_format: str, file_stem: str) -> HttpResponse:
    records = [
        {key: spreadsheet_safe(value) for key, value in record.items()}
        for record in chart.export_records()
    ]
    keys = [column.key for column in chart.columns]
    if file_format == "json":
        body: bytes | str = json.dumps(
            {"title": chart.title, "sources": chart.sources, "rows": records},
            ensure_ascii=False,
            indent=2,
        )
    elif file_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        body = buffer.getvalue()
    else:
        dataset = tablib.Dataset(*[[r[k] for k in keys] for r in records], headers=keys)
        body = dataset.export("xlsx")
    response = HttpResponse(body, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_stem}.{file_format}"'
    return response
