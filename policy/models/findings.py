"""Reports and the findings in them: the matrix, attention points and conclusions."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from migrantportal.model_fields import choices_constraint
from policy.constants import (
    LegalPosition,
    PolicyStatus,
    ReportKind,
    UnusedRoom,
)
from policy.models.base import (
    NUMBER_TAKEN,
    Publishable,
    link_basis_field,
    numbered_constraints,
    state_constraint,
)
from policy.models.reference import MigrantGroup, PolicyTheme
from policy.rules import unused_room_basis
from registry.models import municipality_field, section_field, year_constraint


class Report(Publishable):
    """A rekenkamer study or a council document."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    municipality = municipality_field(
        "reports",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty for national documents."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind.choices)
    author = models.CharField(_("author"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    published_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty where the document gives no day.")
    )
    date_text = models.CharField(
        _("date as the document gives it"),
        max_length=100,
        blank=True,
        help_text=_("Where the document gives no day, what it does give, such as “juni 2025”."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    related_report = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="related_documents",
        verbose_name=_("about report"),
        help_text=_("For a council proposal: the report it puts before the council."),
    )
    matrix_note = models.TextField(
        _("note beside the policy matrix"),
        blank=True,
        help_text=_("What the report says readers should know when reading its matrix."),
    )
    matrix_note_section = section_field(_("its page or section"))
    conclusions_preamble = models.TextField(
        _("preamble to the conclusions"),
        blank=True,
        help_text=_("The report's own words above its conclusions."),
    )
    conclusions_preamble_section = section_field(_("its page or section"))
    programme_adopted_on = models.DateField(
        _("programme adopted on"),
        null=True,
        blank=True,
        help_text=_("The day the council adopted the programme, where the document says so."),
    )
    programme_period = models.CharField(_("programme period"), max_length=40, blank=True)
    programme_next_step = models.TextField(
        _("next step announced"),
        blank=True,
        help_text=_("What the document announces next, in its words (a plan, not a date)."),
    )
    programme_section = section_field(_("page or section of the programme facts"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "title"]
        permissions = [
            (
                "change_national_report",
                _("Can write national reports (without a municipality) and their findings"),
            )
        ]
        constraints = [
            year_constraint("report_year_range"),
            choices_constraint("kind", ReportKind, name="report_kind_valid"),
            state_constraint("report_state_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def dated_on(self) -> date | None:
        """The report's date; None where the document gives no day (never a placeholder)."""
        return self.published_on


def report_field(related_name: str) -> models.ForeignKey:
    """The report an item belongs to; the item goes when the report goes."""
    return models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name=related_name, verbose_name=_("report")
    )


class ReportItem(Publishable):
    """A numbered part of a report (attention point, conclusion, recommendation, programme
    line, context note): shown only while its report is published."""

    shown_with_report = True
    unique_clashes = {("report", "number"): NUMBER_TAKEN}

    class Meta:
        abstract = True
        ordering = ["report", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PolicyCell(Publishable):
    """One cell of the policy matrix: municipality × migrant group × theme."""

    municipality = municipality_field("policy_cells")
    group = models.ForeignKey(MigrantGroup, on_delete=models.PROTECT, verbose_name=_("group"))
    theme = models.ForeignKey(PolicyTheme, on_delete=models.PROTECT, verbose_name=_("theme"))
    legal_position = models.CharField(
        _("legal position"), max_length=20, choices=LegalPosition.choices
    )
    policy_status = models.CharField(
        _("current specific policy"), max_length=20, choices=PolicyStatus.choices
    )
    note = models.TextField(_("note"), blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source report")
    )
    source_section = section_field()
    uncertain = models.BooleanField(
        _("uncertain reading"),
        default=False,
        help_text=_("The cell's values could not be read from the document with certainty."),
    )
    uncertain_reason = models.CharField(
        _("why uncertain (shown to readers)"), max_length=400, blank=True
    )
    source_reading = models.TextField(
        _("source account (bronverantwoording)"),
        blank=True,
        help_text=_(
            "Internal: how the cell was read from the document. Seen by audit-office staff "
            "only; never shown to council members or exported."
        ),
    )
    unused_room = models.CharField(
        _("unused policy room"),
        max_length=20,
        choices=UnusedRoom.choices,
        default=UnusedRoom.RULE,
    )
    unused_room_source = models.CharField(
        _("unused room: the report's words or the editors' reason"),
        max_length=400,
        blank=True,
    )
    unique_clashes = {
        ("municipality", "group", "theme"): (
            "theme",
            _("This municipality's matrix already has a cell for this group and theme."),
        )
    }
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy matrix cell")
        verbose_name_plural = _("policy matrix cells")
        ordering = ["municipality__name", "group__order", "theme__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "group", "theme"], name="policycell_unique_key"
            ),
            choices_constraint(
                "legal_position", LegalPosition, name="policycell_legal_position_valid"
            ),
            choices_constraint(
                "policy_status", PolicyStatus, name="policycell_policy_status_valid"
            ),
            choices_constraint("unused_room", UnusedRoom, name="policycell_unused_room_valid"),
            # An uncertain cell tells readers why; a marking not by the rule says on whose word.
            models.CheckConstraint(
                condition=Q(uncertain=False) | ~Q(uncertain_reason=""),
                name="policycell_uncertain_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(unused_room=UnusedRoom.RULE) | ~Q(unused_room_source=""),
                name="policycell_unused_room_has_source",
            ),
            state_constraint("policycell_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.group} × {self.theme}"

    @property
    def unused_room_basis(self) -> str | None:
        """Who marks this cell as unused room (UnusedRoomBasis), or None where nobody does."""
        return unused_room_basis(
            unused_room=self.unused_room,
            legal_position=self.legal_position,
            policy_status=self.policy_status,
        )


class AttentionPoint(ReportItem):
    report = report_field("attention_points")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    groups = models.ManyToManyField(MigrantGroup, verbose_name=_("migrant groups"), blank=True)
    theme = models.ForeignKey(
        PolicyTheme, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("theme")
    )
    source_section = section_field()
    history = HistoricalRecords(m2m_fields=[groups])

    class Meta(ReportItem.Meta):
        verbose_name = _("attention point")
        verbose_name_plural = _("attention points")
        constraints = numbered_constraints("attentionpoint")


class Conclusion(ReportItem):
    report = report_field("conclusions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=400)
    explanation = models.TextField(_("explanation"), blank=True)
    attention_points = models.ManyToManyField(
        AttentionPoint,
        blank=True,
        related_name="conclusions",
        verbose_name=_("rests on attention points"),
    )
    attention_points_basis = link_basis_field(_("links to attention points made by"))
    source_section = section_field()
    history = HistoricalRecords(m2m_fields=[attention_points])

    class Meta(ReportItem.Meta):
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = numbered_constraints("conclusion")
