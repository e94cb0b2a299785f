"""What reading a file yields: its rows of figures, totals, skipped cells and problems."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_PROBLEMS_LISTED = 50
# Reading stops after this many problems: a file that wrong needs correcting first, and
# the list (and the memory it takes) stays bounded whatever the file holds.
MAX_PROBLEMS_KEPT = 1000


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused, with where it is."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        text = self.message
        if self.value is not None:
            # Messages with a value are phrased to follow it: "“-5” is negative".
            text = f"“{_shorten(self.value)}” {text}"
        return f"{', '.join(where)}: {text}" if where else text


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ImportRefused(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems_in_order(problems)
        super().__init__(summarise_problems(self.problems))


def problems_in_order(problems: list[Problem]) -> list[Problem]:
    """The file's own problems first, then by row, each kind in the order found."""
    return sorted(problems, key=lambda problem: -1 if problem.row is None else problem.row)


def summarise_problems(problems: list[Problem]) -> str:
    lines = [
        _("The file was refused: %(count)s problem(s) found; nothing was imported.")
        % {"count": len(problems)}
    ]
    lines += [str(problem) for problem in problems[:MAX_PROBLEMS_LISTED]]
    if len(problems) > MAX_PROBLEMS_LISTED:
        lines.append(_("… and %(more)s more.") % {"more": len(problems) - MAX_PROBLEMS_LISTED})
    return "\n".join(lines)


@dataclass(slots=True)
class ParsedRow:
    """One row of figures as read, before municipalities are looked up.

    A row with problems is kept with only its region (`motive`, `persons` and
    `population` None), so that an unknown municipality in it is reported too.
    """

    row: int
    region_code: str | None
    region_name: str | None
    region_column: str
    year: int
    motive: str | None
    persons: int | None
    population: int | None
    measure: str | None
    motive_column: str | None = None


@dataclass(frozen=True)
class Skipped:
    row: int
    column: str
    symbol: str

    def __str__(self) -> str:
        return _("row %(row)s, column “%(column)s”: no value (“%(symbol)s”), skipped") % {
            "row": self.row,
            "column": self.column,
            "symbol": self.symbol,
        }


@dataclass(frozen=True)
class TotalRow:
    """A total over all motives in the file, checked against the sum, never stored."""

    row: int
    column: str
    region_code: str | None
    region_name: str | None
    year: int
    measure: str | None
    total: int


@dataclass
class ParsedFile:
    file_format: str
    rows: list[ParsedRow] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the figure columns' labels say is counted (`Immigratie`: an inflow), with the
    # column that says so; checked against the measure the clerk chose.
    label_measure: tuple[str, str] | None = None

    def problems_full(self) -> bool:
        """True (and noted once) when reading should stop: MAX_PROBLEMS_KEPT reached."""
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            return False
        if len(self.problems) == MAX_PROBLEMS_KEPT:
            self.problems.append(
                Problem(
                    _("Reading stopped after %(count)s problems; correct these first.")
                    % {"count": MAX_PROBLEMS_KEPT}
                )
            )
        return True
