"""Recommendations and the dated steps of their follow-up."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from migrantportal.model_fields import choices_constraint, user_field
from policy.constants import (
    Acceptance,
    Addressee,
    RecommendationStatus,
    StatusReporter,
)
from policy.models.base import link_basis_field, numbered_constraints
from policy.models.findings import AttentionPoint, Conclusion, ReportItem, report_field
from policy.rules import FOLLOWUP_FIELDS, recommendation_followup_errors, status_change_errors
from registry.models import section_field


def acceptance_field(verbose_name) -> models.CharField:
    """How far the council or the college accepts a recommendation; pending until it says."""
    return models.CharField(
        verbose_name, max_length=10, choices=Acceptance.choices, default=Acceptance.PENDING
    )


class Recommendation(ReportItem):
    report = report_field("recommendations")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("recommendation"), max_length=600)
    explanation = models.TextField(_("explanation"), blank=True)
    addressee = models.CharField(_("addressed to"), max_length=30, choices=Addressee.choices)
    conclusions = models.ManyToManyField(
        Conclusion,
        blank=True,
        related_name="recommendations",
        verbose_name=_("follows from conclusions"),
    )
    attention_points = models.ManyToManyField(
        AttentionPoint,
        blank=True,
        related_name="recommendations",
        verbose_name=_("concerns attention points"),
    )
    conclusions_basis = link_basis_field(_("links to conclusions made by"))
    attention_points_basis = link_basis_field(_("links to attention points made by"))
    beeldvorming_on = models.DateField(_("beeldvorming (image forming)"), null=True, blank=True)
    oordeelsvorming_on = models.DateField(
        _("oordeelsvorming (opinion forming)"), null=True, blank=True
    )
    besluitvorming_on = models.DateField(_("besluitvorming (decision)"), null=True, blank=True)
    # A provisional planning (voorlopige planning) is not a meeting held or a decision
    # taken: it is kept apart from the dates above, which are what happened.
    beeldvorming_planned = models.CharField(
        _("beeldvorming, as planned"),
        max_length=40,
        blank=True,
        help_text=_("What the planning says where it gives no date, such as “n.v.t.”."),
    )
    oordeelsvorming_planned_on = models.DateField(
        _("oordeelsvorming, provisional planning"), null=True, blank=True
    )
    besluitvorming_planned_on = models.DateField(
        _("besluitvorming, provisional planning"), null=True, blank=True
    )
    route_source = models.CharField(
        _("source of the council route"),
        max_length=300,
        blank=True,
        help_text=_("The document the route and its planning come from, if not the report."),
    )
    route_note = models.TextField(_("note on the council route"), blank=True)
    council_acceptance = acceptance_field(_("council's decision"))
    college_acceptance = acceptance_field(_("college's response"))
    college_responded_on = models.DateField(_("college responded on"), null=True, blank=True)
    plan_received_on = models.DateField(
        _("plan of approach received on"),
        null=True,
        blank=True,
        help_text=_("The college's plan is due within six months of the council's decision."),
    )
    source_section = section_field()
    history = HistoricalRecords(m2m_fields=[conclusions, attention_points])

    class Meta(ReportItem.Meta):
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            *numbered_constraints("recommendation"),
            choices_constraint("addressee", Addressee, name="recommendation_addressee_valid"),
            models.CheckConstraint(
                condition=Q(oordeelsvorming_on__isnull=True)
                | Q(besluitvorming_on__isnull=True)
                | Q(oordeelsvorming_on__lte=F("besluitvorming_on")),
                name="recommendation_route_in_order",
            ),
            models.CheckConstraint(
                condition=Q(council_acceptance__in=Acceptance.values)
                & Q(college_acceptance__in=Acceptance.values),
                name="recommendation_acceptance_valid",
            ),
        ]

    def clean(self) -> None:
        # Here rather than in a form, so the admin and the demo loader keep the rules the
        # follow-up page keeps (that page's service calls the same function).
        super().clean()
        values = {name: getattr(self, name) for name in FOLLOWUP_FIELDS}
        errors = recommendation_followup_errors(values=values, today=timezone.localdate())
        if errors:
            raise ValidationError(errors)


class RecommendationStatusChange(models.Model):
    """One dated step in a recommendation's follow-up; the latest is its status."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("recommendation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RecommendationStatus.choices)
    changed_on = models.DateField(_("date"))
    reported_by = models.CharField(
        _("reported by"),
        max_length=20,
        choices=StatusReporter.choices,
        default=StatusReporter.AUDIT_OFFICE,
    )
    note = models.TextField(_("note"), blank=True)
    created_by = user_field(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["recommendation", "changed_on", "id"]
        constraints = [
            choices_constraint("status", RecommendationStatus, name="statuschange_status_valid"),
            choices_constraint("reported_by", StatusReporter, name="statuschange_reporter_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.changed_on}: {self.get_status_display()}"

    def clean(self) -> None:
        super().clean()
        # On the admin's add page the recommendation (or its report) is not chosen yet.
        recommendation = getattr(self, "recommendation", None)
        report = getattr(recommendation, "report", None)
        errors = status_change_errors(
            changed_on=self.changed_on,
            report_date=report.dated_on if report is not None else None,
            report_year=report.year if report is not None else None,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)
