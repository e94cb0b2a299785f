"""Figure functions, read as data: traces, values, colours and labels."""

import pandas as pd
import pytest
from django.utils import translation

from charts.figures import wrap_label
from dashboards import figures
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

    assert figure.layout.barmode == "stack"
    assert [trace.marker.color for trace in figure.data] == [
        MOTIVE_COLOURS["asiel"],
        MOTIVE_COLOURS["gezin"],
    ]
    assert list(figure.data[0].x) == ["2022", "2023"]
    assert list(figure.data[0].y) == [1.2, 1.56]


def test_motive_split_orders_motives_from_small_to_large_with_dutch_labels():
    data = pd.DataFrame(
        {
            "motive": ["gezin", "studie"],
            "count": [7975, 935],
            "share_of_migrants_pct": [43.16, 5.06],
        }
    )

    figure = figures.motive_split(data, title="T")

    bar = figure.data[0]
    assert list(bar.x) == [935, 7975]
    assert list(bar.text) == ["935 (5,1 %)", "7.975 (43,2 %)"]
    assert list(bar.marker.color) == [MOTIVE_COLOURS["studie"], MOTIVE_COLOURS["gezin"]]


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

    lines = {trace.name: trace.line for trace in figure.data}
    assert lines["Nederland"].dash == "dash"
    assert lines["Haarlemmermeer"].width > lines["Aalsmeer"].width
    assert list(figure.data[0].y) == [4.8, 11.4]


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

    bar = figure.data[0]
    assert (list(bar.base), list(bar.x)) == ([1000.0], [3500.0])
    assert list(bar.text) == ["1.000–4.500 (geschat)"]


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

    assert [list(trace.x) for trace in figure.data] == [[3730], [17400.0]]


def test_recommendation_statuses_show_every_status_with_its_count():
    data = pd.DataFrame(
        {"status": ["open", "adopted", "in_progress", "done", "rejected"], "count": [3, 1, 0, 0, 0]}
    )

    figure = figures.recommendation_statuses(data, title="T")

    assert list(figure.data[0].y) == [3, 1, 0, 0, 0]
    assert list(figure.data[0].x)[:2] == ["Open", "Overgenomen door de raad"]


def test_indicator_against_target_adds_targets_only_where_there_are_any():
    data = pd.DataFrame(
        {
            "label": ["Opvang Oekraïners", "Bijstand"],
            "value": [965.0, 82.0],
            "target": [951.0, None],
        }
    )

    figure = figures.indicator_against_target(data, title="T")

    assert [trace.name for trace in figure.data] == ["Waarde", "Doel"]
    assert list(figure.data[1].x) == [951.0]


def test_wrap_label_breaks_long_labels_between_words():
    assert wrap_label("arbeidsmigranten op niet geverifieerde locaties", width=20) == (
        "arbeidsmigranten op<br>niet geverifieerde<br>locaties"
    )
