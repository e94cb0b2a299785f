"""Re-imports that change many stored figures, more than one write batch of them."""

import pytest

from registry import models as rm
from registry.services import WRITE_BATCH_SIZE, migrant_counts_import
from tests import factories as f

pytestmark = pytest.mark.django_db

MOTIVES = ["asiel", "arbeid", "gezin", "studie", "oekraine", "onbekend"]
YEARS = range(2000, 2100)
HEADER = "Gemeentecode;Gemeente;Jaar;Migratiemotief;Maat;Aantal;Bevolking"


@pytest.fixture(autouse=True)
def haarlemmermeer():
    return f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")


def _template(*, add: int, changed_years: range = YEARS, population_add: int = 0) -> bytes:
    lines = [HEADER]
    for year in YEARS:
        plus = add if year in changed_years else 0
        for number, motive in enumerate(MOTIVES):
            lines.append(
                f"GM0394;Haarlemmermeer;{year};{motive};stand;{year * 10 + number + plus};"
                f"{100_000 + year + population_add}"
            )
    return "\n".join(lines).encode()


def _import(content: bytes):
    return migrant_counts_import(content=content, file_name="national.csv")


def _counts() -> dict[tuple[int, str], tuple[int, int, int]]:
    return {
        (year, motive): (persons, source, batch)
        for year, motive, persons, source, batch in rm.MigrantCount.objects.values_list(
            "year", "motive_id", "persons", "source_id", "import_batch_id"
        )
    }


def test_a_reimport_changing_more_rows_than_one_batch_updates_every_count():
    assert len(YEARS) * len(MOTIVES) > WRITE_BATCH_SIZE
    _import(_template(add=0))

    second = _import(_template(add=1))

    assert second.updated == len(YEARS) * len(MOTIVES)
    assert _counts() == {
        (year, motive): (year * 10 + number + 1, second.batch.source_id, second.batch.pk)
        for year in YEARS
        for number, motive in enumerate(MOTIVES)
    }


def test_a_reimport_updates_every_changed_population_with_its_batch():
    _import(_template(add=0))

    second = _import(_template(add=0, population_add=7))

    assert second.populations_updated == len(YEARS)
    assert sorted(
        rm.Population.objects.values_list("year", "inhabitants", "source_id", "import_batch_id")
    ) == [(year, 100_007 + year, second.batch.source_id, second.batch.pk) for year in YEARS]


def test_a_partly_changed_reimport_leaves_the_unchanged_counts_with_their_old_batch():
    first = _import(_template(add=0))
    before = _counts()

    second = _import(_template(add=5, changed_years=range(2000, 2050)))

    after = _counts()
    assert second.updated == 50 * len(MOTIVES)
    assert {key: value for key, value in after.items() if key[0] >= 2050} == {
        key: value for key, value in before.items() if key[0] >= 2050
    }
    assert {batch for (year, _motive), (_n, _s, batch) in after.items() if year >= 2050} == {
        first.batch.pk
    }
    assert after[(2000, "asiel")] == (20_005, second.batch.source_id, second.batch.pk)
