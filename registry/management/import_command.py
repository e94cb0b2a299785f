"""What the commands that import figures share: their two switches and how they answer."""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from registry.importers.planning import ImportReport
from registry.importers.results import ImportRefused


class ImportCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--add-municipalities",
            action="store_true",
            help="Add a municipality whose code is unknown when the row also gives its name.",
        )

    def import_run(self, run: Callable[[], ImportReport], *, dry_run: bool) -> ImportReport:
        """Run the import; a refusal becomes the command's error, a report its summary."""
        try:
            report = run()
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        self.stdout.write(report.summary())
        return report
