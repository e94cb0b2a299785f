"""Everything a reader sees of one municipality's policy content, as plain data (JSON).

Each item carries its report and `source_section`; each link between findings says
whether the document makes it or the editors do (`*_basis`); each value says what
kind of value it is (`provenance`). The matrix cells' source accounts
(bronverantwoording) are internal and never exported.
"""

from datetime import date
from decimal import Decimal

from policy.models import Indicator, PolicyCell, Recommendation, Report
from policy.selectors.findings import (
    attention_point_list,
    conclusion_list,
    indicator_list,
    policy_cell_list,
    recommendation_current_status,
    recommendation_list,
)
from policy.selectors.programme import context_note_list, programme_line_list, report_list


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal | None) -> int | float | None:
    """As stored: 1.54 stays 1.54, 248.00 becomes 248."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _in_report(item, *names: str) -> dict:
    """An item's report (by slug) and its plain fields `names`, as stored."""
    return {"report": item.report.slug, **{name: getattr(item, name) for name in names}}


def _report(report: Report) -> dict:
    return {
        "slug": report.slug,
        "title": report.title,
        "kind": report.kind,
        "author": report.author,
        "year": report.year,
        "published_on": _iso(report.published_on),
        "date_text": report.date_text,
        "date_known": report.published_on is not None,
        "url": report.url,
        "source_document": report.source_document,
        "summary": report.summary,
        "matrix_note": report.matrix_note,
        "matrix_note_section": report.matrix_note_section,
        "conclusions_preamble": report.conclusions_preamble,
        "conclusions_preamble_section": report.conclusions_preamble_section,
        "programme": {
            "adopted_on": _iso(report.programme_adopted_on),
            "period": report.programme_period,
            "next_step": report.programme_next_step,
            "source_section": report.programme_section,
        },
    }


def _cell(cell: PolicyCell) -> dict:
    basis = cell.unused_room_basis
    return {
        "report": cell.report.slug if cell.report else None,
        "group": cell.group.slug,
        "theme": cell.theme.slug,
        "legal_position": cell.legal_position,
        "policy_status": cell.policy_status,
        "note": cell.note,
        "source_section": cell.source_section,
        "uncertain": cell.uncertain,
        "uncertain_reason": cell.uncertain_reason,
        "unused_room": basis is not None,
        "unused_room_basis": basis,
        "unused_room_source": cell.unused_room_source if basis else "",
    }


def _route(recommendation: Recommendation) -> dict:
    """What happened (the *_on dates) apart from what was planned (the planning)."""
    return {
        "beeldvorming_on": _iso(recommendation.beeldvorming_on),
        "oordeelsvorming_on": _iso(recommendation.oordeelsvorming_on),
        "besluitvorming_on": _iso(recommendation.besluitvorming_on),
        "planned": {
            "beeldvorming": recommendation.beeldvorming_planned,
            "oordeelsvorming_on": _iso(recommendation.oordeelsvorming_planned_on),
            "besluitvorming_on": _iso(recommendation.besluitvorming_planned_on),
        },
        "source": recommendation.route_source,
        "note": recommendation.route_note,
    }


def _recommendation(recommendation: Recommendation) -> dict:
    return {
        **_in_report(
            recommendation, "number", "title", "explanation", "addressee", "source_section"
        ),
        "conclusions": sorted(c.number for c in recommendation.conclusions.all()),
        "conclusions_basis": recommendation.conclusions_basis,
        "attention_points": sorted(p.number for p in recommendation.attention_points.all()),
        "attention_points_basis": recommendation.attention_points_basis,
        "route": _route(recommendation),
        "status": recommendation_current_status(recommendation=recommendation),
        "status_history": [
            {
                "date": change.changed_on.isoformat(),
                "status": change.status,
                "reported_by": change.reported_by,
            }
            for change in recommendation.status_changes.all()
        ],
    }


def _indicator(indicator: Indicator) -> dict:
    return {
        **_in_report(indicator, "slug", "label", "year"),
        "reference_date": _iso(indicator.reference_date),
        "reference_text": indicator.reference_text,
        "value": _number(indicator.value),
        "unit": indicator.unit,
        "provenance": indicator.provenance,
        "provenance_basis": indicator.provenance_basis,
        "target": _number(indicator.target),
        "target_label": indicator.target_label,
        "target_reference_date": _iso(indicator.target_reference_date),
        "groups": [group.slug for group in indicator.groups.all()],
        "source_section": indicator.source_section,
        "note": indicator.note,
    }


def _context_note(note) -> dict:
    return {
        **_in_report(note, "number", "title", "body"),
        "themes": [theme.slug for theme in note.themes.all()],
        "themes_basis": "editors",
        "groups": [group.slug for group in note.groups.all()],
        "source_section": note.source_section,
        "placement": note.placement,
    }


def policy_export(*, municipality_code: str) -> dict:
    """The municipality's published policy content as plain data (for JSON)."""
    return {
        "municipality": municipality_code,
        "reports": [_report(r) for r in report_list(municipality_code=municipality_code)],
        "policy_matrix": [
            _cell(cell) for cell in policy_cell_list(municipality_code=municipality_code)
        ],
        "attention_points": [
            {
                **_in_report(point, "number", "title", "explanation"),
                "groups": [group.slug for group in point.groups.all()],
                "theme": point.theme.slug if point.theme else None,
                "theme_basis": "editors",
                "source_section": point.source_section,
            }
            for point in attention_point_list(municipality_code=municipality_code)
        ],
        "conclusions": [
            {
                **_in_report(conclusion, "number", "title", "explanation", "source_section"),
                "attention_points": sorted(p.number for p in conclusion.attention_points.all()),
                "attention_points_basis": conclusion.attention_points_basis,
            }
            for conclusion in conclusion_list(municipality_code=municipality_code)
        ],
        "recommendations": [
            _recommendation(r) for r in recommendation_list(municipality_code=municipality_code)
        ],
        "indicators": [
            _indicator(i)
            for i in indicator_list(municipality_code=municipality_code).prefetch_related("groups")
        ],
        "programme_lines": [
            {
                **_in_report(line, "kind", "number", "title", "progress", "progress_basis"),
                "themes": [theme.slug for theme in line.themes.all()],
                "source_section": line.source_section,
            }
            for line in programme_line_list(municipality_code=municipality_code)
        ],
        "context_notes": [
            _context_note(n) for n in context_note_list(municipality_code=municipality_code)
        ],
        "national_context_notes": [
            _context_note(n) for n in context_note_list(municipality_code=None)
        ],
    }
