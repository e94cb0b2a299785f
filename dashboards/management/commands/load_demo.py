import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from dashboards.services import DEMO_PASSWORD, DEMO_USERS, demo_users_ensure
from migrantportal.upsert import Outcome
from policy.demo import policy_demo_load
from registry.demo import registry_demo_load

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo content transcribed from the seed documents (fixtures/demo/) and one "
        "demo user per role into a migrated database, in one transaction. Running it again "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"Password of all demo users (default: {DEMO_PASSWORD}).",
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        if not password:
            raise CommandError(_("The password must not be empty."))
        registry_data = _read(DEMO_DIR / "registry.json")
        policy_data = _read(DEMO_DIR / "policy.json")
        try:
            with transaction.atomic():
                counts = registry_demo_load(data=registry_data)
                counts.update(policy_demo_load(data=policy_data))
                counts.update(demo_users_ensure(password=password))
        except (KeyError, ValueError, ValidationError) as problem:
            # KeyError names a missing key; ValueError an unknown reference.
            raise CommandError(
                _("The demo data is not valid: %(problem)s") % {"problem": repr(problem)}
            ) from problem
        self._report(counts)
        self.stdout.write(
            _("Demo users: %(users)s; password: %(password)s")
            % {"users": ", ".join(user.username for user in DEMO_USERS), "password": password}
        )

    def _report(self, counts: Counter) -> None:
        labels = list(dict.fromkeys(label for label, _outcome in counts))
        for label in labels:
            self.stdout.write(
                _("%(model)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {"model": label, **_outcomes(counts, label)}
            )
        totals = {
            outcome.value: sum(n for (_label, o), n in counts.items() if o == outcome)
            for outcome in Outcome
        }
        self.stdout.write(
            _("In all: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % totals
        )


def _outcomes(counts: Counter, label: str) -> dict[str, int]:
    return {outcome.value: counts[(label, outcome.value)] for outcome in Outcome}


def _read(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as problem:
        raise CommandError(
            _("Cannot read %(path)s: %(problem)s") % {"path": path, "problem": problem}
        ) from problem
