"""Municipalities, sources, motives and import batches: what figures refer to."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from migrantportal.model_fields import choices_constraint, user_field
from registry.constants import (
    REGION_CODE_REGEX,
    ImportFormat,
    Measure,
    MotiveSlug,
    RegionKind,
    SourceKind,
)
from registry.models.base import year_constraint


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
            choices_constraint("kind", RegionKind, name="municipality_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def municipality_field(
    related_name: str | None, *, on_delete=models.CASCADE, **options
) -> models.ForeignKey:
    """The municipality a row belongs to, named from the municipality by `related_name`
    (None: Django's default name)."""
    return models.ForeignKey(
        Municipality,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=_("municipality"),
        **options,
    )


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
        constraints = [year_constraint("source_year_range")]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


def source_field(**options) -> models.ForeignKey:
    """The source a row's figures were taken from; a source that is cited cannot be deleted."""
    return models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"), **options)


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
            choices_constraint("slug", MotiveSlug, name="motive_slug_valid"),
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
    user = user_field(_("imported by"))
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)
    file_format = models.CharField(_("format"), max_length=20, choices=ImportFormat.choices)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    source = source_field(related_name="import_batches")
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
