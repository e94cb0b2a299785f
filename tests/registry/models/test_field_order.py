"""The shared field builders leave each field where the model declares it."""

from registry.models import MigrantCount, Population
from tests.builders import field_names


def test_a_population_lists_municipality_and_year_before_its_source_and_note():
    assert field_names(Population) == [
        "provenance",
        "provenance_basis",
        "municipality",
        "year",
        "inhabitants",
        "source",
        "source_detail",
        "import_batch",
        "note",
    ]


def test_a_migrant_count_lists_its_key_before_its_count_source_and_note():
    assert field_names(MigrantCount) == [
        "provenance",
        "provenance_basis",
        "municipality",
        "year",
        "motive",
        "measure",
        "persons",
        "source",
        "source_detail",
        "import_batch",
        "note",
    ]
