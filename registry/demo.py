"""Load the register's demo content (fixtures/demo/registry.json) by natural key.

Idempotent: rows are matched on their natural keys and only fields that differ are
written, so a second `load_demo` changes nothing (see `migrantportal.upsert`).
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from migrantportal.figure_cache import figure_cache_invalidate
from migrantportal.upsert import (
    REQUIRED,
    Outcome,
    item_values,
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


@dataclass(frozen=True)
class _Figures:
    """One section of figures: beyond municipality and year, the fields of its natural key
    and its other fields, each with its default or REQUIRED (a motive is a slug to resolve).
    Every figure also names its source, the place in it and an optional note."""

    model: type[models.Model]
    key: Mapping[str, Any]
    values: Mapping[str, Any]


_SOURCE_FIELDS = {
    "title": REQUIRED,
    "publisher": REQUIRED,
    "kind": REQUIRED,
    "year": REQUIRED,
    "published_on": None,
    "url": "",
    "table_id": "",
    "document": REQUIRED,
}
_MEASURE = {"measure": Measure.STOCK}
_PUBLISHED = {"provenance": Provenance.PUBLISHED, "provenance_basis": ""}

# The sections of fixtures/demo/registry.json holding figures, in the order they load.
_FIGURES = {
    "populations": _Figures(Population, key={}, values={"inhabitants": REQUIRED, **_PUBLISHED}),
    "migrant_counts": _Figures(
        MigrantCount,
        key={"motive": REQUIRED, **_MEASURE},
        values={"persons": REQUIRED, **_PUBLISHED},
    ),
    "migrant_shares": _Figures(
        MigrantShare,
        key={"motive": REQUIRED, **_MEASURE, "basis": REQUIRED},
        values={"share_pct": REQUIRED},
    ),
    "migrant_breakdowns": _Figures(
        MigrantBreakdown,
        key={"motive": REQUIRED, **_MEASURE, "dimension": REQUIRED, "category": REQUIRED},
        values={"persons": None, "share_pct": None},
    ),
    "estimates": _Figures(
        Estimate,
        key={"label": REQUIRED},
        values={
            "motive": REQUIRED,
            "point": None,
            "low": None,
            "high": None,
            "registered": None,
            "method": REQUIRED,
            "provenance": Provenance.ESTIMATED,
        },
    ),
}

REGISTRY_SECTIONS = ("sources", "municipalities", "municipality_themes", *_FIGURES)


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

    def fields(self, item: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
        """The item's values of `fields` (see _Figures), its motive resolved."""
        values = item_values(item, fields)
        if "motive" in fields:
            values["motive"] = self.motive(item)
        return values

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
    for section, figures in _FIGURES.items():
        _figures_load(figures=figures, items=data.get(section, []), refs=refs, counts=counts)
    figure_cache_invalidate()
    return counts


def _sources_load(*, items: list[Mapping[str, Any]], counts: Counter) -> dict[str, Source]:
    return {
        item["slug"]: upsert_counted(
            counts=counts,
            model=Source,
            lookup={"slug": item["slug"]},
            values=item_values(item, _SOURCE_FIELDS),
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
        # upsert_counted cleans each row it writes, so the contrast rule holds here too.
        upsert_counted(
            counts=counts,
            model=MunicipalityTheme,
            lookup={"municipality": refs.municipality(item)},
            values={key: value for key, value in item.items() if key != "municipality"},
        )


def _figures_load(
    *, figures: _Figures, items: list[Mapping[str, Any]], refs: _References, counts: Counter
) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=figures.model,
            lookup={
                "municipality": refs.municipality(item),
                "year": item["year"],
                **refs.fields(item, figures.key),
            },
            values={**refs.fields(item, figures.values), **refs.provenance(item)},
        )
