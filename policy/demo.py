"""Load the audit office's findings and the policy matrix (fixtures/demo/policy.json).

Idempotent: rows are matched on their natural keys and only fields that differ are
written, so a second `load_demo` changes nothing (see `migrantportal.upsert`).
"""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from migrantportal.figure_cache import figure_cache_invalidate
from migrantportal.upsert import resolve, sections_check, upsert_counted
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

POLICY_SECTIONS = (
    "themes",
    "reports",
    "policy_cells",
    "attention_points",
    "conclusions",
    "recommendations",
    "indicators",
    "programme_lines",
    "context_notes",
)

# The report's own passages shown beside its findings, each with its section.
_REPORT_TEXTS = (
    "matrix_note",
    "matrix_note_section",
    "conclusions_preamble",
    "conclusions_preamble_section",
    "programme_period",
    "programme_next_step",
    "programme_section",
)

# Demo content is what the documents say, so it is shown at once.
_PUBLISHED = {"state": PublicationState.PUBLISHED}

Item = Mapping[str, Any]


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
    _themes_load(items=data.get("themes", []), counts=counts)
    refs = _References()
    _reports_load(items=data.get("reports", []), refs=refs, counts=counts)
    _policy_cells_load(items=data.get("policy_cells", []), refs=refs, counts=counts)
    _findings_load(data=data, refs=refs, counts=counts)
    _indicators_load(items=data.get("indicators", []), refs=refs, counts=counts)
    _programme_lines_load(items=data.get("programme_lines", []), refs=refs, counts=counts)
    _context_notes_load(items=data.get("context_notes", []), refs=refs, counts=counts)
    figure_cache_invalidate()
    return counts


def _themes_load(*, items: list[Item], counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=PolicyTheme,
            lookup={"slug": item["slug"]},
            values={
                "label_nl": item["label_nl"],
                "label_en": item["label_en"],
                "order": item["order"],
                "in_matrix": item["in_matrix"],
            },
        )


def _reports_load(*, items: list[Item], refs: _References, counts: Counter) -> None:
    for item in items:
        related = item.get("related_report")
        refs.reports[item["slug"]] = upsert_counted(
            counts=counts,
            model=Report,
            lookup={"slug": item["slug"]},
            values={
                "title": item["title"],
                "municipality": refs.municipality(item["municipality"])
                if item["municipality"]
                else None,
                "kind": item["kind"],
                "author": item["author"],
                "year": item["year"],
                "published_on": item.get("published_on"),
                "url": item.get("url", ""),
                "source_document": item["source_document"],
                "summary": item.get("summary", ""),
                "date_text": item.get("date_text", ""),
                **{key: item.get(key, "") for key in _REPORT_TEXTS},
                "programme_adopted_on": item.get("programme_adopted_on"),
                # A related report must be listed before the report that names it.
                "related_report": resolve(refs.reports, related, what="related report")
                if related
                else None,
                **_PUBLISHED,
            },
        )


def _policy_cells_load(*, items: list[Item], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=PolicyCell,
            lookup={
                "municipality": refs.municipality(item["municipality"]),
                "group": refs.group(item["group"]),
                "theme": refs.theme(item["theme"]),
            },
            values={
                "legal_position": item["legal_position"],
                "policy_status": item["policy_status"],
                "note": item.get("note", ""),
                "report": refs.report(item),
                "source_section": item["source_section"],
                "uncertain": item.get("uncertain", False),
                "uncertain_reason": item.get("uncertain_reason", ""),
                "source_reading": item.get("source_reading", ""),
                "unused_room": item.get("unused_room", UnusedRoom.RULE),
                "unused_room_source": item.get("unused_room_source", ""),
                **_PUBLISHED,
            },
        )


def _findings_load(*, data: Mapping[str, Any], refs: _References, counts: Counter) -> None:
    """Attention points, then the conclusions and recommendations that name them."""
    for item in data.get("attention_points", []):
        refs.points[(item["report"], item["number"])] = upsert_counted(
            counts=counts,
            model=AttentionPoint,
            lookup={"report": refs.report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "explanation": item.get("explanation", ""),
                "theme": refs.theme(item["theme"]) if item["theme"] else None,
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={"groups": refs.group_list(item)},
        )
    for item in data.get("conclusions", []):
        refs.conclusions[(item["report"], item["number"])] = upsert_counted(
            counts=counts,
            model=Conclusion,
            lookup={"report": refs.report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "explanation": item.get("explanation", ""),
                "source_section": item["source_section"],
                "attention_points_basis": item.get("attention_points_basis", LinkBasis.EDITORS),
                **_PUBLISHED,
            },
            m2m={"attention_points": refs.point_list(item)},
        )
    for item in data.get("recommendations", []):
        upsert_counted(
            counts=counts,
            model=Recommendation,
            lookup={"report": refs.report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "explanation": item.get("explanation", ""),
                "addressee": item["addressee"],
                "beeldvorming_on": item.get("beeldvorming_on"),
                "oordeelsvorming_on": item.get("oordeelsvorming_on"),
                "besluitvorming_on": item.get("besluitvorming_on"),
                "beeldvorming_planned": item.get("beeldvorming_planned", ""),
                "oordeelsvorming_planned_on": item.get("oordeelsvorming_planned_on"),
                "besluitvorming_planned_on": item.get("besluitvorming_planned_on"),
                "route_source": item.get("route_source", ""),
                "route_note": item.get("route_note", ""),
                "conclusions_basis": item.get("conclusions_basis", LinkBasis.EDITORS),
                "attention_points_basis": item.get("attention_points_basis", LinkBasis.EDITORS),
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={
                "conclusions": refs.conclusion_list(item),
                "attention_points": refs.point_list(item),
            },
        )


def _indicators_load(*, items: list[Item], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=Indicator,
            lookup={
                "municipality": refs.municipality(item["municipality"]),
                "slug": item["slug"],
                "year": item["year"],
            },
            values={
                "label": item["label"],
                "reference_date": item.get("reference_date"),
                "reference_text": item.get("reference_text", ""),
                "value": item["value"],
                "provenance": item.get("provenance", Provenance.PUBLISHED),
                "provenance_basis": item.get("provenance_basis", ""),
                "target": item.get("target"),
                "target_label": item.get("target_label", ""),
                "target_reference_date": item.get("target_reference_date"),
                "unit": item["unit"],
                "report": refs.report(item),
                "source_section": item["source_section"],
                "note": item.get("note", ""),
                **_PUBLISHED,
            },
            m2m={"groups": refs.group_list(item)},
        )


def _programme_lines_load(*, items: list[Item], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=ProgrammeLine,
            lookup={"report": refs.report(item), "kind": item["kind"], "number": item["number"]},
            values={
                "title": item["title"],
                "progress": item.get("progress", ""),
                "progress_basis": item.get("progress_basis", LinkBasis.DOCUMENT),
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={"themes": refs.theme_list(item)},
        )


def _context_notes_load(*, items: list[Item], refs: _References, counts: Counter) -> None:
    for item in items:
        upsert_counted(
            counts=counts,
            model=ContextNote,
            lookup={"report": refs.report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "body": item["body"],
                "source_section": item["source_section"],
                "placement": item.get("placement", ContextPlacement.PROGRAMME),
                **_PUBLISHED,
            },
            m2m={"themes": refs.theme_list(item), "groups": refs.group_list(item)},
        )
