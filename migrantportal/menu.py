"""Which parts of the portal a user's menu offers, from their permissions.

Cached dashboard pages are shared by every visitor with the same menu, so the
menu must depend on nothing but this set (and the staff flag).
"""

from django.contrib.auth.models import AnonymousUser, User

MENU_PERMISSIONS = {
    "edit": "policy.change_attentionpoint",
    "rounds": "policy.change_prioritisationround",
    "snapshots": "dashboards.add_meetingsnapshot",
}


def menu_for(*, user: User | AnonymousUser) -> frozenset[str]:
    """The menu entries beyond the dashboards that this user may use."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "portal_menu", None)
    if cached is not None:
        return cached
    granted = user.get_all_permissions()
    menu = frozenset(
        entry
        for entry, permission in MENU_PERMISSIONS.items()
        if user.is_superuser or permission in granted
    )
    user.portal_menu = menu
    return menu


def menu_signature(*, user: User | AnonymousUser) -> str:
    """A short name for the kind of visitor, for cache keys of whole pages."""
    if not user.is_authenticated:
        return "public"
    staff = "staff" if user.is_staff else "member"
    return "-".join([staff, *sorted(menu_for(user=user))])
