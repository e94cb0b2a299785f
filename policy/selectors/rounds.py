"""The read API of prioritisation rounds: lists, a round's page and its result.

Ballots are secret: nothing here returns another member's entries. A member
gets their own ballot; the clerk gets who voted and when; everyone gets the
number of ballots, and once a round is closed, the result it kept.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from charts.chart import Chart, Column
from charts.formatting import format_number
from policy import figures
from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, Ballot, BallotEntry, PrioritisationRound, Report
from registry.models import Municipality

User = AbstractBaseUser | AnonymousUser

MANAGE_PERMISSION = "policy.change_prioritisationround"
VOTE_PERMISSION = "policy.add_ballot"
MIN_ATTENTION_POINTS = 2
RESULT_WITHHELD = gettext_lazy(
    "Too few ballots to show the result without breaking the secrecy of the vote."
)


def round_result_min_ballots() -> int:
    """The fewest ballots from which a result, overall or per party group, is shown.

    A result of one ballot is that member's ranking; with two, each member can
    subtract their own ballot and read the other's. The floor holds even where a
    setting or a test asks for less.
    """
    return max(settings.ROUND_RESULT_MIN_BALLOTS_FLOOR, settings.ROUND_RESULT_MIN_BALLOTS)


def round_result_withheld(*, round_: PrioritisationRound) -> bool:
    """Whether a closed round's kept result has too few ballots to be shown.

    Decided when it is read, not when the round closed, so rounds closed before
    the minimum existed (or under a lower one) are held back too.
    """
    result = round_.result
    if round_.state != RoundState.CLOSED or not result:
        return False
    return result.get("ballots", 0) < round_result_min_ballots()


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
    """The user's own municipality (profile), else the portal's default one."""
    profile = getattr(user, "portal_profile", None) if user.is_authenticated else None
    if profile is not None and profile.municipality_id:
        return profile.municipality
    return Municipality.objects.filter(code=settings.DEFAULT_MUNICIPALITY).first()


def round_municipality_options() -> QuerySet[Municipality]:
    """Municipalities with at least one published attention point to rank."""
    published = AttentionPoint.objects.published().filter(report__municipality=OuterRef("pk"))
    return Municipality.objects.filter(Exists(published)).order_by("name")


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


@dataclass(frozen=True)
class _Point:
    id: int
    number: int
    title: str
    report: str


def _ranked(points: list[_Point], scores: dict[int, int]) -> list[dict]:
    """Highest score first; equal scores share a place and are ordered by number."""
    ordered = sorted(points, key=lambda point: (-scores[point.id], point.number, point.report))
    counts: dict[int, int] = defaultdict(int)
    for point in points:
        counts[scores[point.id]] += 1
    rows = []
    for point in ordered:
        score = scores[point.id]
        rows.append(
            {
                "id": point.id,
                "number": point.number,
                "title": point.title,
                "report": point.report,
                "score": score,
                "place": 1 + sum(1 for other in points if scores[other.id] > score),
                "tied": counts[score] > 1,
            }
        )
    return rows


def round_scores(
    *, method: str, point_ids: list[int], entries: Iterable[tuple[int, int | None, int | None]]
) -> dict[int, int]:
    """Borda count for rankings (of n points, place 1 scores n-1 … place n scores 0),
    totals for points. `entries`: (attention point id, rank, points) of every ballot."""
    scores = dict.fromkeys(point_ids, 0)
    size = len(point_ids)
    for point_id, rank, points in entries:
        if point_id not in scores:
            continue
        if method == BallotMethod.RANKING:
            scores[point_id] += size - rank if rank is not None else 0
        else:
            scores[point_id] += points or 0
    return scores


def round_result_compute(
    *, round_: PrioritisationRound, computed_at: datetime.datetime | None = None
) -> dict:
    """The aggregate of every stored ballot, as the round keeps it when it closes.

    Titles are copied in, so later edits of the attention points leave the
    result as it was. Three queries, whatever the number of ballots.
    """
    points = [
        _Point(id=point.pk, number=point.number, title=point.title, report=point.report.title)
        for point in round_attention_points(round_=round_)
    ]
    point_ids = [point.id for point in points]
    ballot_count = Ballot.objects.filter(round=round_).count()
    rows = BallotEntry.objects.filter(ballot__round=round_).values_list(
        "ballot_id",
        "attention_point_id",
        "rank",
        "points",
        "ballot__voter__portal_profile__party_group",
    )
    entries: list[tuple[int, int | None, int | None]] = []
    by_group: dict[str, list[tuple[int, int | None, int | None]]] = defaultdict(list)
    group_ballots: dict[str, set[int]] = defaultdict(set)
    for ballot_id, point_id, rank, given, party_group in rows:
        entries.append((point_id, rank, given))
        name = (party_group or "").strip()
        if name:
            by_group[name].append((point_id, rank, given))
            group_ballots[name].add(ballot_id)
    scores = round_scores(method=round_.method, point_ids=point_ids, entries=entries)
    min_ballots = round_result_min_ballots()
    party_groups = [
        {
            "name": name,
            "ballots": len(group_ballots[name]),
            "points": _ranked(
                points,
                round_scores(method=round_.method, point_ids=point_ids, entries=by_group[name]),
            ),
        }
        for name in sorted(by_group, key=str.casefold)
        if len(group_ballots[name]) >= min_ballots
    ]
    outside = ballot_count - sum(group["ballots"] for group in party_groups)
    if 0 < outside < min_ballots:
        # The total minus the groups shown would reveal those few ballots.
        party_groups = []
    return {
        "method": round_.method,
        "points_budget": round_.points_budget,
        "computed_at": (computed_at or timezone.now()).isoformat(),
        "ballots": ballot_count,
        "points": _ranked(points, scores),
        "party_groups": party_groups,
        "ballots_in_party_groups": sum(group["ballots"] for group in party_groups),
        "party_group_min_ballots": min_ballots,
    }


def _score_label(method: str) -> str:
    return _("Borda score") if method == BallotMethod.RANKING else _("points")


def _place(row: dict) -> str:
    place = format_number(row["place"])
    return _("%(place)s (tied)") % {"place": place} if row["tied"] else place


def _point_label(row: dict) -> str:
    return f"{row['number']}. {row['title']}"


def _result_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "place": _place(row),
                "number": row["number"],
                "attention_point": row["title"],
                "label": _point_label(row),
                "score": row["score"],
            }
            for row in rows
        ],
        columns=["place", "number", "attention_point", "label", "score"],
    )


def _method_text(result: dict) -> str:
    if result["method"] == BallotMethod.RANKING:
        return _(
            "Borda count: with %(count)s attention points, first place scores %(top)s and "
            "last place 0."
        ) % {"count": len(result["points"]), "top": max(len(result["points"]) - 1, 0)}
    return _("Each member distributed %(budget)s points; the scores are the totals.") % {
        "budget": format_number(result["points_budget"])
    }


def _summary(result: dict) -> str:
    """One sentence on what came first, with the number of ballots."""
    ballots = result["ballots"]
    top = [row for row in result["points"] if row["place"] == 1]
    values = {
        "ballots": format_number(ballots),
        "numbers": get_text_list([str(row["number"]) for row in top], _("and")),
        "score": format_number(top[0]["score"]),
    }
    ranking = result["method"] == BallotMethod.RANKING
    if len(top) == 1 and ranking:
        text = ngettext(
            "Of %(ballots)s ballot, attention point %(numbers)s came first "
            "with a Borda score of %(score)s.",
            "Of %(ballots)s ballots, attention point %(numbers)s came first "
            "with a Borda score of %(score)s.",
            ballots,
        )
    elif len(top) == 1:
        text = ngettext(
            "Of %(ballots)s ballot, attention point %(numbers)s came first with %(score)s points.",
            "Of %(ballots)s ballots, attention point %(numbers)s came first with %(score)s points.",
            ballots,
        )
    elif ranking:
        text = ngettext(
            "Of %(ballots)s ballot, attention points %(numbers)s share first place "
            "with a Borda score of %(score)s.",
            "Of %(ballots)s ballots, attention points %(numbers)s share first place "
            "with a Borda score of %(score)s.",
            ballots,
        )
    else:
        text = ngettext(
            "Of %(ballots)s ballot, attention points %(numbers)s share first place "
            "with %(score)s points.",
            "Of %(ballots)s ballots, attention points %(numbers)s share first place "
            "with %(score)s points.",
            ballots,
        )
    return text % values


def _shown_party_groups(result: dict) -> list[dict]:
    """The kept party groups that today's minimum still allows; a result kept under a
    lower minimum is filtered again, with the same rule for the ballots left outside."""
    min_ballots = round_result_min_ballots()
    groups = [g for g in result.get("party_groups") or [] if g["ballots"] >= min_ballots]
    outside = result["ballots"] - sum(group["ballots"] for group in groups)
    return [] if 0 < outside < min_ballots else groups


def round_result_charts(*, round_: PrioritisationRound, with_figure: bool = True) -> list[Chart]:
    """The kept result of a closed round as charts with tables; none before it closes,
    and none while it has fewer ballots than the secrecy of the vote allows."""
    result = round_.result
    if round_.state != RoundState.CLOSED or not result or round_result_withheld(round_=round_):
        return []
    closed_on = date_format(timezone.localtime(round_.closed_at), "j F Y")
    ballots = result["ballots"]
    score_label = _score_label(result["method"])
    source = _("Prioritisation round “%(title)s”, closed on %(date)s, %(ballots)s") % {
        "title": round_.title,
        "date": closed_on,
        "ballots": ngettext("%(count)s ballot", "%(count)s ballots", ballots)
        % {"count": format_number(ballots)},
    }
    rows = result["points"]
    data = _result_frame(rows)
    columns = [
        Column("place", _("Place")),
        Column("number", _("Number"), "number"),
        Column("attention_point", _("Attention point")),
        Column("score", score_label, "number"),
    ]
    title = _("Result: %(title)s") % {"title": round_.title}
    summary = _summary(result) if ballots and rows else _("No ballots were cast in this round.")
    charts = [
        Chart(
            id="round-result",
            title=title,
            summary=summary,
            data=data,
            columns=columns,
            figure=figures.round_result(data, title=title, score_label=score_label)
            if with_figure and rows
            else None,
            sources=[source],
            definitions=[_method_text(result)],
        )
    ]
    groups = _shown_party_groups(result)
    if groups:
        group_rows = [
            {
                "party_group": group["name"],
                "ballots": group["ballots"],
                **_result_frame(group["points"]).iloc[index].to_dict(),
            }
            for group in groups
            for index in range(len(group["points"]))
        ]
        charts.append(
            Chart(
                id="round-party-groups",
                title=_("Result per party group"),
                summary=_(
                    "Party groups with at least %(count)s ballots; the other ballots count only "
                    "in the total."
                )
                % {
                    "count": max(
                        result.get("party_group_min_ballots", 0), round_result_min_ballots()
                    )
                },
                data=pd.DataFrame(group_rows),
                columns=[
                    Column("party_group", _("Party group")),
                    Column("ballots", _("Ballots"), "number"),
                    *columns,
                ],
                sources=[source],
            )
        )
    return charts


@dataclass
class RoundPage:
    round: PrioritisationRound
    points: list[AttentionPoint]
    ballot_count: int
    can_manage: bool
    can_vote: bool
    voting_open: bool
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
        own_ballot=ballot_own(round_=round_, user=user, points=points)
        if round_.state != RoundState.DRAFT
        else None,
        voters=round_voters(round_=round_) if can_manage else None,
        charts=round_result_charts(round_=round_, with_figure=with_figure),
        result_withheld=round_result_withheld(round_=round_),
        min_ballots=round_result_min_ballots(),
    )
