"""Load the audit office's findings and the policy matrix (fixtures/demo/policy.json).

Idempotent: rows are matched on their natural keys and only fields that differ are
written, so a second `load_demo` changes nothing (see `migrantportal.upsert`).
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from migrantportal.figure_cache import figure_cache_invalidate
from migrantportal.upsert import REQUIRED, item_values, resolve, sections_check, upsert_counted
from policy.constants import ContextPlacement, LinkBasis, PublicationState, UnusedRoom
from policy.models import (
    AttentionPoint,
    Conclusion,
    ContextNote,
    Indicator,
    MigrantGroup,
    PolicyCell,
    PolicyTheme,
    ProgrammeLine,
    Recommendation,
    Report,
)
from registry.constants import Provenance
from registry.models import Municipality

# A report's plain fields; the report's own passages shown beside its findings, each with
# its section, may be left out as the other optional ones may.
_REPORT_FIELDS = {
    "title": REQUIRED,
    "kind": REQUIRED,
    "author": REQUIRED,
    "year": REQUIRED,
    "published_on": None,
    "url": "",
    "source_document": REQUIRED,
    "summary": "",
    "date_text": "",
    "matrix_note": "",
    "matrix_note_section": "",
    "conclusions_preamble": "",
    "conclusions_preamble_section": "",
    "programme_period": "",
    "programme_next_step": "",
    "programme_section": "",
    "programme_adopted_on": None,
}

# Demo content is what the documents say, so it is shown at once.
_PUBLISHED = {"state": PublicationState.PUBLISHED}

Item = Mapping[str, Any]


@dataclass(frozen=True)
class _Section:
    """How the items of one section become rows: the fields of the natural key and the other
    fields, each with its default or REQUIRED (a report, municipality, group or theme is a
    natural key to resolve), the many-to-many fields, and where later sections look the rows
    up by (report, number)."""

    model: type[models.Model]
    key: tuple[str, ...]
    values: Mapping[str, Any]
    m2m: tuple[str, ...] = ()
    index: str | None = None


_IN_REPORT = ("report", "number")

# The sections of fixtures/demo/policy.json beyond the reports, in the order they load: a
# conclusion names attention points, a recommendation conclusions and attention points.
_SECTIONS = {
    "policy_cells": _Section(
        PolicyCell,
        key=("municipality", "group", "theme"),
        values={
            "legal_position": REQUIRED,
            "policy_status": REQUIRED,
            "note": "",
            "report": REQUIRED,
            "source_section": REQUIRED,
            "uncertain": False,
            "uncertain_reason": "",
            "source_reading": "",
            "unused_room": UnusedRoom.RULE,
            "unused_room_source": "",
        },
    ),
    "attention_points": _Section(
        AttentionPoint,
        key=_IN_REPORT,
        values={
            "title": REQUIRED,
            "explanation": "",
            "theme": None,
            "source_section": REQUIRED,
        },
        m2m=("groups",),
        index="points",
    ),
    "conclusions": _Section(
        Conclusion,
        key=_IN_REPORT,
        values={
            "title": REQUIRED,
            "explanation": "",
            "source_section": REQUIRED,
            "attention_points_basis": LinkBasis.EDITORS,
        },
        m2m=("attention_points",),
        index="conclusions",
    ),
    "recommendations": _Section(
        Recommendation,
        key=_IN_REPORT,
        values={
            "title": REQUIRED,
            "explanation": "",
            "addressee": REQUIRED,
            "beeldvorming_on": None,
            "oordeelsvorming_on": None,
            "besluitvorming_on": None,
            "beeldvorming_planned": "",
            "oordeelsvorming_planned_on": None,
            "besluitvorming_planned_on": None,
            "route_source": "",
            "route_note": "",
            "conclusions_basis": LinkBasis.EDITORS,
            "attention_points_basis": LinkBasis.EDITORS,
            "source_section": REQUIRED,
        },
        m2m=("conclusions", "attention_points"),
    ),
    "indicators": _Section(
        Indicator,
        key=("municipality", "slug", "year"),
        values={
            "label": REQUIRED,
            "reference_date": None,
            "reference_text": "",
            "value": REQUIRED,
            "provenance": Provenance.PUBLISHED,
            "provenance_basis": "",
            "target": None,
            "target_label": "",
            "target_reference_date": None,
            "unit": REQUIRED,
            "report": REQUIRED,
            "source_section": REQUIRED,
            "note": "",
        },
        m2m=("groups",),
    ),
    "programme_lines": _Section(
        ProgrammeLine,
        key=("report", "kind", "number"),
        values={
            "title": REQUIRED,
            "progress": "",
            "progress_basis": LinkBasis.DOCUMENT,
            "source_section": REQUIRED,
        },
        m2m=("themes",),
    ),
    "context_notes": _Section(
        ContextNote,
        key=_IN_REPORT,
        values={
            "title": REQUIRED,
            "body": REQUIRED,
            "source_section": REQUIRED,
            "placement": ContextPlacement.PROGRAMME,
        },
        m2m=("themes", "groups"),
    ),
}

_THEME_FIELDS = {
    "label_nl": REQUIRED,
    "label_en": REQUIRED,
    "order": REQUIRED,
    "in_matrix": REQUIRED,
}

POLICY_SECTIONS = ("themes", "reports", *_SECTIONS)


class _References:
    """The natural keys an item names, resolved against what is loaded so far."""

    def __init__(self) -> None:
        self.municipalities = {
            municipality.code: municipality for municipality in Municipality.objects.all()
        }
        self.groups = {group.slug: group for group in MigrantGroup.objects.all()}
        self.themes = {theme.slug: theme for theme in PolicyTheme.objects.all()}
        self.reports: dict[str, Report] = {}
        self.points: dict[tuple[str, int], AttentionPoint] = {}
        self.conclusions: dict[tuple[str, int], Conclusion] = {}

    def municipality(self, code: str) -> Municipality:
        return resolve(self.municipalities, code, what="municipality code")

    def report(self, item: Item) -> Report:
        return resolve(self.reports, item["report"], what="report slug (list it under reports)")

    def group(self, slug: str) -> MigrantGroup:
        return resolve(self.groups, slug, what="migrant group")

    def theme(self, slug: str) -> PolicyTheme:
        return resolve(self.themes, slug, what="theme")

    def value(self, item: Item, name: str, default: Any) -> Any:
        """The item's value of a field: a natural key resolved, or a plain value with its
        default (see item_values)."""
        if name == "report":
            return self.report(item)
        if name == "municipality":
            return self.municipality(item["municipality"])
        if name == "group":
            return self.group(item["group"])
        if name == "theme":
            # A matrix cell always names one (REQUIRED); an attention point may give null.
            if default is None and not item["theme"]:
                return None
            return self.theme(item["theme"])
        return item_values(item, {name: default})[name]

    def related(self, item: Item, name: str) -> list:
        """The objects a many-to-many field of the item names."""
        return {
            "groups": self.group_list,
            "themes": self.theme_list,
            "attention_points": self.point_list,
            "conclusions": self.conclusion_list,
        }[name](item)

    def group_list(self, item: Item) -> list[MigrantGroup]:
        return [self.group(slug) for slug in item.get("groups", [])]

    def theme_list(self, item: Item) -> list[PolicyTheme]:
        return [self.theme(slug) for slug in item.get("themes", [])]

    def point_list(self, item: Item) -> list[AttentionPoint]:
        # Numbers refer to the attention points of the item's own report.
        return [
            resolve(self.points, (item["report"], number), what="attention point")
            for number in item.get("attention_points", [])
        ]

    def conclusion_list(self, item: Item) -> list[Conclusion]:
        return [
            resolve(self.conclusions, (item["report"], number), what="conclusion")
            for number in item.get("conclusions", [])
        ]


@transaction.atomic
def policy_demo_load(*, data: Mapping[str, Any]) -> Counter:
    """Load the layout of fixtures/demo/policy.json; see the README there.

    Expects the municipalities (registry_demo_load) and the migrant groups and
    themes of the migrations. Idempotent: rows are matched on their natural
    keys and only fields that differ are written. Returns the outcomes per
    (model label, outcome).
    """
    sections_check(data=data, sections=POLICY_SECTIONS)
    counts: Counter = Counter()
    for item in data.get("themes", []):
        upsert_counted(
            counts=counts,
            model=PolicyTheme,
            lookup={"slug": item["slug"]},
            values=item_values(item, _THEME_FIELDS),
        )
    refs = _References()
    _reports_load(items=data.get("reports", []), refs=refs, counts=counts)
    for name, section in _SECTIONS.items():
        _section_load(section=section, items=data.get(name, []), refs=refs, counts=counts)
    figure_cache_invalidate()
    return counts


def _section_load(
    *, section: _Section, items: list[Item], refs: _References, counts: Counter
) -> None:
    for item in items:
        instance = upsert_counted(
            counts=counts,
            model=section.model,
            lookup={name: refs.value(item, name, REQUIRED) for name in section.key},
            values={
                **{
                    name: refs.value(item, name, default)
                    for name, default in section.values.items()
                },
                **_PUBLISHED,
            },
            m2m={name: refs.related(item, name) for name in section.m2m},
        )
        if section.index is not None:
            getattr(refs, section.index)[(item["report"], item["number"])] = instance


def _reports_load(*, items: list[Item], refs: _References, counts: Counter) -> None:
    for item in items:
        related = item.get("related_report")
        refs.reports[item["slug"]] = upsert_counted(
            counts=counts,
            model=Report,
            lookup={"slug": item["slug"]},
            values={
                **item_values(item, _REPORT_FIELDS),
                "municipality": refs.municipality(item["municipality"])
                if item["municipality"]
                else None,
                # A related report must be listed before the report that names it.
                "related_report": resolve(refs.reports, related, what="related report")
                if related
                else None,
                **_PUBLISHED,
            },
        )
