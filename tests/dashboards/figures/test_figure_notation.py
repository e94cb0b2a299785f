"""Every dashboard figure of the demo, read as JSON: the reader's notation on every axis,
hovers as the table prints, ranges as floating bars, one unit per axis, one scale per
small multiple and CBS's 2020 method change marked."""

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from django.http import QueryDict
from django.utils import translation

from charts.chart import cell_text
from dashboards import figures
from dashboards import selectors as pages
from dashboards.filters import filters_from_query
from registry.models import Municipality

DEMO_MUNICIPALITIES = ["GM0394", "GM0358", "GM0637"]
PAGES = [
    pages.overview_page,
    pages.compare_page,
    pages.register_page,
    pages.findings_page,
    pages.indicators_page,
]
AXIS_KEY = ("xaxis", "yaxis")


def _filters(code: str):
    municipalities = {m.code: m for m in Municipality.objects.all()}
    return filters_from_query(
        params=QueryDict(f"municipality={code}"),
        municipalities=municipalities,
        comparison_groups={
            m.code: [other.code for other in m.comparison_group.all()]
            for m in municipalities.values()
        },
        default=lambda: municipalities[code],
    )


def _charts(language: str = "nl") -> dict:
    """Every chart with a figure of every page of the demo municipalities, by page and id."""
    charts = {}
    with translation.override(language):
        for code in DEMO_MUNICIPALITIES:
            for build in PAGES:
                for chart in build(filters=_filters(code)).charts:
                    if chart.figure is not None:
                        charts[f"{code}:{build.__name__}:{chart.id}"] = chart
    return charts


def _axes(figure: dict) -> dict:
    return {key: axis for key, axis in figure["layout"].items() if key.startswith(AXIS_KEY)}


@pytest.fixture
def demo_charts(demo) -> dict:
    return _charts()


def test_the_demo_draws_a_figure_on_every_page_that_has_one(demo_charts):
    drawn = {name.split(":")[2] for name in demo_charts}

    assert drawn == {
        "motive-shares",
        "motive-split",
        "share-comparison",
        "motive-comparison",
        "estimates",
        "recommendation-status",
        "indicators",
    }


def test_every_value_axis_has_a_dutch_tick_format_and_never_an_si_suffix(demo_charts):
    for name, chart in demo_charts.items():
        assert chart.figure["layout"]["separators"] == ",.", name
        for key, axis in _axes(chart.figure).items():
            assert axis["exponentformat"] == "none", (name, key)
            if axis.get("type") != "category":
                assert axis["tickformat"] in (",d", ",.1~f", ",.2~f"), (name, key)


def test_figures_built_in_english_use_english_separators(demo):
    charts = _charts("en")

    assert {chart.figure["layout"]["separators"] for chart in charts.values()} == {".,"}


def test_every_trace_hovers_with_texts_instead_of_numbers_plotly_formats(demo_charts):
    for name, chart in demo_charts.items():
        for trace in chart.figure["data"]:
            template = trace["hovertemplate"]
            assert "%{customdata[" in template, name
            for raw in ("%{x", "%{y", "%{text", "%{value"):
                assert raw not in template, (name, raw)
            assert len(trace["customdata"]) == len(trace["y"]), name


def test_the_hover_shows_the_count_as_the_table_prints_it(demo_charts):
    chart = demo_charts["GM0394:overview_page:motive-split"]

    hovers = dict(chart.figure["data"][0]["customdata"])
    family = chart.data[chart.data["motive"] == "gezin"].iloc[0]
    assert hovers["Gezin"].startswith(f"{cell_text(family['count'], 'number')} (")
    assert hovers["Gezin"].startswith("7.975 (")


def test_a_range_is_a_floating_bar_from_its_low_to_its_high_end(demo_charts):
    figure = demo_charts["GM0358:register_page:estimates"].figure

    ranges = [trace for trace in figure["data"] if "base" in trace]
    assert [(trace["base"], trace["x"]) for trace in ranges] == [([1000.0], [3500.0])]
    assert ranges[0]["customdata"][0][1] == "1.000–4.500 (geschat)"


def test_no_figure_draws_error_bars_around_an_invented_centre(demo_charts):
    for name, chart in demo_charts.items():
        for trace in chart.figure["data"]:
            assert not {"error_x", "error_y"} & set(trace), name


def test_each_indicators_axis_holds_indicators_of_one_unit(demo_charts):
    for code in ("GM0394", "GM0358"):
        chart = demo_charts[f"{code}:indicators_page:indicators"]
        units = dict(zip(chart.data["label"], chart.data["unit_code"], strict=True))
        per_axis: dict = {}
        for trace in chart.figure["data"]:
            labels = [label.replace("<br>", " ") for label, _ in trace["customdata"]]
            per_axis.setdefault(trace["xaxis"], set()).update(units[label] for label in labels)
        assert all(len(found) == 1 for found in per_axis.values()), code
        assert len(per_axis) == len(set(units.values())), code


def test_the_percentages_of_the_indicators_have_their_own_axis_from_zero_to_a_hundred(
    demo_charts,
):
    figure = demo_charts["GM0394:indicators_page:indicators"].figure

    percent_axes = [axis for axis in _axes(figure).values() if axis.get("ticksuffix") == " %"]
    assert [axis["range"] for axis in percent_axes] == [[0, 100]]


def test_the_small_multiples_share_one_y_scale(demo_charts):
    figure = demo_charts["GM0394:compare_page:motive-comparison"].figure

    y_axes = {key: axis for key, axis in _axes(figure).items() if key.startswith("yaxis")}
    assert y_axes["yaxis"]["range"][0] == 0
    assert y_axes["yaxis"]["autorange"] is False
    assert {axis.get("matches") for key, axis in y_axes.items() if key != "yaxis"} == {"y"}


def test_the_share_comparison_marks_cbss_method_change_between_its_years(demo_charts):
    figure = demo_charts["GM0394:compare_page:share-comparison"].figure

    years = figure["layout"]["xaxis"]["categoryarray"]
    assert years == ["2015", "2023"]
    assert [shape["x0"] for shape in figure["layout"]["shapes"]] == [0.5]
    assert "Methodewijziging CBS (2020)" in figure["layout"]["annotations"][0]["text"].replace(
        "<br>", " "
    )


def _shares_per_motive(years: list[int]) -> pd.DataFrame:
    rows = [
        (code, name, year, motive, 1.0 + index)
        for index, year in enumerate(years)
        for motive in ("asiel", "arbeid", "gezin")
        for code, name in (("GM0394", "Haarlemmermeer"), ("NL01", "Nederland"))
    ]
    return pd.DataFrame(
        rows,
        columns=["municipality_code", "municipality", "year", "motive", "share_of_population_pct"],
    )


@pytest.mark.translation
def test_every_small_multiple_marks_cbss_method_change_before_2020():
    with translation.override("nl"):
        figure = figures.motive_small_multiples(
            _shares_per_motive([2018, 2019, 2020, 2021]), title="T", highlight="GM0394"
        )

    shapes = figure["layout"]["shapes"]
    assert [(shape["xref"], shape["x0"], shape["x1"]) for shape in shapes] == [
        ("x", 1.5, 1.5),
        ("x2", 1.5, 1.5),
        ("x3", 1.5, 1.5),
    ]
    labels = [note for note in figure["layout"]["annotations"] if "CBS" in note["text"]]
    assert len(labels) == 1


def test_years_on_one_side_of_2020_have_no_marker():
    figure = figures.motive_small_multiples(
        _shares_per_motive([2021, 2022, 2023]), title="T", highlight="GM0394"
    )

    assert "shapes" not in figure["layout"]


def test_a_marked_figure_is_the_json_plotly_would_make_of_it():
    figure = figures.motive_small_multiples(
        _shares_per_motive([2019, 2020]), title="T", highlight="GM0394"
    )

    plain = json.loads(json.dumps(figure, allow_nan=False))
    assert json.loads(go.Figure(figure).to_json()) == plain


def test_small_multiples_on_their_own_scales_match_no_axis_and_show_every_panels_ticks():
    figure = figures.motive_small_multiples(
        _shares_per_motive([2021, 2022]), title="T", highlight="GM0394", own_scales=True
    )

    axes = [
        axis
        for name, axis in figure["layout"].items()
        if name.startswith("yaxis") and axis.get("visible", True)
    ]
    assert len(axes) == 3
    assert not [axis for axis in axes if "matches" in axis]
    assert all(axis["autorange"] and axis["rangemode"] == "tozero" for axis in axes)
    assert not [axis for axis in axes if axis.get("showticklabels") is False]
