"""View decorators for the roles of docs/architecture.md.

Anonymous visitors are sent to the login page; a signed-in user without the
permission gets 403, not a login loop.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required


def permission_needed(*permissions: str) -> Callable:
    def decorate(view: Callable) -> Callable:
        return login_required(permission_required(permissions, raise_exception=True)(view))

    return decorate
