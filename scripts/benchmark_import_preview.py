#!/usr/bin/env python3
"""Benchmark the admin's import preview of a national file in which every count changed.

Runs in a throwaway test database of the configured kind (SQLite by default,
PostgreSQL with DATABASE_URL), so it never touches real data:

    .venv/bin/python scripts/benchmark_import_preview.py

Uploads the synthetic national file, with every count one higher than stored, to the
admin's import page (the preview step: a dry run that writes nothing) and reports the
time and the size of the page, with the preview's row limit as it ships and with no
limit (every changed figure listed, as before the limit). Both are measured in turns in
one run; compare them as a ratio.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "migrantportal.settings")

import django  # noqa: E402

django.setup()

from benchmark_import import synthetic_test_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from generate_national_file import national_csv, synthetic_rows  # noqa: E402

from registry import services  # noqa: E402
from registry.importers import planning  # noqa: E402

RUNS = 3
UNLIMITED = 10**9


def _preview(client: Client, content: bytes, limit: int) -> tuple[float, int]:
    planning.PREVIEW_ROW_LIMIT = limit
    upload = io.BytesIO(content)
    upload.name = "national.csv"
    started = time.perf_counter()
    response = client.post(
        reverse("admin:registry_migrantcount_import"),
        {"format": "0", "resource": "0", "import_file": upload, "measure": "stock"},
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or response.context["confirm_form"] is None:
        raise RuntimeError(f"no preview: {response.status_code}")
    return elapsed, len(response.content)


def main() -> int:
    shipped_limit = planning.PREVIEW_ROW_LIMIT
    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp()
    with synthetic_test_database():
        rows = synthetic_rows()
        services.migrant_counts_import(content=national_csv(rows), file_name="national.csv")
        changed = national_csv(rows, add=1)
        client = Client()
        client.force_login(get_user_model().objects.create_superuser("bench", "", "bench"))

        measured = {shipped_limit: [], UNLIMITED: []}
        for _ in range(RUNS):
            for limit in measured:
                measured[limit].append(_preview(client, changed, limit))

        print(f"database: {connection.vendor}; {len(rows)} counts changed in the file")
        for limit, runs in measured.items():
            label = f"limit {limit}" if limit != UNLIMITED else "no limit"
            seconds = statistics.median(run[0] for run in runs)
            size = runs[0][1] / 1_000_000
            print(f"preview, {label:>9}: median {seconds:.2f} s, page {size:.2f} MB")
        capped, unlimited = (statistics.median(r[0] for r in measured[k]) for k in measured)
        print(f"time with the limit / without: {capped / unlimited:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
