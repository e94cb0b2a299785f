"""Which column of a file holds what, told from its header's labels.

StatLine writes a figure column's header as a path of topic labels with a unit:
`Migranten/Migratiemotief/Asiel (aantal)`. The layout decides what a path means:

- a *long* file has a motive column; its one figure column (besides the population) is
  the count, whatever its last part says (`Migranten/Totaal (aantal)`);
- a *wide* file has none; the last part of each figure column is its motive, or the total.

Every column maps to something the import stores or is an ignorable label column
(`aliases.IGNORED_HEADERS`, or a second region column); a figure column the portal cannot
use is a problem naming it. A column of unknown text is passed over, unless it turns out
to hold numbers (`tables` checks that row by row).
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from registry.constants import Measure
from registry.importers.aliases import (
    COUNT_HEADER_PREFIXES,
    IGNORED_HEADERS,
    INFLOW_LABEL_PREFIXES,
    MEASURE_HEADERS,
    MIGRANT_HEADER_PREFIXES,
    MOTIVE_HEADERS,
    PERIOD_HEADERS,
    POPULATION_HEADER_PREFIXES,
    REGION_CODE_HEADERS,
    REGION_HEADERS,
    REGION_NAME_HEADERS,
    STOCK_LABEL_PHRASES,
    STOCK_LABEL_PREFIXES,
    TOTAL_LABELS,
    label_parts,
    motive_from_label,
)
from registry.importers.results import Problem

# A label with a unit in brackets at its end is a figure column: `Migranten (aantal)`.
_UNIT = re.compile(r"\([^()]*\)\s*$")


@dataclass
class Columns:
    """Which column holds what, by index, and what is wrong with the header."""

    region_code: int | None = None
    region_name: int | None = None
    region_mixed: list[int] = field(default_factory=list)
    period: int | None = None
    motive: int | None = None
    measure: int | None = None
    count: int | None = None
    population: int | None = None
    total: int | None = None
    motive_columns: dict[int, str] = field(default_factory=dict)
    # Columns of text the import does not know; refused if they hold numbers.
    unknown: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    label_measure: tuple[str, str] | None = None

    def has_region(self) -> bool:
        return (
            self.region_code is not None or self.region_name is not None or bool(self.region_mixed)
        )


def _header_text(header: Any) -> str:
    return "" if header is None else str(header).strip()


def _dimension(columns: Columns, index: int, whole: str) -> bool:
    """Region, period, motive and measure columns; True when `index` is one."""
    if whole in REGION_CODE_HEADERS and columns.region_code is None:
        columns.region_code = index
    elif whole in REGION_NAME_HEADERS and columns.region_name is None:
        columns.region_name = index
    elif whole in REGION_HEADERS:
        columns.region_mixed.append(index)
    elif whole in PERIOD_HEADERS and columns.period is None:
        columns.period = index
    elif whole in MOTIVE_HEADERS and columns.motive is None:
        columns.motive = index
    elif whole in MEASURE_HEADERS and columns.measure is None:
        columns.measure = index
    else:
        return False
    return True


def _is_population(parts: list[str]) -> bool:
    return any(part.startswith(POPULATION_HEADER_PREFIXES) for part in parts) and not any(
        part.startswith(MIGRANT_HEADER_PREFIXES) for part in parts
    )


def _is_figure(header: str, parts: list[str]) -> bool:
    """A column meant to hold figures: a unit, a topic path, a count or a motive label."""
    return bool(
        _UNIT.search(header)
        or len(parts) > 1
        or any(part.startswith(COUNT_HEADER_PREFIXES) for part in parts)
        or any(part in TOTAL_LABELS or motive_from_label(part) for part in parts)
    )


def columns_classify(*, headers: list[Any]) -> Columns:
    """Tell from the header's labels which column holds what (see the module's rules)."""
    columns = Columns()
    figures: list[tuple[int, str, list[str]]] = []
    for index, raw in enumerate(headers):
        header = _header_text(raw)
        parts = label_parts(header)
        if not parts:
            continue
        whole = " ".join(parts)
        if _dimension(columns, index, whole) or whole in IGNORED_HEADERS:
            continue
        if whole in REGION_CODE_HEADERS | REGION_NAME_HEADERS | PERIOD_HEADERS:
            continue  # a second region name or period label beside the first
        if _is_population(parts):
            if columns.population is None:
                columns.population = index
            else:
                columns.problems.append(_second_population(header))
        elif _is_figure(header, parts):
            figures.append((index, header, parts))
        else:
            columns.unknown.append(index)
    if columns.motive is not None:
        _long_figures(columns, figures)
    else:
        _wide_figures(columns, figures)
    _label_measure(columns, headers)
    return columns


def _second_population(header: str) -> Problem:
    return Problem(
        _("is a second population column; the file may have one"), column=header, value=None
    )


def _long_figures(columns: Columns, figures: list[tuple[int, str, list[str]]]) -> None:
    """With a motive column: the one figure column is the count."""
    if len(figures) == 1:
        columns.count = figures[0][0]
        return
    for _index, header, _parts in figures[1:]:
        columns.problems.append(
            Problem(
                _(
                    "is a second count column: a file with a motive column (one motive per "
                    "row) may have one count column, here “%(first)s”; put the other in a "
                    "file of its own"
                )
                % {"first": figures[0][1]},
                column=header,
            )
        )
    if figures:
        columns.count = figures[0][0]


def _wide_figures(columns: Columns, figures: list[tuple[int, str, list[str]]]) -> None:
    """Without a motive column: each figure column's last part is its motive or the total."""
    for index, header, parts in figures:
        last = parts[-1]
        motive = motive_from_label(last)
        if motive is not None:
            if motive in columns.motive_columns.values():
                columns.problems.append(
                    Problem(_("is a second column for the same motive"), column=header)
                )
            columns.motive_columns[index] = motive
        elif last in TOTAL_LABELS and columns.total is None:
            columns.total = index
        elif len(parts) == 1:
            columns.problems.append(
                Problem(
                    _(
                        "holds counts, but the file has no motive column: add a column "
                        "“Migratiemotief” with each row's motive, or give each motive a "
                        "column of its own (such as “Migranten/Asiel”)"
                    ),
                    column=header,
                )
            )
        else:
            columns.problems.append(
                Problem(
                    _(
                        "ends in “%(last)s”, which is not a known migration motive nor a "
                        "total: in a file without a motive column the last part of a "
                        "column's label is its motive (such as “…/Asiel”)"
                    )
                    % {"last": header.rsplit("/", 1)[-1].strip()},
                    column=header,
                )
            )
    if columns.total is not None and not columns.motive_columns:
        columns.problems.append(
            Problem(
                _(
                    "is a total without the motives it adds up: the portal stores figures "
                    "per motive; add a column per motive or a motive column"
                ),
                column=_header_text(figures[0][1]) if figures else None,
            )
        )


def _measure_of(parts: list[str]) -> str | None:
    if any(part.startswith(INFLOW_LABEL_PREFIXES) for part in parts):
        return Measure.INFLOW
    if any(part.startswith(STOCK_LABEL_PREFIXES) for part in parts) or any(
        phrase in part for part in parts for phrase in STOCK_LABEL_PHRASES
    ):
        return Measure.STOCK
    return None


def _label_measure(columns: Columns, headers: list[Any]) -> None:
    """What the count columns' labels say is counted; two that disagree are a problem."""
    figure_indexes = [columns.count, columns.total, *columns.motive_columns]
    found: dict[str, str] = {}
    for index in figure_indexes:
        if index is None:
            continue
        header = _header_text(headers[index])
        measure = _measure_of(label_parts(header))
        if measure is not None:
            found.setdefault(measure, header)
    if len(found) > 1:
        columns.problems.append(
            Problem(
                _(
                    "counts an inflow, but column “%(other)s” counts a stock: a file holds "
                    "one measure"
                )
                % {"other": found[Measure.STOCK]},
                column=found[Measure.INFLOW],
            )
        )
    elif found:
        columns.label_measure = next(iter(found.items()))


def columns_check(*, columns: Columns) -> list[Problem]:
    """The header's problems: required columns missing, columns the portal cannot use."""
    problems = list(columns.problems)
    if columns.motive is not None and columns.count is None:
        problems.append(
            Problem(
                _("A required column is missing: the number of persons (such as “Aantal”)."),
                column=_("Aantal"),
            )
        )
    if (
        columns.motive is None
        and not columns.motive_columns
        and columns.population is None
        and not problems
    ):
        problems.append(
            Problem(
                _(
                    "A required column is missing: a motive column (such as “Migratiemotief”), "
                    "a column per motive (such as “Asiel”), or the population "
                    "(such as “Bevolking op 1 januari”)."
                ),
                column=_("Migratiemotief"),
            )
        )
    return problems
