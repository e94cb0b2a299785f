"""Write the audit office's findings and the policy matrix from plain data."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from migrantportal.figure_cache import figure_cache_invalidate
from migrantportal.upsert import resolve, sections_check, upsert_counted
from policy.constants import PublicationState
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

# Demo content is what the documents say, so it is shown at once.
_PUBLISHED = {"state": PublicationState.PUBLISHED}


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
            values={
                "label_nl": item["label_nl"],
                "label_en": item["label_en"],
                "order": item["order"],
                "in_matrix": item["in_matrix"],
            },
        )
    municipalities = {
        municipality.code: municipality for municipality in Municipality.objects.all()
    }
    groups = {group.slug: group for group in MigrantGroup.objects.all()}
    themes = {theme.slug: theme for theme in PolicyTheme.objects.all()}
    reports: dict[str, Report] = {}

    def municipality(code: str) -> Municipality:
        return resolve(municipalities, code, what="municipality code")

    def report(item: Mapping[str, Any]) -> Report:
        return resolve(reports, item["report"], what="report slug (list it under reports)")

    def group_list(item: Mapping[str, Any]) -> list[MigrantGroup]:
        return [resolve(groups, slug, what="migrant group") for slug in item.get("groups", [])]

    def theme_list(item: Mapping[str, Any]) -> list[PolicyTheme]:
        return [resolve(themes, slug, what="theme") for slug in item.get("themes", [])]

    for item in data.get("reports", []):
        related = item.get("related_report")
        reports[item["slug"]] = upsert_counted(
            counts=counts,
            model=Report,
            lookup={"slug": item["slug"]},
            values={
                "title": item["title"],
                "municipality": municipality(item["municipality"])
                if item["municipality"]
                else None,
                "kind": item["kind"],
                "author": item["author"],
                "year": item["year"],
                "published_on": item.get("published_on"),
                "url": item.get("url", ""),
                "source_document": item["source_document"],
                "summary": item.get("summary", ""),
                # A related report must be listed before the report that names it.
                "related_report": resolve(reports, related, what="related report")
                if related
                else None,
                **_PUBLISHED,
            },
        )

    for item in data.get("policy_cells", []):
        upsert_counted(
            counts=counts,
            model=PolicyCell,
            lookup={
                "municipality": municipality(item["municipality"]),
                "group": resolve(groups, item["group"], what="migrant group"),
                "theme": resolve(themes, item["theme"], what="theme"),
            },
            values={
                "legal_position": item["legal_position"],
                "policy_status": item["policy_status"],
                "note": item.get("note", ""),
                "report": report(item),
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
        )

    points: dict[tuple[str, int], AttentionPoint] = {}
    for item in data.get("attention_points", []):
        points[(item["report"], item["number"])] = upsert_counted(
            counts=counts,
            model=AttentionPoint,
            lookup={"report": report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "explanation": item.get("explanation", ""),
                "theme": resolve(themes, item["theme"], what="theme") if item["theme"] else None,
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={"groups": group_list(item)},
        )

    def point_list(item: Mapping[str, Any]) -> list[AttentionPoint]:
        # Numbers refer to the attention points of the item's own report.
        return [
            resolve(points, (item["report"], number), what="attention point")
            for number in item.get("attention_points", [])
        ]

    conclusions: dict[tuple[str, int], Conclusion] = {}
    for item in data.get("conclusions", []):
        conclusions[(item["report"], item["number"])] = upsert_counted(
            counts=counts,
            model=Conclusion,
            lookup={"report": report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "explanation": item.get("explanation", ""),
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={"attention_points": point_list(item)},
        )

    for item in data.get("recommendations", []):
        upsert_counted(
            counts=counts,
            model=Recommendation,
            lookup={"report": report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "explanation": item.get("explanation", ""),
                "addressee": item["addressee"],
                "beeldvorming_on": item.get("beeldvorming_on"),
                "oordeelsvorming_on": item.get("oordeelsvorming_on"),
                "besluitvorming_on": item.get("besluitvorming_on"),
                "route_note": item.get("route_note", ""),
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={
                "conclusions": [
                    resolve(conclusions, (item["report"], number), what="conclusion")
                    for number in item.get("conclusions", [])
                ],
                "attention_points": point_list(item),
            },
        )

    for item in data.get("indicators", []):
        upsert_counted(
            counts=counts,
            model=Indicator,
            lookup={
                "municipality": municipality(item["municipality"]),
                "slug": item["slug"],
                "year": item["year"],
            },
            values={
                "label": item["label"],
                "reference_date": item.get("reference_date"),
                "value": item["value"],
                "target": item.get("target"),
                "unit": item["unit"],
                "report": report(item),
                "source_section": item["source_section"],
                "note": item.get("note", ""),
                **_PUBLISHED,
            },
            m2m={"groups": group_list(item)},
        )

    for item in data.get("programme_lines", []):
        upsert_counted(
            counts=counts,
            model=ProgrammeLine,
            lookup={"report": report(item), "kind": item["kind"], "number": item["number"]},
            values={
                "title": item["title"],
                "progress": item.get("progress", ""),
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={"themes": theme_list(item)},
        )

    for item in data.get("context_notes", []):
        upsert_counted(
            counts=counts,
            model=ContextNote,
            lookup={"report": report(item), "number": item["number"]},
            values={
                "title": item["title"],
                "body": item["body"],
                "source_section": item["source_section"],
                **_PUBLISHED,
            },
            m2m={"themes": theme_list(item), "groups": group_list(item)},
        )
    figure_cache_invalidate()
    return counts
