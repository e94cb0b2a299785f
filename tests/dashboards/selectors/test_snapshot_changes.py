"""Meeting snapshots, what changed since: the change note above a frozen pack."""

from datetime import date

import pytest

from dashboards import selectors
from migrantportal.figure_cache import figure_cache_invalidate
from policy.constants import PublicationState, RecommendationStatus
from policy.models import Conclusion, Recommendation, RecommendationStatusChange
from registry.models import Estimate
from tests import factories as f
from tests.dashboards.snapshot_builders import (
    DEMO_REPORT,
    _dutch,
    _edit,
    _freeze,
    _frozen_part,
    _page,
    _point,
)

pytestmark = pytest.mark.django_db


# --- what changed since ---


def test_the_change_note_says_nothing_changed_when_nothing_did(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    response = _page(client, snapshot)

    assert response.context["changes"].nothing_changed
    assert _dutch("Nothing changed since the pack was frozen.") in response.text


def test_the_change_note_ignores_a_save_that_changed_nothing(demo):
    snapshot = _freeze()

    _edit(_point(2))

    assert selectors.meeting_snapshot_changes(snapshot=snapshot).nothing_changed


def test_the_change_note_names_a_recommendation_whose_status_changed(demo):
    snapshot = _freeze()
    recommendation = Recommendation.objects.get(report__slug=DEMO_REPORT, number=2)

    RecommendationStatusChange.objects.create(
        recommendation=recommendation,
        status=RecommendationStatus.DONE,
        changed_on=date(2026, 12, 1),
    )
    figure_cache_invalidate()

    [change] = selectors.meeting_snapshot_changes(snapshot=snapshot).findings
    assert (change.kind, change.number, change.state, change.fields) == (
        "recommendations",
        2,
        "edited",
        ["status"],
    )
    assert change.changed_at is not None


def test_the_change_note_names_a_finding_added_since(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    f.AttentionPointFactory(report=_point(1).report, number=15, title="Nieuw aandachtspunt")
    figure_cache_invalidate()

    response = _page(client, snapshot)
    [change] = response.context["changes"].findings
    assert (change.number, change.title, change.state) == (15, "Nieuw aandachtspunt", "added")
    assert change.changed_at is not None
    assert "Nieuw aandachtspunt" not in _frozen_part(response.text)


def test_the_change_note_names_a_finding_removed_since(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)

    Conclusion.objects.get(report__slug=DEMO_REPORT, number=8).delete()
    figure_cache_invalidate()

    response = _page(client, snapshot)
    [change] = response.context["changes"].findings
    assert (change.kind, change.number, change.state) == ("conclusions", 8, "removed")
    assert change.changed_at is not None
    assert change.title in _frozen_part(response.text)


def test_the_change_note_counts_a_finding_taken_back_to_draft_as_removed(demo):
    snapshot = _freeze()

    _edit(_point(14), state=PublicationState.DRAFT)

    [change] = selectors.meeting_snapshot_changes(snapshot=snapshot).findings
    assert (change.kind, change.number, change.state) == ("attention_points", 14, "removed")
    assert change.changed_at is not None


def test_the_change_note_names_a_chart_the_portal_no_longer_shows(demo):
    snapshot = _freeze(query="municipality=GM0358&include=register:estimates")
    assert [c["id"] for c in snapshot.content["charts"]] == ["estimates"]

    Estimate.objects.filter(municipality__code="GM0358").delete()
    figure_cache_invalidate()

    changes = selectors.meeting_snapshot_changes(snapshot=snapshot)
    assert [(c.id, c.state) for c in changes.charts] == [("estimates", "removed")]


def test_the_change_note_compares_kept_findings_even_when_the_include_does_not_name_them(demo):
    snapshot = _freeze()
    snapshot.include = ["overview:motive-split"]  # the findings kept, "findings:all" not named
    snapshot.save()

    _edit(_point(2), title="Anders")

    [change] = selectors.meeting_snapshot_changes(snapshot=snapshot).findings
    assert (change.kind, change.number, change.state) == ("attention_points", 2, "edited")
