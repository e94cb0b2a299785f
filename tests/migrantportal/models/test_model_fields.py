"""The field and constraint builders models share declare what they did inline."""

from django.db import models
from django.db.models import Q

from migrantportal.model_fields import choices_constraint
from registry.constants import RegionKind


def test_a_choices_constraint_admits_exactly_the_values_of_its_choices():
    constraint = choices_constraint("kind", RegionKind, name="municipality_kind_valid")

    assert constraint == models.CheckConstraint(
        condition=Q(kind__in=RegionKind.values), name="municipality_kind_valid"
    )
