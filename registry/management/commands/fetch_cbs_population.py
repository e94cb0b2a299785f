import hashlib
import json
import re

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from registry.cbs import CbsUnavailable, cbs_records_fetch, cbs_typed_dataset_url
from registry.importers.reading import odata_records_parse
from registry.management.import_command import ImportCommand
from registry.services import figures_import

_MUNICIPALITY_OR_COUNTRY = re.compile(r"^(GM\d{4}|NL01)$")


class Command(ImportCommand):
    help = (
        "Read inhabitants per municipality and year from a CBS open-data (OData v3) table "
        "and store them through the same validation and write path as a file import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default=settings.CBS_ODATA_URL)
        parser.add_argument("--table", default=settings.CBS_POPULATION_TABLE)
        parser.add_argument(
            "--field",
            default=settings.CBS_POPULATION_FIELD,
            help="The table's topic that holds the inhabitants.",
        )
        super().add_arguments(parser)

    def handle(
        self,
        *args,
        base_url: str,
        table: str,
        field: str,
        dry_run: bool,
        add_municipalities: bool,
        **options,
    ) -> None:
        url = cbs_typed_dataset_url(
            base_url=base_url, table=table, fields=["RegioS", "Perioden", field]
        )
        try:
            records = list(cbs_records_fetch(url=url))
        except CbsUnavailable as error:
            raise CommandError(
                _("CBS open data could not be read: %(error)s") % {"error": error}
            ) from error
        # Provinces, COROP areas and parts of the country are not municipalities.
        kept = [
            {"RegioS": r.get("RegioS"), "Perioden": r.get("Perioden"), "Bevolking": r.get(field)}
            for r in records
            if _MUNICIPALITY_OR_COUNTRY.match(str(r.get("RegioS", "")).strip())
        ]
        self.stdout.write(
            _(
                "Read %(read)s records from CBS table %(table)s; "
                "%(kept)s are municipalities or the Netherlands."
            )
            % {"read": len(records), "table": table, "kept": len(kept)}
        )
        content = json.dumps(kept, sort_keys=True).encode()
        self.import_run(
            lambda: figures_import(
                parsed=odata_records_parse(records=kept),
                content=content,
                file_name=f"CBS {table} ({hashlib.sha256(content).hexdigest()[:8]})",
                add_municipalities=add_municipalities,
                dry_run=dry_run,
            ),
            dry_run=dry_run,
        )
