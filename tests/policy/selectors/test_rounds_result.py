"""Prioritisation rounds, the result: Borda and points counts, party groups, the kept result."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from policy import figures
from policy.constants import BallotMethod, RoundState
from policy.models import AttentionPoint, BallotEntry
from policy.services import rounds as services
from tests.policy.round_builders import (
    a_round,
    attention_points,
    member,
    ranking,
    scores,
    vote,
)

pytestmark = pytest.mark.django_db


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

    (bars,) = figure["data"]
    assert bars["x"] == [5, 2]
    assert bars["y"] == ["3. C", "1. A"]
    assert bars["orientation"] == "h"
    assert bars["marker"]["color"] == "#0072B2"
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"
    assert figure["layout"]["xaxis"]["dtick"] == 1  # scores up to 10: whole ones only


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
    client.cookies["django_language"] = "en"

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["Attention point"] for row in rows] == ["'=HYPERLINK(1)", "Gewoon"]
    assert [row["Borda score"] for row in rows] == ["3", "0"]


def test_the_result_downloads_as_xlsx(client, rekenkamer):
    round_ = a_round(state=RoundState.CLOSED, ballots=3)
    client.force_login(rekenkamer)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=xlsx")

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_result_xlsx_is_named_after_the_round_within_excels_rules(client, rekenkamer):
    round_ = a_round(state=RoundState.CLOSED, ballots=3, title="Wat eerst? [2026/2027]")
    client.force_login(rekenkamer)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Result - Wat eerst (2026-2027)", "About"]
    assert next(workbook.worksheets[0].iter_rows(values_only=True)) == (
        "Place",
        "Number",
        "Attention point",
        "Borda score",
    )


def test_an_open_round_has_no_result_to_download(client, raadslid):
    round_ = a_round()
    client.force_login(raadslid)

    response = client.get(reverse("policy:round_detail", args=[round_.pk]) + "?format=csv")

    assert response.status_code == 404
