"""Field definitions that models in several apps declare alike."""

from django.conf import settings
from django.db import models


def user_field(verbose_name, *, related_name: str | None = None) -> models.ForeignKey:
    """The user who did something to a row; kept (emptied) when the user is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )
