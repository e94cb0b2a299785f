import datetime
import sys

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView, redirect_to_login
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from migrantportal.access import OutsideScopeError
from migrantportal.forms import LoginForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboards:overview")
    return redirect("login")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 while the database answers, 503 otherwise; for load balancers."""
    if not _database_answers():
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: whether the database and the cache answer, each on its own.

    503 while the database is down (nothing can be served); 200 with the cache down,
    since the portal serves without it, slower, but says so for the operator.
    """
    database = _database_answers()
    cache_ok = _cache_answers()
    body = {
        "status": "ok" if database and cache_ok else ("degraded" if database else "unavailable"),
        "database": "ok" if database else "unreachable",
        "cache": "ok" if cache_ok else "unreachable",
    }
    return JsonResponse(body, status=200 if database else 503)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def _cache_answers() -> bool:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        return ping()
    # The in-process cache of development and tests: asked the same way as Redis would be.
    key = "readyz-probe"
    cache.set(key, True, timeout=5)
    return cache.get(key) is True


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page says; send them to the real one.
    return redirect(staticfiles_storage.url("favicon.svg"), permanent=True)


class PortalLoginView(LoginView):
    """One login page for the portal and the admin, throttled by django-axes."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "two_factor": settings.STAFF_TWO_FACTOR}


@require_GET
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login page is replaced by the portal's, so both are throttled alike."""
    if request.user.is_authenticated:
        # Signed in without staff rights: sending them to log in again would loop.
        raise PermissionDenied
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index")))


# The day the statement's text was last checked against the tests it describes.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 28)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The toegankelijkheidsverklaring: public, as the law asks."""
    return render(
        request,
        "accessibility.html",
        {"statement_date": date_format(ACCESSIBILITY_STATEMENT_DATE, "j F Y")},
    )


# Seconds a client is asked to wait when the database is unreachable.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After while the database is unreachable, else 500.

    Runs inside Django's handling of the uncaught exception, so sys.exc_info()
    holds it. Renders without a request context: the database may be down.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        context = {
            "title": _("Temporarily unavailable"),
            "message": _(
                "The portal cannot reach its database just now. Nothing you did caused this "
                "and nothing was lost; try again in a minute."
            ),
        }
        response = HttpResponse(loader.render_to_string("server_error.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    context = {
        "title": _("Something went wrong"),
        "message": _(
            "The portal could not answer this request. The error has been logged; try again "
            "in a moment, and tell the clerk's office (griffie) if it keeps happening."
        ),
    }
    return HttpResponseServerError(loader.render_to_string("server_error.html", context))


def message_page(
    request: HttpRequest, *, title: str, message: str, status: int = 200, back: bool = True
) -> HttpResponse:
    """A page with one title and one message (templates/message.html)."""
    context = {
        "title": title,
        "message": message,
        "back_link": _("Back to the dashboards") if back else "",
    }
    return render(request, "message.html", context, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: a refusal for another municipality says why; other refusals say the role."""
    reason = str(exception) if isinstance(exception, OutsideScopeError) else ""
    return message_page(
        request,
        title=_("No access"),
        message=reason
        or _("Your role does not allow this. Ask the clerk (griffie) if you think it should."),
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404."""
    return message_page(
        request,
        title=_("Not found"),
        message=_("This page does not exist, or is not published."),
        status=404,
    )


def nothing_loaded(request: HttpRequest) -> HttpResponse:
    """A dashboard before any municipality is loaded."""
    return message_page(
        request,
        title=_("Dashboards"),
        message=_(
            "No municipalities have been loaded yet. A clerk can add them and import figures "
            "in the management section."
        ),
        back=False,
    )
