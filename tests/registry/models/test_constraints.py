"""Bad values are refused by the database itself, not only by forms."""

import datetime

import pytest
from django.db import DataError, IntegrityError, transaction

from policy import constants as pc
from policy import models as pm
from registry import models as rm
from registry.constants import BreakdownDimension, ShareBasis
from tests import factories as f

pytestmark = pytest.mark.django_db


def _refused(build) -> bool:
    try:
        with transaction.atomic():
            build()
    except (IntegrityError, DataError):
        # PostgreSQL refuses an over-long value as a DataError, SQLite by the check.
        return True
    return False


@pytest.mark.parametrize("code", ["GM394", "gm0394", "XX0394", "GM03940", "NL02", ""])
def test_municipality_code_must_be_a_cbs_region_code(code):
    assert _refused(lambda: rm.Municipality.objects.create(code=code, name="X"))


def test_municipality_code_accepts_gm_codes_and_the_netherlands():
    rm.Municipality.objects.create(code="GM0394", name="Haarlemmermeer")
    rm.Municipality.objects.create(code="NL01", name="Nederland", kind="country")

    assert rm.Municipality.objects.count() == 2


def test_municipality_code_is_unique():
    f.MunicipalityFactory(code="GM0394")

    assert _refused(lambda: rm.Municipality.objects.create(code="GM0394", name="Dubbel"))


@pytest.mark.parametrize("year", [1989, 2101])
def test_migrant_count_year_must_lie_between_1990_and_2100(year):
    assert _refused(lambda: f.MigrantCountFactory(year=year))


@pytest.mark.parametrize("year", [1990, 2100])
def test_migrant_count_accepts_the_edge_years(year):
    assert not _refused(lambda: f.MigrantCountFactory(year=year))


def test_migrant_count_cannot_be_negative():
    assert _refused(lambda: f.MigrantCountFactory(persons=-1))


def test_migrant_count_is_unique_per_municipality_year_motive_and_measure():
    count = f.MigrantCountFactory(measure="stock")

    assert _refused(
        lambda: f.MigrantCountFactory(
            municipality=count.municipality, source=count.source, measure="stock"
        )
    )


def test_stock_and_inflow_of_the_same_key_are_stored_side_by_side():
    count = f.MigrantCountFactory(measure="stock")

    assert not _refused(
        lambda: f.MigrantCountFactory(
            municipality=count.municipality, source=count.source, measure="inflow"
        )
    )


def test_migrant_count_measure_must_be_stock_or_inflow():
    assert _refused(lambda: f.MigrantCountFactory(measure="flow"))


def test_motive_must_be_one_of_the_six_slugs():
    assert _refused(lambda: rm.Motive.objects.create(slug="toerisme", order=99, colour="#000000"))


def test_population_cannot_be_negative():
    assert _refused(lambda: f.PopulationFactory(inhabitants=-5))


def test_population_is_unique_per_municipality_and_year():
    population = f.PopulationFactory()

    assert _refused(
        lambda: f.PopulationFactory(municipality=population.municipality, source=population.source)
    )


def test_population_year_must_lie_in_range():
    assert _refused(lambda: f.PopulationFactory(year=1980))


def _share(**overrides):
    values = {
        "municipality": f.MunicipalityFactory(code="GM0394"),
        "year": 2023,
        "basis": ShareBasis.POPULATION,
        "share_pct": 11.4,
        "source": f.SourceFactory(slug="s"),
    }
    return rm.MigrantShare.objects.create(**{**values, **overrides})


@pytest.mark.parametrize("share", [-0.1, 100.01])
def test_published_share_must_lie_between_0_and_100(share):
    assert _refused(lambda: _share(share_pct=share))


def test_published_total_share_is_unique_per_municipality_year_and_basis():
    _share()

    assert _refused(lambda: _share(share_pct=12))


def test_published_motive_shares_of_different_motives_coexist():
    _share(motive_id="gezin", basis=ShareBasis.MIGRANTS, share_pct=43)

    assert not _refused(lambda: _share(motive_id="arbeid", basis=ShareBasis.MIGRANTS, share_pct=22))


def _breakdown(**overrides):
    values = {
        "municipality": f.MunicipalityFactory(code="GM0394"),
        "year": 2023,
        "motive_id": "arbeid",
        "dimension": BreakdownDimension.ORIGIN,
        "category": "MOE-landen",
        "share_pct": 18,
        "source": f.SourceFactory(slug="s"),
    }
    return rm.MigrantBreakdown.objects.create(**{**values, **overrides})


def test_breakdown_needs_a_count_or_a_share():
    assert _refused(lambda: _breakdown(share_pct=None, persons=None))


def test_breakdown_share_cannot_exceed_100():
    assert _refused(lambda: _breakdown(share_pct=101))


def _estimate(**overrides):
    values = {
        "municipality": f.MunicipalityFactory(code="GM0358"),
        "year": 2025,
        "motive_id": "arbeid",
        "label": "Niet-geverifieerde adressen",
        "low": 1000,
        "high": 4500,
        "method": "Verkenning",
        "source": f.SourceFactory(slug="s"),
    }
    return rm.Estimate.objects.create(**{**values, **overrides})


def test_estimate_low_cannot_exceed_high():
    assert _refused(lambda: _estimate(low=4500, high=1000))


def test_estimate_needs_a_point_or_a_full_range():
    assert _refused(lambda: _estimate(low=None, high=None, point=None))


def test_estimate_range_needs_both_bounds():
    assert _refused(lambda: _estimate(low=1000, high=None, point=900))


def test_estimate_point_must_lie_within_its_range():
    assert _refused(lambda: _estimate(point=5000))


def test_estimate_with_point_only_is_accepted():
    assert not _refused(lambda: _estimate(low=None, high=None, point=1500))


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
