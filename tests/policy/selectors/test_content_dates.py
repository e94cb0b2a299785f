"""No invented dates: unknown is unknown, planned is not decided, each figure its own date."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from policy.models import Indicator, Recommendation, Report
from policy.selectors.followup import recommendation_followup
from tests.content import demo_load, export_policy_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


def test_the_haarlemmermeer_report_has_no_date(demo):
    report = Report.objects.get(slug="haarlemmermeer-migranten-2025")

    assert (report.published_on, report.dated_on) == (None, None)


def test_an_undated_report_gives_its_recommendations_no_age_and_no_stale_flag(demo):
    today = datetime.date(2027, 6, 1)
    for recommendation in Recommendation.objects.filter(report__municipality__code="GM0394"):
        follow_up = recommendation_followup(recommendation=recommendation, today=today)

        assert (follow_up.age_months, follow_up.stale) == (None, False)


def test_the_follow_up_monitor_shows_no_age_for_an_undated_report(client, raadslid, demo):
    client.force_login(raadslid)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("policy:followup_monitor") + "?municipality=GM0394&format=csv")

    rows = list(csv.DictReader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert rows
    assert {row["Age in months"] for row in rows} == {""}
    assert {row["No update in 12 months"] for row in rows} == {"Cannot tell: date unknown"}


def test_zoetermeer_route_dates_are_a_provisional_planning_not_decisions(demo):
    for recommendation in Recommendation.objects.filter(report__municipality__code="GM0637"):
        assert (recommendation.oordeelsvorming_on, recommendation.besluitvorming_on) == (None, None)
        assert recommendation.oordeelsvorming_planned_on == datetime.date(2025, 9, 29)
        assert recommendation.besluitvorming_planned_on == datetime.date(2025, 10, 13)


def test_a_planned_decision_does_not_start_the_age_of_a_recommendation(demo):
    recommendation = Recommendation.objects.filter(report__municipality__code="GM0637").first()

    follow_up = recommendation_followup(recommendation=recommendation, today=timezone.localdate())

    assert follow_up.age_basis != "decision"


def test_export_policy_keeps_planned_and_actual_route_dates_apart(demo):
    route = export_policy_json("GM0637")["recommendations"][0]["route"]

    assert route["besluitvorming_on"] is None
    assert route["planned"]["besluitvorming_on"] == "2025-10-13"


def test_the_findings_page_calls_the_zoetermeer_dates_provisional(client, raadslid, demo):
    client.force_login(raadslid)

    page = client.get(reverse("dashboards:findings") + "?municipality=GM0637")

    assert page.context["page"].reports[0].recommendations[0].besluitvorming_on is None
    assert "voorlopige planning" in page.text.lower()


def test_the_965_ukrainians_are_anno_2025_and_1_july_belongs_to_the_951(demo):
    indicator = Indicator.objects.get(slug="oekrainers-gemeentelijke-opvang")

    assert (indicator.reference_date, indicator.reference_text) == (None, "anno 2025")
    assert (indicator.target, indicator.target_reference_date) == (951, datetime.date(2025, 7, 1))


def test_the_zoetermeer_report_is_dated_june_2025_without_a_day(demo):
    report = Report.objects.get(slug="zoetermeer-arbeidsmigranten-2025")

    assert (report.published_on, report.date_text) == (None, "juni 2025")


def test_a_progress_update_before_an_undated_reports_year_is_refused(demo):
    from django.core.exceptions import ValidationError

    from policy.models import RecommendationStatusChange

    recommendation = Recommendation.objects.filter(report__municipality__code="GM0394").first()
    change = RecommendationStatusChange(
        recommendation=recommendation, status="adopted", changed_on=datetime.date(2024, 12, 31)
    )

    with pytest.raises(ValidationError):
        change.full_clean()
