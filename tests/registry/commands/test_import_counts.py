"""`manage.py import_counts FILE [--dry-run] [--add-municipalities]`, as
docs/architecture.md describes it."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from registry import models as rm
from tests import factories as f
from tests.i18n import translated
from tests.paths import DATA, PROJECT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def haarlemmermeer():
    return f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_counts", *map(str, args), stdout=out)
    return out.getvalue()


def test_import_counts_prints_what_it_created_updated_left_unchanged_and_skipped(haarlemmermeer):
    output = _run(DATA / "statline_labels.csv")

    assert "5 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "column “Migranten (aantal)”" in output


def test_import_counts_dry_run_writes_nothing(haarlemmermeer):
    output = _run(DATA / "statline_labels.csv", "--dry-run")

    assert "Dry run" in output
    assert rm.MigrantCount.objects.count() == 0


def test_import_counts_adds_municipalities_only_when_asked(haarlemmermeer):
    with pytest.raises(CommandError, match="GM9999"):
        _run(DATA / "template_nl.xlsx")

    _run(DATA / "template_nl.xlsx", "--add-municipalities")

    assert rm.Municipality.objects.filter(code="GM9999").exists()


def test_import_counts_takes_the_measure_from_the_option(haarlemmermeer):
    _run(DATA / "statline_labels.csv", "--measure", "inflow")

    assert set(rm.MigrantCount.objects.values_list("measure", flat=True)) == {"inflow"}


def test_import_counts_refuses_a_missing_file():
    with pytest.raises(CommandError, match="File not found"):
        _run(DATA / "does-not-exist.csv")


def test_import_counts_exits_non_zero_and_names_row_and_column_on_a_bad_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;-3\n")

    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    # The import looks the municipalities up even in a refused file, to list every problem.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, timeout=300
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "import_counts", str(bad)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert result.returncode != 0
    where = (
        f"{translated('row %(row)s', row=2)}, {translated('column “%(column)s”', column='Aantal')}"
    )
    assert where in result.stderr
