"""Beleidsmatrix: group × theme, the legal position beside the current specific policy."""

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from charts.chart import Chart, Column
from dashboards.filters import Filters
from policy import selectors as policy_selectors
from policy.constants import LegalPosition, PolicyStatus, UnusedRoomBasis
from policy.models import MigrantGroup, PolicyCell, PolicyTheme
from registry.models import Municipality


@dataclass
class MatrixCell:
    legal_position: str
    legal_label: str
    policy_status: str
    status_label: str
    note: str
    unused_room: bool
    attention_points: list
    source_section: str = ""
    # Who marks the unused room: UnusedRoomBasis ("rapport" or "portaal"), or "".
    unused_room_basis: str = ""
    unused_room_source: str = ""
    uncertain: bool = False
    uncertain_reason: str = ""
    pk: int | None = None
    # When the audit office last edited the cell's published text, if it did.
    changed_on: object = None

    @property
    def unused_room_label(self) -> str:
        if self.unused_room_basis == UnusedRoomBasis.REPORT:
            return _("Unused room according to the report")
        return _("Unused room (the portal's reading)")


@dataclass
class Matrix:
    municipality: Municipality
    themes: list
    rows: list[tuple]  # (group, [MatrixCell | None per theme])
    unused: int
    uncertain: int = 0
    notes: list = field(default_factory=list)  # the reports' own notes beside the matrix


@dataclass
class MatrixPage:
    matrices: list[Matrix]
    charts: list[Chart]


def _matrix(*, municipality: Municipality, groups, themes) -> Matrix | None:
    cells = {
        (cell.group_id, cell.theme_id): cell
        for cell in policy_selectors.policy_cell_list(municipality_code=municipality.code)
    }
    if not cells:
        return None
    points: dict[tuple, list] = {}
    for point in policy_selectors.attention_point_list(municipality_code=municipality.code):
        for group in point.groups.all():
            points.setdefault((group.pk, point.theme_id), []).append(point)
    changed = policy_selectors.items_changed_after_publication(
        model=PolicyCell, pks=[cell.pk for cell in cells.values()]
    )
    rows = [
        (
            group,
            [
                _cell(cells.get((group.pk, theme.pk)), points, group, theme, changed)
                for theme in themes
            ],
        )
        for group in groups
    ]
    shown = [cell for _group, row in rows for cell in row if cell is not None]
    reports = {cell.report_id: cell.report for cell in cells.values() if cell.report is not None}
    return Matrix(
        municipality=municipality,
        themes=themes,
        rows=rows,
        unused=sum(cell.unused_room for cell in shown),
        uncertain=sum(cell.uncertain for cell in shown),
        notes=[
            report
            for report in reports.values()
            if report.matrix_note and report.state == policy_selectors.PUBLISHED
        ],
    )


def _cell(cell, points: dict, group, theme, changed: dict) -> MatrixCell | None:
    """What a reader sees of one cell: never its source account (bronverantwoording)."""
    if cell is None:
        return None
    basis = cell.unused_room_basis or ""
    return MatrixCell(
        legal_position=cell.legal_position,
        legal_label=str(LegalPosition(cell.legal_position).label),
        policy_status=cell.policy_status,
        status_label=str(PolicyStatus(cell.policy_status).label),
        note=cell.note,
        unused_room=bool(basis),
        attention_points=points.get((group.pk, theme.pk), []),
        source_section=cell.source_section,
        pk=cell.pk,
        changed_on=changed.get(cell.pk),
        unused_room_basis=basis,
        unused_room_source=cell.unused_room_source if basis else "",
        uncertain=cell.uncertain,
        uncertain_reason=cell.uncertain_reason,
    )


def matrix_page(*, filters: Filters, suppress_below: int | None = None) -> MatrixPage:
    """Texts only: `suppress_below` is taken, like every page's, and has nothing to hold back."""
    groups = list(MigrantGroup.objects.order_by("order"))
    themes = list(PolicyTheme.objects.filter(in_matrix=True).order_by("order"))
    # The chosen municipality, and beside it the first compared one that has a matrix.
    with_cells = policy_selectors.municipalities_with_policy_cells(codes=list(filters.compare))
    other = next((code for code in filters.compare if code in with_cells), None)
    matrices = [
        matrix
        for municipality in [filters.municipality, with_cells.get(other)]
        if municipality is not None
        and (matrix := _matrix(municipality=municipality, groups=groups, themes=themes))
    ]
    return MatrixPage(matrices=matrices, charts=[_matrix_chart(matrices)] if matrices else [])


def _matrix_chart(matrices: list[Matrix]) -> Chart:
    """The matrices as one table: per cell its legal position, policy and unused room."""
    own = matrices[0]
    records = [
        {
            "municipality": matrix.municipality.name,
            "group": group.label,
            "theme": theme.label,
            "legal_position": cell.legal_label,
            "policy_status": cell.status_label,
            "unused_room": _("yes") if cell.unused_room else _("no"),
            "unused_room_basis": cell.unused_room_basis,
            "uncertain": _("uncertain") if cell.uncertain else "",
            "uncertain_reason": cell.uncertain_reason,
            "note": cell.note,
            "source_section": cell.source_section,
        }
        for matrix in matrices
        for group, row in matrix.rows
        for theme, cell in zip(matrix.themes, row, strict=True)
        if cell is not None
    ]
    return Chart(
        id="matrix",
        title=_("Policy matrix, %(name)s") % {"name": own.municipality.name},
        summary=_(
            "%(unused)s cells of %(name)s with unused policy room (marked by the report or by "
            "the portal's rule: policy freedom but no specific policy); %(uncertain)s cells "
            "whose reading of the report's table is uncertain."
        )
        % {"unused": own.unused, "name": own.municipality.name, "uncertain": own.uncertain},
        data=pd.DataFrame.from_records(records),
        columns=[
            Column("municipality", _("Municipality")),
            Column("group", _("Group")),
            Column("theme", _("Theme")),
            Column("legal_position", _("Legal position")),
            Column("policy_status", _("Current specific policy")),
            Column("unused_room", _("Unused room")),
            Column("unused_room_basis", _("Unused room according to")),
            Column("uncertain", _("Reading")),
            Column("uncertain_reason", _("Why uncertain")),
            Column("note", _("Note")),
            Column("source_section", _("Source")),
        ],
    )
