"""finding_is_visible(): the item pages follow the same rule as the lists."""

import pytest

from policy.constants import PublicationState
from policy.selectors.findings import finding_is_visible
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = PublicationState.DRAFT


def test_a_published_cell_citing_a_draft_report_is_visible_as_in_the_matrix():
    cell = f.PolicyCellFactory(report=f.ReportFactory(state=DRAFT))

    assert finding_is_visible(item=cell, include_drafts=False)


def test_a_published_recommendation_of_a_draft_report_is_hidden():
    recommendation = f.RecommendationFactory(report=f.ReportFactory(state=DRAFT))

    assert not finding_is_visible(item=recommendation, include_drafts=False)


def test_a_draft_report_is_hidden():
    assert not finding_is_visible(item=f.ReportFactory(state=DRAFT), include_drafts=False)


def test_editors_see_drafts():
    assert finding_is_visible(item=f.ReportFactory(state=DRAFT), include_drafts=True)
