"""The read API for what reports carry beside findings: programme lines and context notes."""

from django.db.models import QuerySet

from policy.models import ContextNote, ProgrammeLine, Report


def programme_line_list(*, municipality_code: str) -> QuerySet[ProgrammeLine]:
    """The published programme and action lines of the municipality's published reports."""
    return (
        ProgrammeLine.objects.for_municipality(municipality_code)
        .published()
        .select_related("report")
        .prefetch_related("themes")
        .order_by("report__year", "report__title", "kind", "number")
    )


def context_note_list(
    *, municipality_code: str | None, placement: str | None = None
) -> QuerySet[ContextNote]:
    """Published context notes of a municipality's reports, or national ones for None;
    with `placement`, only those shown on that page (ContextPlacement)."""
    notes = ContextNote.objects.published()
    if placement is not None:
        notes = notes.filter(placement=placement)
    if municipality_code is None:
        notes = notes.filter(report__municipality__isnull=True)
    else:
        notes = notes.for_municipality(municipality_code)
    return (
        notes.select_related("report")
        .prefetch_related("themes", "groups")
        .order_by("report__year", "report__title", "number")
    )


def report_list(*, municipality_code: str) -> QuerySet[Report]:
    """The municipality's published reports, oldest first."""
    return Report.objects.published().for_municipality(municipality_code).order_by("year", "title")
