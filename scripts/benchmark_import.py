#!/usr/bin/env python3
"""Benchmark the import engine on the synthetic national file (docs/benchmarks.md).

Runs in a throwaway test database of the configured kind (SQLite by default,
PostgreSQL with DATABASE_URL), so it never touches real data:

    .venv/bin/python scripts/benchmark_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/migrantportal \
        .venv/bin/python scripts/benchmark_import.py

Reports the marginal rate (the national file's time minus a one-row file's,
medians of several runs), the re-import of the unchanged file, the peak Python
memory of an import, and the same file through a plain row-by-row
django-import-export resource for comparison, all measured in one run.
"""

import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "migrantportal.settings")

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from benchtools import throwaway_test_database  # noqa: E402
from django.db import connection  # noqa: E402
from generate_national_file import (  # noqa: E402
    HEADERS,
    national_csv,
    synthetic_municipalities,
    synthetic_rows,
)
from import_export import fields, resources, widgets  # noqa: E402

from registry.models import MigrantCount, Municipality, Population, Source  # noqa: E402
from registry.services import migrant_counts_import  # noqa: E402

RUNS = 3


def _max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clear() -> None:
    MigrantCount.objects.all().delete()
    Population.objects.all().delete()


def _timed_import(content: bytes) -> float:
    started = time.perf_counter()
    migrant_counts_import(content=content, file_name="bench.csv")
    return time.perf_counter() - started


def _median_first_import(content: bytes) -> float:
    times = []
    for _ in range(RUNS):
        _clear()
        times.append(_timed_import(content))
    return statistics.median(times)


def _median_reimport(content: bytes) -> float:
    _clear()
    _timed_import(content)
    return statistics.median(_timed_import(content) for _ in range(RUNS))


class RowByRowResource(resources.ModelResource):
    """A plain django-import-export resource: one row at a time, as the library does by default."""

    municipality = fields.Field(
        attribute="municipality",
        column_name="Gemeentecode",
        widget=widgets.ForeignKeyWidget(Municipality, field="code"),
    )
    year = fields.Field(attribute="year", column_name="Jaar")
    motive = fields.Field(attribute="motive_id", column_name="Migratiemotief")
    measure = fields.Field(attribute="measure", column_name="Maat")
    persons = fields.Field(attribute="persons", column_name="Aantal")

    class Meta:
        model = MigrantCount
        fields = ("municipality", "year", "motive", "measure", "persons")
        import_id_fields = ("municipality", "year", "motive", "measure")

    def before_import_row(self, row, **kwargs):
        row["Maat"] = "stock"

    def before_save_instance(self, instance, row, **kwargs):
        instance.source = self.source


def _row_by_row_seconds(rows: list[list[str]]) -> float:
    _clear()
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    resource = RowByRowResource()
    resource.source = Source.objects.get_or_create(
        slug="benchmark",
        defaults={"title": "Benchmark", "publisher": "-", "kind": "other", "year": 2026},
    )[0]
    started = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    elapsed = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("the row-by-row import failed")
    return elapsed


@contextmanager
def synthetic_test_database() -> Iterator[None]:
    """A throwaway test database of the configured kind holding the synthetic municipalities."""
    with throwaway_test_database():
        Municipality.objects.bulk_create(
            Municipality(code=code, name=name, is_synthetic=True)
            for code, name in synthetic_municipalities()
        )
        yield


def main() -> int:
    with synthetic_test_database():
        rows = synthetic_rows()
        national, one_row = national_csv(rows), national_csv(rows[:1])

        first_small = _median_first_import(one_row)
        first_big = _median_first_import(national)
        again_small = _median_reimport(one_row)
        again_big = _median_reimport(national)

        _clear()
        tracemalloc.start()
        _timed_import(national)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after_import = _max_rss_mb()

        row_by_row = _row_by_row_seconds(rows)

        first_rate = len(rows) / (first_big - first_small)
        again_rate = len(rows) / (again_big - again_small)
        version = ".".join(map(str, connection.get_database_version()))
        print(f"database: {connection.vendor} {version}")
        print(f"rows in the national file: {len(rows)} (plus population per municipality-year)")
        print(
            f"first import: one-row file {first_small:.3f} s, national file {first_big:.3f} s, "
            f"marginal {first_rate:,.0f} rows/s"
        )
        print(
            f"re-import:    one-row file {again_small:.3f} s, national file {again_big:.3f} s, "
            f"marginal {again_rate:,.0f} rows/s"
        )
        print(
            f"peak Python memory during the national import: {peak / 1024 / 1024:.0f} MB; "
            f"peak resident size of the whole process: {rss_after_import:.0f} MB"
        )
        print(
            f"plain row-by-row django-import-export resource: {row_by_row:.1f} s, "
            f"{len(rows) / row_by_row:,.0f} rows/s; the engine is "
            f"{row_by_row / first_big:.0f}× faster on the whole file"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
