"""Helpers the browser tests share: signing in, opening a page, a round to vote in."""

import datetime

from django.utils import timezone

from policy.constants import BallotMethod, PublicationState
from policy.models import AttentionPoint, PrioritisationRound
from policy.services import rounds as services

DEMO_PASSWORD = "raadsdebat-2026"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# charts.js draws every figure synchronously once the deferred scripts have run, so after
# the "load" event each figure should hold Plotly's SVG; waiting for exactly that is
# quicker and surer than "networkidle", which idles half a second after the last request.
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-figure]'))
  .every((figure) => figure.querySelector('svg.main-svg'))"""


def open_page(page, url: str):
    """Go to the URL and return its response once the page has loaded and drawn its charts."""
    response = page.goto(url)
    page.wait_for_function(CHARTS_DRAWN)
    return response


def log_in(page, base_url: str, username: str = "raadslid") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click(".login-form button[type=submit]")
    page.wait_for_url(f"{base_url}/dashboards/")


def open_round(*, count: int = 3, title: str = "Prioriteiten 2026–2030") -> PrioritisationRound:
    """An open ranking round over the first demo attention points of Haarlemmermeer."""
    points = AttentionPoint.objects.filter(
        report__municipality__code="GM0394", state=PublicationState.PUBLISHED
    ).select_related("report__municipality")
    points = list(points.order_by("number")[:count])
    round_ = services.round_create(
        municipality=points[0].report.municipality,
        title=title,
        period_start=2026,
        period_end=2030,
        method=BallotMethod.RANKING,
        points_budget=None,
        closes_at=timezone.now() + datetime.timedelta(days=7),
        attention_points=points,
        created_by=None,
    )
    return services.round_open(round_id=round_.pk)


def tab_to(page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
