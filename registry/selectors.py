"""The read API for register figures: views, figures and exports call these."""

from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import QuerySet

from migrantportal.figure_cache import figure_cache_get_or_build
from registry.constants import Measure, Provenance, ShareBasis
from registry.models import (
    Estimate,
    MigrantCount,
    MigrantShare,
    Municipality,
    MunicipalityTheme,
    Population,
)
from registry.models.themes import DEFAULT_THEME, ThemeTokens


@dataclass(frozen=True)
class CountRow:
    municipality_code: str
    municipality: str
    year: int
    motive: str
    measure: str
    count: int
    share_of_migrants_pct: float | None
    share_of_population_pct: float | None
    # What kind of value the count is (Provenance) and, if computed or derived, how.
    provenance: str = Provenance.PUBLISHED
    provenance_basis: str = ""
    # The population the share of population is computed on: its own kind and how.
    population_provenance: str | None = None
    population_provenance_basis: str = ""
    source: str = ""
    # The share of migrants as the source publishes it (43 %), beside the computed one.
    published_share_of_migrants_pct: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


COUNT_ROW_FIELDS = list(CountRow.__dataclass_fields__)


def _pct(part: int, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100 * part / whole, 2)


def municipality_get(*, code: str) -> Municipality | None:
    return Municipality.objects.filter(code=code.strip().upper()).first()


def municipality_theme_map() -> dict[str, ThemeTokens]:
    """Every municipality's theme by CBS code, kept in the cache per data version."""
    return figure_cache_get_or_build(key="municipality-themes", build=_themes_by_code)


def _themes_by_code() -> dict[str, ThemeTokens]:
    themes = MunicipalityTheme.objects.select_related("municipality")
    return {theme.municipality.code: theme.tokens() for theme in themes}


def municipality_theme_tokens(*, code: str | None) -> ThemeTokens:
    """The theme of the municipality with this CBS code; the neutral default for none."""
    if not code:
        return DEFAULT_THEME
    return municipality_theme_map().get(code, DEFAULT_THEME)


def migrant_count_rows(
    *,
    municipality_code: str | None = None,
    municipality_codes: list[str] | None = None,
    year: int | None = None,
    measure: str = Measure.STOCK,
) -> list[CountRow]:
    """One row per municipality × year × motive, with shares in percent.

    The share of migrants is of the municipality-year's total over all motives
    of the same measure; the share of population uses inhabitants on 1 January.
    """
    if municipality_code:
        municipality_codes = [municipality_code]
    records = _count_records(codes=municipality_codes, year=year, measure=measure)
    inhabitants, population_kinds = _populations(codes=municipality_codes, year=year)
    published = _published_motive_shares(
        codes=municipality_codes, year=year, measure=measure, basis=ShareBasis.MIGRANTS
    )
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for municipality_id, _code, _name, record_year, _motive, persons, *_rest in records:
        totals[municipality_id, record_year] += persons

    return [
        CountRow(
            municipality_code=code,
            municipality=name,
            year=record_year,
            motive=motive,
            measure=measure,
            count=persons,
            share_of_migrants_pct=_pct(persons, totals[municipality_id, record_year]),
            share_of_population_pct=_pct(persons, inhabitants.get((municipality_id, record_year))),
            provenance=kind,
            provenance_basis=basis,
            population_provenance=population_kinds.get((municipality_id, record_year), (None,))[0],
            population_provenance_basis=population_kinds.get(
                (municipality_id, record_year), (None, "")
            )[1],
            source=_source_text(publisher, title, batch_file),
            published_share_of_migrants_pct=published.get((code, record_year, motive)),
        )
        for (
            municipality_id,
            code,
            name,
            record_year,
            motive,
            persons,
            kind,
            basis,
            publisher,
            title,
            batch_file,
        ) in records
    ]


def _count_records(*, codes: list[str] | None, year: int | None, measure: str) -> list[tuple]:
    counts = MigrantCount.objects.filter(measure=measure)
    if codes is not None:
        counts = counts.filter(municipality__code__in=codes)
    if year is not None:
        counts = counts.filter(year=year)
    return list(
        counts.order_by("municipality__name", "year", "motive__order").values_list(
            "municipality_id",
            "municipality__code",
            "municipality__name",
            "year",
            "motive_id",
            "persons",
            "provenance",
            "provenance_basis",
            "source__publisher",
            "source__title",
            "import_batch__file_name",
        )
    )


def _populations(
    *, codes: list[str] | None, year: int | None
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], tuple[str, str]]]:
    """Inhabitants, and their provenance and basis, per (municipality id, year)."""
    populations = Population.objects.all()
    if codes is not None:
        populations = populations.filter(municipality__code__in=codes)
    if year is not None:
        populations = populations.filter(year=year)
    inhabitants, kinds = {}, {}
    for municipality_id, population_year, value, kind, basis in populations.values_list(
        "municipality_id", "year", "inhabitants", "provenance", "provenance_basis"
    ):
        inhabitants[municipality_id, population_year] = value
        kinds[municipality_id, population_year] = (kind, basis)
    return inhabitants, kinds


def _published_motive_shares(
    *, codes: list[str] | None, year: int | None, measure: str, basis: str
) -> dict[tuple[str, int, str], float]:
    shares = MigrantShare.objects.filter(measure=measure, basis=basis, motive__isnull=False)
    if codes is not None:
        shares = shares.filter(municipality__code__in=codes)
    if year is not None:
        shares = shares.filter(year=year)
    return {
        (code, share_year, motive): float(pct)
        for code, share_year, motive, pct in shares.values_list(
            "municipality__code", "year", "motive_id", "share_pct"
        )
    }


def _source_text(publisher: str, title: str, batch_file: str | None) -> str:
    """The figure's own source; for an imported figure, the import's source and file."""
    text = f"{publisher}, {title}"
    return f"{text} (import: {batch_file})" if batch_file else text


def municipality_codes_with_figures(*, codes: list[str]) -> set[str]:
    """Of these codes, the ones with any count or published share (one query)."""
    with_counts = (
        MigrantCount.objects.filter(municipality__code__in=codes)
        .order_by()
        .values("municipality__code")
    )
    with_shares = (
        MigrantShare.objects.filter(municipality__code__in=codes)
        .order_by()
        .values("municipality__code")
    )
    return {row["municipality__code"] for row in with_counts.union(with_shares)}


@dataclass(frozen=True)
class SourceRef:
    title: str
    publisher: str
    year: int
    url: str
    details: tuple[str, ...]


def count_source_list(
    *, municipality_code: str, year: int, measure: str = Measure.STOCK
) -> list[SourceRef]:
    """The sources behind one municipality-year's counts, each with its pages or sections;
    for imported counts the import's source and its file, never another document's."""
    rows = (
        MigrantCount.objects.filter(
            municipality__code=municipality_code, year=year, measure=measure
        )
        .values_list(
            "source__title",
            "source__publisher",
            "source__year",
            "source__url",
            "source_detail",
            "import_batch__file_name",
        )
        .distinct()
        .order_by("source__title", "source_detail")
    )
    details: dict[tuple, list[str]] = defaultdict(list)
    for title, publisher, source_year, url, detail, batch_file in rows:
        found = details.setdefault((title, publisher, source_year, url), [])
        for part in (detail, f"import {batch_file}" if batch_file else ""):
            if part and part not in found:
                found.append(part)
    return [SourceRef(*key, details=tuple(found)) for key, found in details.items()]


@dataclass(frozen=True)
class ShareRow:
    municipality_code: str
    municipality: str
    year: int
    motive: str | None
    basis: str
    share_pct: float
    source: str
    source_detail: str


def published_share_list(*, municipality_codes: list[str], basis: str) -> list[ShareRow]:
    rows = (
        MigrantShare.objects.filter(municipality__code__in=municipality_codes, basis=basis)
        .order_by("municipality__name", "year", "motive__order")
        .values_list(
            "municipality__code",
            "municipality__name",
            "year",
            "motive_id",
            "basis",
            "share_pct",
            "source__title",
            "source_detail",
        )
    )
    return [
        ShareRow(code, name, year, motive, row_basis, float(share), source, detail)
        for code, name, year, motive, row_basis, share, source, detail in rows
    ]


def estimate_list(*, municipality_codes: list[str]) -> QuerySet[Estimate]:
    return (
        Estimate.objects.filter(municipality__code__in=municipality_codes)
        .select_related("municipality", "source")
        .order_by("municipality__name", "year", "label")
    )


def motive_mix_per_thousand(*, year: int, measure: str = Measure.STOCK) -> dict[str, dict]:
    """Per municipality: migrants per 1,000 inhabitants for each motive, in one year.

    Two queries for every municipality in the country; used to find the ones most
    alike in motive mix.
    """
    inhabitants = dict(
        Population.objects.filter(year=year, municipality__kind="municipality").values_list(
            "municipality__code", "inhabitants"
        )
    )
    mix: dict[str, dict] = defaultdict(dict)
    for code, motive, persons in MigrantCount.objects.filter(
        year=year, measure=measure, municipality__code__in=list(inhabitants)
    ).values_list("municipality__code", "motive_id", "persons"):
        if inhabitants[code]:
            mix[code][motive] = 1000 * persons / inhabitants[code]
    return dict(mix)
