"""Single cell values: counts, years and regions as CBS and spreadsheets write them."""

import functools
import re
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import YEAR_MAX, YEAR_MIN

# CBS symbols for a value that is missing (.) or kept secret (x); skipped, not stored as 0.
MISSING_SYMBOLS = {"", ".", "x", "?"}
# CBS's "nihil": the value is zero.
NIL_SYMBOLS = {"-", "–"}

_REGION_CODE = re.compile(r"^(GM\d{4}|NL01)$")
_PERIOD = re.compile(r"^(\d{4})(JJ00)?\*?$")
_PLAIN_WHOLE = re.compile(r"^\d+$")
_GROUPED_WHOLE = re.compile(r"^\d{1,3}([. ]\d{3})+$")


class BadValue(Exception):
    pass


def parse_whole_number(raw: Any) -> int | None:
    """A count as CBS and spreadsheets write it; None for a missing value.

    Accepts `18480`, Dutch grouping `18.480`, space grouping, CBS's nil `-` (0)
    and spreadsheet floats that are whole. Refuses negatives and fractions.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise BadValue(_("is not a whole number"))
    if isinstance(raw, int):
        if raw < 0:
            raise BadValue(_("is negative"))
        return raw
    if isinstance(raw, float):
        if raw < 0:
            raise BadValue(_("is negative"))
        if not raw.is_integer():
            raise BadValue(_("is not a whole number"))
        return int(raw)
    text = str(raw).strip().replace("\u00a0", " ")
    if text.lower() in MISSING_SYMBOLS:
        return None
    if text in NIL_SYMBOLS:
        return 0
    if text.startswith("-"):
        raise BadValue(_("is negative"))
    if _PLAIN_WHOLE.match(text):
        return int(text)
    if _GROUPED_WHOLE.match(text):
        return int(text.replace(".", "").replace(" ", ""))
    raise BadValue(_("is not a whole number"))


def parse_year(raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _parse_year_text(str(raw).strip() if raw is not None else "")


@functools.lru_cache(maxsize=1024)
def _parse_year_text(text: str) -> int:
    match = _PERIOD.match(text)
    if not match:
        raise BadValue(_("is not a year (expected for example 2023 or 2023JJ00)"))
    year = int(match.group(1))
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise BadValue(
            _("is outside the years %(min)s–%(max)s") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return year


def split_region(raw: Any) -> tuple[str | None, str | None]:
    """A region cell holds a CBS code (possibly padded) or a name."""
    return _split_region_text(str(raw) if raw is not None else "")


@functools.lru_cache(maxsize=4096)
def _split_region_text(raw: str) -> tuple[str | None, str | None]:
    text = " ".join(raw.split())
    if _REGION_CODE.match(text.upper()):
        return text.upper(), None
    return None, text or None


_NUMBER_LIKE = re.compile(r"^[-+]?\d[\d., ]*$")


def looks_like_a_number(raw: Any) -> bool:
    """A cell that holds a figure (`12`, `18.480`, `-3`, `12,5`), not a label."""
    if isinstance(raw, bool) or raw is None:
        return False
    if isinstance(raw, int | float):
        return True
    return bool(_NUMBER_LIKE.match(str(raw).strip()))
