"""Every URL of the portal, with the status each role gets, and the objects its paths name.

Shared by the URL permission test, the Redis-down test and the accessibility browser test.
"""

import datetime

from django.utils import timezone

from dashboards.models import MeetingSnapshot
from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, PrioritisationRound, Recommendation

ROLES = ["anonymous", "raadslid", "griffie", "rekenkamer", "superuser"]
HM = "?municipality=GM0394"

# route → (path to request, expected GET status per role in the order of ROLES)
LOGIN, NO, GONE = 302, 403, 405  # to the login page, forbidden, GET not allowed
EXPECTED = {
    "": ("/", (302, 302, 302, 302, 302)),
    "healthz": ("/healthz", (200, 200, 200, 200, 200)),
    "readyz": ("/readyz", (200, 200, 200, 200, 200)),
    "favicon.ico": ("/favicon.ico", (301, 301, 301, 301, 301)),
    "login/": ("/login/", (200, 302, 302, 302, 302)),
    "toegankelijkheid/": ("/toegankelijkheid/", (200, 200, 200, 200, 200)),
    "logout/": ("/logout/", (GONE, GONE, GONE, GONE, GONE)),
    "i18n/setlang/": ("/i18n/setlang/", (302, 302, 302, 302, 302)),
    "thema/<slug:code>.css": ("/thema/GM0394.css", (200, 200, 200, 200, 200)),
    "dashboards/": ("/dashboards/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/vergelijken/": ("/dashboards/vergelijken/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/register/": ("/dashboards/register/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/beleidsmatrix/": (
        "/dashboards/beleidsmatrix/" + HM,
        (LOGIN, 200, 200, 200, 200),
    ),
    "dashboards/bevindingen/": ("/dashboards/bevindingen/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/indicatoren/": ("/dashboards/indicatoren/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/debatpakket/": ("/dashboards/debatpakket/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/programma/": ("/dashboards/programma/" + HM, (LOGIN, 200, 200, 200, 200)),
    "dashboards/vergaderingen/": ("/dashboards/vergaderingen/", (LOGIN, 200, 200, 200, 200)),
    "dashboards/vergaderingen/nieuw/": (
        "/dashboards/vergaderingen/nieuw/",
        (LOGIN, NO, 200, NO, 200),
    ),
    "dashboards/vergaderingen/<int:pk>/": (
        "/dashboards/vergaderingen/{snapshot}/",
        (LOGIN, 200, 200, 200, 200),
    ),
    "dashboards/vergaderingen/<int:pk>/verwijderen/": (
        "/dashboards/vergaderingen/{snapshot}/verwijderen/",
        (LOGIN, NO, 200, NO, 200),
    ),
    "prioriteiten/": ("/prioriteiten/", (LOGIN, 200, 200, 200, 200)),
    "prioriteiten/nieuw/": ("/prioriteiten/nieuw/", (LOGIN, NO, 200, NO, 200)),
    "prioriteiten/<int:pk>/": ("/prioriteiten/{open_round}/", (LOGIN, 200, 200, 200, 200)),
    "prioriteiten/<int:pk>/bewerken/": (
        "/prioriteiten/{draft_round}/bewerken/",
        (LOGIN, NO, 200, NO, 200),
    ),
    "prioriteiten/<int:pk>/openen/": (
        "/prioriteiten/{draft_round}/openen/",
        (LOGIN, NO, 200, NO, 200),
    ),
    "prioriteiten/<int:pk>/sluiten/": (
        "/prioriteiten/{open_round}/sluiten/",
        (LOGIN, NO, 200, NO, 200),
    ),
    "prioriteiten/<int:pk>/stemmen/": (
        "/prioriteiten/{open_round}/stemmen/",
        (LOGIN, 200, NO, NO, 200),
    ),
    "opvolging/": ("/opvolging/" + HM, (LOGIN, 200, 200, 200, 200)),
    "opvolging/aanbeveling/<int:pk>/": (
        "/opvolging/aanbeveling/{recommendation}/",
        (LOGIN, 200, 200, 200, 200),
    ),
    "opvolging/aanbeveling/<int:pk>/bijwerken/": (
        "/opvolging/aanbeveling/{recommendation}/bijwerken/",
        (LOGIN, NO, NO, 200, 200),
    ),
    "opvolging/aanbeveling/<int:pk>/voortgang/": (
        "/opvolging/aanbeveling/{recommendation}/voortgang/",
        (LOGIN, NO, NO, 200, 200),
    ),
    "redactie/": ("/redactie/" + HM, (LOGIN, NO, NO, 200, 200)),
    "redactie/rapport/<int:pk>/": (
        "/redactie/rapport/{report}/",
        (LOGIN, NO, NO, 200, 200),
    ),
    "redactie/<slug:kind>/nieuw/": (
        "/redactie/aandachtspunt/nieuw/?report={report}",
        (LOGIN, NO, NO, 200, 200),
    ),
    "redactie/<slug:kind>/<int:pk>/bewerken/": (
        "/redactie/aandachtspunt/{point}/bewerken/",
        (LOGIN, NO, NO, 200, 200),
    ),
    "redactie/<slug:kind>/<int:pk>/status/": (
        "/redactie/aandachtspunt/{point}/status/",
        (GONE, GONE, GONE, GONE, GONE),
    ),
    "bevinding/<slug:kind>/<int:pk>/": (
        "/bevinding/aandachtspunt/{point}/",
        (LOGIN, 200, 200, 200, 200),
    ),
}


def site_objects() -> dict[str, int]:
    """The objects the table's paths name, beside the demo content."""
    points = list(
        AttentionPoint.objects.filter(report__municipality__code="GM0394").order_by("number")
    )
    rounds = {}
    for state in (RoundState.DRAFT, RoundState.OPEN):
        round_ = PrioritisationRound.objects.create(
            municipality=points[0].report.municipality,
            title=f"Prioriteiten 2026–2030 ({state})",
            period_start=2026,
            period_end=2030,
            method=BallotMethod.RANKING,
            state=state,
            closes_at=timezone.now() + datetime.timedelta(days=7),
        )
        round_.attention_points.set(points[:3])
        rounds[state] = round_.pk
    snapshot = MeetingSnapshot.objects.create(
        municipality=points[0].report.municipality,
        title="Migratie",
        meeting_date=datetime.date(2026, 12, 10),
        agenda_item="7",
        include=[],
        content={"charts": [], "findings": [], "language": "nl"},
    )
    return {
        "point": points[0].pk,
        "report": points[0].report_id,
        "recommendation": Recommendation.objects.filter(report=points[0].report).first().pk,
        "open_round": rounds[RoundState.OPEN],
        "draft_round": rounds[RoundState.DRAFT],
        "snapshot": snapshot.pk,
    }
