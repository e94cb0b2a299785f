import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from migrantportal.spreadsheet import csv_text
from registry.constants import YEAR_MAX, YEAR_MIN, Measure
from registry.selectors import COUNT_ROW_FIELDS, migrant_count_rows, municipality_get


class Command(BaseCommand):
    help = (
        "Write migrant counts to stdout, one row per municipality × year × motive, "
        "with shares of the municipality's migrants and of its population in percent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="CBS code, for example GM0394.")
        parser.add_argument("--year", type=int)
        parser.add_argument("--measure", choices=Measure.values, default=Measure.STOCK)
        parser.add_argument(
            "--format",
            choices=["csv", "csv-nl", "json"],
            default="csv",
            dest="fmt",
            help="csv-nl: for Dutch Excel (; between fields, decimal comma, byte-order mark).",
        )

    def handle(
        self, *args, municipality: str | None, year: int | None, measure: str, fmt: str, **options
    ) -> None:
        if municipality and municipality_get(code=municipality) is None:
            raise CommandError(f"Unknown municipality code {municipality!r}.")
        if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
            raise CommandError(f"--year must be between {YEAR_MIN} and {YEAR_MAX}, not {year}.")
        rows = migrant_count_rows(
            municipality_code=municipality.strip().upper() if municipality else None,
            year=year,
            measure=measure,
        )
        if fmt == "json":
            # One write: Django's stdout wrapper ends every write with a newline.
            self.stdout.write(
                json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2)
            )
            self.stdout.write("")
            return
        text = csv_text(
            header=COUNT_ROW_FIELDS,
            rows=([row.as_dict()[key] for key in COUNT_ROW_FIELDS] for row in rows),
            dialect=fmt,
        )
        self.stdout.write(text, ending="")
