"""Who may do what: the view decorators for the roles of docs/architecture.md, and the
municipalities a staff user acts for.

Anonymous visitors are sent to the login page; a signed-in user without the
permission gets 403, not a login loop.

A staff user's profile (`user.portal_profile`, in the dashboards app) names the
municipalities they work for (`works_for`). It is read here by attribute, so the
lower apps (policy, registry) ask this module rather than import the profile:
policy and registry code calls `municipality_scope_check` before it writes.
Superusers, and the operator on the command line (no user), act everywhere; a
staff user whose profile names no municipality may read but write nothing.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _


def permission_needed(*permissions: str) -> Callable:
    def decorate(view: Callable) -> Callable:
        return login_required(permission_required(permissions, raise_exception=True)(view))

    return decorate


class OutsideScopeError(PermissionDenied):
    """The write touches a municipality (or a national document) the user does not act for.

    A PermissionDenied, so a view that lets it pass answers 403; `message` says why, in
    the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def user_municipality_ids(*, user) -> frozenset[int] | None:
    """The ids of the municipalities `user` works for; None for everywhere (a superuser,
    or no user: the operator on the command line). Kept on the user object for the
    request, so a page asks the database once."""
    if user is None or getattr(user, "is_superuser", False):
        return None
    cached = getattr(user, "_works_for_ids", None)
    if cached is not None:
        return cached
    profile = getattr(user, "portal_profile", None) if user.is_authenticated else None
    ids = (
        frozenset()
        if profile is None
        else frozenset(profile.works_for.values_list("pk", flat=True))
    )
    user._works_for_ids = ids
    return ids


def user_works_for(
    *, user, municipality_id: int | None, national_permission: str | None = None
) -> bool:
    """Whether `user` may write for the municipality (None: a national document, which
    needs `national_permission`)."""
    try:
        municipality_scope_check(
            user=user, municipality_ids=[municipality_id], national_permission=national_permission
        )
    except OutsideScopeError:
        return False
    return True


def municipality_scope_check(
    *,
    user,
    municipality_ids: Iterable[int | None],
    national_permission: str | None = None,
    everywhere_permission: str | None = None,
) -> None:
    """Refuse, with OutsideScopeError, a write that touches a municipality `user` does
    not work for. None among `municipality_ids` stands for a national document: allowed
    only with `national_permission` (never when none is named). `everywhere_permission`,
    when the user has it, allows every municipality (the clerk's national import)."""
    wanted = set(municipality_ids)
    scope = user_municipality_ids(user=user)
    if scope is None:
        return
    if None in wanted:
        if not (national_permission and user.has_perm(national_permission)):
            raise OutsideScopeError(
                _(
                    "This is a national document; changing it needs the permission for "
                    "national reports. Ask the administrator."
                )
            )
        wanted.discard(None)
    if not wanted or (everywhere_permission and user.has_perm(everywhere_permission)):
        return
    if not scope:
        raise works_for_nothing_error()
    outside = wanted - scope
    if outside:
        raise OutsideScopeError(
            _(
                "This belongs to a municipality you do not work for (%(names)s); you may "
                "change only what belongs to the municipalities in your profile."
            )
            % {"names": _municipality_names(outside)}
        )


def works_for_nothing_error() -> OutsideScopeError:
    """The refusal for a staff user whose profile names no municipality: whom to ask."""
    return OutsideScopeError(
        _(
            "Your profile names no municipality you work for, so you cannot change "
            "anything yet. Ask the clerk or the administrator to add your municipalities."
        )
    )


def _municipality_names(ids: set[int]) -> str:
    from django.apps import apps  # the registry's model, without importing the app

    model = apps.get_model("registry", "Municipality")
    return ", ".join(
        model.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
    )


def queryset_in_scope(
    *, user, queryset: QuerySet, path: str, national_permission: str | None = None
) -> QuerySet:
    """The rows of `queryset` whose municipality (at lookup `path`) `user` may write for;
    rows without one (national documents) only with `national_permission`."""
    scope = user_municipality_ids(user=user)
    if scope is None:
        return queryset
    condition = Q(**{f"{path}__in": scope})
    if national_permission and user.has_perm(national_permission):
        condition |= Q(**{f"{path}__isnull": True})
    return queryset.filter(condition)
