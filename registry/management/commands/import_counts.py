from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from migrantportal.upload_limits import upload_too_large_message
from registry.constants import Measure
from registry.importers.limits import MAX_FILE_BYTES
from registry.importers.results import Problem
from registry.management.import_command import ImportCommand
from registry.models import Source
from registry.services import import_refusal_audit, migrant_counts_import


class Command(ImportCommand):
    help = (
        "Import migrant counts (and population) from a CBS StatLine CSV, a CBS open-data "
        "JSON file or the portal's CSV/XLSX template, in one transaction: a file with any "
        "bad row writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        super().add_arguments(parser)
        parser.add_argument(
            "--measure",
            choices=Measure.values,
            default=Measure.STOCK,
            help="For rows whose file does not say: stock (default) or inflow.",
        )
        parser.add_argument(
            "--source", help="Key of an existing source; by default one is made for the file."
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        add_municipalities: bool,
        measure: str,
        source: str | None,
        **options,
    ) -> None:
        if not file.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            # Refused before a byte is read.
            message = upload_too_large_message(size=size)
            import_refusal_audit(user=None, file_name=file.name, problems=[Problem(message)])
            raise CommandError(message)
        chosen_source = None
        if source:
            chosen_source = Source.objects.filter(slug=source).first()
            if chosen_source is None:
                raise CommandError(_("Unknown source key %(key)s.") % {"key": source})
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("The file cannot be read: %(error)s") % {"error": error.strerror}
            ) from error
        report = self.import_run(
            lambda: migrant_counts_import(
                content=content,
                file_name=file.name,
                measure=measure,
                source=chosen_source,
                add_municipalities=add_municipalities,
                dry_run=dry_run,
            ),
            dry_run=dry_run,
        )
        for skipped in report.skipped[:50]:
            self.stdout.write(f"  {skipped}")
        if report.batch:
            self.stdout.write(_("Recorded as import batch %(id)s.") % {"id": report.batch.pk})
