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
