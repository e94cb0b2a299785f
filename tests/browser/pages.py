"""Helpers the browser tests share: signing in, opening a page, a round to vote in."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from policy.constants import BallotMethod, PublicationState
from policy.models import AttentionPoint, PrioritisationRound
from policy.services import rounds as services
from tests.url_table import EXPECTED, ROLES

DEMO_PASSWORD = "raadsdebat-2026"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# charts.js draws every figure synchronously once the deferred scripts have run, so after
# the "load" event each figure should hold Plotly's SVG; waiting for exactly that is
# quicker and surer than "networkidle", which idles half a second after the last request.
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-figure]'))
  .every((figure) => figure.querySelector('svg.main-svg'))"""


# The demo's users stand for the roles; "superuser" is made by sign_in_as.
DEMO_USER = {"raadslid": "raadslid", "griffie": "griffie", "rekenkamer": "rekenkamer"}
# Answers of the URL table that are no page to look at.
NOT_PAGES = ("/healthz", "/readyz")


def pages_for_role(role: str, objects: dict) -> list[str]:
    """Every page of the URL table this role may open (status 200), with its objects filled in."""
    column = ROLES.index(role)
    return [
        path.format(**objects)
        for path, statuses in EXPECTED.values()
        if statuses[column] == 200 and path not in NOT_PAGES and not path.endswith(".css")
    ]


def sign_in_as(page, base_url: str, role: str) -> None:
    """Log in as the demo user of this role; a superuser is made first; anonymous stays out."""
    if role == "superuser":
        get_user_model().objects.create_superuser("root", "root@example.org", DEMO_PASSWORD)
        log_in(page, base_url, "root")
    elif role != "anonymous":
        log_in(page, base_url, DEMO_USER[role])


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
