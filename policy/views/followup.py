"""Recommendation follow-up: the monitor, one recommendation's page, and recording.

Everyone signed in may read published follow-up; the audit office records it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from migrantportal.access import permission_needed
from migrantportal.pdf_views import pdf_download
from migrantportal.spreadsheet import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    csv_text,
    xlsx_bytes,
)
from migrantportal.views import nothing_loaded
from policy.constants import FlagFilter, PublicationState, RecommendationStatus
from policy.forms.followup import FollowupForm, ProgressForm
from policy.models import Recommendation
from policy.rules import FOLLOWUP_FIELDS
from policy.selectors import followup as selectors
from policy.selectors.followup_export import (
    followup_export_about,
    followup_export_headers,
    followup_export_rows,
)
from policy.services.followup import (
    StaleFollowupEditError,
    recommendation_followup_update,
    recommendation_status_change_create,
)
from policy.services.scope import item_in_scope, item_scope_check

DOWNLOAD_FORMATS = {
    "csv": CSV_CONTENT_TYPE,
    "csv-nl": CSV_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
}
CHANGE = "policy.change_recommendation"
ADD_PROGRESS = "policy.add_recommendationstatuschange"


def _profile_municipality_code(request: HttpRequest, municipalities: list) -> str | None:
    profile = getattr(request.user, "portal_profile", None)
    if profile is None or profile.municipality_id is None:
        return None
    return next((m.code for m in municipalities if m.pk == profile.municipality_id), None)


@pdf_download(stem="opvolging")
@require_GET
@permission_needed("policy.view_recommendation")
def followup_monitor(request: HttpRequest) -> HttpResponse:
    municipalities = selectors.followup_municipalities()
    if not municipalities:
        return nothing_loaded(request)
    try:
        filters = selectors.followup_filters(
            params=request.GET,
            municipalities=municipalities,
            default_code=(
                None
                if request.GET.get("municipality")
                else _profile_municipality_code(request, municipalities)
            ),
        )
    except selectors.FollowupFilterError as error:
        return HttpResponseBadRequest(
            render_to_string("dashboards/bad_filter.html", {"message": error}, request)
        )
    file_format = request.GET.get("format")
    if file_format and file_format not in DOWNLOAD_FORMATS:
        return HttpResponseBadRequest(_("Unknown format; choose csv, csv-nl or xlsx."))
    monitor = selectors.followup_monitor(
        filters=filters,
        include_drafts=request.user.has_perm(CHANGE),
        today=timezone.localdate(),
    )
    if file_format:
        return _download(monitor=monitor, file_format=file_format)
    return render(
        request,
        "policy/followup/monitor.html",
        {
            "monitor": monitor,
            "filters": filters,
            "municipalities": municipalities,
            "statuses": RecommendationStatus.choices,
            "flag_choices": FlagFilter.choices,
            "definitions": selectors.MONITOR_DEFINITIONS,
            "language_next": f"{request.path}?{filters.as_query()}",
            "keep_municipality": f"?municipality={filters.municipality.code}",
        },
    )


def _download(*, monitor: selectors.Monitor, file_format: str) -> HttpResponse:
    """The rows shown, with headers and labels in the interface's language."""
    header = followup_export_headers()
    rows = followup_export_rows(monitor=monitor)
    municipality = monitor.filters.municipality
    if file_format == "xlsx":
        title = _("Follow-up %(municipality)s") % {"municipality": municipality.name}
        about = followup_export_about(monitor=monitor, downloaded_on=timezone.localdate())
        body: bytes | str = xlsx_bytes(
            sheets=[
                Sheet(title=title, header=header, rows=rows),
                Sheet(
                    title=pgettext("sheet of a download", "About"),
                    rows=about,
                    labelled_rows=True,
                ),
            ]
        )
        extension = "xlsx"
    else:
        body = csv_text(header=header, rows=rows, dialect=file_format)
        extension = "csv"
    response = HttpResponse(body, content_type=DOWNLOAD_FORMATS[file_format])
    stem = f"opvolging-{municipality.code}-{monitor.today.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


def _follow_up(request: HttpRequest, pk: int) -> selectors.FollowUp:
    try:
        return selectors.followup_detail(
            pk=pk, include_drafts=request.user.has_perm(CHANGE), today=timezone.localdate()
        )
    except Recommendation.DoesNotExist:
        raise Http404(_("No such recommendation.")) from None


def _detail_context(request: HttpRequest, follow_up: selectors.FollowUp, **extra) -> dict:
    recommendation = follow_up.recommendation
    municipality = recommendation.report.municipality
    # The audit office records follow-up only for the municipalities it works for.
    in_scope = item_in_scope(user=request.user, instance=recommendation)
    monitor_url = reverse("policy:followup_monitor")
    if municipality is not None:
        monitor_url += f"?municipality={municipality.code}"
    return {
        "follow_up": follow_up,
        "recommendation": recommendation,
        "report": recommendation.report,
        "monitor_url": monitor_url,
        "may_change": request.user.has_perm(CHANGE) and in_scope,
        "may_add_progress": request.user.has_perm(ADD_PROGRESS) and in_scope,
        "draft_state": PublicationState.DRAFT,
        **extra,
    }


@require_GET
@permission_needed("policy.view_recommendation")
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up(request, pk)
    context = _detail_context(request, follow_up)
    if context["may_add_progress"]:
        context["progress_form"] = ProgressForm()
    return render(request, "policy/followup/detail.html", context)


def _add_errors(form, error: ValidationError) -> None:
    # The errors themselves, not their messages, so their codes reach the form.
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@permission_needed(CHANGE)
def followup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up(request, pk)
    recommendation = follow_up.recommendation
    item_scope_check(user=request.user, instance=recommendation)  # 403 for another's
    stale = None
    if request.method == "POST":
        form = FollowupForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            base_version = data.pop("base_version")
            try:
                recommendation_followup_update(
                    recommendation=recommendation,
                    user=request.user,
                    base_version=base_version,
                    **data,
                )
            except ValidationError as error:
                _add_errors(form, error)
            except StaleFollowupEditError as error:
                stale = error
                # Keep what the editor typed, now based on the version they have seen.
                form = FollowupForm({**request.POST.dict(), "base_version": error.current_version})
                form.is_valid()
            else:
                messages.success(request, _("The follow-up has been saved."))
                return redirect("policy:followup_detail", pk=recommendation.pk)
    else:
        form = FollowupForm(
            initial={
                "base_version": selectors.recommendation_followup_version(
                    recommendation=recommendation
                ),
                **{name: getattr(recommendation, name) for name in FOLLOWUP_FIELDS},
            }
        )
    return render(
        request,
        "policy/followup/edit.html",
        _detail_context(request, follow_up, form=form, stale=stale),
        status=409 if stale else (400 if form.is_bound else 200),
    )


@require_http_methods(["GET", "POST"])
@permission_needed(ADD_PROGRESS)
def followup_progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up(request, pk)
    item_scope_check(user=request.user, instance=follow_up.recommendation)
    if request.method == "POST":
        form = ProgressForm(request.POST)
        if form.is_valid():
            try:
                recommendation_status_change_create(
                    recommendation=follow_up.recommendation,
                    user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The progress update has been recorded."))
                return redirect("policy:followup_detail", pk=follow_up.recommendation.pk)
    else:
        form = ProgressForm()
    return render(
        request,
        "policy/followup/progress.html",
        _detail_context(request, follow_up, progress_form=form),
        status=400 if form.is_bound else 200,
    )


urlpatterns = [
    path("opvolging/", followup_monitor, name="followup_monitor"),
    path("opvolging/aanbeveling/<int:pk>/", followup_detail, name="followup_detail"),
    path("opvolging/aanbeveling/<int:pk>/bijwerken/", followup_edit, name="followup_edit"),
    path(
        "opvolging/aanbeveling/<int:pk>/voortgang/",
        followup_progress_add,
        name="followup_progress_add",
    ),
]
