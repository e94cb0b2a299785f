"""What every register figure shares: a year in range and a stated provenance."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.constants import (
    PROVENANCE_NEEDS_BASIS,
    YEAR_MAX,
    YEAR_MIN,
    Provenance,
)

YEAR_IN_RANGE = Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX)


def year_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=YEAR_IN_RANGE, name=name)


def provenance_constraint(name: str) -> models.CheckConstraint:
    """A known kind of value, and a computed or derived one says how."""
    return models.CheckConstraint(
        condition=Q(provenance__in=Provenance.values)
        & (~Q(provenance__in=PROVENANCE_NEEDS_BASIS) | ~Q(provenance_basis="")),
        name=name,
    )


class ProvenanceFields(models.Model):
    """What kind of value a figure is, and how the portal made it if it did not publish it."""

    provenance = models.CharField(
        _("kind of value"),
        max_length=20,
        choices=Provenance.choices,
        default=Provenance.PUBLISHED,
        help_text=_("Published by the source, or computed or derived from what it publishes."),
    )
    provenance_basis = models.CharField(
        _("how it was computed or derived"),
        max_length=200,
        blank=True,
        help_text=_("For example “6 % van 18.480”."),
    )

    class Meta:
        abstract = True


def section_field(verbose_name=None) -> models.CharField:
    """Where in its source document a row, or one of its passages, was read (register
    figures and findings alike)."""
    return models.CharField(verbose_name or _("page or section"), max_length=200, blank=True)
