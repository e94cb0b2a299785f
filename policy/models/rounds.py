"""Prioritisation rounds and the council members' ballots."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from migrantportal.model_fields import choices_constraint, user_field
from policy.constants import (
    BallotMethod,
    RoundState,
)
from policy.models.findings import AttentionPoint
from registry.constants import YEAR_MAX, YEAR_MIN
from registry.models import municipality_field


class PrioritisationRound(models.Model):
    """The council ranks attention points for a period; opened and closed by the clerk."""

    municipality = municipality_field("rounds")
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
    created_by = user_field(_("opened by"), related_name="+")
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
            choices_constraint("state", RoundState, name="round_state_valid"),
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
