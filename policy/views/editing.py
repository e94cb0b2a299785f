"""The audit office's editing desk: reports and findings outside the admin.

Every save goes through policy.services.editing, which records history and
refuses a save based on an outdated version of the item.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from migrantportal.access import (
    municipality_scope_check,
    permission_needed,
    queryset_in_scope,
    user_works_for,
    works_for_nothing_error,
)
from policy.constants import PublicationState
from policy.formatting import text_format
from policy.forms import editing as forms
from policy.models import AttentionPoint, Conclusion, PolicyCell, Recommendation, Report
from policy.selectors import findings as selectors
from policy.selectors.history import item_history, item_last_changed, item_version
from policy.selectors.wording import item_published_wordings
from policy.services.editing import (
    InOpenRoundError,
    StaleEditError,
    item_save,
    item_state_set,
)
from policy.services.scope import (
    NATIONAL_PERMISSION,
    item_in_scope,
    item_scope_check,
    items_in_scope,
)
from registry.models import Municipality


@dataclass(frozen=True)
class Kind:
    """One kind of editable item, named in the URL in Dutch."""

    slug: str
    model: type
    form: type
    label: str
    parent: str | None  # "report" for numbered findings, "municipality" for matrix cells

    @property
    def codename(self) -> str:
        return self.model._meta.model_name


KINDS = {
    kind.slug: kind
    for kind in [
        Kind("rapport", Report, forms.ReportForm, gettext_lazy("report"), None),
        Kind(
            "aandachtspunt",
            AttentionPoint,
            forms.AttentionPointForm,
            gettext_lazy("attention point"),
            "report",
        ),
        Kind("conclusie", Conclusion, forms.ConclusionForm, gettext_lazy("conclusion"), "report"),
        Kind(
            "aanbeveling",
            Recommendation,
            forms.RecommendationForm,
            gettext_lazy("recommendation"),
            "report",
        ),
        Kind(
            "beleidscel",
            PolicyCell,
            forms.PolicyCellForm,
            gettext_lazy("policy matrix cell"),
            "municipality",
        ),
    ]
}
KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404(_("There is no kind of item “%(kind)s”.") % {"kind": slug})
    return KINDS[slug]


def _can(request: HttpRequest, action: str, kind: Kind) -> bool:
    return request.user.has_perm(f"policy.{action}_{kind.codename}")


def _municipality(request: HttpRequest) -> Municipality:
    """The municipality asked for, else the user's own, else the first they work for;
    403 (OutsideScopeError) when it is not one they work for."""
    code = request.GET.get("municipality")
    if code:
        found = get_object_or_404(Municipality, code=code)
        municipality_scope_check(user=request.user, municipality_ids=[found.pk])
        return found
    profile = getattr(request.user, "portal_profile", None)
    own = profile.municipality if profile is not None and profile.municipality_id else None
    for found in (own, Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()):
        if found is not None and user_works_for(user=request.user, municipality_id=found.pk):
            return found
    found = _municipalities(request).first()
    if found is None:
        raise works_for_nothing_error()  # 403, saying whom to ask
    return found


def _municipalities(request: HttpRequest):
    options = Municipality.objects.filter(is_synthetic=False).order_by("name")
    return queryset_in_scope(user=request.user, queryset=options, path="pk")


@permission_needed("policy.change_report")
def editor_home(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    return render(
        request,
        "policy/editing/home.html",
        {
            "municipality": municipality,
            "municipalities": _municipalities(request),
            # Only what this user may change: their municipalities' reports, and the
            # national ones with the permission for national reports.
            "reports": items_in_scope(
                user=request.user,
                queryset=selectors.report_list_for_editor(municipality_code=municipality.code),
            ),
            "cells": selectors.policy_cell_list_for_editor(municipality_code=municipality.code),
        },
    )


def _offer_own_municipalities(request: HttpRequest, form) -> None:
    """A report's municipality: only those the user works for; empty (national) only with
    the permission for national reports."""
    field = form.fields.get("municipality")
    if field is not None:
        field.queryset = queryset_in_scope(user=request.user, queryset=field.queryset, path="pk")
        field.required = not request.user.has_perm(NATIONAL_PERMISSION)


def _in_scope(request: HttpRequest, instance) -> None:
    """403 (OutsideScopeError, with the reason) unless the user may change `instance`."""
    item_scope_check(user=request.user, instance=instance)


@permission_needed("policy.change_report")
def report_editor(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("municipality"), pk=pk)
    _in_scope(request, report)
    return render(
        request,
        "policy/editing/report.html",
        {"report": report, **selectors.report_findings_for_editor(report=report)},
    )


def _form_kwargs(kind: Kind, *, instance, request: HttpRequest) -> dict:
    if kind.parent == "report":
        if instance.pk:
            return {"report": instance.report}
        return {"report": get_object_or_404(Report, pk=request.GET.get("report") or 0)}
    if kind.parent == "municipality":
        if instance.pk:
            return {"municipality": instance.municipality}
        return {"municipality": _municipality(request)}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    kind = _kind(kind)
    if not _can(request, "change" if pk else "add", kind):
        raise PermissionDenied
    instance = get_object_or_404(kind.model, pk=pk) if pk else kind.model()
    extra = _form_kwargs(kind, instance=instance, request=request)
    if pk:
        _in_scope(request, instance)
    elif "report" in extra:
        _in_scope(request, extra["report"])  # a new finding goes in this report
    elif "municipality" in extra:
        _in_scope(request, PolicyCell(municipality=extra["municipality"]))
    context: dict = {"kind": kind, "item": instance if pk else None, **extra}
    if request.method == "GET":
        form = kind.form(
            instance=instance, initial={"base_version": item_version(instance=instance)}, **extra
        )
        _offer_own_municipalities(request, form)
        return render(request, "policy/editing/form.html", context | {"form": form})

    form = kind.form(request.POST, instance=instance, **extra)
    _offer_own_municipalities(request, form)
    if not form.is_valid():
        return render(request, "policy/editing/form.html", context | {"form": form}, status=400)
    if request.POST.get("action") == "preview":
        return render(
            request,
            "policy/editing/form.html",
            context | {"form": form, "preview": _preview(form)},
        )
    try:
        saved = item_save(
            instance=form.instance,
            links=form.links(),
            base_version=form.cleaned_data["base_version"],
            user=request.user,
        )
    except StaleEditError as stale:
        return _stale(request, kind=kind, form=form, context=context, stale=stale)
    except InOpenRoundError as error:
        # The form checked this too; a round opened meanwhile is caught here, under the lock.
        form.add_error(None, error.as_validation_error())
        return render(request, "policy/editing/form.html", context | {"form": form}, status=400)
    messages.success(request, _("Saved: %(item)s.") % {"item": saved})
    return redirect("policy:item_detail", kind=kind.slug, pk=saved.pk)


def _stale(request, *, kind: Kind, form, context: dict, stale: StaleEditError) -> HttpResponse:
    """The form again, with the other editor's change shown and the new version to save on."""
    base = form.cleaned_data["base_version"]
    current = get_object_or_404(kind.model, pk=form.instance.pk)
    others = [entry for entry in item_history(instance=current) if entry.version > base]
    data = request.POST.copy()
    data["base_version"] = str(stale.current_version)
    refreshed = kind.form(
        data, instance=current, **_form_kwargs(kind, instance=current, request=request)
    )
    refreshed.is_valid()
    return render(
        request,
        "policy/editing/form.html",
        context | {"form": refreshed, "stale": True, "stale_history": others},
        status=409,
    )


def _in_open_round_message(error: InOpenRoundError) -> str:
    return _(
        "This stays published while the prioritisation round “%(round)s” is open: council "
        "members are ranking it."
    ) % {"round": error.round_title}


def _preview(form) -> dict:
    """How the item will read: its title, its texts formatted, its links."""
    data = form.cleaned_data
    texts = [
        (form.fields[name].label, text_format(text=data.get(name) or ""))
        for name in form.text_fields
    ]
    links = [
        (form.fields[name].label, [str(obj) for obj in related])
        for name, related in form.links().items()
    ]
    return {
        "title": data.get("title") or str(form.instance),
        "texts": texts,
        "links": links,
        "state": dict(PublicationState.choices)[data["state"]],
    }


@require_POST
@login_required
def item_state(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    kind = _kind(kind)
    if not _can(request, "change", kind):
        raise PermissionDenied
    instance = get_object_or_404(kind.model, pk=pk)
    _in_scope(request, instance)
    state = request.POST.get("state", "")
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = -1
    if state not in PublicationState.values:
        messages.error(request, _("Choose draft or published."))
        return redirect("policy:item_detail", kind=kind.slug, pk=pk)
    try:
        item_state_set(instance=instance, state=state, base_version=base_version, user=request.user)
    except InOpenRoundError as error:
        messages.error(request, _in_open_round_message(error))
        return redirect("policy:item_detail", kind=kind.slug, pk=pk)
    except StaleEditError:
        messages.error(
            request,
            _(
                "Not changed: someone else changed this item after you opened it. "
                "Its history below shows what changed; try again."
            ),
        )
        return redirect("policy:item_detail", kind=kind.slug, pk=pk)
    if state == PublicationState.PUBLISHED:
        messages.success(request, _("Published: council members can see it now."))
    else:
        messages.success(request, _("Returned to draft: council members no longer see it."))
    return redirect("policy:item_detail", kind=kind.slug, pk=pk)


@login_required
def item_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    kind = _kind(kind)
    include_drafts = _can(request, "change", kind)
    related = ["report"] if kind.parent == "report" else []
    if kind.model is PolicyCell:
        related = ["municipality", "group", "theme", "report"]
    if kind.model is Report:
        related = ["municipality"]
    instance = get_object_or_404(kind.model.objects.select_related(*related), pk=pk)
    if not selectors.finding_is_visible(item=instance, include_drafts=include_drafts):
        raise Http404(_("No such item."))
    # The audit office reads every municipality's drafts; it edits only its own.
    editor = include_drafts and item_in_scope(user=request.user, instance=instance)
    context = {
        "kind": kind,
        "item": instance,
        "editor": editor,
        "links": selectors.finding_links(item=instance, include_drafts=include_drafts),
        "last_changed": item_last_changed(instance=instance),
        # Earlier wordings it had while published (never drafts), newest first.
        "earlier_wordings": list(reversed(item_published_wordings(instance=instance)[:-1])),
        "text_fields": [
            (kind.model._meta.get_field(name).verbose_name, getattr(instance, name))
            for name in kind.form.text_fields
            if getattr(instance, name)
        ],
    }
    if editor:
        context["history"] = item_history(instance=instance)
        context["version"] = item_version(instance=instance)
    return render(request, "policy/editing/detail.html", context)


urlpatterns = [
    path("redactie/", editor_home, name="editor_home"),
    path("redactie/rapport/<int:pk>/", report_editor, name="report_editor"),
    path("redactie/<slug:kind>/nieuw/", item_edit, name="item_create"),
    path("redactie/<slug:kind>/<int:pk>/bewerken/", item_edit, name="item_edit"),
    path("redactie/<slug:kind>/<int:pk>/status/", item_state, name="item_state"),
    path("bevinding/<slug:kind>/<int:pk>/", item_detail, name="item_detail"),
]
