"""scripts/backup_restore_check.sh, run for real against the test database."""

import os
import shutil
import subprocess
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection

from registry.models import Motive
from tests import factories as f
from tests.paths import PROJECT

SCRIPT = PROJECT / "scripts" / "backup_restore_check.sh"

pytestmark = [
    pytest.mark.postgres_only(reason="pg_dump and pg_restore"),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "createdb", "dropdb")),
        reason="needs the PostgreSQL client tools (pg_dump, pg_restore, createdb, dropdb)",
    ),
]


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "localhost"
    port = settings["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(name, safe='')}"


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict["NAME"])}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def _drop(name: str) -> None:
    maintenance = _database_url(connection.settings_dict["NAME"])
    subprocess.run(
        ["dropdb", "--if-exists", f"--maintenance-db={maintenance}", name],
        check=True,
        capture_output=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_matches_its_source_and_a_changed_copy_fails_the_check():
    # A transactional test's database may have lost what the data migrations made.
    Motive.objects.get_or_create(slug="asiel", defaults={"order": 1, "colour": "#0072B2"})
    municipality = f.MunicipalityFactory(code="GM5999", name="Hersteldorp")
    f.PopulationFactory(municipality=municipality, year=2023, inhabitants=20_000)
    f.MigrantCountFactory(municipality=municipality, year=2023, persons=321)
    recommendation = f.RecommendationFactory(
        report=f.ReportFactory(municipality=municipality), title="Herstel de back-up"
    )
    f.UserFactory(username="backup-check")
    copy = f"{connection.settings_dict['NAME']}_restorecheck_pytest"
    _drop(copy)  # left over from an interrupted run
    try:
        restored = _run("--target", copy, "--keep")
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "OK:" in restored.stdout

        changed = psycopg2.connect(_database_url(copy))
        try:
            with changed, changed.cursor() as cursor:  # commits
                cursor.execute(
                    "UPDATE policy_recommendation SET title = 'Anders' WHERE id = %s",
                    [recommendation.pk],
                )
        finally:
            changed.close()
        compared = _run("--compare-only", _database_url(connection.settings_dict["NAME"]), copy)

        assert compared.returncode == 1, compared.stdout + compared.stderr
        assert "DIFFERENT: export_policy --municipality GM5999" in compared.stderr
    finally:
        _drop(copy)
