"""What the policy models share: bilingual labels and publication state."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from policy.constants import (
    PublicationState,
)
from registry.constants import YEAR_MAX, YEAR_MIN
from registry.models import Municipality

YEAR_IN_RANGE = Q(year__gte=YEAR_MIN) & Q(year__lte=YEAR_MAX)


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


class PublishableQuerySet(models.QuerySet):
    """What council members may see, and whose municipality it is, named once."""

    def published(self) -> "PublishableQuerySet":
        """Published items; an item inside a report also needs its report published."""
        if self.model.shown_with_report:
            return self.filter(
                state=PublicationState.PUBLISHED, report__state=PublicationState.PUBLISHED
            )
        return self.filter(state=PublicationState.PUBLISHED)

    def for_municipality(self, municipality: Municipality | str) -> "PublishableQuerySet":
        """The items of one municipality, given as a Municipality or its code."""
        path = "report__municipality" if self.model.shown_with_report else "municipality"
        if isinstance(municipality, str):
            return self.filter(**{f"{path}__code": municipality})
        return self.filter(**{path: municipality})


class Publishable(models.Model):
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )

    # True for what a report contains (its points, conclusions, recommendations): a
    # draft report hides them too. Matrix cells and indicators only cite a report.
    shown_with_report: ClassVar[bool] = False

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


def state_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(state__in=PublicationState.values), name=name)
