import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from policy.selectors import policy_export
from registry.selectors import municipality_get


class Command(BaseCommand):
    help = (
        "Write one municipality's published policy matrix, attention points, conclusions "
        "and recommendations (with their current status) to stdout as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="CBS code, for example GM0394.")
        parser.add_argument("--format", choices=["json"], default="json", dest="fmt")

    def handle(self, *args, municipality: str, fmt: str, **options) -> None:
        found = municipality_get(code=municipality)
        if found is None:
            raise CommandError(f"Unknown municipality code {municipality!r}.")
        data = policy_export(municipality_code=found.code)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
