"""Numbers as the reader's language writes them: 18.480 and 11,4 % in Dutch."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

Number = int | float | Decimal


def format_number(value: Number | None, *, decimals: int = 0) -> str:
    if value is None:
        return "–"
    # number_format cuts decimals off; round half up first, as people do by hand.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_percent(value: Number | None, *, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{format_number(value, decimals=decimals)} %"


def format_as_stored(value: Number | None) -> str:
    """A number with the decimals it has, no more and no fewer: 1,54 stays 1,54; 248 is 248."""
    if value is None:
        return "–"
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return format_number(value, decimals=max(0, -int(exponent)))
