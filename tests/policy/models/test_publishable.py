"""Publishable.objects.published() and for_municipality(): what council members see."""

import pytest

from policy.constants import PublicationState
from policy.models import AttentionPoint, PolicyCell, Recommendation
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = PublicationState.DRAFT


def test_published_leaves_out_a_draft():
    shown = f.AttentionPointFactory()
    f.AttentionPointFactory(state=DRAFT)

    assert list(AttentionPoint.objects.published()) == [shown]


def test_published_leaves_out_a_published_item_of_a_draft_report():
    f.RecommendationFactory(report=f.ReportFactory(state=DRAFT))

    assert not Recommendation.objects.published().exists()


def test_a_published_matrix_cell_only_cites_its_report_so_a_draft_report_does_not_hide_it():
    cell = f.PolicyCellFactory(report=f.ReportFactory(state=DRAFT))

    assert list(PolicyCell.objects.published()) == [cell]


def test_for_municipality_takes_a_municipality_or_its_code():
    mine = f.AttentionPointFactory()
    f.AttentionPointFactory()
    municipality = mine.report.municipality

    by_instance = AttentionPoint.objects.for_municipality(municipality)
    by_code = AttentionPoint.objects.for_municipality(municipality.code)

    assert list(by_instance) == list(by_code) == [mine]
