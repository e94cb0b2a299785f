"""Indicators, programme lines and context notes that reports carry."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from migrantportal.model_fields import choices_constraint
from policy.constants import (
    ContextPlacement,
    IndicatorUnit,
    LinkBasis,
    ProgrammeLineKind,
)
from policy.models.base import (
    Publishable,
    link_basis_field,
    numbered_constraints,
    state_constraint,
)
from policy.models.findings import Report, ReportItem, report_field
from policy.models.reference import MigrantGroup, PolicyTheme
from registry.models import (
    ProvenanceFields,
    municipality_field,
    provenance_constraint,
    section_field,
    year_constraint,
)


class Indicator(Publishable, ProvenanceFields):
    """A measured value, against a target where there is one."""

    municipality = municipality_field("indicators")
    slug = models.SlugField(_("key"), max_length=80)
    label = models.CharField(_("indicator"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    reference_text = models.CharField(
        _("reference date as the document gives it"),
        max_length=120,
        blank=True,
        help_text=_("Where there is no day: the document's words, such as “anno 2025”."),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_label = models.CharField(
        _("what the target is"),
        max_length=200,
        blank=True,
        help_text=_("In the document's words, such as “(verlaagde) inspanningsverplichting”."),
    )
    target_reference_date = models.DateField(
        _("reference date of the target"), null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    groups = models.ManyToManyField(MigrantGroup, blank=True, verbose_name=_("migrant groups"))
    report = models.ForeignKey(Report, on_delete=models.PROTECT, verbose_name=_("source report"))
    source_section = section_field()
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["municipality__name", "year", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug", "year"], name="indicator_unique_key"
            ),
            year_constraint("indicator_year_range"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & (Q(target__isnull=True) | Q(target__gte=0)),
                name="indicator_nonnegative",
            ),
            choices_constraint("unit", IndicatorUnit, name="indicator_unit_valid"),
            provenance_constraint("indicator_provenance_valid"),
            state_constraint("indicator_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.label} ({self.year})"


class ProgrammeLine(ReportItem):
    """A line of a municipal programme, such as Aalsmeer's labour-migrant programme."""

    report = report_field("programme_lines")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeLineKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    progress = models.TextField(_("progress"), blank=True)
    themes = models.ManyToManyField(PolicyTheme, blank=True, verbose_name=_("themes"))
    source_section = section_field()
    progress_basis = link_basis_field(
        _("progress attached by"),
        default=LinkBasis.DOCUMENT,
        help_text=_("Whether the document itself attaches this progress to the line."),
    )
    unique_clashes = {
        ("report", "kind", "number"): (
            "number",
            _("This report already has a line of this kind with number %(number)s."),
        )
    }

    class Meta:
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        ordering = ["report", "kind", "number"]
        constraints = [
            *numbered_constraints("programmeline", fields=("report", "kind", "number")),
            choices_constraint("kind", ProgrammeLineKind, name="programmeline_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}: {self.title}"


class ContextNote(ReportItem):
    """Background from national documents, such as the ACVZ's themes."""

    report = report_field("context_notes")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    themes = models.ManyToManyField(PolicyTheme, blank=True, verbose_name=_("themes"))
    groups = models.ManyToManyField(MigrantGroup, blank=True, verbose_name=_("migrant groups"))
    source_section = section_field()
    placement = models.CharField(
        _("shown on"),
        max_length=20,
        choices=ContextPlacement.choices,
        default=ContextPlacement.PROGRAMME,
    )

    class Meta(ReportItem.Meta):
        verbose_name = _("context note")
        verbose_name_plural = _("context notes")
        constraints = numbered_constraints("contextnote")

    def __str__(self) -> str:
        return self.title
