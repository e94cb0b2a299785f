"""What an import will change: the plan the admin's preview shows and the write carries out.

The validated figures are compared with what is stored in two queries, whatever the
file's size; `ImportReport` counts the outcome and lists the figures a clerk should see.
"""

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from registry.constants import ImportAction, Measure, MotiveSlug
from registry.importers.results import Skipped
from registry.importers.validating import CountKey, PopulationKey, ValidatedFigures
from registry.models import ImportBatch, MigrantCount, Population

# The preview lists at most this many figures: the national file has tens of thousands,
# and a page listing them all took megabytes and most of a worker's time-out to draw.
PREVIEW_ROW_LIMIT = 500


class _Labels:
    """The motive's and the measure's labels, in the active language, for the preview."""

    motive: str | None
    measure: str | None

    @property
    def motive_label(self) -> str:
        return MotiveSlug(self.motive).label if self.motive else ""

    @property
    def measure_label(self) -> str:
        return Measure(self.measure).label if self.measure else ""


@dataclass(frozen=True)
class PlannedRow(_Labels):
    """What one figure of the file will do; the admin's preview shows these."""

    row: int
    municipality_code: str
    municipality: str
    year: int
    motive: str | None
    measure: str | None
    old: int | None
    new: int
    action: str

    @property
    def action_label(self) -> str:
        return str(ImportAction(self.action).label)


@dataclass(frozen=True)
class PlannedTotal(_Labels):
    """The sum of one year, motive and measure over the file's figures: stored and after."""

    year: int
    motive: str
    measure: str
    old: int
    new: int

    @property
    def difference(self) -> int:
        return self.new - self.old


@dataclass
class ImportReport:
    file_format: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    populations_created: int = 0
    populations_updated: int = 0
    populations_unchanged: int = 0
    municipalities_added: list[str] = field(default_factory=list)
    planned: list[PlannedRow] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.populations_created
            or self.populations_updated
            or self.municipalities_added
        )

    def summary(self) -> str:
        text = _(
            "Migrant counts: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s skipped (no value). Population: %(pop_created)s created, "
            "%(pop_updated)s updated, %(pop_unchanged)s unchanged."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "pop_created": self.populations_created,
            "pop_updated": self.populations_updated,
            "pop_unchanged": self.populations_unchanged,
        }
        if self.municipalities_added:
            shown = ", ".join(self.municipalities_added[:10])
            if len(self.municipalities_added) > 10:
                shown += ", …"
            text += " " + _("Municipalities added (%(count)s): %(codes)s.") % {
                "count": len(self.municipalities_added),
                "codes": shown,
            }
        if not self.changed_anything:
            text += " " + _("Nothing changed.")
        return text

    def preview_rows(self) -> list[PlannedRow]:
        """The figures a clerk should look at: changed ones first, then new ones, in file
        order and at most PREVIEW_ROW_LIMIT of them; unchanged figures only count."""
        changed = (row for row in self.planned if row.action == ImportAction.UPDATE)
        new = (row for row in self.planned if row.action == ImportAction.NEW)
        return list(itertools.islice(itertools.chain(changed, new), PREVIEW_ROW_LIMIT))

    @property
    def new_or_changed(self) -> int:
        return self.created + self.updated + self.populations_created + self.populations_updated

    @property
    def preview_rows_hidden(self) -> int:
        return max(0, self.new_or_changed - PREVIEW_ROW_LIMIT)

    def planned_totals(self) -> list[PlannedTotal]:
        """Per year, motive and measure, the migrants the file's figures add up to now and
        after the import: a doubled or missing motive shows here at a glance."""
        totals: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for row in self.planned:
            if row.motive is not None:
                total = totals[(row.year, row.motive, row.measure)]
                total[0] += row.old or 0
                total[1] += row.new
        motive_order = {motive: index for index, motive in enumerate(MotiveSlug.values)}
        return [
            PlannedTotal(year, motive, measure, old, new)
            for (year, motive, measure), (old, new) in sorted(
                totals.items(), key=lambda item: (item[0][0], motive_order[item[0][1]], item[0][2])
            )
        ]


@dataclass
class PlannedWrites:
    """The rows an import will write: new ones by key, changed ones by primary key."""

    new_counts: list[tuple[CountKey, int]]
    changed_counts: list[tuple[int, int]]
    new_populations: list[tuple[PopulationKey, int]]
    changed_populations: list[tuple[int, int]]


def _diff(*, wanted: dict, existing: dict):
    """(key, row, stored (pk, value) or None, new value, action) per figure, in file order."""
    for key, (value, row) in sorted(wanted.items(), key=lambda item: item[1][1]):
        old = existing.get(key)
        if old is None:
            action = ImportAction.NEW
        elif old[1] != value:
            action = ImportAction.UPDATE
        else:
            action = ImportAction.UNCHANGED
        yield key, row, old, value, action


def _plan_rows(
    *, wanted: dict, existing: dict, names: dict, report: ImportReport
) -> tuple[list, list, tuple[int, int, int]]:
    """Plan one kind of figure (counts, keyed code, year, motive, measure; or populations,
    keyed code, year): list each in the report's preview and return the new ones by key,
    the changed ones by primary key, and how many are new, changed and unchanged."""
    new, changed = [], []
    tally: Counter = Counter()
    for key, row, old, value, action in _diff(wanted=wanted, existing=existing):
        tally[action] += 1
        if action == ImportAction.NEW:
            new.append((key, value))
        elif action == ImportAction.UPDATE:
            changed.append((old[0], value))
        code, year, motive, measure = (*key, None, None)[:4]
        old_value = old[1] if old else None
        report.planned.append(
            PlannedRow(
                row, code, names.get(code, ""), year, motive, measure, old_value, value, action
            )
        )
    counts = (tally[ImportAction.NEW], tally[ImportAction.UPDATE], tally[ImportAction.UNCHANGED])
    return new, changed, counts


def figures_plan(*, validated: ValidatedFigures, report: ImportReport) -> PlannedWrites:
    """Compare with what is stored: two queries, whatever the file's size."""
    codes = {key[0] for key in validated.counts} | {key[0] for key in validated.populations}
    years = {key[1] for key in validated.counts} | {key[1] for key in validated.populations}
    measures = {key[3] for key in validated.counts}
    existing_counts = {
        (code, year, motive, measure): (pk, persons)
        for pk, code, year, motive, measure, persons in MigrantCount.objects.filter(
            municipality__code__in=codes, year__in=years, measure__in=measures
        ).values_list("id", "municipality__code", "year", "motive_id", "measure", "persons")
    }
    existing_populations = {
        (code, year): (pk, inhabitants)
        for pk, code, year, inhabitants in Population.objects.filter(
            municipality__code__in=codes, year__in=years
        ).values_list("id", "municipality__code", "year", "inhabitants")
    }
    wanted_counts = {key: (persons, row) for key, (persons, row, _) in validated.counts.items()}
    new_counts, changed_counts, counts_tally = _plan_rows(
        wanted=wanted_counts, existing=existing_counts, names=validated.names, report=report
    )
    new_populations, changed_populations, populations_tally = _plan_rows(
        wanted=validated.populations,
        existing=existing_populations,
        names=validated.names,
        report=report,
    )
    report.created, report.updated, report.unchanged = counts_tally
    report.populations_created, report.populations_updated, report.populations_unchanged = (
        populations_tally
    )
    return PlannedWrites(new_counts, changed_counts, new_populations, changed_populations)
