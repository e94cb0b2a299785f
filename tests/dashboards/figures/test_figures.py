"""Figure functions, read as data: traces, values, colours and labels."""

import json
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import pytest
from django.utils import translation
from plotly.subplots import make_subplots

from charts import privacy
from charts.figures import wrap_label
from dashboards import figures
from policy import figures as policy_figures
from registry.constants import MOTIVE_COLOURS


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_motive_shares_over_time_stacks_one_trace_per_motive_in_its_colour():
    data = pd.DataFrame(
        {
            "year": [2022, 2023, 2023],
            "motive": ["asiel", "asiel", "gezin"],
            "share_of_population_pct": [1.2, 1.56, 4.92],
        }
    )

    figure = figures.motive_shares_over_time(data, title="T")

    assert figure["layout"]["barmode"] == "stack"
    assert [trace["type"] for trace in figure["data"]] == ["bar", "bar"]
    assert [trace["marker"]["color"] for trace in figure["data"]] == [
        MOTIVE_COLOURS["asiel"],
        MOTIVE_COLOURS["gezin"],
    ]
    assert figure["data"][0]["x"] == ["2022", "2023"]
    assert figure["data"][0]["y"] == [1.2, 1.56]


@pytest.mark.translation
def test_motive_split_orders_motives_from_small_to_large_with_dutch_labels():
    data = pd.DataFrame(
        {
            "motive": ["gezin", "studie"],
            "count": [7975, 935],
            "share_of_migrants_pct": [43.16, 5.06],
        }
    )

    figure = figures.motive_split(data, title="T")

    bar = figure["data"][0]
    assert bar["x"] == [935, 7975]
    assert bar["text"] == ["935<br>(5,1 %)", "7.975<br>(43,2 %)"]
    assert bar["marker"]["color"] == [MOTIVE_COLOURS["studie"], MOTIVE_COLOURS["gezin"]]


def test_share_comparison_draws_the_netherlands_dashed_and_the_chosen_municipality_thickest():
    data = pd.DataFrame(
        {
            "municipality_code": ["GM0394", "GM0394", "NL01", "GM0358"],
            "municipality": ["Haarlemmermeer", "Haarlemmermeer", "Nederland", "Aalsmeer"],
            "year": [2015, 2023, 2023, 2023],
            "share_pct": [4.8, 11.4, 9.1, 10.0],
        }
    )

    figure = figures.share_comparison(data, title="T", highlight="GM0394")

    lines = {trace["name"]: trace["line"] for trace in figure["data"]}
    assert lines["Nederland"]["dash"] == "dash"
    assert lines["Haarlemmermeer"]["width"] > lines["Aalsmeer"]["width"]
    assert figure["data"][0]["y"] == [4.8, 11.4]


def test_estimates_draw_a_range_as_a_floating_bar_from_low_to_high():
    data = pd.DataFrame(
        {
            "label": ["Niet-geverifieerde adressen"],
            "kind": ["estimate"],
            "value": [None],
            "low": [1000],
            "high": [4500],
            "provenance": ["geschat"],
        }
    )

    figure = figures.estimates_against_register(data, title="T")

    bar = figure["data"][0]
    assert (bar["base"], bar["x"]) == ([1000.0], [3500.0])
    assert bar["text"] == ["1.000–4.500<br>(geschat)"]
    assert bar["customdata"] == [["Niet-geverifieerde adressen", "1.000–4.500 (geschat)"]]


def test_estimates_put_registered_beside_the_estimate():
    data = pd.DataFrame(
        {
            "label": ["Werkzaam (2021)", "Werkzaam (2021)"],
            "kind": ["registered", "estimate"],
            "value": [3730, 17400],
            "low": [None, None],
            "high": [None, None],
            "provenance": ["gepubliceerd", "gepubliceerd"],
        }
    )

    figure = figures.estimates_against_register(data, title="T")

    assert [trace["x"] for trace in figure["data"]] == [[3730], [17400.0]]
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"


def test_recommendation_statuses_show_every_status_with_its_count():
    data = pd.DataFrame(
        {"status": ["open", "adopted", "in_progress", "done", "rejected"], "count": [3, 1, 0, 0, 0]}
    )

    figure = figures.recommendation_statuses(data, title="T")

    bar = figure["data"][0]
    assert bar["x"] == [3, 1, 0, 0, 0]
    assert [label for label, _ in bar["customdata"][:2]] == ["Open", "Overgenomen door de raad"]
    assert figure["layout"]["xaxis"]["dtick"] == 1


def test_indicator_against_target_marks_targets_only_where_there_are_any():
    data = pd.DataFrame(
        {
            "label": ["Opvang Oekraïners", "Taakstelling"],
            "value": [965.0, 248.0],
            "target": [951.0, None],
            "unit_code": ["persons", "persons"],
        }
    )

    figure = figures.indicator_against_target(data, title="T")

    assert [trace["name"] for trace in figure["data"]] == ["Waarde", "Doel"]
    assert figure["data"][1]["x"] == [951.0]
    assert figure["data"][1]["marker"]["symbol"] == "line-ns-open"


def test_wrap_label_breaks_long_labels_between_words():
    assert wrap_label("arbeidsmigranten op niet geverifieerde locaties", width=20) == (
        "arbeidsmigranten op<br>niet geverifieerde<br>locaties"
    )


# --- figures as the dicts Plotly.js reads ---


def _figures_of_every_kind() -> dict:
    """One figure of each function, with a held-back mark, a stored Decimal and a NaN in it."""
    marked = privacy.Suppressed(5)
    areas = pd.DataFrame(
        {
            "municipality_code": ["GM0394", "GM0394", "NL01"],
            "municipality": ["Haarlemmermeer", "Haarlemmermeer", "Nederland"],
            "year": [2022, 2023, 2023],
            "motive": ["asiel", "gezin", "asiel"],
            "share_pct": [Decimal("4.80"), marked, 11.4],
            "share_of_population_pct": [1.2, 1.56, marked],
        }
    )
    return {
        "motive_shares_over_time": figures.motive_shares_over_time(areas, title="T"),
        "motive_split": figures.motive_split(
            pd.DataFrame(
                {
                    "motive": ["asiel", "gezin"],
                    "count": [marked, 410],
                    "share_of_migrants_pct": [marked, 52.56],
                }
            ),
            title="T",
        ),
        "share_comparison": figures.share_comparison(areas, title="T", highlight="GM0394"),
        "estimates_against_register": figures.estimates_against_register(
            pd.DataFrame(
                {
                    "label": ["Werkzaam (2021)", "Werkzaam (2021)", "Niet-geverifieerde adressen"],
                    "kind": ["registered", "estimate", "estimate"],
                    "value": [marked, 17400, None],
                    "low": [None, None, 1000],
                    "high": [None, None, 4500],
                    "provenance": ["gepubliceerd", "gepubliceerd", "geschat"],
                }
            ),
            title="T",
        ),
        "recommendation_statuses": figures.recommendation_statuses(
            pd.DataFrame({"status": ["open", "done"], "count": [3, 0]}), title="T"
        ),
        "indicator_against_target": figures.indicator_against_target(
            pd.DataFrame(
                {
                    "label": ["A", "B", "C"],
                    "value": [965.0, marked, 82.0],
                    "target": [951.0, None, None],
                    "unit_code": ["persons", "persons", "percent"],
                }
            ),
            title="T",
        ),
        "motive_small_multiples": figures.motive_small_multiples(
            areas.assign(share_of_population_pct=[1.2, float("nan"), marked]),
            title="T",
            highlight="GM0394",
        ),
        "round_result": policy_figures.round_result(
            pd.DataFrame({"label": ["Een", "Twee"], "score": [5, 2]}), title="T", score_label="S"
        ),
    }


def test_every_figure_is_the_json_plotly_would_make_of_it():
    """Plotly validates the dict (an unknown property raises) and writes back the same JSON.

    So the browser receives what a `go.Figure` with the same properties gave,
    template included, in plain JSON: no NaN, no numpy number, no Decimal.
    """
    for name, figure in _figures_of_every_kind().items():
        plain = json.loads(json.dumps(figure, allow_nan=False))
        assert json.loads(go.Figure(figure).to_json()) == plain, name
        template = json.loads(go.Figure().to_json())["layout"]["template"]
        assert figure["layout"]["template"] == template, name


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 9])
@pytest.mark.parametrize("columns", [2, 3])
def test_the_subplot_grid_is_the_one_plotly_computes(count, columns):
    rows = max(1, -(-count // columns))
    titles = [f"motive {index}" for index in range(count)]

    grid = figures.subplot_grid(rows=rows, columns=columns, titles=titles)

    expected = make_subplots(rows=rows, cols=columns, subplot_titles=titles, shared_xaxes=True)
    layout = json.loads(expected.to_json())["layout"]
    layout.pop("template")
    assert grid == layout


def test_the_subplot_grid_keeps_plotlys_rows_at_a_given_spacing():
    titles = ["a", "b", "c", "d", "e"]

    grid = figures.subplot_grid(rows=3, columns=2, titles=titles, vertical=0.1)

    expected = make_subplots(
        rows=3, cols=2, subplot_titles=titles, shared_xaxes=True, vertical_spacing=0.1
    )
    layout = json.loads(expected.to_json())["layout"]
    layout.pop("template")
    assert grid == layout


def test_a_small_multiple_is_drawn_on_its_motives_axes():
    data = pd.DataFrame(
        {
            "municipality_code": ["GM0394", "GM0394", "NL01", "NL01"],
            "municipality": ["Haarlemmermeer", "Haarlemmermeer", "Nederland", "Nederland"],
            "year": [2023, 2023, 2023, 2023],
            "motive": ["asiel", "gezin", "asiel", "gezin"],
            "share_of_population_pct": [1.0, 2.0, 3.0, 4.0],
        }
    )

    figure = figures.motive_small_multiples(data, title="T", highlight="GM0394")

    assert [(t["name"], t["xaxis"], t["showlegend"]) for t in figure["data"]] == [
        ("Haarlemmermeer", "x", True),
        ("Nederland", "x", True),
        ("Haarlemmermeer", "x2", False),
        ("Nederland", "x2", False),
    ]
    assert [note["text"] for note in figure["layout"]["annotations"]] == ["Asiel", "Gezin"]
