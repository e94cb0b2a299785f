"""Thin views: read the filters, ask the selectors, render or download."""

import json
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards import selectors
from dashboards.downloads import FORMATS, chart_download
from dashboards.filters import FilterError, Filters, filters_from_query
from migrantportal.figure_cache import figure_cache_get_or_build
from registry.models import Municipality


def _municipalities() -> dict[str, Municipality]:
    return {m.code: m for m in Municipality.objects.prefetch_related("comparison_group")}


def _default_municipality(request: HttpRequest, municipalities: dict[str, Municipality]):
    profile = (
        getattr(request.user, "portal_profile", None) if request.user.is_authenticated else None
    )
    if profile is not None and profile.municipality_id:
        for municipality in municipalities.values():
            if municipality.pk == profile.municipality_id:
                return municipality
    return municipalities.get(settings.DEFAULT_MUNICIPALITY) or next(iter(municipalities.values()))


def dashboard(template: str, build: Callable[..., object]):
    """A dashboard page: filters from the query string, public mode, downloads."""

    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        municipalities = _municipalities()
        if not municipalities:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return render(request, "dashboards/empty.html")
        try:
            filters = filters_from_query(
                params=request.GET,
                municipalities=municipalities,
                default=_default_municipality(request, municipalities),
            )
        except FilterError as error:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return HttpResponseBadRequest(
                render_to_string("dashboards/bad_filter.html", {"message": error}, request)
            )
        if not request.user.is_authenticated and not filters.municipality.public_mode:
            return redirect_to_login(request.get_full_path())
        try:
            page = figure_cache_get_or_build(
                key=f"{template}:{get_language()}:{filters.as_query()}",
                build=lambda: build(filters=filters),
            )
        except FilterError as error:
            return HttpResponseBadRequest(
                render_to_string("dashboards/bad_filter.html", {"message": error}, request)
            )
        file_format = request.GET.get("format")
        if file_format:
            return _download(page, filters, request.GET.get("chart"), file_format)
        context = {
            "page": page,
            "filters": filters,
            "municipalities": [m for m in municipalities.values() if not m.is_synthetic],
            "figures": {
                f"figure-{chart.id}": json.loads(chart.figure.to_json())
                for chart in getattr(page, "charts", [])
                if chart.figure is not None
            },
        }
        return render(request, template, context)

    return view


def _download(page, filters: Filters, chart_id: str | None, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown format; choose csv, xlsx or json."))
    charts = {chart.id: chart for chart in getattr(page, "charts", [])}
    chart = charts.get(chart_id) if chart_id else next(iter(charts.values()), None)
    if chart is None:
        raise Http404(_("This page has no chart “%(chart)s”.") % {"chart": chart_id})
    return chart_download(
        chart=chart, file_format=file_format, file_stem=f"{chart.id}-{filters.municipality.code}"
    )


overview = dashboard("dashboards/overview.html", selectors.overview_page)
compare = dashboard("dashboards/compare.html", selectors.compare_page)
register = dashboard("dashboards/register.html", selectors.register_page)
matrix = dashboard("dashboards/matrix.html", selectors.matrix_page)
findings = dashboard("dashboards/findings.html", selectors.findings_page)
indicators = dashboard("dashboards/indicators.html", selectors.indicators_page)
pack = dashboard("dashboards/pack.html", selectors.pack_page)
