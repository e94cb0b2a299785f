"""Check parsed figures against the municipalities and against each other, without writing.

Every municipality is looked up in one query and rows are resolved against it in memory;
a figure given twice must agree, and a total must equal the sum of its motives.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.constants import REGION_CODE_REGEX, Measure
from registry.importers.aliases import normalise
from registry.importers.results import MAX_PROBLEMS_KEPT, ParsedFile, ParsedRow, Problem
from registry.models import Municipality

CountKey = tuple[str, int, str, str]  # municipality code, year, motive, measure
PopulationKey = tuple[str, int]


@dataclass
class ValidatedFigures:
    """The file's figures by key, each with its row, ready to compare with what is stored."""

    counts: dict[CountKey, tuple[int, int, str]] = field(default_factory=dict)
    populations: dict[PopulationKey, tuple[int, int]] = field(default_factory=dict)
    new_municipalities: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


class _Municipalities:
    """One query for every municipality; rows are resolved against it in memory."""

    def __init__(self) -> None:
        self.by_code: dict[str, tuple[int, str]] = {}
        self.code_by_name: dict[str, str] = {}
        for pk, code, name in Municipality.objects.values_list("id", "code", "name"):
            self.by_code[code] = (pk, name)
            self.code_by_name[normalise(name)] = code


def _resolve_region(
    row: ParsedRow,
    lookup: _Municipalities,
    validated: ValidatedFigures,
    add_municipalities: bool,
) -> tuple[str | None, Problem | None]:
    code, name = row.region_code, row.region_name
    if code:
        if code in lookup.by_code:
            return code, None
        if not re.match(REGION_CODE_REGEX, code):
            return None, Problem(
                _("is not a CBS region code (GM followed by four digits, or NL01)"),
                row=row.row,
                column=row.region_column,
                value=code,
            )
        if not add_municipalities:
            return None, Problem(
                _(
                    "is not a known municipality code; add the municipality first, "
                    "or import with “add municipalities” switched on"
                ),
                row=row.row,
                column=row.region_column,
                value=code,
            )
        if not name:
            return None, Problem(
                _("is not a known municipality code, and the row has no name to add it under"),
                row=row.row,
                column=row.region_column,
                value=code,
            )
        known_name = validated.new_municipalities.setdefault(code, name)
        if known_name != name:
            return None, Problem(
                _("gives municipality %(code)s another name than an earlier row (“%(name)s”)")
                % {"code": code, "name": known_name},
                row=row.row,
                column=row.region_column,
                value=name,
            )
        return code, None
    found = lookup.code_by_name.get(normalise(name)) or next(
        (c for c, n in validated.new_municipalities.items() if normalise(n) == normalise(name)),
        None,
    )
    if found:
        return found, None
    return None, Problem(
        _("is not a known municipality name; use its CBS code (such as GM0394) instead"),
        row=row.row,
        column=row.region_column,
        value=name,
    )


def figures_validate(
    *, parsed: ParsedFile, measure: str, add_municipalities: bool
) -> tuple[ValidatedFigures, list[Problem]]:
    """Look up every municipality (one query) and check the file's figures against each
    other; returns the figures by key and the problems, reading nothing else stored."""
    lookup = _Municipalities()
    validated = ValidatedFigures()
    problems: list[Problem] = []
    resolved: dict[tuple[str | None, str | None], tuple[str | None, Problem | None]] = {}
    missing_motive_keys: set[tuple[str, int, str]] = set()

    for row in parsed.rows:
        if len(parsed.problems) >= MAX_PROBLEMS_KEPT:
            break  # reading stopped already, and said so
        if len(problems) + len(parsed.problems) >= MAX_PROBLEMS_KEPT:
            problems.append(
                Problem(
                    _("Reading stopped after %(count)s problems; correct these first.")
                    % {"count": MAX_PROBLEMS_KEPT}
                )
            )
            break
        region = (row.region_code, row.region_name)
        if region not in resolved or resolved[region][1] is not None:
            resolved[region] = _resolve_region(row, lookup, validated, add_municipalities)
        code, problem = resolved[region]
        if problem is not None:
            problems.append(problem if problem.row == row.row else _at_row(problem, row.row))
            continue
        row_measure = row.measure or measure
        if row.population is not None:
            key = (code, row.year)
            earlier = validated.populations.setdefault(key, (row.population, row.row))
            problems += _differs(
                earlier,
                row.population,
                row=row.row,
                column=_("population"),
                message=_POPULATION_DIFFERS,
            )
        if row.motive is None:
            continue
        if row.persons is None:
            missing_motive_keys.add((code, row.year, row_measure))
            continue
        key = (code, row.year, row.motive, row_measure)
        earlier = validated.counts.setdefault(key, (row.persons, row.row, row.motive_column or ""))
        problems += _differs(
            earlier,
            row.persons,
            row=row.row,
            column=row.motive_column,
            message=_COUNT_DIFFERS,
        )
    problems += _check_totals(parsed, validated, lookup, measure, missing_motive_keys)
    problems += _check_label_measure(parsed, measure)
    for code in validated.new_municipalities:
        lookup.by_code.setdefault(code, (0, validated.new_municipalities[code]))
    validated.names = {code: name for code, (_pk, name) in lookup.by_code.items()}
    return validated, problems


_POPULATION_DIFFERS = gettext_lazy(
    "differs from row %(other)s for the same municipality and year (%(value)s)"
)
_COUNT_DIFFERS = gettext_lazy(
    "differs from row %(other)s for the same municipality, year, motive and measure (%(value)s)"
)


def _differs(earlier: tuple, value: int, *, row: int, column: str | None, message) -> list[Problem]:
    """The problem of a row giving a figure that an `earlier` (value, row, …) gave otherwise."""
    if earlier[0] == value:
        return []
    return [
        Problem(
            str(message) % {"other": earlier[1], "value": earlier[0]},
            row=row,
            column=column,
            value=str(value),
        )
    ]


def _check_label_measure(parsed: ParsedFile, measure: str) -> list[Problem]:
    """A label that says what is counted (`Immigratie`: an inflow) must agree with the
    measure the figures are imported as."""
    if parsed.label_measure is None:
        return []
    said, column = parsed.label_measure
    conflict = next(
        (row for row in parsed.rows if row.motive and (row.measure or measure) != said), None
    )
    if conflict is None:
        return []
    message = (
        _(
            "counts an inflow (immigrants during a year), but the figures would be imported "
            "as a stock: choose the measure “inflow”, or check that this is the file you meant"
        )
        if said == Measure.INFLOW
        else _(
            "counts a stock (residents on a date), but the figures would be imported as an "
            "inflow: choose the measure “stock”, or check that this is the file you meant"
        )
    )
    return [Problem(message, row=conflict.row if conflict.measure else None, column=column)]


def _at_row(problem: Problem, row: int) -> Problem:
    return Problem(problem.message, row=row, column=problem.column, value=problem.value)


def _check_totals(parsed, validated, lookup, measure, missing_motive_keys) -> list[Problem]:
    sums: dict[tuple[str, int, str], int] = defaultdict(int)
    for (code, year, _motive, row_measure), (persons, _row, _column) in validated.counts.items():
        sums[code, year, row_measure] += persons
    problems = []
    for total in parsed.totals:
        code = total.region_code if total.region_code in lookup.by_code else None
        code = code or lookup.code_by_name.get(normalise(total.region_name or ""))
        code = code or total.region_code
        key = (code, total.year, total.measure or measure)
        if key in missing_motive_keys:
            continue
        if sums.get(key, 0) != total.total:
            problems.append(
                Problem(
                    _("differs from the sum of the motives (%(sum)s)") % {"sum": sums.get(key, 0)},
                    row=total.row,
                    column=total.column,
                    value=str(total.total),
                )
            )
    return problems
