"""Field and constraint definitions that models in several apps declare alike."""

from django.conf import settings
from django.db import models
from django.db.models import Q


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


def choices_constraint(
    field: str, choices: type[models.Choices], *, name: str
) -> models.CheckConstraint:
    """The database, not only a form, refuses a value of `field` that `choices` lacks."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)
