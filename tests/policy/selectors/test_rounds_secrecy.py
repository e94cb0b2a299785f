"""Prioritisation rounds, secrecy: no result of too few ballots, nobody reads another's ballot."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from policy.models import PrioritisationRound
from policy.services import rounds as services
from tests.policy.round_builders import a_round, attention_points, member, ranking, vote

pytestmark = pytest.mark.django_db


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
