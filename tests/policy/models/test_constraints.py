"""Bad policy values are refused by the database itself, not only by forms."""

import datetime

import pytest

from policy import constants as pc
from policy import models as pm
from tests import factories as f
from tests.builders import refused as _refused

pytestmark = pytest.mark.django_db


def test_policy_cell_is_unique_per_municipality_group_and_theme():
    cell = f.PolicyCellFactory()

    assert _refused(lambda: f.PolicyCellFactory(municipality=cell.municipality))


def test_policy_cell_legal_position_must_be_a_known_value():
    assert _refused(lambda: f.PolicyCellFactory(legal_position="maybe"))


def test_policy_cell_status_must_be_a_known_value():
    assert _refused(lambda: f.PolicyCellFactory(policy_status="sometimes"))


def test_publication_state_must_be_draft_or_published():
    assert _refused(lambda: f.ReportFactory(state="hidden"))


def test_attention_point_number_is_unique_within_its_report():
    point = f.AttentionPointFactory(number=3)

    assert _refused(lambda: f.AttentionPointFactory(report=point.report, number=3))


def test_attention_point_number_starts_at_one():
    assert _refused(lambda: f.AttentionPointFactory(number=0))


def test_recommendation_addressee_must_be_council_college_or_both():
    assert _refused(lambda: f.RecommendationFactory(addressee="minister"))


def test_recommendation_decision_cannot_precede_opinion_forming():
    assert _refused(
        lambda: f.RecommendationFactory(
            oordeelsvorming_on=datetime.date(2025, 10, 13),
            besluitvorming_on=datetime.date(2025, 9, 29),
        )
    )


def test_status_change_must_be_a_known_status():
    recommendation = f.RecommendationFactory()

    assert _refused(
        lambda: pm.RecommendationStatusChange.objects.create(
            recommendation=recommendation, status="forgotten", changed_on=datetime.date(2025, 1, 1)
        )
    )


def test_indicator_value_cannot_be_negative():
    report = f.ReportFactory()

    assert _refused(
        lambda: pm.Indicator.objects.create(
            municipality=report.municipality,
            slug="x",
            label="X",
            year=2025,
            value=-1,
            unit=pc.IndicatorUnit.PERSONS,
            report=report,
        )
    )


def _round(**overrides):
    values = {
        "municipality": f.MunicipalityFactory(code="GM0394"),
        "title": "Prioriteiten 2026–2030",
        "period_start": 2026,
        "period_end": 2030,
        "method": pc.BallotMethod.RANKING,
        "closes_at": datetime.datetime(2026, 12, 31, tzinfo=datetime.UTC),
    }
    return pm.PrioritisationRound.objects.create(**{**values, **overrides})


def test_round_period_cannot_end_before_it_starts():
    assert _refused(lambda: _round(period_start=2030, period_end=2026))


def test_points_round_needs_a_points_budget():
    assert _refused(lambda: _round(method=pc.BallotMethod.POINTS, points_budget=None))


def test_ranking_round_has_no_points_budget():
    assert _refused(lambda: _round(points_budget=10))


def test_a_member_casts_one_ballot_per_round():
    round_ = _round()
    voter = f.UserFactory()
    pm.Ballot.objects.create(round=round_, voter=voter)

    assert _refused(lambda: pm.Ballot.objects.create(round=round_, voter=voter))


def test_ballot_entry_holds_a_rank_or_points_but_not_both():
    ballot = pm.Ballot.objects.create(round=_round(), voter=f.UserFactory())
    point = f.AttentionPointFactory()

    assert _refused(
        lambda: pm.BallotEntry.objects.create(
            ballot=ballot, attention_point=point, rank=1, points=3
        )
    )


def test_two_entries_of_one_ballot_cannot_share_a_rank():
    ballot = pm.Ballot.objects.create(round=_round(), voter=f.UserFactory())
    first, second = f.AttentionPointFactory(), f.AttentionPointFactory()
    pm.BallotEntry.objects.create(ballot=ballot, attention_point=first, rank=1)

    assert _refused(
        lambda: pm.BallotEntry.objects.create(ballot=ballot, attention_point=second, rank=1)
    )
