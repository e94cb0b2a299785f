"""Thin views: read the filters, ask the selectors, render or download."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from charts import privacy
from charts.downloads import FORMATS, chart_download
from dashboards import selectors, services
from dashboards.filters import FilterError, Filters, filters_from_query
from dashboards.forms import MeetingSnapshotForm
from dashboards.page_cache import PageCache, cached_dashboard, municipality_index
from migrantportal.access import municipality_scope_check, permission_needed
from migrantportal.pdf_views import pdf_download
from migrantportal.views import nothing_loaded
from registry.models import Municipality


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
    @cached_dashboard(template=template)
    def view(request: HttpRequest, *, page_cache: PageCache) -> HttpResponse:
        municipalities, comparison_groups = page_cache.municipality_index()
        if not municipalities:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return nothing_loaded(request)
        try:
            filters = filters_from_query(
                params=request.GET,
                municipalities=municipalities,
                comparison_groups=comparison_groups,
                default=lambda: _default_municipality(request, municipalities),
            )
        except FilterError as error:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return _bad_filter(request, error)
        if not request.user.is_authenticated and not filters.municipality.public_mode:
            return redirect_to_login(request.get_full_path())
        file_format = request.GET.get("format")
        try:
            page = page_cache.page(
                filters=filters,
                # Staff see exact numbers, everyone else small ones held back.
                threshold=privacy.threshold_for_user(user=request.user),
                build=build,
                now=bool(file_format),
            )
        except FilterError as error:
            return _bad_filter(request, error)
        if file_format:
            return _download(page, filters, request.GET.get("chart"), file_format)
        return page_cache.render(
            {
                "filters": filters,
                # Staff are told that council members see small numbers held back.
                "members_threshold": (
                    privacy.threshold_for_members() if request.user.is_staff else 0
                ),
                "language_next": f"{request.path}?{filters.as_query()}",
                # The menu keeps the chosen municipality when the visitor moves to another page.
                "keep_municipality": f"?{urlencode({'municipality': filters.municipality.code})}",
                "municipalities": [m for m in municipalities.values() if not m.is_synthetic],
            }
        )

    return view


def _bad_filter(request: HttpRequest, error: FilterError) -> HttpResponse:
    return HttpResponseBadRequest(
        render_to_string("dashboards/bad_filter.html", {"message": error}, request)
    )


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
matrix = pdf_download(stem="beleidsmatrix")(
    dashboard("dashboards/matrix.html", selectors.matrix_page)
)
findings = dashboard("dashboards/findings.html", selectors.findings_page)
indicators = dashboard("dashboards/indicators.html", selectors.indicators_page)
pack = pdf_download(stem="debatpakket")(dashboard("dashboards/pack.html", selectors.pack_page))
programme = dashboard("dashboards/programme.html", selectors.programme_page)


# --- Vergaderstukken: debate packs frozen for council meetings ---

SNAPSHOTS_PER_PAGE = 50


@permission_needed("dashboards.view_meetingsnapshot")
@require_GET
def snapshot_list(request: HttpRequest) -> HttpResponse:
    municipality = request.GET.get("municipality", "").strip().upper()
    snapshots = Paginator(
        selectors.meeting_snapshot_list(municipality_code=municipality), SNAPSHOTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/snapshot_list.html",
        {
            "snapshots": snapshots,
            "municipalities": selectors.meeting_snapshot_municipality_list(),
            "chosen": municipality,
        },
    )


@pdf_download(stem="vergaderstuk")
@permission_needed("dashboards.view_meetingsnapshot")
@require_GET
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = selectors.meeting_snapshot_get(pk=pk)
    if snapshot is None:
        raise Http404(_("No such snapshot."))
    page = selectors.meeting_snapshot_page(snapshot=snapshot)
    file_format = request.GET.get("format")
    if file_format:
        return _snapshot_download(page, request.GET.get("chart"), file_format)
    return render(
        request,
        "dashboards/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "page": page,
            "changes": selectors.meeting_snapshot_changes(snapshot=snapshot),
        },
    )


def _snapshot_download(
    page: selectors.SnapshotPage, chart_id: str | None, file_format: str
) -> HttpResponse:
    if file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown format; choose csv, xlsx or json."))
    charts = {chart.id: chart for chart in page.charts}
    chart = charts.get(chart_id) if chart_id else next(iter(charts.values()), None)
    if chart is None:
        raise Http404(_("This page has no chart “%(chart)s”.") % {"chart": chart_id})
    snapshot = page.snapshot
    return chart_download(
        chart=chart,
        file_format=file_format,
        file_stem=f"{chart.id}-{snapshot.municipality.code}-{snapshot.meeting_date.isoformat()}",
    )


@permission_needed("dashboards.add_meetingsnapshot")
@require_http_methods(["GET", "POST"])
def snapshot_create(request: HttpRequest) -> HttpResponse:
    """Freeze a debate pack; the form sits on the debate pack page and posts here."""
    municipalities, comparison_groups = municipality_index()
    form_options = {
        "municipalities": municipalities,
        "comparison_groups": comparison_groups,
        "default": lambda: _default_municipality(request, municipalities),
    }
    if request.method == "GET":
        form = MeetingSnapshotForm(**form_options)
        return _snapshot_form(request, form, pack_query=request.GET.urlencode())
    form = MeetingSnapshotForm(request.POST, **form_options)
    if form.is_valid():
        try:
            snapshot = services.meeting_snapshot_create(
                filters=form.cleaned_data["filters"],
                title=form.cleaned_data["title"],
                meeting_date=form.cleaned_data["meeting_date"],
                agenda_item=form.cleaned_data["agenda_item"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The debate pack is frozen for the council meeting of %(date)s.")
                % {"date": date_format(snapshot.meeting_date, "j F Y")},
            )
            return redirect("dashboards:snapshot_detail", pk=snapshot.pk)
    return _snapshot_form(request, form, pack_query=form.data.get("pack", ""))


def _snapshot_form(
    request: HttpRequest, form: MeetingSnapshotForm, *, pack_query: str
) -> HttpResponse:
    return render(
        request, "dashboards/snapshot_form.html", {"form": form, "pack_query": pack_query}
    )


@permission_needed("dashboards.delete_meetingsnapshot")
@require_http_methods(["GET", "POST"])
def snapshot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = selectors.meeting_snapshot_get(pk=pk)
    if snapshot is None:
        raise Http404(_("No such snapshot."))
    # Only the clerk of its own council: 403, with the reason, for another's.
    municipality_scope_check(user=request.user, municipality_ids=[snapshot.municipality_id])
    if request.method == "POST":
        services.meeting_snapshot_delete(snapshot=snapshot, user=request.user)
        messages.success(
            request, _("The snapshot “%(title)s” is deleted.") % {"title": snapshot.title}
        )
        return redirect("dashboards:snapshot_list")
    return render(request, "dashboards/snapshot_confirm_delete.html", {"snapshot": snapshot})
