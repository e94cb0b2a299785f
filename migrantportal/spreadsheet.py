"""Neutralise spreadsheet formula injection in exported cells.

A cell that starts with one of these characters is read as a formula by Excel
and LibreOffice; a leading apostrophe makes them show it as text instead.
django-import-export's own escaping covers only "=".
"""

from typing import Any

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value
