"""Helpers shared by the in-process benchmarks (`benchmark_import.py`, `benchmark_load_demo.py`).

They run against Django's test database machinery, never the configured database itself.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def throwaway_test_database() -> Iterator[None]:
    """A migrated test database of the configured kind, destroyed on the way out."""
    if connection.vendor == "sqlite":
        # A file, not the in-memory test database, so the figures mean what a server sees.
        connection.settings_dict["TEST"]["NAME"] = tempfile.mktemp(suffix=".sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
