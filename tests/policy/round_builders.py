"""Builders the prioritisation-round tests share: attention points, rounds, members, ballots."""

import datetime

from django.utils import timezone

from dashboards.models import Profile
from migrantportal.roles import Role
from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, Ballot, BallotEntry, PrioritisationRound
from policy.services import rounds as services
from tests import factories as f
from tests.factories import user_with_role

IN_A_WEEK = datetime.timedelta(days=7)


def attention_points(count: int = 3, *, municipality=None, titles=None) -> list[AttentionPoint]:
    municipality = municipality or f.MunicipalityFactory(code="GM9394", name="Rondegemeente")
    report = f.ReportFactory(municipality=municipality, title="Migranten in Rondegemeente")
    titles = titles or [f"Aandachtspunt-{chr(65 + index)}" for index in range(count)]
    return [
        f.AttentionPointFactory(report=report, number=index + 1, title=title)
        for index, title in enumerate(titles)
    ]


def a_round(
    points: list[AttentionPoint] | None = None,
    *,
    state: str = RoundState.OPEN,
    method: str = BallotMethod.RANKING,
    budget: int | None = None,
    closes_at: datetime.datetime | None = None,
    title: str = "Prioriteiten 2026–2030",
    ballots: int = 0,
) -> PrioritisationRound:
    """A round; `ballots` members rank its points in order before a closed one closes."""
    points = points or attention_points()
    round_ = PrioritisationRound.objects.create(
        municipality=points[0].report.municipality,
        title=title,
        period_start=2026,
        period_end=2030,
        method=method,
        points_budget=budget if method == BallotMethod.POINTS else None,
        closes_at=closes_at or timezone.now() + IN_A_WEEK,
        state=RoundState.OPEN if state == RoundState.CLOSED else state,
        opened_at=timezone.now() if state != RoundState.DRAFT else None,
    )
    round_.attention_points.set(points)
    for index in range(ballots):
        vote(round_, member(f"stemmer-{round_.pk}-{index}"), ranking(*points))
    if state == RoundState.CLOSED:
        round_ = services.round_close(round_id=round_.pk)
    return round_


def member(username: str, *, party_group: str = "", role: Role = Role.RAADSLID):
    user = user_with_role(role, username=username)
    Profile.objects.create(user=user, party_group=party_group)
    return user


def ranking(*points: AttentionPoint) -> dict[int, int]:
    """A ranking ballot's values: the points in order of importance."""
    return {point.pk: place for place, point in enumerate(points, start=1)}


def vote(round_: PrioritisationRound, voter, values: dict[int, int]) -> Ballot:
    return services.ballot_submit(round_id=round_.pk, voter=voter, values=values)


def ranking_post(*points: AttentionPoint) -> dict[str, int]:
    return {f"rank_{point.pk}": place for place, point in enumerate(points, start=1)}


def stored_ranking(round_: PrioritisationRound, voter) -> list[int]:
    entries = BallotEntry.objects.filter(ballot__round=round_, ballot__voter=voter)
    return list(entries.order_by("rank").values_list("attention_point_id", flat=True))


def scores(round_: PrioritisationRound) -> dict[str, int]:
    return {row["title"]: row["score"] for row in round_.result["points"]}
