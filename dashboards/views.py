from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards.selectors import overview_get, overview_municipalities


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    municipalities = overview_municipalities()
    requested = request.GET.get("municipality", "").strip().upper()
    selected = next((m for m in municipalities if m.code == requested), None)
    if requested and selected is None:
        raise Http404(_("No figures for municipality %(code)s.") % {"code": requested})
    if selected is None and municipalities:
        selected = municipalities[0]
    context = {
        "municipalities": municipalities,
        "selected": selected,
        "overview": overview_get(municipality=selected) if selected else None,
    }
    return render(request, "dashboards/overview.html", context)
