"""Register figures: municipalities, population, migrant counts and estimates.

Every figure carries its source (and, for imported data, the import batch that
last set it), so the portal can always say where a number comes from.
"""

from registry.models.base import (
    ProvenanceFields,
    provenance_constraint,
    section_field,
    year_constraint,
)
from registry.models.figures import (
    Estimate,
    MigrantBreakdown,
    MigrantCount,
    MigrantShare,
    PendingUpload,
    Population,
)
from registry.models.places import ImportBatch, Motive, Municipality, Source, municipality_field
from registry.models.themes import MunicipalityTheme

__all__ = [
    "Estimate",
    "ImportBatch",
    "MigrantBreakdown",
    "MigrantCount",
    "MigrantShare",
    "Motive",
    "Municipality",
    "MunicipalityTheme",
    "PendingUpload",
    "Population",
    "ProvenanceFields",
    "Source",
    "municipality_field",
    "provenance_constraint",
    "section_field",
    "year_constraint",
]
