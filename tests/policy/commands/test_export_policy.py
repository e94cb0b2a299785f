"""`manage.py export_policy`: the published matrix, findings and their links as JSON."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from policy import constants as pc
from policy import models as pm
from tests import factories as f

pytestmark = pytest.mark.django_db


def _export_policy(code: str) -> dict:
    out = io.StringIO()
    call_command("export_policy", "--municipality", code, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def findings():
    municipality = f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    report = f.ReportFactory(slug="nota", municipality=municipality)
    point = f.AttentionPointFactory(report=report, number=5, title="Woonruimte statushouders")
    point.groups.add(pm.MigrantGroup.objects.get(slug="statushouders"))
    conclusion = f.ConclusionFactory(report=report, number=4)
    conclusion.attention_points.add(point)
    recommendation = f.RecommendationFactory(report=report, number=1)
    recommendation.conclusions.add(conclusion)
    f.PolicyCellFactory(municipality=municipality, report=report)
    return recommendation


def test_export_policy_lists_matrix_findings_and_links(findings):
    data = _export_policy("GM0394")

    cell = data["policy_matrix"][0]
    assert len(data["policy_matrix"]) == 1
    assert {key: cell[key] for key in ("group", "theme", "legal_position", "policy_status")} == {
        "group": "statushouders",
        "theme": "huisvesting",
        "legal_position": "statutory_duty",
        "policy_status": "active",
    }
    assert data["attention_points"][0]["groups"] == ["statushouders"]
    assert data["conclusions"][0]["attention_points"] == [5]
    assert data["recommendations"][0]["conclusions"] == [4]


def test_export_policy_gives_a_recommendation_without_follow_up_the_status_open(findings):
    data = _export_policy("GM0394")

    assert data["recommendations"][0]["status"] == "open"


def test_export_policy_gives_the_latest_dated_status(findings):
    for day, status in [(13, "adopted"), (20, "in_progress")]:
        pm.RecommendationStatusChange.objects.create(
            recommendation=findings, status=status, changed_on=datetime.date(2025, 10, day)
        )

    data = _export_policy("GM0394")

    assert data["recommendations"][0]["status"] == "in_progress"
    assert [step["status"] for step in data["recommendations"][0]["status_history"]] == [
        "adopted",
        "in_progress",
    ]


def test_export_policy_leaves_out_drafts(findings):
    pm.AttentionPoint.objects.update(state=pc.PublicationState.DRAFT)
    pm.PolicyCell.objects.update(state=pc.PublicationState.DRAFT)

    data = _export_policy("GM0394")

    assert data["attention_points"] == []
    assert data["policy_matrix"] == []
    assert len(data["recommendations"]) == 1


def test_export_policy_leaves_out_findings_of_a_draft_report(findings):
    pm.Report.objects.update(state=pc.PublicationState.DRAFT)

    data = _export_policy("GM0394")

    assert data["conclusions"] == []
    assert data["recommendations"] == []


def test_export_policy_refuses_an_unknown_municipality():
    with pytest.raises(CommandError, match="GM9999"):
        _export_policy("GM9999")
