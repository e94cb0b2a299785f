"""The figures: population, migrant counts and shares, breakdowns, estimates, and uploads
waiting to become figures."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from migrantportal.model_fields import choices_constraint
from registry.constants import (
    PROVENANCE_NEEDS_BASIS,
    BreakdownDimension,
    Measure,
    Provenance,
    ShareBasis,
)
from registry.models.base import (
    ProvenanceFields,
    provenance_constraint,
    section_field,
    year_constraint,
)
from registry.models.places import ImportBatch, Motive, municipality_field, source_field


def import_batch_field(**options) -> models.ForeignKey:
    """The import that last set a figure; emptied when the batch is deleted."""
    return models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("import batch"),
        **options,
    )


def measure_field() -> models.CharField:
    return models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.STOCK
    )


class Population(ProvenanceFields):
    """Inhabitants of a municipality on 1 January of a year."""

    municipality = municipality_field("populations")
    year = models.PositiveSmallIntegerField(_("year"))
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    source = source_field()
    source_detail = section_field()
    import_batch = import_batch_field()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population figures")
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_unique_municipality_year"
            ),
            year_constraint("population_year_range"),
            models.CheckConstraint(condition=Q(inhabitants__gte=0), name="population_nonnegative"),
            provenance_constraint("population_provenance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.inhabitants}"


class MigrantCount(ProvenanceFields):
    """Persons per municipality × year × motive × measure.

    A stock and an inflow measure different things and are never added up;
    the measure is part of the natural key for that reason.
    """

    municipality = municipality_field("migrant_counts")
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    measure = measure_field()
    persons = models.PositiveIntegerField(_("persons"))
    source = source_field()
    source_detail = section_field()
    import_batch = import_batch_field(related_name="migrant_counts")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("migrant count")
        verbose_name_plural = _("migrant counts")
        ordering = ["municipality__name", "year", "motive__order"]
        permissions = [
            ("import_migrantcount", _("Can import migrant counts from a file")),
            (
                "import_any_municipality",
                _("Can import figures for every municipality, not only their own"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "motive", "measure"],
                name="migrantcount_unique_key",
            ),
            year_constraint("migrantcount_year_range"),
            models.CheckConstraint(condition=Q(persons__gte=0), name="migrantcount_nonnegative"),
            provenance_constraint("migrantcount_provenance_valid"),
            choices_constraint("measure", Measure, name="migrantcount_measure_valid"),
        ]
        indexes = [models.Index(fields=["year", "measure"], name="migrantcount_year_measure")]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year} {self.motive_id}: {self.persons}"


class MigrantShare(models.Model):
    """A share a source publishes without the counts behind it.

    The Haarlemmermeer report gives 4.8 % (2015) and 9.1 % (the Netherlands,
    2023) but no counts; storing the share keeps us from inventing numbers.
    An empty motive means all motives together.
    """

    municipality = municipality_field("shares")
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(
        Motive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("motive"),
        help_text=_("Empty for all motives together."),
    )
    measure = measure_field()
    basis = models.CharField(_("share of"), max_length=20, choices=ShareBasis.choices)
    share_pct = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    source = source_field()
    source_detail = section_field()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("published share")
        verbose_name_plural = _("published shares")
        ordering = ["municipality__name", "year", "basis"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "motive", "measure", "basis"],
                condition=Q(motive__isnull=False),
                name="migrantshare_unique_per_motive",
            ),
            models.UniqueConstraint(
                fields=["municipality", "year", "measure", "basis"],
                condition=Q(motive__isnull=True),
                name="migrantshare_unique_total",
            ),
            year_constraint("migrantshare_year_range"),
            models.CheckConstraint(
                condition=Q(share_pct__gte=0) & Q(share_pct__lte=100), name="migrantshare_pct_range"
            ),
            choices_constraint("basis", ShareBasis, name="migrantshare_basis_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.share_pct} %"


class MigrantBreakdown(models.Model):
    """A split of one motive's migrants by origin, length of stay or household."""

    municipality = municipality_field("breakdowns")
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    measure = measure_field()
    dimension = models.CharField(_("dimension"), max_length=20, choices=BreakdownDimension.choices)
    category = models.CharField(
        _("category"), max_length=100, help_text=_("For example: MOE countries.")
    )
    persons = models.PositiveIntegerField(_("persons"), null=True, blank=True)
    share_pct = models.DecimalField(
        _("share of the motive (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = source_field()
    source_detail = section_field()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("breakdown")
        verbose_name_plural = _("breakdowns")
        ordering = ["municipality__name", "year", "motive__order", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "motive", "measure", "dimension", "category"],
                name="migrantbreakdown_unique_key",
            ),
            year_constraint("migrantbreakdown_year_range"),
            models.CheckConstraint(
                condition=Q(persons__isnull=False) | Q(share_pct__isnull=False),
                name="migrantbreakdown_has_value",
            ),
            models.CheckConstraint(
                condition=Q(persons__isnull=True) | Q(persons__gte=0),
                name="migrantbreakdown_persons_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(share_pct__isnull=True) | (Q(share_pct__gte=0) & Q(share_pct__lte=100)),
                name="migrantbreakdown_pct_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year} {self.motive_id} {self.category}"


class Estimate(models.Model):
    """What the register misses: a point and/or a low–high range, with its method."""

    municipality = municipality_field("estimates")
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    label = models.CharField(
        _("group"),
        max_length=200,
        help_text=_("Who is estimated, for example: labour migrants on unverified addresses."),
    )
    point = models.PositiveIntegerField(_("estimate"), null=True, blank=True)
    low = models.PositiveIntegerField(_("lower bound"), null=True, blank=True)
    high = models.PositiveIntegerField(_("upper bound"), null=True, blank=True)
    registered = models.PositiveIntegerField(
        _("registered in the BRP"),
        null=True,
        blank=True,
        help_text=_(
            "The register figure the estimate is compared with, where the source gives one."
        ),
    )
    method = models.TextField(_("method"))
    provenance = models.CharField(
        _("kind of value"),
        max_length=20,
        choices=Provenance.choices,
        default=Provenance.ESTIMATED,
        help_text=_(
            "Estimated where the document calls it an estimate; found (gebleken) where it "
            "reports a count; published where it states the figure without either."
        ),
    )
    source = source_field()
    source_detail = section_field()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        ordering = ["municipality__name", "year", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "label"], name="estimate_unique_key"
            ),
            year_constraint("estimate_year_range"),
            models.CheckConstraint(
                condition=Q(point__isnull=False) | (Q(low__isnull=False) & Q(high__isnull=False)),
                name="estimate_has_point_or_range",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) & Q(high__isnull=True)
                | Q(low__isnull=False) & Q(high__isnull=False) & Q(low__lte=F("high")),
                name="estimate_low_not_above_high",
            ),
            models.CheckConstraint(
                condition=Q(point__isnull=True)
                | Q(low__isnull=True)
                | (Q(point__gte=F("low")) & Q(point__lte=F("high"))),
                name="estimate_point_within_range",
            ),
            models.CheckConstraint(
                condition=Q(provenance__in=Provenance.values)
                & ~Q(provenance__in=PROVENANCE_NEEDS_BASIS),
                name="estimate_provenance_valid",
            ),
            models.CheckConstraint(
                condition=(Q(point__isnull=True) | Q(point__gte=0))
                & (Q(low__isnull=True) | Q(low__gte=0))
                & (Q(registered__isnull=True) | Q(registered__gte=0)),
                name="estimate_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.label}"


class PendingUpload(models.Model):
    """An uploaded import file between its preview and the clerk's confirmation.

    Kept in the database, not in the cache: every server reads it, Redis may evict
    or lose it, and an upload must survive a Redis outage. Rows older than
    `registry.upload_storage.UPLOAD_TTL` are deleted when the next file is uploaded.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("upload waiting for confirmation")
        verbose_name_plural = _("uploads waiting for confirmation")

    def __str__(self) -> str:
        return self.name
