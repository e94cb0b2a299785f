from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from migrantportal.model_fields import user_field
from registry.models import Municipality, municipality_field


class Profile(models.Model):
    """What the portal knows of a user beyond the login: their council and party group, and
    for staff the municipalities they act for (migrantportal.access reads `works_for`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_profile",
        verbose_name=_("user"),
    )
    municipality = municipality_field(
        None,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("The dashboards open on this municipality."),
    )
    works_for = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("works for"),
        help_text=_(
            "Staff only: the municipalities whose findings, matrix, follow-up, rounds, "
            "snapshots, profiles and figures this user may change. Empty: nothing."
        ),
    )
    party_group = models.CharField(_("party group (fractie)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)


class MeetingSnapshot(models.Model):
    """A debate pack frozen for a council meeting: what the figures and findings were then."""

    municipality = municipality_field("meeting_snapshots")
    title = models.CharField(_("title"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    agenda_item = models.CharField(_("agenda item"), max_length=200)
    include = models.JSONField(_("contents"), default=list)
    content = models.JSONField(_("frozen content"))
    created_by = user_field(_("frozen by"), related_name="+")
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting snapshot")
        verbose_name_plural = _("meeting snapshots")
        ordering = ["-meeting_date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.meeting_date}: {self.title}"
