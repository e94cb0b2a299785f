"""The dashboards' filter state, read from and written to the query string.

Everything that shapes a view travels in the URL, so a copied link shows the
same view to a colleague.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from registry.constants import NETHERLANDS_CODE, YEAR_MAX, YEAR_MIN, MotiveSlug
from registry.models import Municipality

# Every parameter a dashboard URL may carry. Anything else is dropped by a redirect to the
# same view without it (dashboards/page_cache.py), so made-up parameters never become
# pages of their own in the cache.
QUERY_PARAMETERS = (
    "municipality",
    "from",
    "to",
    "motives",
    "compare",
    "group",
    "theme",
    "include",
    "scale",
    "chart",
    "format",
)


SCALE_SHARED, SCALE_OWN = "shared", "own"


class FilterError(ValueError):
    """A query-string value the dashboards cannot use; the message says which."""


@dataclass(frozen=True)
class Filters:
    municipality: Municipality
    year_from: int | None = None
    year_to: int | None = None
    motives: tuple[str, ...] = tuple(MotiveSlug.values)
    compare: tuple[str, ...] = field(default_factory=tuple)
    group: str = ""
    theme: str = ""
    include: tuple[str, ...] = field(default_factory=tuple)
    # The comparison's small multiples: one y scale for every motive (False, the default,
    # so heights compare across panels) or each panel its own (`scale=own`).
    own_scales: bool = False

    def years_allow(self, year: int) -> bool:
        return (self.year_from is None or year >= self.year_from) and (
            self.year_to is None or year <= self.year_to
        )

    def as_query(self, **changes) -> str:
        """The query string of this view, with `changes` applied, for links."""
        state = replace(self, **changes) if changes else self
        params: dict[str, str] = {"municipality": state.municipality.code}
        if state.year_from is not None:
            params["from"] = str(state.year_from)
        if state.year_to is not None:
            params["to"] = str(state.year_to)
        if set(state.motives) != set(MotiveSlug.values):
            params["motives"] = ",".join(state.motives)
        if state.compare:
            params["compare"] = ",".join(state.compare)
        if state.group:
            params["group"] = state.group
        if state.theme:
            params["theme"] = state.theme
        if state.include:
            params["include"] = ",".join(state.include)
        if state.own_scales:
            params["scale"] = SCALE_OWN
        return urlencode(params, safe=",:")

    @property
    def areas(self) -> list[str]:
        """The chosen municipality, then the ones compared with it, then the Netherlands."""
        codes = [self.municipality.code, *self.compare]
        if NETHERLANDS_CODE not in codes:
            codes.append(NETHERLANDS_CODE)
        return list(dict.fromkeys(codes))


def _codes(raw: str, municipalities: dict[str, Municipality] | None = None) -> list[str]:
    """CBS codes from a comma-separated list in which a municipality's name may stand too."""
    by_name = {m.name.casefold(): code for code, m in (municipalities or {}).items()}
    return [
        by_name.get(part.strip().casefold(), part.strip().upper())
        for part in raw.split(",")
        if part.strip()
    ]


def _year(params: QueryDict, name: str) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not YEAR_MIN <= int(raw) <= YEAR_MAX:
        raise FilterError(
            _("“%(value)s” is not a year between %(min)s and %(max)s (parameter %(name)s).")
            % {"value": raw, "min": YEAR_MIN, "max": YEAR_MAX, "name": name}
        )
    return int(raw)


def filters_from_query(
    *,
    params: QueryDict,
    municipalities: dict[str, Municipality],
    comparison_groups: dict[str, list[str]],
    default: Callable[[], Municipality],
) -> Filters:
    """`default` is asked only when the query names no municipality (it may cost a query)."""
    named = _codes(params.get("municipality", ""), municipalities)
    code = named[0] if named else default().code
    if code not in municipalities:
        raise FilterError(_("Unknown municipality “%(code)s”.") % {"code": code})
    municipality = municipalities[code]

    motives = tuple(params.get("motives", "").split(",")) if params.get("motives") else None
    if motives is not None:
        unknown = [slug for slug in motives if slug not in MotiveSlug.values]
        if unknown:
            raise FilterError(_("Unknown motive “%(value)s”.") % {"value": ", ".join(unknown)})
    if "compare" in params:
        compare = _codes(params["compare"], municipalities)
        unknown = [c for c in compare if c not in municipalities]
        if unknown:
            raise FilterError(_("Unknown municipality “%(code)s”.") % {"code": ", ".join(unknown)})
    else:
        compare = comparison_groups.get(code, [])

    scale = params.get("scale", "").strip() or SCALE_SHARED
    if scale not in (SCALE_SHARED, SCALE_OWN):
        raise FilterError(
            _("Unknown scale “%(value)s” (parameter scale): use shared or own.") % {"value": scale}
        )
    year_from, year_to = _year(params, "from"), _year(params, "to")
    if year_from and year_to and year_from > year_to:
        raise FilterError(_("The first year comes after the last year."))
    return Filters(
        municipality=municipality,
        year_from=year_from,
        year_to=year_to,
        motives=motives or tuple(MotiveSlug.values),
        compare=tuple(c for c in compare if c != code),
        group=params.get("group", "").strip(),
        theme=params.get("theme", "").strip(),
        include=tuple(
            item for value in params.getlist("include") for item in value.split(",") if item
        ),
        own_scales=scale == SCALE_OWN,
    )
