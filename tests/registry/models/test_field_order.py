"""Forms without a field list (the admin's) and the history list fields in model order, so the
shared field builders must leave each field where the model declares it."""

from registry.models import MigrantCount, Population


def _names(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name != "id"]


def test_a_population_lists_municipality_and_year_before_its_source_and_note():
    assert _names(Population) == [
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
    assert _names(MigrantCount) == [
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
