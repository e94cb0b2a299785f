"""Programma en context: a municipality's programme and action lines, its reports' context
notes, and the national context (the ACVZ's round of aldermen), each with its source."""

from dataclasses import dataclass, field

from dashboards.filters import Filters
from policy import selectors as policy_selectors
from policy.constants import ContextPlacement, ProgrammeLineKind


@dataclass
class ReportProgramme:
    report: object
    programme_lines: list = field(default_factory=list)
    action_lines: list = field(default_factory=list)
    context_notes: list = field(default_factory=list)


@dataclass
class ProgrammePage:
    reports: list[ReportProgramme]
    national: list[ReportProgramme]
    charts: list = field(default_factory=list)


def _by_report(lines, notes) -> list[ReportProgramme]:
    reports: dict[int, ReportProgramme] = {}
    for line in lines:
        entry = reports.setdefault(line.report_id, ReportProgramme(line.report))
        kind = "action_lines" if line.kind == ProgrammeLineKind.ACTION_LINE else "programme_lines"
        getattr(entry, kind).append(line)
    for note in notes:
        reports.setdefault(note.report_id, ReportProgramme(note.report)).context_notes.append(note)
    return list(reports.values())


def programme_page(*, filters: Filters, suppress_below: int | None = None) -> ProgrammePage:
    """Texts only: `suppress_below` is taken, like every page's, and has nothing to hold back."""
    code = filters.municipality.code
    return ProgrammePage(
        reports=_by_report(
            policy_selectors.programme_line_list(municipality_code=code),
            policy_selectors.context_note_list(
                municipality_code=code, placement=ContextPlacement.PROGRAMME
            ),
        ),
        national=_by_report(
            [],
            policy_selectors.context_note_list(
                municipality_code=None, placement=ContextPlacement.PROGRAMME
            ),
        ),
    )
