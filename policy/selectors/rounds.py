"""The read API of prioritisation rounds: lists, ballots and a round's page.

Ballots are secret: nothing here returns another member's entries. A member
gets their own ballot; the clerk gets who voted and when; everyone gets the
number of ballots, and once a round is closed, the result it kept.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from charts.chart import Chart
from migrantportal.access import queryset_in_scope, user_works_for
from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, Ballot, BallotEntry, PrioritisationRound, Report
from policy.selectors.round_results import (
    round_result_charts,
    round_result_min_ballots,
    round_result_withheld,
)
from registry.models import Municipality

User = AbstractBaseUser | AnonymousUser

MANAGE_PERMISSION = "policy.change_prioritisationround"
VOTE_PERMISSION = "policy.add_ballot"
MIN_ATTENTION_POINTS = 2


def round_can_manage(*, user: User) -> bool:
    return user.has_perm(MANAGE_PERMISSION)


def round_can_vote(*, user: User) -> bool:
    return user.has_perm(VOTE_PERMISSION)


def round_voting_closed_reason(
    *, round_: PrioritisationRound, now: datetime.datetime | None = None
) -> str | None:
    """Why the round takes no ballot now, or None while it does (open, before its end)."""
    if round_.state == RoundState.CLOSED:
        return _("This round is closed; it takes no more ballots.")
    if round_.state != RoundState.OPEN:
        return _("This round is not open for voting yet.")
    if (now or timezone.now()) >= round_.closes_at:
        return _("Voting ended on %(date)s; the round takes no more ballots.") % {
            "date": date_format(timezone.localtime(round_.closes_at), "j F Y, H:i")
        }
    return None


def round_voter_refusal(*, round_: PrioritisationRound, user: User) -> str | None:
    """Why this member may not vote in the round, or None.

    A member whose profile names a municipality votes only in that council's
    rounds; members without one (and superusers) are not limited.
    """
    profile = getattr(user, "portal_profile", None)
    own = getattr(profile, "municipality_id", None)
    if own is not None and own != round_.municipality_id:
        return _("This round is for the council of %(municipality)s.") % {
            "municipality": round_.municipality.name
        }
    return None


def round_voting_open(*, round_: PrioritisationRound, now: datetime.datetime | None = None) -> bool:
    """Open, and its end not passed: the only time a ballot is accepted."""
    return round_.state == RoundState.OPEN and (now or timezone.now()) < round_.closes_at


def round_visible_list(*, user: User) -> QuerySet[PrioritisationRound]:
    """Rounds the user may see: drafts only for those who prepare rounds."""
    rounds = PrioritisationRound.objects.select_related("municipality")
    if not round_can_manage(user=user):
        rounds = rounds.exclude(state=RoundState.DRAFT)
    return rounds


@dataclass
class RoundRow:
    round: PrioritisationRound
    ballot_count: int
    has_voted: bool
    voting_open: bool


def round_list(*, user: User) -> list[RoundRow]:
    """Every visible round, open ones first, then drafts, then closed; two queries at most."""
    voted = Ballot.objects.filter(round=OuterRef("pk"), voter_id=user.pk)
    rounds = round_visible_list(user=user).annotate(
        ballot_count=Count("ballots", distinct=True), has_voted=Exists(voted)
    )
    order = {RoundState.OPEN: 0, RoundState.DRAFT: 1, RoundState.CLOSED: 2}
    now = timezone.now()
    rows = [
        RoundRow(
            round=round_,
            ballot_count=round_.ballot_count,
            has_voted=round_.has_voted,
            voting_open=round_voting_open(round_=round_, now=now),
        )
        for round_ in rounds
    ]
    rows.sort(
        key=lambda row: (
            order[row.round.state],
            # Open and draft rounds by their end date; closed ones latest first.
            -row.round.closes_at.timestamp()
            if row.round.state == RoundState.CLOSED
            else row.round.closes_at.timestamp(),
            row.round.pk,
        )
    )
    return rows


def round_attention_points(
    *, round_: PrioritisationRound, published_only: bool = False
) -> list[AttentionPoint]:
    """The round's attention points in the report's order.

    With published_only, what a council member may see: a point returned to
    draft (or whose report was) after the round opened stays hidden from them.
    """
    points = round_.attention_points.select_related("report")
    if published_only:
        points = points.published()
    return list(points.order_by("report__year", "report__title", "number"))


def round_open_ranking(
    *, attention_points: Iterable[AttentionPoint] = (), reports: Iterable[Report] = ()
) -> QuerySet[PrioritisationRound]:
    """The open rounds that rank any of these attention points, or a point of these reports."""
    return (
        PrioritisationRound.objects.filter(state=RoundState.OPEN)
        .filter(
            Q(attention_points__in=list(attention_points))
            | Q(attention_points__report__in=list(reports))
        )
        .distinct()
        .order_by("title")
    )


def round_attention_point_choices() -> QuerySet[AttentionPoint]:
    """What a round may rank: published points of municipalities' published reports."""
    return (
        AttentionPoint.objects.published()
        .filter(report__municipality__isnull=False)
        .select_related("report__municipality")
        .order_by("report__municipality__name", "report__year", "report__title", "number")
    )


def round_default_municipality(*, user: User) -> Municipality | None:
    """The user's own municipality (profile), else the portal's default one, else the first
    they work for; None when the one found is not theirs to prepare a round for."""
    profile = getattr(user, "portal_profile", None) if user.is_authenticated else None
    if profile is not None and profile.municipality_id:
        found = profile.municipality
    else:
        found = Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()
    if found is not None and user_works_for(user=user, municipality_id=found.pk):
        return found
    return queryset_in_scope(
        user=user, queryset=Municipality.objects.order_by("name"), path="pk"
    ).first()


def round_municipality_options(*, user: User | None = None) -> QuerySet[Municipality]:
    """Municipalities with at least one published attention point to rank; with `user`,
    only those they work for (a clerk prepares rounds for their own council)."""
    published = AttentionPoint.objects.published().filter(report__municipality=OuterRef("pk"))
    options = Municipality.objects.filter(Exists(published)).order_by("name")
    return queryset_in_scope(user=user, queryset=options, path="pk")


@dataclass
class OwnEntry:
    point: AttentionPoint
    rank: int | None
    points: int | None


@dataclass
class OwnBallot:
    submitted_at: datetime.datetime
    updated_at: datetime.datetime
    entries: list[OwnEntry]

    def values(self) -> dict[int, int]:
        """Rank or points per attention point id, as the ballot form takes them."""
        return {
            entry.point.pk: entry.rank if entry.rank is not None else entry.points
            for entry in self.entries
        }


def ballot_own(
    *, round_: PrioritisationRound, user: User, points: Iterable[AttentionPoint]
) -> OwnBallot | None:
    """The user's own ballot in this round, and never anyone else's."""
    if not user.is_authenticated:
        return None
    ballot = Ballot.objects.filter(round=round_, voter_id=user.pk).first()
    if ballot is None:
        return None
    by_id = {point.pk: point for point in points}
    entries = [
        OwnEntry(point=by_id[entry.attention_point_id], rank=entry.rank, points=entry.points)
        for entry in BallotEntry.objects.filter(ballot=ballot).order_by("rank", "pk")
        if entry.attention_point_id in by_id
    ]
    if round_.method == BallotMethod.POINTS:
        entries.sort(key=lambda entry: (-(entry.points or 0), entry.point.number))
    return OwnBallot(
        submitted_at=ballot.submitted_at, updated_at=ballot.updated_at, entries=entries
    )


@dataclass
class Voter:
    name: str
    submitted_at: datetime.datetime
    updated_at: datetime.datetime


def round_voters(*, round_: PrioritisationRound) -> list[Voter]:
    """Who voted and when, for the clerk; how they voted is not read."""
    ballots = Ballot.objects.filter(round=round_).select_related("voter").order_by("submitted_at")
    return [
        Voter(
            name=ballot.voter.get_full_name() or ballot.voter.get_username(),
            submitted_at=ballot.submitted_at,
            updated_at=ballot.updated_at,
        )
        for ballot in ballots
    ]


# --- The result ---


@dataclass
class RoundPage:
    round: PrioritisationRound
    points: list[AttentionPoint]
    ballot_count: int
    can_manage: bool
    can_vote: bool
    voting_open: bool
    # Managing, and the clerk works for this round's council: edit, open, close.
    can_change: bool = False
    own_ballot: OwnBallot | None = None
    voters: list[Voter] | None = None
    charts: list[Chart] = field(default_factory=list)
    result_withheld: bool = False
    min_ballots: int = 3


def round_page(*, round_: PrioritisationRound, user: User, with_figure: bool = True) -> RoundPage:
    """Everything the round's page shows to this user, in a fixed number of queries."""
    can_manage = round_can_manage(user=user)
    can_vote = round_can_vote(user=user)
    points = round_attention_points(round_=round_, published_only=not can_manage)
    return RoundPage(
        round=round_,
        points=points,
        ballot_count=Ballot.objects.filter(round=round_).count(),
        can_manage=can_manage,
        can_vote=can_vote,
        voting_open=round_voting_open(round_=round_),
        can_change=can_manage and user_works_for(user=user, municipality_id=round_.municipality_id),
        own_ballot=ballot_own(round_=round_, user=user, points=points)
        if round_.state != RoundState.DRAFT
        else None,
        voters=round_voters(round_=round_) if can_manage else None,
        charts=round_result_charts(round_=round_, with_figure=with_figure),
        result_withheld=round_result_withheld(round_=round_),
        min_ballots=round_result_min_ballots(),
    )
