"""Prioritisation rounds under concurrency (PostgreSQL): parallel ballots and a racing close."""

import threading

import pytest
from django.db import connections

from policy.constants import RoundState
from policy.models import Ballot, BallotEntry
from policy.services import rounds as services
from tests import factories as f
from tests.policy.round_builders import a_round, attention_points, ranking, vote

pytestmark = pytest.mark.django_db


# --- Concurrency (PostgreSQL) ---


def _in_threads(jobs) -> list:
    """Run the jobs at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as problem:  # the test reads every outcome
            outcomes[index] = problem
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres_only(reason="row locks between parallel connections")
@pytest.mark.django_db(transaction=True)
def test_parallel_ballots_are_never_lost_or_doubled():
    points = attention_points(4)
    round_ = a_round(points)
    # Plain users: the services trust the views' permission check, and a transactional
    # test's database has lost the groups the data migrations made.
    members = [f.UserFactory(username=f"lid{index}") for index in range(6)]
    jobs = []
    for index, voter in enumerate(members):
        order = points[index % 4 :] + points[: index % 4]
        # Each member twice at once: a first ballot racing with its own change.
        jobs.append(lambda voter=voter, order=order: vote(round_, voter, ranking(*order)))
        jobs.append(lambda voter=voter: vote(round_, voter, ranking(*reversed(points))))

    outcomes = _in_threads(jobs)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert Ballot.objects.filter(round=round_).count() == len(members)
    for voter in members:
        ranks = sorted(
            BallotEntry.objects.filter(ballot__voter=voter).values_list("rank", flat=True)
        )
        assert ranks == [1, 2, 3, 4]


@pytest.mark.postgres_only(reason="row locks between parallel connections")
@pytest.mark.django_db(transaction=True)
def test_a_close_racing_with_votes_counts_exactly_the_ballots_stored():
    points = attention_points(3)
    round_ = a_round(points)
    members = [f.UserFactory(username=f"lid{index}") for index in range(8)]
    jobs = [lambda voter=voter: vote(round_, voter, ranking(*points)) for voter in members]
    jobs.insert(4, lambda: services.round_close(round_id=round_.pk))

    outcomes = _in_threads(jobs)

    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, services.VotingClosed)
    ]
    assert unexpected == []
    round_.refresh_from_db()
    stored = Ballot.objects.filter(round=round_).count()
    accepted = sum(isinstance(o, Ballot) for o in outcomes)
    assert round_.state == RoundState.CLOSED
    assert round_.result["ballots"] == stored == accepted
    # Borda: every ballot adds 2 + 1 + 0 points in all.
    assert sum(row["score"] for row in round_.result["points"]) == 3 * stored
