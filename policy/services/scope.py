"""Staff act on their own municipality: the one rule for every write of a policy item.

An item belongs to a municipality: a report and a matrix cell or indicator directly, what
a report holds through its report, a progress update through its recommendation, a
round directly. A report without a municipality is a national document (the ACVZ
context): it and what it holds need the permission `policy.change_national_report`.
The services call `item_scope_check` before they write, so the editing desk, the admin,
the follow-up pages and the admin's actions all refuse the same writes; the views and the
admin use the selectors below to offer only what the user may change.
"""

from django.db import models

from migrantportal.access import municipality_scope_check, queryset_in_scope, user_works_for
from policy.models import PrioritisationRound, Recommendation, RecommendationStatusChange, Report

NATIONAL_PERMISSION = "policy.change_national_report"


def item_municipality_path(*, model: type[models.Model]) -> str:
    """The lookup from `model` to the municipality it belongs to."""
    if model is RecommendationStatusChange:
        return "recommendation__report__municipality"
    if getattr(model, "shown_with_report", False):
        return "report__municipality"
    return "municipality"


def _national_permission(model: type[models.Model]) -> str | None:
    # A round always has a municipality: its council votes in it.
    return None if model is PrioritisationRound else NATIONAL_PERMISSION


def item_municipality_id(*, instance: models.Model) -> int | None:
    """The municipality `instance` belongs to as it is now (unsaved changes included);
    None for a national document."""
    if isinstance(instance, RecommendationStatusChange):
        return (
            Recommendation.objects.filter(pk=instance.recommendation_id)
            .values_list("report__municipality", flat=True)
            .first()
        )
    if getattr(type(instance), "shown_with_report", False):
        if type(instance).report.is_cached(instance):
            return instance.report.municipality_id if instance.report else None
        return (
            Report.objects.filter(pk=instance.report_id)
            .values_list("municipality", flat=True)
            .first()
        )
    return instance.municipality_id


def item_scope_check(*, user, instance: models.Model) -> None:
    """Refuse, with OutsideScopeError (a PermissionDenied), a write of `instance` by `user`
    unless they work for its municipality: the stored one and the new one, so nothing is
    moved out of, or into, another municipality either."""
    ids = {item_municipality_id(instance=instance)}
    if instance.pk is not None:
        path = item_municipality_path(model=type(instance))
        stored = type(instance).objects.filter(pk=instance.pk).values_list(path, flat=True)
        ids.update(stored)
    municipality_scope_check(
        user=user, municipality_ids=ids, national_permission=_national_permission(type(instance))
    )


def item_in_scope(*, user, instance: models.Model) -> bool:
    """Whether `user` may change `instance` where it is."""
    return user_works_for(
        user=user,
        municipality_id=item_municipality_id(instance=instance),
        national_permission=_national_permission(type(instance)),
    )


def items_in_scope(*, user, queryset: models.QuerySet) -> models.QuerySet:
    """The items of `queryset` that `user` may change."""
    return queryset_in_scope(
        user=user,
        queryset=queryset,
        path=item_municipality_path(model=queryset.model),
        national_permission=_national_permission(queryset.model),
    )


def reports_in_scope(*, user) -> models.QuerySet:
    """The reports `user` may write in (and cite, and add findings to)."""
    return items_in_scope(user=user, queryset=Report.objects.all())
