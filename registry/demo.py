"""Load the register's demo content (fixtures/demo/registry.json) by natural key.

Idempotent: rows are matched on their natural keys and only fields that differ are
written, so a second `load_demo` changes nothing (see `migrantportal.upsert`).
"""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from migrantportal.figure_cache import figure_cache_invalidate
from migrantportal.upsert import (
    Outcome,
    m2m_sync,
    resolve,
    sections_check,
    upsert,
    upsert_counted,
)
from registry.constants import Measure, Provenance
from registry.models import (
    Estimate,
    MigrantBreakdown,
    MigrantCount,
    MigrantShare,
    Motive,
    Municipality,
    MunicipalityTheme,
    Population,
    Source,
)

REGISTRY_SECTIONS = (
    "sources",
    "municipalities",
    "municipality_themes",
    "populations",
    "migrant_counts",
    "migrant_shares",
    "migrant_breakdowns",
    "estimates",
)


class _References:
    """The natural keys a figure names, resolved against what is loaded."""

    def __init__(
        self, *, municipalities: dict[str, Municipality], sources: dict[str, Source]
    ) -> None:
        self.municipalities = municipalities
        self.sources = sources
        self.motives = {motive.slug: motive for motive in Motive.objects.all()}

    def municipality(self, item: Mapping[str, Any]) -> Municipality:
        return resolve(self.municipalities, item["municipality"], what="municipality code")

    def motive(self, item: Mapping[str, Any]) -> Motive | None:
        if item["motive"] is None:
            return None
        return resolve(self.motives, item["motive"], what="motive")

    def provenance(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "source": resolve(self.sources, item["source"], what="source slug"),
            "source_detail": item["source_detail"],
            "note": item.get("note", ""),
        }


@transaction.atomic
def registry_demo_load(*, data: Mapping[str, Any]) -> Counter:
    """Load the layout of fixtures/demo/registry.json; see the README there.

    Idempotent: rows are matched on their natural keys and only fields that
    differ are written. Returns the outcomes per (model label, outcome).
    """
    sections_check(data=data, sections=REGISTRY_SECTIONS)
    counts: Counter = Counter()
    sources = _sources_load(items=data.get("sources", []), counts=counts)
    municipalities = _municipalities_load(items=data.get("municipalities", []), counts=counts)
    refs = _References(municipalities=municipalities, sources=sources)
    _themes_load(items=data.get("municipality_themes", []), refs=refs, counts=counts)
    _populations_load(items=data.get("populations", []), refs=refs, counts=counts)
    _counts_load(items=data.get("migrant_counts", []), refs=refs, counts=counts)
    _shares_load(items=data.get("migrant_shares", []), refs=refs, counts=counts)
    _breakdowns_load(items=data.get("migrant_breakdowns", []), refs=refs, counts=counts)
    _estimates_load(items=data.get("estimates", []), refs=refs, counts=counts)
    figure_cache_invalidate()
    return counts


def _sources_load(*, items: list[Mapping[str, Any]], counts: Counter) -> dict[str, Source]:
    return {
        item["slug"]: upsert_counted(
            counts=counts,
            model=Source,
            lookup={"slug": item["slug"]},
            values={
                "title": item["title"],
                "publisher": item["publisher"],
                "kind": item["kind"],
                "year": item["year"],
                "published_on": item.get("published_on"),
                "url": item.get("url", ""),
                "table_id": item.get("table_id", ""),
                "document": item["document"],
            },
        )
        for item in items
    }


def _municipalities_load(
    *, items: list[Mapping[str, Any]], counts: Counter
) -> dict[str, Municipality]:
    # A comparison group may name municipalities listed after it, so every
    # municipality exists before any group is set; each row is counted once.
    results = {
        item["code"]: upsert(
            model=Municipality,
            lookup={"code": item["code"]},
            values={"name": item["name"], "kind": item["kind"]},
        )
        for item in items
    }
    municipalities = {
        municipality.code: municipality for municipality in Municipality.objects.all()
    }
    for item in items:
        result = results[item["code"]]
        group = [
            resolve(municipalities, code, what="municipality code")
            for code in item.get("comparison_group", [])
        ]
        group_changed = m2m_sync(instance=result.instance, name="comparison_group", related=group)
        outcome = result.outcome
        if group_changed and outcome is Outcome.UNCHANGED:
            outcome = Outcome.UPDATED
        counts[(Municipality._meta.label, str(outcome))] += 1
    return municipalities


def _themes_load(*, items: list[Mapping[str, Any]], refs: _References, counts: Counter) -> None:
    for item in items:
        values = {key: value for key, value in item.items() if key != "municipality"}
        theme = MunicipalityTheme(municipality=refs.municipality(item), **values)
        theme.full_clean(validate_unique=False)  # the demo keeps the contrast rule too
        upsert_counted(
            counts=counts,
            model=MunicipalityTheme,
            lookup={"municipality": theme.municipality},
            values=values,
        )


def _populations_load(
    *, items: list[Mapping[str, Any]], refs: _References, counts: Counter
) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=Population,
            lookup={"municipality": refs.municipality(item), "year": item["year"]},
            values={
                "inhabitants": item["inhabitants"],
                "provenance": item.get("provenance", Provenance.PUBLISHED),
                "provenance_basis": item.get("provenance_basis", ""),
                **refs.provenance(item),
            },
        )


def _counts_load(*, items: list[Mapping[str, Any]], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=MigrantCount,
            lookup={
                "municipality": refs.municipality(item),
                "year": item["year"],
                "motive": refs.motive(item),
                "measure": item.get("measure", Measure.STOCK),
            },
            values={
                "persons": item["persons"],
                "provenance": item.get("provenance", Provenance.PUBLISHED),
                "provenance_basis": item.get("provenance_basis", ""),
                **refs.provenance(item),
            },
        )


def _shares_load(*, items: list[Mapping[str, Any]], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=MigrantShare,
            lookup={
                "municipality": refs.municipality(item),
                "year": item["year"],
                "motive": refs.motive(item),
                "measure": item.get("measure", Measure.STOCK),
                "basis": item["basis"],
            },
            values={"share_pct": item["share_pct"], **refs.provenance(item)},
        )


def _breakdowns_load(*, items: list[Mapping[str, Any]], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=MigrantBreakdown,
            lookup={
                "municipality": refs.municipality(item),
                "year": item["year"],
                "motive": refs.motive(item),
                "measure": item.get("measure", Measure.STOCK),
                "dimension": item["dimension"],
                "category": item["category"],
            },
            values={
                "persons": item.get("persons"),
                "share_pct": item.get("share_pct"),
                **refs.provenance(item),
            },
        )


def _estimates_load(*, items: list[Mapping[str, Any]], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=Estimate,
            lookup={
                "municipality": refs.municipality(item),
                "year": item["year"],
                "label": item["label"],
            },
            values={
                "motive": refs.motive(item),
                "point": item.get("point"),
                "low": item.get("low"),
                "high": item.get("high"),
                "registered": item.get("registered"),
                "method": item["method"],
                "provenance": item.get("provenance", Provenance.ESTIMATED),
                **refs.provenance(item),
            },
        )
