"""Chart.prints_landscape: a table too wide for portrait A4 prints on landscape pages."""

import pandas as pd

from charts.chart import PORTRAIT_COLUMNS, Chart, Column, chart_freeze, chart_thaw


def _chart(columns: int) -> Chart:
    keys = [f"c{number}" for number in range(columns)]
    return Chart(
        id="breed",
        title="Breed",
        summary="",
        data=pd.DataFrame([dict.fromkeys(keys, 1)]),
        columns=[Column(key, key, "number") for key in keys],
    )


def test_a_chart_of_as_many_columns_as_portrait_holds_prints_portrait():
    assert not _chart(PORTRAIT_COLUMNS).prints_landscape


def test_a_chart_of_one_column_more_prints_landscape():
    assert _chart(PORTRAIT_COLUMNS + 1).prints_landscape


def test_a_frozen_chart_prints_as_it_did_when_live():
    frozen = chart_thaw(frozen=chart_freeze(chart=_chart(PORTRAIT_COLUMNS + 1)))

    assert frozen.prints_landscape
