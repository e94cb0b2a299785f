"""Bad register values are refused by the database itself, not only by forms."""

import pytest

from registry import models as rm
from registry.constants import BreakdownDimension, ShareBasis
from tests import factories as f
from tests.builders import refused as _refused

pytestmark = pytest.mark.django_db


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
