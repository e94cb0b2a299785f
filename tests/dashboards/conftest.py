"""Fixtures of the dashboards tests: a small site and a snapshot of its debate pack."""

import pytest

from dashboards.models import MeetingSnapshot
from registry.models import Municipality
from tests import factories as f
from tests.dashboards.snapshot_builders import SMALL_PACK, _freeze


@pytest.fixture
def small_site(db) -> Municipality:
    """One municipality with a count and a published report: enough for a pack, and quick."""
    municipality = f.MunicipalityFactory(code="GM9001", name="Testgemeente")
    f.PopulationFactory(municipality=municipality, year=2023, inhabitants=100_000)
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="asiel", persons=1200)
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="arbeid", persons=800)
    report = f.ReportFactory(slug="testrapport", municipality=municipality, title="Testrapport")
    f.AttentionPointFactory(report=report, number=1, title="Huisvesting")
    f.RecommendationFactory(report=report, number=1, title="Bouw meer woningen")
    return municipality


@pytest.fixture
def small_snapshot(small_site) -> MeetingSnapshot:
    return _freeze(query=SMALL_PACK)
