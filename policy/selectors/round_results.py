"""A prioritisation round's result: counted once when it closes, shown when secrecy allows.

The result is the Borda count (rankings) or the totals (points) of every ballot,
overall and per party group, with the titles copied in so later edits leave it as
it was. It is shown only from `round_result_min_ballots()` ballots on.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from charts.chart import Chart, Column
from charts.formatting import format_number
from policy import figures
from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, Ballot, BallotEntry, PrioritisationRound

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
    *,
    round_: PrioritisationRound,
    attention_points: list[AttentionPoint],
    computed_at: datetime.datetime | None = None,
) -> dict:
    """The aggregate of every stored ballot, as the round keeps it when it closes.

    Titles are copied in, so later edits of the attention points leave the
    result as it was. Three queries, whatever the number of ballots.
    """
    points = [
        _Point(id=point.pk, number=point.number, title=point.title, report=point.report.title)
        for point in attention_points
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
        # The attention point's number names it; it counts nothing.
        Column("number", _("Number"), "number", unit=""),
        Column("attention_point", _("Attention point")),
        Column("score", score_label, "number", unit=_("points")),
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
