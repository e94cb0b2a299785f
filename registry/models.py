"""Register figures: municipalities, population, migrant counts and estimates.

Every figure carries its source (and, for imported data, the import batch that
last set it), so the portal can always say where a number comes from.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from registry.constants import (
    PROVENANCE_NEEDS_BASIS,
    REGION_CODE_REGEX,
    YEAR_MAX,
    YEAR_MIN,
    BreakdownDimension,
    ImportFormat,
    Measure,
    MotiveSlug,
    Provenance,
    RegionKind,
    ShareBasis,
    SourceKind,
)

_YEAR_IN_RANGE = Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX)


def _year_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=_YEAR_IN_RANGE, name=name)


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


class Municipality(models.Model):
    code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        help_text=_("GM followed by four digits, or NL01 for the Netherlands."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=RegionKind.choices, default=RegionKind.MUNICIPALITY
    )
    comparison_group = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="compared_by",
        verbose_name=_("comparison group"),
        help_text=_("The municipalities (and the Netherlands) its figures are compared with."),
    )
    public_mode = models.BooleanField(
        _("public mode"),
        default=False,
        help_text=_("Show this municipality's dashboards to visitors who are not logged in."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Made up for load and performance tests; never part of the demo."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=REGION_CODE_REGEX), name="municipality_code_format"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RegionKind.values), name="municipality_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Source(models.Model):
    """A dataset or document that figures are taken from."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    table_id = models.CharField(
        _("table id"), max_length=40, blank=True, help_text=_("For example 84809NED.")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year of publication"))
    url = models.URLField(_("link"), max_length=500, blank=True)
    document = models.CharField(
        _("source document"),
        max_length=200,
        blank=True,
        help_text=_("File name of the source document the portal's content was taken from."),
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-year", "title"]
        constraints = [_year_constraint("source_year_range")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Motive(models.Model):
    """The six migration motives; created by a migration, labels translated."""

    slug = models.CharField(_("key"), max_length=20, primary_key=True, choices=MotiveSlug.choices)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    colour = models.CharField(_("colour"), max_length=7)

    class Meta:
        verbose_name = _("migration motive")
        verbose_name_plural = _("migration motives")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slug__in=MotiveSlug.values), name="motive_slug_valid"
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="motive_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return MotiveSlug(self.slug).label


class ImportBatch(models.Model):
    """One confirmed import of a file; counts point to the batch that last set them."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("imported by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)
    file_format = models.CharField(_("format"), max_length=20, choices=ImportFormat.choices)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, verbose_name=_("source"), related_name="import_batches"
    )
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows skipped"), default=0)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Population(ProvenanceFields):
    """Inhabitants of a municipality on 1 January of a year."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="populations",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    source_detail = models.CharField(_("page or section"), max_length=200, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("import batch"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("population figures")
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_unique_municipality_year"
            ),
            _year_constraint("population_year_range"),
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

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="migrant_counts",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.STOCK
    )
    persons = models.PositiveIntegerField(_("persons"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    source_detail = models.CharField(_("page or section"), max_length=200, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="migrant_counts",
        verbose_name=_("import batch"),
    )
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
            _year_constraint("migrantcount_year_range"),
            models.CheckConstraint(condition=Q(persons__gte=0), name="migrantcount_nonnegative"),
            provenance_constraint("migrantcount_provenance_valid"),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="migrantcount_measure_valid"
            ),
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

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="shares",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(
        Motive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("motive"),
        help_text=_("Empty for all motives together."),
    )
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.STOCK
    )
    basis = models.CharField(_("share of"), max_length=20, choices=ShareBasis.choices)
    share_pct = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    source_detail = models.CharField(_("page or section"), max_length=200, blank=True)
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
            _year_constraint("migrantshare_year_range"),
            models.CheckConstraint(
                condition=Q(share_pct__gte=0) & Q(share_pct__lte=100), name="migrantshare_pct_range"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=ShareBasis.values), name="migrantshare_basis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.share_pct} %"


class MigrantBreakdown(models.Model):
    """A split of one motive's migrants by origin, length of stay or household."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="breakdowns",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.STOCK
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=BreakdownDimension.choices)
    category = models.CharField(
        _("category"), max_length=100, help_text=_("For example: MOE countries.")
    )
    persons = models.PositiveIntegerField(_("persons"), null=True, blank=True)
    share_pct = models.DecimalField(
        _("share of the motive (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    source_detail = models.CharField(_("page or section"), max_length=200, blank=True)
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
            _year_constraint("migrantbreakdown_year_range"),
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

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="estimates",
        verbose_name=_("municipality"),
    )
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
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))
    source_detail = models.CharField(_("page or section"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        ordering = ["municipality__name", "year", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "label"], name="estimate_unique_key"
            ),
            _year_constraint("estimate_year_range"),
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
