"""Prioritisation rounds, the pages: who may do what, preparing, opening, closing, query budgets."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.models import Profile
from migrantportal.roles import Role
from policy.constants import BallotMethod, PublicationState, RoundState
from policy.models import AttentionPoint, Ballot, PrioritisationRound
from policy.services import rounds as services
from tests import factories as f
from tests.factories import user_with_role
from tests.i18n import translated
from tests.policy.round_builders import (
    IN_A_WEEK,
    a_round,
    attention_points,
    member,
    ranking,
    ranking_post,
    vote,
)

pytestmark = pytest.mark.django_db


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
    assert translated("Cast") in voted_row
    assert translated("Not cast") in other_row


@pytest.mark.translation
def test_the_round_list_says_in_dutch_whether_the_member_voted(client, raadslid):
    points = attention_points()
    vote(a_round(points, title="Gestemde ronde"), raadslid, ranking(*points))
    a_round(points, title="Andere ronde")
    client.force_login(raadslid)

    text = client.get(reverse("policy:round_list")).text

    assert "Uitgebracht" in text
    assert "Niet uitgebracht" in text
    assert "Uw stem wijzigen" in text


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
