"""Prioritisation rounds, voting: one secret ballot per member, and which ballots are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from policy.constants import BallotMethod, RoundState
from policy.models import Ballot, BallotEntry, PrioritisationRound
from policy.services import rounds as services
from tests.i18n import translated
from tests.policy.round_builders import (
    a_round,
    attention_points,
    ranking,
    ranking_post,
    stored_ranking,
    vote,
)

pytestmark = pytest.mark.django_db


# --- Ballots ---


def test_a_member_has_one_ballot_per_round_however_often_they_vote(raadslid):
    points = attention_points()
    round_ = a_round(points)

    vote(round_, raadslid, ranking(*points))
    vote(round_, raadslid, ranking(*reversed(points)))

    assert Ballot.objects.filter(round=round_, voter=raadslid).count() == 1
    assert BallotEntry.objects.filter(ballot__round=round_).count() == len(points)


def test_a_first_ballot_that_loses_a_race_takes_over_the_stored_one(raadslid, monkeypatch):
    points = attention_points()
    round_ = a_round(points)
    stored = vote(round_, raadslid, ranking(*points))
    # As if another request of the same member stored its ballot just after this one looked.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)

    ballot = services._ballot_get_or_create(round_, raadslid)

    assert ballot.pk == stored.pk
    assert Ballot.objects.filter(round=round_).count() == 1


def test_a_member_may_change_their_ballot_while_the_round_is_open(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    client.force_login(raadslid)
    url = reverse("policy:round_vote", args=[round_.pk])

    client.post(url, ranking_post(*points))
    response = client.post(url, ranking_post(points[2], points[0], points[1]), follow=True)

    assert stored_ranking(round_, raadslid) == [points[2].pk, points[0].pk, points[1].pk]
    assert response.redirect_chain[-1][0].startswith(
        reverse("policy:round_detail", args=[round_.pk])
    )
    assert "own-ballot" in response.text


def test_the_ballot_page_starts_from_the_members_own_ballot(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    vote(round_, raadslid, ranking(points[1], points[2], points[0]))
    client.force_login(raadslid)

    text = client.get(reverse("policy:round_vote", args=[round_.pk])).text

    order = [text.index(point.title) for point in (points[1], points[2], points[0])]
    assert order == sorted(order)


def test_voting_is_refused_after_the_round_closes(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    vote(round_, raadslid, ranking(*points))
    services.round_close(round_id=round_.pk)
    client.force_login(raadslid)

    response = client.post(
        reverse("policy:round_vote", args=[round_.pk]),
        ranking_post(*reversed(points)),
        follow=True,
    )

    assert stored_ranking(round_, raadslid) == [point.pk for point in points]
    assert translated("Your ballot was not recorded.") in response.text
    with pytest.raises(services.VotingClosed):
        vote(round_, raadslid, ranking(*reversed(points)))


def test_voting_is_refused_after_the_end_even_before_the_clerk_closes(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    PrioritisationRound.objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(raadslid)

    response = client.post(
        reverse("policy:round_vote", args=[round_.pk]), ranking_post(*points), follow=True
    )

    assert not Ballot.objects.exists()
    assert response.redirect_chain[-1][0] == reverse("policy:round_detail", args=[round_.pk])
    with pytest.raises(services.VotingClosed):
        vote(round_, raadslid, ranking(*points))


def test_a_draft_round_takes_no_ballots(raadslid):
    points = attention_points()
    round_ = a_round(points, state=RoundState.DRAFT)

    with pytest.raises(services.VotingClosed):
        vote(round_, raadslid, ranking(*points))


def _refused(client, round_, data) -> str:
    response = client.post(reverse("policy:round_vote", args=[round_.pk]), data)
    assert response.status_code == 200
    assert not Ballot.objects.exists()
    return response.text


def test_a_ranking_that_misses_an_attention_point_is_refused(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    client.force_login(raadslid)

    text = _refused(client, round_, ranking_post(*points[:2]))

    assert f'id="id_rank_{points[2].pk}_error"' in text
    with pytest.raises(ValidationError):
        vote(round_, raadslid, ranking(*points[:2]))


def test_a_ranking_that_gives_one_place_twice_is_refused(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    client.force_login(raadslid)
    data = ranking_post(*points) | {f"rank_{points[2].pk}": 1}

    text = _refused(client, round_, data)

    assert 'role="alert"' in text
    with pytest.raises(ValidationError):
        vote(round_, raadslid, {points[0].pk: 1, points[1].pk: 1, points[2].pk: 3})


def test_a_ranking_with_a_gap_in_its_places_is_refused(raadslid):
    points = attention_points()
    round_ = a_round(points)

    with pytest.raises(ValidationError):
        vote(round_, raadslid, {points[0].pk: 1, points[1].pk: 2, points[2].pk: 4})


def test_a_ballot_naming_an_attention_point_outside_the_round_is_refused(client, raadslid):
    points = attention_points(4)
    round_ = a_round(points[:3])
    client.force_login(raadslid)

    _refused(client, round_, ranking_post(*points[:3]) | {f"rank_{points[3].pk}": 4})

    with pytest.raises(ValidationError):
        vote(round_, raadslid, ranking(*points))


def test_points_that_do_not_add_up_to_the_budget_are_refused(client, raadslid):
    points = attention_points()
    round_ = a_round(points, method=BallotMethod.POINTS, budget=10)
    client.force_login(raadslid)
    data = {f"points_{point.pk}": 3 for point in points}

    text = _refused(client, round_, data)

    assert "10" in text
    with pytest.raises(ValidationError):
        vote(round_, raadslid, dict.fromkeys([point.pk for point in points], 3))


def test_negative_points_are_refused(raadslid):
    points = attention_points()
    round_ = a_round(points, method=BallotMethod.POINTS, budget=10)

    with pytest.raises(ValidationError):
        vote(round_, raadslid, {points[0].pk: 12, points[1].pk: -2, points[2].pk: 0})


def test_points_that_add_up_to_the_budget_are_stored(client, raadslid):
    points = attention_points()
    round_ = a_round(points, method=BallotMethod.POINTS, budget=10)
    client.force_login(raadslid)

    client.post(
        reverse("policy:round_vote", args=[round_.pk]),
        {f"points_{points[0].pk}": 7, f"points_{points[1].pk}": 3, f"points_{points[2].pk}": 0},
    )

    entries = BallotEntry.objects.filter(ballot__voter=raadslid).order_by("attention_point")
    assert [entry.points for entry in entries] == [7, 3, 0]
