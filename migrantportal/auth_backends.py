"""Django's model backend, with each signed-in user's row kept in the cache.

Every page of a signed-in user loads the user; on a cached dashboard page that
query was half of the request's time. The row is kept for a short while and
dropped at once when the user changes through the ORM (see
`user_cache_forget`); a bulk update that bypasses the ORM's signals is seen
within USER_CACHE_SECONDS. Passwords are checked by Django as ever: a changed
password still ends the other sessions, because the cached row is dropped.

The user travels with its permissions and menu (see `migrantportal.menu`):
adding a user to or removing one from a group drops the cached row too; a
change to a group's own permissions is seen within USER_CACHE_SECONDS.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from migrantportal.menu import menu_for

USER_CACHE_SECONDS = 60


def _key(user_id) -> str:
    return f"auth:user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = cache.get(_key(user_id))
        if user is None:
            user = super().get_user(user_id)  # None for an unknown or inactive user
            if user is not None:
                menu_for(user=user)  # reads the permissions once, kept with the user
                cache.set(_key(user_id), user, timeout=USER_CACHE_SECONDS)
            return user
        return user if self.user_can_authenticate(user) else None


def user_cache_forget(*, user_id) -> None:
    cache.delete(_key(user_id))
