"""The audit office's findings and the municipality's policy, as data.

Reports hold numbered attention points, conclusions and recommendations; the
policy matrix holds, per municipality, group and theme, what the law requires
and what the municipality does now.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from policy.constants import (
    Acceptance,
    Addressee,
    BallotMethod,
    IndicatorUnit,
    LegalPosition,
    PolicyStatus,
    ProgrammeLineKind,
    PublicationState,
    RecommendationStatus,
    ReportKind,
    RoundState,
    StatusReporter,
)
from registry.constants import YEAR_MAX, YEAR_MIN
from registry.models import Motive, Municipality

_YEAR_IN_RANGE = Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX)


class BilingualLabelMixin(models.Model):
    """Reference data that clerks may extend, so its labels live in the database."""

    label_nl = models.CharField(_("label (Dutch)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "nl").startswith("en") else self.label_nl


class Publishable(models.Model):
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )

    class Meta:
        abstract = True


def _state_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(state__in=PublicationState.values), name=name)


class MigrantGroup(BilingualLabelMixin):
    slug = models.SlugField(_("key"), max_length=40, unique=True)
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, verbose_name=_("motive"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("migrant group")
        verbose_name_plural = _("migrant groups")
        ordering = ["order", "slug"]


class PolicyTheme(BilingualLabelMixin):
    slug = models.SlugField(_("key"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    in_matrix = models.BooleanField(
        _("column of the policy matrix"),
        default=True,
        help_text=_("Off for themes used only to label findings and programme lines."),
    )

    class Meta:
        verbose_name = _("policy theme")
        verbose_name_plural = _("policy themes")
        ordering = ["order", "slug"]


class Report(Publishable):
    """A rekenkamer study or a council document."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("municipality"),
        help_text=_("Empty for national documents."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind.choices)
    author = models.CharField(_("author"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    published_on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Empty where the document gives no day.")
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=_YEAR_IN_RANGE, name="report_year_range"),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="report_kind_valid"
            ),
            _state_constraint("report_state_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class PolicyCell(Publishable):
    """One cell of the policy matrix: municipality × migrant group × theme."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="policy_cells",
        verbose_name=_("municipality"),
    )
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
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy matrix cell")
        verbose_name_plural = _("policy matrix cells")
        ordering = ["municipality__name", "group__order", "theme__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "group", "theme"], name="policycell_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(legal_position__in=LegalPosition.values),
                name="policycell_legal_position_valid",
            ),
            models.CheckConstraint(
                condition=Q(policy_status__in=PolicyStatus.values),
                name="policycell_policy_status_valid",
            ),
            _state_constraint("policycell_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.group} × {self.theme}"


class AttentionPoint(Publishable):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attention_points", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    groups = models.ManyToManyField(MigrantGroup, verbose_name=_("migrant groups"), blank=True)
    theme = models.ForeignKey(
        PolicyTheme, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("theme")
    )
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[groups])

    class Meta:
        verbose_name = _("attention point")
        verbose_name_plural = _("attention points")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="attentionpoint_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="attentionpoint_number_positive"
            ),
            _state_constraint("attentionpoint_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Conclusion(Publishable):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="conclusions", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=400)
    explanation = models.TextField(_("explanation"), blank=True)
    attention_points = models.ManyToManyField(
        AttentionPoint,
        blank=True,
        related_name="conclusions",
        verbose_name=_("rests on attention points"),
    )
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[attention_points])

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="conclusion_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="conclusion_number_positive"),
            _state_constraint("conclusion_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Recommendation(Publishable):
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("report")
    )
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
    beeldvorming_on = models.DateField(_("beeldvorming (image forming)"), null=True, blank=True)
    oordeelsvorming_on = models.DateField(
        _("oordeelsvorming (opinion forming)"), null=True, blank=True
    )
    besluitvorming_on = models.DateField(_("besluitvorming (decision)"), null=True, blank=True)
    route_note = models.TextField(_("note on the council route"), blank=True)
    council_acceptance = models.CharField(
        _("council's decision"),
        max_length=10,
        choices=Acceptance.choices,
        default=Acceptance.PENDING,
    )
    college_acceptance = models.CharField(
        _("college's response"),
        max_length=10,
        choices=Acceptance.choices,
        default=Acceptance.PENDING,
    )
    college_responded_on = models.DateField(_("college responded on"), null=True, blank=True)
    plan_received_on = models.DateField(
        _("plan of approach received on"),
        null=True,
        blank=True,
        help_text=_("The college's plan is due within six months of the council's decision."),
    )
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[conclusions, attention_points])

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="recommendation_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="recommendation_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(addressee__in=Addressee.values), name="recommendation_addressee_valid"
            ),
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
            _state_constraint("recommendation_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["recommendation", "changed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="statuschange_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(reported_by__in=StatusReporter.values),
                name="statuschange_reporter_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.changed_on}: {self.get_status_display()}"


class Indicator(Publishable):
    """A measured value, against a target where there is one."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("municipality"),
    )
    slug = models.SlugField(_("key"), max_length=80)
    label = models.CharField(_("indicator"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=IndicatorUnit.choices)
    groups = models.ManyToManyField(MigrantGroup, blank=True, verbose_name=_("migrant groups"))
    report = models.ForeignKey(Report, on_delete=models.PROTECT, verbose_name=_("source report"))
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["municipality__name", "year", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug", "year"], name="indicator_unique_key"
            ),
            models.CheckConstraint(condition=_YEAR_IN_RANGE, name="indicator_year_range"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & (Q(target__isnull=True) | Q(target__gte=0)),
                name="indicator_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=IndicatorUnit.values), name="indicator_unit_valid"
            ),
            _state_constraint("indicator_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.label} ({self.year})"


class ProgrammeLine(Publishable):
    """A line of a municipal programme, such as Aalsmeer's labour-migrant programme."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="programme_lines", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeLineKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    progress = models.TextField(_("progress"), blank=True)
    themes = models.ManyToManyField(PolicyTheme, blank=True, verbose_name=_("themes"))
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme line")
        verbose_name_plural = _("programme lines")
        ordering = ["report", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "number"], name="programmeline_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="programmeline_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProgrammeLineKind.values), name="programmeline_kind_valid"
            ),
            _state_constraint("programmeline_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}: {self.title}"


class ContextNote(Publishable):
    """Background from national documents, such as the ACVZ's themes."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="context_notes", verbose_name=_("report")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    themes = models.ManyToManyField(PolicyTheme, blank=True, verbose_name=_("themes"))
    groups = models.ManyToManyField(MigrantGroup, blank=True, verbose_name=_("migrant groups"))
    source_section = models.CharField(_("page or section"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("context note")
        verbose_name_plural = _("context notes")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="contextnote_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="contextnote_number_positive"),
            _state_constraint("contextnote_state_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class PrioritisationRound(models.Model):
    """The council ranks attention points for a period; opened and closed by the clerk."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="rounds",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("from year"))
    period_end = models.PositiveSmallIntegerField(_("to year"))
    method = models.CharField(_("method"), max_length=10, choices=BallotMethod.choices)
    points_budget = models.PositiveSmallIntegerField(
        _("points per member"), null=True, blank=True, help_text=_("Only for the points method.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT
    )
    closes_at = models.DateTimeField(_("closes at"))
    attention_points = models.ManyToManyField(
        AttentionPoint, related_name="rounds", verbose_name=_("attention points")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    result = models.JSONField(
        _("result"),
        null=True,
        blank=True,
        help_text=_("Kept when the round closes: method, date, ballots and scores."),
    )

    class Meta:
        verbose_name = _("prioritisation round")
        verbose_name_plural = _("prioritisation rounds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end"))
                & Q(period_start__gte=YEAR_MIN)
                & Q(period_end__lte=YEAR_MAX),
                name="round_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(method=BallotMethod.RANKING, points_budget__isnull=True)
                | Q(method=BallotMethod.POINTS, points_budget__isnull=False, points_budget__gte=1),
                name="round_points_budget_matches_method",
            ),
            models.CheckConstraint(
                condition=Q(state__in=RoundState.values), name="round_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=RoundState.CLOSED)
                | Q(closed_at__isnull=False, result__isnull=False),
                name="round_closed_keeps_result",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    round = models.ForeignKey(
        PrioritisationRound,
        on_delete=models.CASCADE,
        related_name="ballots",
        verbose_name=_("round"),
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("council member")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.voter}"


class BallotEntry(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="entries", verbose_name=_("ballot")
    )
    attention_point = models.ForeignKey(
        AttentionPoint, on_delete=models.CASCADE, verbose_name=_("attention point")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot entry")
        verbose_name_plural = _("ballot entries")
        ordering = ["ballot", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "attention_point"], name="ballotentry_unique_point"
            ),
            models.UniqueConstraint(
                fields=["ballot", "rank"],
                condition=Q(rank__isnull=False),
                name="ballotentry_unique_rank",
            ),
            models.CheckConstraint(
                condition=(Q(rank__isnull=False) & Q(rank__gte=1) & Q(points__isnull=True))
                | (Q(rank__isnull=True) & Q(points__isnull=False) & Q(points__gte=0)),
                name="ballotentry_rank_or_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.attention_point_id}"
