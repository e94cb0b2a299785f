"""What the policy models share: bilingual labels and publication state."""

from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from migrantportal.model_fields import choices_constraint
from policy.constants import (
    LinkBasis,
    PublicationState,
)
from registry.models import Municipality


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

    # Per unique constraint of several fields: the field an editor changes to resolve a
    # clash, and what it says there. Django would put a generic message above the form.
    unique_clashes: ClassVar[dict[tuple[str, ...], tuple[str, str]]] = {}

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def unique_error_message(self, model_class, unique_check) -> ValidationError:
        if tuple(unique_check) not in self.unique_clashes:
            return super().unique_error_message(model_class, unique_check)
        field, message = self.unique_clashes[tuple(unique_check)]
        params = {"field": field, "number": getattr(self, "number", None)}
        return ValidationError(message, code="unique_clash", params=params)

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            for problem in errors.pop(NON_FIELD_ERRORS, []):
                field = problem.params["field"] if problem.code == "unique_clash" else None
                errors.setdefault(field or NON_FIELD_ERRORS, []).append(problem)
            raise ValidationError(errors) from None


NUMBER_TAKEN = ("number", _("This report already has number %(number)s."))


def state_constraint(name: str) -> models.CheckConstraint:
    return choices_constraint("state", PublicationState, name=name)


def numbered_constraints(
    name: str, *, fields: tuple[str, ...] = ("report", "number")
) -> list[models.BaseConstraint]:
    """A report's numbered item: its number is unique within `fields` and counts from 1.

    `name` prefixes the constraint names, as the model's lower-case name does elsewhere.
    """
    return [
        models.UniqueConstraint(fields=list(fields), name=f"{name}_unique_number"),
        models.CheckConstraint(condition=Q(number__gte=1), name=f"{name}_number_positive"),
        state_constraint(f"{name}_state_valid"),
    ]


def link_basis_field(
    verbose_name, *, default: str = LinkBasis.EDITORS, help_text: str = ""
) -> models.CharField:
    """Whether links (or attached passages) are the document's own or the editors' reading."""
    return models.CharField(
        verbose_name,
        max_length=10,
        choices=LinkBasis.choices,
        default=default,
        help_text=help_text,
    )
