"""Request-level security: client addresses, idle sessions, two-factor for staff."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SESSION_REFRESHED_KEY = "_refreshed_at"
# Sliding the expiry forward writes the session; once a minute is precise
# enough for an idle limit counted in minutes.
SESSION_REFRESH_SECONDS = 60


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the address the trusted proxies saw.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so with N trusted proxies the Nth entry from the right is
    the one no client can forge.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def two_factor_required(*, user) -> bool:
    return settings.STAFF_TWO_FACTOR and user.is_authenticated and user.is_staff


class SessionIdleTimeoutMiddleware:
    """Keep a signed-in session alive while used; it ends SESSION_COOKIE_AGE after the last use.

    Django stores the expiry when it saves a session; marking the session
    modified now and then moves the expiry forward without a write per request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) is not None:
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED_KEY, 0) >= SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return self.get_response(request)


def session_mark_fresh(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: a login saves the session, so the next minute needs no save."""
    request.session[SESSION_REFRESHED_KEY] = int(time.time())


class StaffTwoFactorMiddleware:
    """With STAFF_TWO_FACTOR on, a staff session without a verified second factor ends.

    The login form asks staff for the code; this catches sessions that began
    before the setting was switched on, or through another login path.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if two_factor_required(user=user) and not user.is_verified():
            logout(request)
            messages.warning(
                request,
                _("Staff members log in with a verification code. Please log in again."),
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every answer to a signed-in user is private and never stored.

    Pages and downloads for a signed-in user can hold what only staff may see or a
    member's own ballot; a shared proxy or the browser's back-forward cache on a
    council laptop must not keep them. Anonymous answers (the login page, public
    municipalities' dashboards) keep whatever their view decided, and so does an answer
    its view marks `public_asset` (a municipality's theme stylesheet: colours anyone
    may see, the same for every visitor).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        public = getattr(response, "public_asset", False)
        if user is not None and user.is_authenticated and not public:
            add_never_cache_headers(response)
        return response


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """django-axes' answer to a locked-out login: a page that says why and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
