"""Prioritisation rounds: who may do what, one secret ballot per member, the kept result."""

import csv
import datetime
import io
import re
import threading

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.models import Profile
from migrantportal.roles import Role
from policy import figures
from policy.constants import BallotMethod, PublicationState, RoundState
from policy.models import AttentionPoint, Ballot, BallotEntry, PrioritisationRound, Report
from policy.selectors.history import item_version
from policy.services import rounds as services
from policy.services.editing import InOpenRoundError, items_state_set
from tests import factories as f
from tests.admin_forms import admin_page_data
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

IN_A_WEEK = datetime.timedelta(days=7)


# --- Builders ---


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


# --- Who may do what ---


@pytest.fixture
def rounds():
    points = attention_points()
    other = attention_points(2, municipality=f.MunicipalityFactory(code="GM9395"))
    return {
        "open": a_round(points),
        "draft": a_round(points, state=RoundState.DRAFT, title="In voorbereiding"),
        "closed": a_round(other, state=RoundState.CLOSED, title="Gesloten", ballots=3),
    }


PAGES = {
    "list": lambda rounds: reverse("policy:round_list"),
    "detail": lambda rounds: reverse("policy:round_detail", args=[rounds["open"].pk]),
    "create": lambda rounds: reverse("policy:round_create"),
    "edit": lambda rounds: reverse("policy:round_edit", args=[rounds["draft"].pk]),
    "open": lambda rounds: reverse("policy:round_open", args=[rounds["draft"].pk]),
    "close": lambda rounds: reverse("policy:round_close", args=[rounds["open"].pk]),
    "vote": lambda rounds: reverse("policy:round_vote", args=[rounds["open"].pk]),
    "download": lambda rounds: (
        reverse("policy:round_detail", args=[rounds["closed"].pk]) + "?format=csv"
    ),
}
EXPECTED = {
    #              list detail create edit open close vote download
    "raadslid": (200, 200, 403, 403, 403, 403, 200, 200),
    "griffie": (200, 200, 200, 200, 200, 200, 403, 200),
    "rekenkamer": (200, 200, 403, 403, 403, 403, 403, 200),
    "superuser": (200, 200, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_reaches_exactly_the_round_pages_it_may(client, rounds, role, page, request):
    client.force_login(request.getfixturevalue(role))

    response = client.get(PAGES[page](rounds))

    assert response.status_code == EXPECTED[role][list(PAGES).index(page)]


@pytest.mark.parametrize("page", list(PAGES))
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, rounds, page):
    url = PAGES[page](rounds)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["raadslid", "rekenkamer"])
@pytest.mark.parametrize("action", ["round_open", "round_close", "round_edit"])
def test_members_and_the_audit_office_cannot_post_round_management(
    client, rounds, role, action, request
):
    client.force_login(request.getfixturevalue(role))
    target = rounds["draft"] if action != "round_close" else rounds["open"]

    response = client.post(reverse(f"policy:{action}", args=[target.pk]))

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.state == (RoundState.DRAFT if action != "round_close" else RoundState.OPEN)


@pytest.mark.parametrize("role", ["griffie", "rekenkamer"])
def test_the_clerk_and_the_audit_office_cannot_vote(client, rounds, role, request):
    points = list(rounds["open"].attention_points.order_by("number"))
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        reverse("policy:round_vote", args=[rounds["open"].pk]), ranking_post(*points)
    )

    assert response.status_code == 403
    assert not Ballot.objects.filter(round=rounds["open"]).exists()


@pytest.mark.parametrize("role", ["raadslid", "rekenkamer"])
def test_a_draft_round_is_hidden_from_members_and_the_audit_office(client, rounds, role, request):
    client.force_login(request.getfixturevalue(role))

    listing = client.get(reverse("policy:round_list"))
    detail = client.get(reverse("policy:round_detail", args=[rounds["draft"].pk]))

    assert "In voorbereiding" not in listing.text
    assert detail.status_code == 404


def test_the_list_shows_open_rounds_first_and_whether_the_member_voted(client, raadslid):
    points = attention_points()
    a_round(points, state=RoundState.CLOSED, title="Oude ronde")
    voted = a_round(points, title="Gestemde ronde")
    a_round(points, title="Nog niet gestemd", closes_at=timezone.now() + 2 * IN_A_WEEK)
    vote(voted, raadslid, ranking(*points))
    client.force_login(raadslid)

    text = client.get(reverse("policy:round_list")).text

    assert text.index("Gestemde ronde") < text.index("Nog niet gestemd") < text.index("Oude ronde")
    rows = re.findall(r"<tr>.*?</tr>", text, flags=re.S)
    voted_row = next(row for row in rows if "Gestemde ronde" in row)
    other_row = next(row for row in rows if "Nog niet gestemd" in row)
    assert "Uitgebracht" in voted_row or "Cast" in voted_row
    assert "Niet uitgebracht" in other_row or "Not cast" in other_row


def test_the_clerk_sees_links_to_create_open_and_close_rounds(client, griffie, rounds):
    client.force_login(griffie)

    text = client.get(reverse("policy:round_list")).text

    assert reverse("policy:round_create") in text
    assert reverse("policy:round_open", args=[rounds["draft"].pk]) in text
    assert reverse("policy:round_close", args=[rounds["open"].pk]) in text


# --- Preparing, opening and closing ---


def round_post(points: list[AttentionPoint], **changes) -> dict:
    data = {
        "municipality": points[0].report.municipality.pk,
        "title": "Prioriteiten 2026–2030",
        "period_start": 2026,
        "period_end": 2030,
        "method": BallotMethod.RANKING,
        "points_budget": "",
        "closes_at": (timezone.localtime() + IN_A_WEEK).strftime("%Y-%m-%dT%H:%M"),
        "attention_points": [point.pk for point in points],
    }
    return data | changes


def test_the_clerk_creates_a_draft_round_over_published_attention_points(client, griffie):
    points = attention_points()
    client.force_login(griffie)

    response = client.post(reverse("policy:round_create"), round_post(points))

    round_ = PrioritisationRound.objects.get()
    assert response.status_code == 302
    assert round_.state == RoundState.DRAFT
    assert round_.created_by == griffie
    assert round_.points_budget is None
    assert set(round_.attention_points.all()) == set(points)


def test_the_round_form_defaults_to_the_clerks_own_municipality(client, griffie):
    points = attention_points()
    own = points[0].report.municipality
    attention_points(2, municipality=f.MunicipalityFactory(code="GM9001", name="Aardorp"))
    Profile.objects.filter(user=griffie).update(municipality=own)
    client.force_login(griffie)

    response = client.get(reverse("policy:round_create"))

    assert response.context["form"]["municipality"].value() == own.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_start": 2031}, "period_end"),
        ({"method": BallotMethod.POINTS, "points_budget": ""}, "points_budget"),
        ({"closes_at": "2020-01-01T12:00"}, "closes_at"),
        ({"title": ""}, "title"),
    ],
)
def test_an_invalid_round_is_refused_with_the_error_on_its_field(client, griffie, changes, field):
    points = attention_points()
    client.force_login(griffie)

    response = client.post(reverse("policy:round_create"), round_post(points, **changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.text
    assert not PrioritisationRound.objects.exists()


def test_a_round_needs_at_least_two_attention_points(client, griffie):
    points = attention_points()
    client.force_login(griffie)

    response = client.post(reverse("policy:round_create"), round_post(points[:1]))

    assert "attention_points" in response.context["form"].errors
    assert not PrioritisationRound.objects.exists()


def test_a_round_takes_no_attention_points_of_another_municipality(client, griffie):
    points = attention_points()
    foreign = attention_points(1, municipality=f.MunicipalityFactory(code="GM9001"))
    client.force_login(griffie)

    response = client.post(reverse("policy:round_create"), round_post([*points, *foreign]))

    assert "attention_points" in response.context["form"].errors
    assert not PrioritisationRound.objects.exists()


def test_a_round_takes_no_draft_attention_points(griffie):
    points = attention_points()
    AttentionPoint.objects.filter(pk=points[0].pk).update(state=PublicationState.DRAFT)

    with pytest.raises(ValidationError) as refusal:
        services.round_create(
            municipality=points[0].report.municipality,
            title="Prioriteiten",
            period_start=2026,
            period_end=2030,
            method=BallotMethod.RANKING,
            points_budget=None,
            closes_at=timezone.now() + IN_A_WEEK,
            attention_points=AttentionPoint.objects.select_related("report"),
            created_by=griffie,
        )

    assert "attention_points" in refusal.value.message_dict


def test_the_clerk_opens_a_draft_round(client, griffie):
    round_ = a_round(state=RoundState.DRAFT)
    client.force_login(griffie)

    client.post(reverse("policy:round_open", args=[round_.pk]))

    round_.refresh_from_db()
    assert round_.state == RoundState.OPEN
    assert round_.opened_at is not None


def test_a_round_whose_end_has_passed_cannot_be_opened():
    round_ = a_round(state=RoundState.DRAFT, closes_at=timezone.now() - IN_A_WEEK)

    with pytest.raises(ValidationError):
        services.round_open(round_id=round_.pk)


def test_the_clerk_closes_an_open_round_and_its_result_is_kept(client, griffie, raadslid):
    points = attention_points()
    round_ = a_round(points)
    vote(round_, raadslid, ranking(*points))
    client.force_login(griffie)

    client.post(reverse("policy:round_close", args=[round_.pk]))

    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED
    assert round_.closed_at is not None
    assert round_.result["ballots"] == 1
    assert round_.result["method"] == BallotMethod.RANKING
    assert round_.result["computed_at"]


def test_a_draft_can_change_its_method_and_points():
    points = attention_points()
    round_ = a_round(points, state=RoundState.DRAFT)

    services.round_update(
        round_id=round_.pk,
        title=round_.title,
        period_start=2026,
        period_end=2030,
        closes_at=round_.closes_at,
        method=BallotMethod.POINTS,
        points_budget=10,
        attention_points=points[:2],
    )

    round_.refresh_from_db()
    assert (round_.method, round_.points_budget) == (BallotMethod.POINTS, 10)
    assert round_.attention_points.count() == 2


def test_an_open_round_cannot_change_its_method_or_attention_points():
    points = attention_points()
    round_ = a_round(points)

    with pytest.raises(ValidationError):
        services.round_update(
            round_id=round_.pk,
            title=round_.title,
            period_start=2026,
            period_end=2030,
            closes_at=round_.closes_at,
            method=BallotMethod.POINTS,
            points_budget=10,
            attention_points=points,
        )
    with pytest.raises(ValidationError):
        services.round_update(
            round_id=round_.pk,
            title=round_.title,
            period_start=2026,
            period_end=2030,
            closes_at=round_.closes_at,
            method=BallotMethod.RANKING,
            attention_points=points[:2],
        )


def test_the_edit_form_of_an_open_round_changes_the_title_but_not_the_method(client, griffie):
    points = attention_points()
    round_ = a_round(points)
    client.force_login(griffie)

    client.post(
        reverse("policy:round_edit", args=[round_.pk]),
        round_post(points[:2], title="Nieuwe titel", method=BallotMethod.POINTS, points_budget=10),
    )

    round_.refresh_from_db()
    assert round_.title == "Nieuwe titel"
    assert round_.method == BallotMethod.RANKING
    assert round_.attention_points.count() == 3


def test_a_closed_round_is_read_only(client, griffie):
    round_ = a_round(state=RoundState.CLOSED)
    client.force_login(griffie)

    response = client.post(
        reverse("policy:round_edit", args=[round_.pk]), {"title": "Anders"}, follow=True
    )

    round_.refresh_from_db()
    assert round_.title == "Prioriteiten 2026–2030"
    assert response.redirect_chain[-1][0] == reverse("policy:round_detail", args=[round_.pk])
    with pytest.raises(ValidationError):
        services.round_close(round_id=round_.pk)
    with pytest.raises(ValidationError):
        services.round_open(round_id=round_.pk)


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
    assert "not recorded" in response.text or "niet vastgelegd" in response.text
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


# --- Results ---


def test_borda_count_on_a_worked_example():
    a, b, c = attention_points(titles=["A", "B", "C"])
    round_ = a_round([a, b, c])
    # With 3 points: first place 2, second 1, third 0.
    vote(round_, member("m1"), ranking(a, b, c))  # A 2, B 1, C 0
    vote(round_, member("m2"), ranking(a, c, b))  # A 2, C 1, B 0
    vote(round_, member("m3"), ranking(b, a, c))  # B 2, A 1, C 0

    round_ = services.round_close(round_id=round_.pk)

    assert scores(round_) == {"A": 5, "B": 3, "C": 1}
    assert [row["title"] for row in round_.result["points"]] == ["A", "B", "C"]
    assert round_.result["ballots"] == 3


def test_equal_borda_scores_share_a_place_and_keep_the_numbers_order():
    a, b, c = attention_points(titles=["A", "B", "C"])
    round_ = a_round([a, b, c])
    vote(round_, member("m1"), ranking(b, a, c))  # B 2, A 1
    vote(round_, member("m2"), ranking(a, b, c))  # A 2, B 1

    rows = services.round_close(round_id=round_.pk).result["points"]

    assert [(row["title"], row["place"], row["tied"]) for row in rows] == [
        ("A", 1, True),
        ("B", 1, True),
        ("C", 3, False),
    ]


def test_points_totals_on_a_worked_example():
    a, b, c = attention_points(titles=["A", "B", "C"])
    round_ = a_round([a, b, c], method=BallotMethod.POINTS, budget=10)
    vote(round_, member("m1"), {a.pk: 5, b.pk: 5, c.pk: 0})
    vote(round_, member("m2"), {a.pk: 0, b.pk: 3, c.pk: 7})
    vote(round_, member("m3"), {a.pk: 10, b.pk: 0, c.pk: 0})

    round_ = services.round_close(round_id=round_.pk)

    assert scores(round_) == {"A": 15, "B": 8, "C": 7}
    assert round_.result["points_budget"] == 10


def test_the_result_per_party_group_counts_groups_of_three_ballots_or_more():
    a, b, c = attention_points(titles=["A", "B", "C"])
    round_ = a_round([a, b, c])
    vote(round_, member("v1", party_group="VVD"), ranking(a, b, c))
    vote(round_, member("v2", party_group="VVD"), ranking(a, c, b))
    vote(round_, member("v3", party_group="VVD"), ranking(b, a, c))
    vote(round_, member("g1", party_group="GroenLinks"), ranking(c, b, a))
    vote(round_, member("g2", party_group="GroenLinks "), ranking(c, a, b))
    vote(round_, member("g3", party_group="GroenLinks"), ranking(c, b, a))
    vote(round_, member("d1", party_group="D66"), ranking(b, a, c))  # alone: not shown apart
    vote(round_, member("d2", party_group="D66"), ranking(b, c, a))  # a pair: not shown apart
    vote(round_, member("x1"), ranking(b, c, a))  # no party group

    result = services.round_close(round_id=round_.pk).result

    groups = {
        group["name"]: {row["title"]: row["score"] for row in group["points"]}
        for group in result["party_groups"]
    }
    assert groups == {
        "GroenLinks": {"A": 1, "B": 2, "C": 6},
        "VVD": {"A": 5, "B": 3, "C": 1},
    }
    assert result["ballots"] == 9
    assert result["ballots_in_party_groups"] == 6


@pytest.mark.parametrize("outside", [1, 2])
def test_no_party_group_result_is_shown_when_one_or_two_ballots_would_remain_apart(outside):
    # The total minus the groups shown would be those few members' ballots.
    a, b, c = attention_points(titles=["A", "B", "C"])
    round_ = a_round([a, b, c])
    for index in range(3):
        vote(round_, member(f"v{index}", party_group="VVD"), ranking(a, b, c))
    for index in range(outside):
        vote(round_, member(f"x{index}", party_group="D66"), ranking(c, b, a))

    result = services.round_close(round_id=round_.pk).result

    assert result["party_groups"] == []


def test_a_party_group_of_two_is_not_shown_so_neither_member_can_read_the_other():
    a, b, c = attention_points(titles=["A", "B", "C"])
    round_ = a_round([a, b, c])
    for index in range(2):
        vote(round_, member(f"v{index}", party_group="VVD"), ranking(a, b, c))
    for index in range(3):
        vote(round_, member(f"g{index}", party_group="GroenLinks"), ranking(c, b, a))

    result = services.round_close(round_id=round_.pk).result

    assert result["party_groups"] == []


# --- Drafts stay hidden from voters ---


def test_a_point_returned_to_draft_in_the_admin_is_hidden_on_the_round_and_ballot_pages(
    client, raadslid
):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Geheim"])
    round_ = a_round([a, b, c])
    AttentionPoint.objects.filter(pk=c.pk).update(state=PublicationState.DRAFT)
    client.force_login(raadslid)

    round_page = client.get(reverse("policy:round_detail", args=[round_.pk])).text
    ballot_page = client.get(reverse("policy:round_vote", args=[round_.pk])).text

    assert "Alfa" in round_page
    assert "Geheim" not in round_page
    assert "Geheim" not in ballot_page


def test_a_round_with_a_draft_point_cannot_be_opened():
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Geheim"])
    round_ = a_round([a, b, c], state=RoundState.DRAFT)
    AttentionPoint.objects.filter(pk=c.pk).update(state=PublicationState.DRAFT)

    with pytest.raises(ValidationError):
        services.round_open(round_id=round_.pk)

    round_.refresh_from_db()
    assert round_.state == RoundState.DRAFT


def test_a_point_ranked_in_an_open_round_cannot_be_returned_to_draft(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)

    client.post(
        reverse("policy:item_state", args=["aandachtspunt", a.pk]),
        {"state": PublicationState.DRAFT, "base_version": item_version(instance=a)},
    )

    a.refresh_from_db()
    assert a.state == PublicationState.PUBLISHED


def test_the_report_of_a_point_in_an_open_round_cannot_be_returned_to_draft(rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])

    with pytest.raises(InOpenRoundError):
        items_state_set(items=[a.report], state=PublicationState.DRAFT, user=rekenkamer)


def _admin_change_data(instance, **changes) -> dict:
    """The instance's editable fields as its change form posts them, with these changes."""
    data = {
        name: [item.pk for item in value] if isinstance(value, list) else value
        for name, value in model_to_dict(instance).items()
        if value is not None
    }
    return {**data, "base_version": item_version(instance=instance), **changes}


def test_the_admin_change_form_keeps_a_point_of_an_open_round_published(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)

    response = client.post(
        reverse("admin:policy_attentionpoint_change", args=[a.pk]),
        _admin_change_data(a, state=PublicationState.DRAFT),
    )

    assert response.status_code == 200
    assert "Prioriteiten 2026–2030" in str(response.context["adminform"].form.errors["state"])
    a.refresh_from_db()
    assert a.state == PublicationState.PUBLISHED


def test_the_admin_change_form_returns_a_point_to_draft_once_its_round_closed(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b], state=RoundState.CLOSED)
    client.force_login(rekenkamer)

    response = client.post(
        reverse("admin:policy_attentionpoint_change", args=[a.pk]),
        _admin_change_data(a, state=PublicationState.DRAFT),
    )

    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == PublicationState.DRAFT


def test_the_admin_report_form_keeps_the_report_of_an_open_rounds_point_published(rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    report = a.report
    request = RequestFactory().get("/")
    request.user = rekenkamer
    form_class = admin.site._registry[Report].get_form(request, report)

    form = form_class(_admin_change_data(report, state=PublicationState.DRAFT), instance=report)

    assert not form.is_valid()
    assert "Prioriteiten 2026–2030" in str(form.errors["state"])


def test_the_admin_will_not_delete_a_point_an_open_round_ranks(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)
    url = reverse("admin:policy_attentionpoint_delete", args=[a.pk])

    page = client.get(url)
    client.post(url, {"post": "yes"})

    assert "Prioriteiten 2026–2030" in str(page.context["protected"])
    assert AttentionPoint.objects.filter(pk=a.pk).exists()


def test_the_admin_will_not_delete_the_report_of_a_point_an_open_round_ranks(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)

    client.post(reverse("admin:policy_report_delete", args=[a.report_id]), {"post": "yes"})

    assert Report.objects.filter(pk=a.report_id).exists()


def test_the_report_page_refuses_deleting_an_inline_point_an_open_round_ranks(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    client.force_login(rekenkamer)
    url = reverse("admin:policy_report_change", args=[a.report_id])
    opened = client.get(url)
    points = next(
        inline.formset
        for inline in opened.context["inline_admin_formsets"]
        if inline.formset.model is AttentionPoint
    )
    deleting = next(form for form in points.forms if form.instance == a)

    response = client.post(url, admin_page_data(opened) | {deleting.add_prefix("DELETE"): "on"})

    assert AttentionPoint.objects.filter(pk=a.pk).exists()
    assert "Prioriteiten 2026–2030" in response.text


def test_reverting_a_ranked_point_to_a_version_in_draft_is_refused(client, rekenkamer):
    a, b = attention_points(2)
    a.state = PublicationState.DRAFT
    a.save()  # a history row of the draft
    draft_version = item_version(instance=a)
    a.state = PublicationState.PUBLISHED
    a.save()
    a_round([a, b])
    client.force_login(rekenkamer)
    url = reverse("admin:policy_attentionpoint_simple_history", args=[a.pk, draft_version])

    client.post(url, admin_page_data(client.get(url)))

    a.refresh_from_db()
    assert a.state == PublicationState.PUBLISHED


def test_a_ranked_point_stays_in_its_report_while_its_round_is_open(client, rekenkamer):
    a, b = attention_points(2)
    a_round([a, b])
    draft_report = f.ReportFactory(municipality=a.report.municipality, state=PublicationState.DRAFT)
    client.force_login(rekenkamer)
    url = reverse("admin:policy_attentionpoint_change", args=[a.pk])

    client.post(url, admin_page_data(client.get(url)) | {"report": draft_report.pk})

    a.refresh_from_db()
    assert a.report_id != draft_report.pk


def test_the_closed_round_page_shows_the_result_as_chart_and_table(client, raadslid):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Charlie"])
    round_ = a_round([a, b, c])
    vote(round_, member("m1", party_group="VVD"), ranking(b, a, c))
    vote(round_, member("m2", party_group="VVD"), ranking(b, c, a))
    vote(round_, member("m3", party_group="VVD"), ranking(b, a, c))
    services.round_close(round_id=round_.pk)
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert 'data-figure="figure-round-result"' in response.text
    assert 'id="figure-round-result"' in response.text
    assert "js/charts.js" in response.text
    table = response.text[response.text.index("<table") :]
    assert table.index("Bravo") < table.index("Alfa") < table.index("Charlie")
    assert 'id="round-party-groups"' in response.text


def test_the_result_figure_draws_one_bar_per_point_highest_first():
    import pandas as pd

    data = pd.DataFrame({"label": ["3. C", "1. A"], "score": [5, 2]})

    figure = figures.round_result(data, title="Uitslag", score_label="Borda-score")

    (bars,) = figure.data
    assert list(bars.x) == [5, 2]
    assert list(bars.y) == ["3. C", "1. A"]
    assert bars.orientation == "h"
    assert bars.marker.color == "#0072B2"
    assert figure.layout.yaxis.autorange == "reversed"


def test_a_closed_round_keeps_its_result_after_the_attention_points_change(client, raadslid):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Charlie"])
    round_ = a_round([a, b, c])
    for voter in (raadslid, member("m1"), member("m2")):
        vote(round_, voter, ranking(c, b, a))
    round_ = services.round_close(round_id=round_.pk)
    kept = round_.result
    AttentionPoint.objects.filter(pk=c.pk).update(title="Herschreven titel")
    BallotEntry.objects.all().delete()

    client.force_login(raadslid)

    text = client.get(reverse("policy:round_detail", args=[round_.pk])).text

    round_.refresh_from_db()
    assert round_.result == kept
    assert "Charlie" in text
    assert "Herschreven titel" not in text


def test_while_open_the_page_shows_how_many_ballots_are_in_but_no_scores(client, raadslid):
    points = attention_points()
    round_ = a_round(points)
    vote(round_, member("m1"), ranking(*points))
    vote(round_, member("m2"), ranking(*points))
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert response.context["page"].ballot_count == 2
    assert response.context["page"].charts == []
    assert "figure-round-result" not in response.text


def test_the_result_downloads_as_formula_safe_csv(client, rekenkamer):
    points = attention_points(titles=["=HYPERLINK(1)", "Gewoon"])
    round_ = a_round(points, state=RoundState.CLOSED, ballots=3)
    client.force_login(rekenkamer)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["attention_point"] for row in rows] == ["'=HYPERLINK(1)", "Gewoon"]
    assert [row["score"] for row in rows] == ["3", "0"]


def test_the_result_downloads_as_xlsx(client, rekenkamer):
    round_ = a_round(state=RoundState.CLOSED, ballots=3)
    client.force_login(rekenkamer)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=xlsx")

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_an_open_round_has_no_result_to_download(client, raadslid):
    round_ = a_round()
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=csv")

    assert response.status_code == 404


# --- Secrecy ---


def closed_with(ballots: int, *, titles=("Alfa", "Bravo", "Charlie")) -> PrioritisationRound:
    """A closed round in which `ballots` members ranked Charlie, Alfa, Bravo."""
    a, b, c = attention_points(titles=list(titles))
    round_ = a_round([a, b, c])
    for index in range(ballots):
        vote(round_, member(f"geheim-{index}", party_group="SP"), ranking(c, a, b))
    return services.round_close(round_id=round_.pk)


@pytest.mark.parametrize("ballots", [1, 2])
def test_the_result_of_fewer_than_three_ballots_is_not_shown_on_the_round_page(
    client, raadslid, ballots
):
    round_ = closed_with(ballots)
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert response.context["page"].result_withheld
    assert response.context["page"].charts == []
    assert 'id="result-withheld"' in response.text
    assert "figure-round-result" not in response.text
    assert not _has_order(response.text, "Charlie", "Alfa", "Bravo")


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_the_result_of_two_ballots_cannot_be_downloaded(client, griffie, file_format):
    round_ = closed_with(2)
    client.force_login(griffie)

    response = client.get(
        reverse("policy:round_detail", args=[round_.pk]) + f"?format={file_format}"
    )

    assert response.status_code == 404
    assert b"Charlie" not in response.content


def test_the_clerk_sees_who_voted_but_not_a_result_of_two_ballots(client, griffie):
    round_ = closed_with(2)
    client.force_login(griffie)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert "geheim-0" in response.text
    assert not _has_order(response.text, "Charlie", "Alfa", "Bravo")


def test_the_admin_does_not_show_a_result_of_two_ballots(client, superuser):
    round_ = closed_with(2)
    client.force_login(superuser)

    response = client.get(reverse("admin:policy_prioritisationround_change", args=[round_.pk]))

    assert "Charlie (4)" not in response.text
    assert "Alfa (" not in response.text
    assert '"score"' not in response.text


def test_the_admin_shows_a_result_of_three_ballots(client, superuser):
    round_ = closed_with(3)
    client.force_login(superuser)

    response = client.get(reverse("admin:policy_prioritisationround_change", args=[round_.pk]))

    assert "1. Alfa (3)" in response.text
    assert "3. Charlie (6)" in response.text


def test_a_round_closed_with_one_ballot_before_the_minimum_existed_is_withheld(client, raadslid):
    round_ = closed_with(3)
    kept = round_.result | {"ballots": 1, "party_groups": [], "party_group_min_ballots": 1}
    PrioritisationRound.objects.filter(pk=round_.pk).update(result=kept)
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=json")

    assert response.status_code == 404


@override_settings(ROUND_RESULT_MIN_BALLOTS=1)
def test_a_minimum_set_below_three_still_withholds_two_ballots(client, raadslid):
    round_ = closed_with(2)
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert response.context["page"].result_withheld
    assert response.context["page"].min_ballots == 3


@override_settings(ROUND_RESULT_MIN_BALLOTS=5)
def test_a_higher_minimum_withholds_four_ballots(client, raadslid):
    round_ = closed_with(4)
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert response.context["page"].result_withheld


def test_party_groups_kept_under_a_lower_minimum_are_held_back_under_a_higher_one(client, raadslid):
    round_ = closed_with(4)
    assert [group["ballots"] for group in round_.result["party_groups"]] == [4]
    client.force_login(raadslid)

    with override_settings(ROUND_RESULT_MIN_BALLOTS=4):
        shown = client.get(reverse("policy:round_detail", args=[round_.pk]))
    with override_settings(ROUND_RESULT_MIN_BALLOTS=5):
        raised = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert 'id="round-party-groups"' in shown.text
    assert 'id="round-party-groups"' not in raised.text


@pytest.mark.parametrize("page", ["policy:round_detail", "policy:round_vote"])
def test_the_minimum_is_stated_before_anyone_votes(client, raadslid, page):
    round_ = a_round()
    client.force_login(raadslid)

    response = client.get(reverse(page, args=[round_.pk]))

    statement = response.text.split('id="result-minimum">')[1].split("</p>")[0]
    assert " 3 " in statement


def _has_order(text: str, *titles: str) -> bool:
    """Whether the titles appear one right after the other, as a ranked list shows them."""
    pattern = "|".join(re.escape(title) for title in titles)
    seen = re.findall(pattern, text)
    size = len(titles)
    return any(tuple(seen[i : i + size]) == titles for i in range(len(seen) - size + 1))


def test_a_member_sees_their_own_ballot_and_never_anothers(client):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Charlie"])
    round_ = a_round([a, b, c])
    other, own = member("ander"), member("zelf")
    vote(round_, other, ranking(c, a, b))
    vote(round_, own, ranking(b, c, a))
    client.force_login(own)

    detail = client.get(reverse("policy:round_detail", args=[round_.pk]))
    ballot_page = client.get(reverse("policy:round_vote", args=[round_.pk]))

    own_section = detail.text[detail.text.index('id="own-ballot"') :]
    assert _has_order(own_section, "Bravo", "Charlie", "Alfa")
    for text in (detail.text, ballot_page.text):
        assert not _has_order(text, "Charlie", "Alfa", "Bravo")
    assert "ander" not in detail.text


def test_the_clerk_sees_who_voted_and_when_but_not_how(client, griffie):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Charlie"])
    round_ = a_round([a, b, c])
    vote(round_, member("jansen"), ranking(c, a, b))
    vote(round_, member("de-vries"), ranking(b, c, a))
    client.force_login(griffie)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert "jansen" in response.text
    assert "de-vries" in response.text
    assert response.context["page"].own_ballot is None
    assert not _has_order(response.text, "Charlie", "Alfa", "Bravo")
    assert not _has_order(response.text, "Bravo", "Charlie", "Alfa")


def test_the_superuser_does_not_see_how_members_voted_either(client, superuser):
    a, b, c = attention_points(titles=["Alfa", "Bravo", "Charlie"])
    round_ = a_round([a, b, c])
    vote(round_, member("jansen"), ranking(c, a, b))
    client.force_login(superuser)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]))

    assert "jansen" in response.text
    assert not _has_order(response.text, "Charlie", "Alfa", "Bravo")


def test_members_and_the_audit_office_do_not_see_who_voted(client, raadslid, rekenkamer):
    round_ = a_round()
    vote(round_, member("jansen"), ranking(*round_.attention_points.order_by("number")))

    for user in (raadslid, rekenkamer):
        client.force_login(user)
        response = client.get(reverse("policy:round_detail", args=[round_.pk]))
        assert "jansen" not in response.text
        assert response.context["page"].voters is None


# --- Query budgets ---


def _queries(client, url: str) -> int:
    client.get(url)  # the signed-in user is read once, then kept in the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(round_: PrioritisationRound, *, voters: int) -> None:
    points = list(round_.attention_points.order_by("number"))
    for index in range(voters):
        voter = member(f"extra-{round_.pk}-{index}", party_group=f"Fractie {index % 3}")
        vote(
            round_, voter, ranking(*(points[index % len(points) :] + points[: index % len(points)]))
        )


@pytest.mark.parametrize("state", [RoundState.OPEN, RoundState.CLOSED])
@pytest.mark.parametrize("role", ["raadslid", "griffie"])
def test_the_round_page_needs_as_many_queries_for_many_ballots_as_for_few(
    client, request, state, role
):
    user = request.getfixturevalue(role)
    small = a_round(attention_points(3))
    large = a_round(
        attention_points(12, municipality=f.MunicipalityFactory(code="GM9002")), title="Groot"
    )
    _grow(small, voters=1)
    _grow(large, voters=15)
    if role == "raadslid":
        vote(small, user, ranking(*small.attention_points.order_by("number")))
        vote(large, user, ranking(*large.attention_points.order_by("number")))
    if state == RoundState.CLOSED:
        services.round_close(round_id=small.pk)
        services.round_close(round_id=large.pk)
    client.force_login(user)

    few = _queries(client, reverse("policy:round_detail", args=[small.pk]))
    many = _queries(client, reverse("policy:round_detail", args=[large.pk]))

    assert many == few
    assert few <= 12


def test_the_list_and_ballot_pages_need_as_many_queries_for_many_rounds_as_for_few(
    client, raadslid
):
    points = attention_points(3)
    round_ = a_round(points)
    vote(round_, raadslid, ranking(*points))
    client.force_login(raadslid)
    few_list = _queries(client, reverse("policy:round_list"))
    few_vote = _queries(client, reverse("policy:round_vote", args=[round_.pk]))

    big = a_round(attention_points(12, municipality=f.MunicipalityFactory(code="GM9002")))
    for index in range(10):
        a_round(points, title=f"Ronde {index}")
    _grow(big, voters=10)
    vote(big, raadslid, ranking(*big.attention_points.order_by("number")))

    assert _queries(client, reverse("policy:round_list")) == few_list
    assert _queries(client, reverse("policy:round_vote", args=[big.pk])) == few_vote
    assert few_list <= 6


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


@pytest.mark.parametrize("page", ["create", "edit", "open", "close"])
def test_the_clerks_pages_need_as_many_queries_for_many_attention_points_as_for_few(
    client, griffie, django_assert_max_num_queries, page
):
    def url(round_: PrioritisationRound) -> str:
        if page == "create":
            return reverse("policy:round_create")
        return reverse(f"policy:round_{page}", args=[round_.pk])

    state = RoundState.OPEN if page == "close" else RoundState.DRAFT
    small = a_round(attention_points(2), state=state)
    client.force_login(griffie)
    few = _queries(client, url(small))

    large = a_round(
        attention_points(14, municipality=f.MunicipalityFactory(code="GM9002")), state=state
    )
    for index in range(5):
        attention_points(3, municipality=f.MunicipalityFactory(code=f"GM91{index:02d}"))
    if state == RoundState.OPEN:
        _grow(large, voters=5)

    with django_assert_max_num_queries(few):
        assert client.get(url(large)).status_code == 200


# --- Closing when the end has passed ---


def test_the_close_command_closes_only_open_rounds_whose_end_has_passed():
    past = a_round(closes_at=timezone.now() - datetime.timedelta(minutes=1), title="Voorbij")
    future = a_round(title="Nog open")
    vote(future, member("lid-toekomst"), ranking(*future.attention_points.order_by("number")))
    out = io.StringIO()

    call_command("close_due_rounds", stdout=out)

    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.state, future.state) == (RoundState.CLOSED, RoundState.OPEN)
    assert past.result["ballots"] == 0
    assert "Voorbij" in out.getvalue()


def test_a_member_votes_only_in_the_rounds_of_their_own_council(client):
    a, b = attention_points(2)
    round_ = a_round([a, b])
    elsewhere = user_with_role(Role.RAADSLID, username="lid-elders")
    Profile.objects.create(user=elsewhere, municipality=f.MunicipalityFactory(code="GM9396"))
    client.force_login(elsewhere)

    page = client.get(reverse("policy:round_vote", args=[round_.pk]))
    client.post(reverse("policy:round_vote", args=[round_.pk]), ranking_post(a, b))

    assert page.status_code == 302
    assert not Ballot.objects.filter(round=round_).exists()
    with pytest.raises(services.VotingClosed):
        vote(round_, elsewhere, ranking(a, b))
