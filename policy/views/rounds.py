"""Prioritisation rounds: the clerk prepares, opens and closes them, members vote.

Thin views: permissions, a form, a service call, a selector, a template.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from charts.downloads import FORMATS, chart_download
from charts.figures import figure_json
from migrantportal.access import municipality_scope_check, permission_needed
from migrantportal.figure_cache import LOOK_VERSION
from policy.constants import BallotMethod, RoundState
from policy.forms.rounds import BallotForm, RoundForm, round_form_initial
from policy.models import PrioritisationRound
from policy.selectors import round_results
from policy.selectors import rounds as selectors
from policy.services import rounds as services

VIEW = "policy.view_prioritisationround"
ADD = "policy.add_prioritisationround"
CHANGE = "policy.change_prioritisationround"
VOTE = "policy.add_ballot"


def _chart_links(*, code: str) -> SimpleNamespace:
    """What `dashboards/_chart.html` needs for its download links and file names."""
    return SimpleNamespace(as_query="", municipality=SimpleNamespace(code=code))


def _round(request: HttpRequest, pk: int) -> PrioritisationRound:
    return get_object_or_404(selectors.round_visible_list(user=request.user), pk=pk)


def _round_managed(request: HttpRequest, pk: int) -> PrioritisationRound:
    """A round the clerk may change: 403 (OutsideScopeError) for another council's."""
    round_ = _round(request, pk)
    municipality_scope_check(user=request.user, municipality_ids=[round_.municipality_id])
    return round_


@permission_needed(VIEW)
@require_http_methods(["GET", "HEAD"])
def round_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "policy/rounds/list.html",
        {
            "rows": selectors.round_list(user=request.user),
            "can_create": request.user.has_perm(ADD),
            "can_manage": request.user.has_perm(CHANGE),
            "can_vote": request.user.has_perm(VOTE),
        },
    )


def _form_page(request: HttpRequest, form: RoundForm, round_=None) -> HttpResponse:
    return render(request, "policy/rounds/form.html", {"form": form, "round": round_})


def _round_fields(form: RoundForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "closes_at": data["closes_at"],
    }


@permission_needed(ADD)
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        municipality = selectors.round_default_municipality(user=request.user)
        form = RoundForm(
            user=request.user,
            initial={
                "municipality": municipality and municipality.pk,
                "method": BallotMethod.RANKING,
            },
        )
        return _form_page(request, form)
    form = RoundForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_create(
                **_round_fields(form),
                municipality=data["municipality"],
                method=data["method"],
                points_budget=data["points_budget"],
                attention_points=data["attention_points"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The round is saved as a draft. Open it when council members may vote."),
            )
            return redirect("policy:round_detail", pk=round_.pk)
    return _form_page(request, form)


@permission_needed(CHANGE)
@require_http_methods(["GET", "HEAD", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_managed(request, pk)
    if round_.state == RoundState.CLOSED:
        messages.error(request, _("A closed round cannot be changed."))
        return redirect("policy:round_detail", pk=round_.pk)
    initial = round_form_initial(round_=round_)
    if request.method != "POST":
        return _form_page(
            request, RoundForm(initial=initial, round_=round_, user=request.user), round_
        )
    form = RoundForm(request.POST, initial=initial, round_=round_, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        extra = (
            {}
            if form.locked
            else {
                "municipality": data["municipality"],
                "method": data["method"],
                "points_budget": data["points_budget"],
                "attention_points": data["attention_points"],
            }
        )
        try:
            services.round_update(
                round_id=round_.pk, **_round_fields(form), **extra, user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("policy:round_detail", pk=round_.pk)
    return _form_page(request, form, round_)


def _figures(page: selectors.RoundPage) -> dict:
    """Figure JSON per chart; a closed round's result never changes, so it is cached
    outside the data version, under the look it was drawn in."""
    figures = {}
    for chart in page.charts:
        if chart.figure is None:
            continue
        key = (
            f"round-figure:{page.round.pk}:{page.round.closed_at.isoformat()}:"
            f"{LOOK_VERSION}:{get_language()}:{chart.id}"
        )
        figures[f"figure-{chart.id}"] = cache.get_or_set(
            key, lambda chart=chart: figure_json(chart.figure), timeout=None
        )
    return figures


def _download(request: HttpRequest, page: selectors.RoundPage, file_format: str) -> HttpResponse:
    if file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown format; choose csv, xlsx or json."))
    if page.result_withheld:
        raise Http404(round_results.RESULT_WITHHELD)
    charts = {chart.id: chart for chart in page.charts}
    if not charts:
        raise Http404(_("This round has no result yet."))
    chart_id = request.GET.get("chart") or "round-result"
    if chart_id not in charts:
        raise Http404(_("This page has no chart “%(chart)s”.") % {"chart": chart_id})
    return chart_download(
        chart=charts[chart_id],
        file_format=file_format,
        file_stem=f"{chart_id}-{page.round.municipality.code}-{page.round.pk}",
    )


@permission_needed(VIEW)
@require_http_methods(["GET", "HEAD"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    file_format = request.GET.get("format")
    page = selectors.round_page(round_=round_, user=request.user, with_figure=not file_format)
    if file_format:
        return _download(request, page, file_format)
    return render(
        request,
        "policy/rounds/detail.html",
        {
            "page": page,
            "round": round_,
            "figures": _figures(page),
            "filters": _chart_links(code=round_.municipality.code),
        },
    )


def _transition_view(*, state: str, action, template: str, label: str, done: str):
    """The page that asks to confirm a round's next step (open or close), named `label`, and
    takes it: from `state` only, through the service `action`, then back to the round
    saying `done`."""

    @permission_needed(CHANGE)
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        round_ = _round_managed(request, pk)
        if round_.state != state:
            messages.error(
                request,
                _("This round is “%(state)s”; that step is not possible now.")
                % {"state": round_.get_state_display()},
            )
            return redirect("policy:round_detail", pk=round_.pk)
        if request.method != "POST":
            return render(
                request,
                template,
                {
                    "round": round_,
                    "page": selectors.round_page(round_=round_, user=request.user),
                    "label": label,
                },
            )
        try:
            action(round_id=round_.pk, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect("policy:round_detail", pk=round_.pk)

    return view


round_open = _transition_view(
    state=RoundState.DRAFT,
    action=services.round_open,
    template="policy/rounds/open.html",
    label=gettext_lazy("Open the round for voting"),
    done=gettext_lazy("The round is open: council members can vote now."),
)
round_close = _transition_view(
    state=RoundState.OPEN,
    action=services.round_close,
    template="policy/rounds/close.html",
    label=gettext_lazy("Close the round and count the ballots"),
    done=gettext_lazy("The round is closed and its result is kept."),
)


def _ballot_messages(form: BallotForm) -> dict:
    """Texts the ballot script shows, translated here so the script has none of its own."""
    return {
        "moveUp": _("Move up"),
        "moveDown": _("Move down"),
        "pointName": _("attention point %(number)s"),
        "moved": _("Attention point %(number)s is now in place %(place)s."),
        "atTop": _("Attention point %(number)s is already in first place."),
        "atBottom": _("Attention point %(number)s is already in last place."),
        "total": _("Distributed: %(total)s of %(budget)s points."),
        "remaining": _("%(remaining)s points left to distribute."),
        "over": _("%(over)s points too many."),
        "exact": _("All points are distributed."),
        "budget": form.round.points_budget,
    }


@permission_needed(VOTE)
@require_http_methods(["GET", "HEAD", "POST"])
def round_vote(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    refusal = selectors.round_voting_closed_reason(round_=round_) or selectors.round_voter_refusal(
        round_=round_, user=request.user
    )
    if refusal is not None:
        if request.method == "POST":
            not_recorded = _("Your ballot was not recorded.")
            refusal = f"{refusal} {not_recorded}"
        messages.error(request, refusal)
        return redirect("policy:round_detail", pk=round_.pk)
    points = selectors.round_attention_points(round_=round_, published_only=True)
    own = selectors.ballot_own(round_=round_, user=request.user, points=points)
    values = own.values() if own else None
    if request.method != "POST":
        form = BallotForm(round_=round_, points=points, values=values)
    else:
        form = BallotForm(request.POST, round_=round_, points=points)
        if form.is_valid():
            try:
                services.ballot_submit(round_id=round_.pk, voter=request.user, values=form.values())
            except services.VotingClosed as closed:
                messages.error(request, closed.message)
                return redirect("policy:round_detail", pk=round_.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your ballot is saved. You can change it until the round closes.")
                    if own is None
                    else _(
                        "Your changed ballot is saved. You can change it until the round closes."
                    ),
                )
                return redirect(reverse("policy:round_detail", args=[round_.pk]) + "#own-ballot")
    return render(
        request,
        "policy/rounds/vote.html",
        {
            "round": round_,
            "form": form,
            "own": own,
            "ballot_messages": _ballot_messages(form),
            "min_ballots": round_results.round_result_min_ballots(),
        },
    )


urlpatterns = [
    path("prioriteiten/", round_list, name="round_list"),
    path("prioriteiten/nieuw/", round_create, name="round_create"),
    path("prioriteiten/<int:pk>/", round_detail, name="round_detail"),
    path("prioriteiten/<int:pk>/bewerken/", round_edit, name="round_edit"),
    path("prioriteiten/<int:pk>/openen/", round_open, name="round_open"),
    path("prioriteiten/<int:pk>/sluiten/", round_close, name="round_close"),
    path("prioriteiten/<int:pk>/stemmen/", round_vote, name="round_vote"),
]
