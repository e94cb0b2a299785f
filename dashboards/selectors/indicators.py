"""Indicatoren: values against targets, with date and source."""

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from charts import privacy
from charts.chart import Chart, Column, cell_text
from charts.formatting import format_as_stored
from dashboards import figures
from dashboards.filters import Filters
from dashboards.selectors.common import provenance_columns
from policy import selectors as policy_selectors
from policy.constants import IndicatorUnit


@dataclass
class IndicatorsPage:
    charts: list[Chart]
    indicators: list


def indicators_page(*, filters: Filters, suppress_below: int | None = None) -> IndicatorsPage:
    """Values against targets; a value counted in persons is held back below the threshold.

    Targets are numbers set by policy, not counts of persons, and percentages,
    amounts and ratios come without the counts behind them: both are shown.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    indicators = list(policy_selectors.indicator_list(municipality_code=filters.municipality.code))
    if not indicators:
        return IndicatorsPage(charts=[], indicators=[])
    values = {
        i.pk: privacy.count_shown(count=float(i.value), threshold=threshold)
        if i.unit == IndicatorUnit.PERSONS
        else float(i.value)
        for i in indicators
    }
    records = [
        {
            "label": i.label,
            "value": values[i.pk],
            "provenance": i.provenance,
            "provenance_basis": i.provenance_basis,
            "target": float(i.target) if i.target is not None else None,
            "target_label": i.target_label,
            "target_date": i.target_reference_date.isoformat() if i.target_reference_date else "",
            "unit": str(i.get_unit_display()),
            "unit_code": i.unit,
            # No invented date: the day, or the document's own words, or "unknown".
            "date": i.reference_date.isoformat()
            if i.reference_date
            else (i.reference_text or _("reference date unknown")),
            "source": f"{i.report.title}, {i.source_section}",
        }
        for i in indicators
    ]
    data = pd.DataFrame.from_records(records)
    title = _indicators_title(filters)
    chart = Chart(
        id="indicators",
        title=title,
        summary=_indicators_summary(indicators, values=values),
        data=data,
        columns=[
            Column("label", _("Indicator")),
            Column("value", _("Value"), "stored"),
            Column("target", _("Target"), "stored"),
            Column("target_label", _("What the target is")),
            Column("target_date", _("Date of the target"), "date"),
            Column("unit", _("Unit")),
            Column("date", _("Reference date"), "date"),
            Column("source", _("Source")),
            *provenance_columns(),
        ],
        figure=figures.indicator_against_target(data, title=title),
        sources=sorted({r["source"] for r in records}),
    )
    return IndicatorsPage(charts=[chart], indicators=indicators)


def indicators_chart_index(
    *, filters: Filters, suppress_below: int | None = None
) -> list[tuple[str, str]]:
    """The ids and titles of the charts `indicators_page` makes, without making them."""
    if not policy_selectors.indicator_list(municipality_code=filters.municipality.code).exists():
        return []
    return [("indicators", _indicators_title(filters))]


def _indicators_title(filters: Filters) -> str:
    return _("Indicators, %(name)s") % {"name": filters.municipality.name}


def _indicators_summary(indicators: list, *, values: dict) -> str:
    """Each value against its target; without any target, how many indicators there are."""
    with_target = [i for i in indicators if i.target is not None]
    summary = "; ".join(
        _("%(label)s: %(value)s against %(target)s")
        % {
            "label": i.label,
            "value": cell_text(values[i.pk], "stored"),
            "target": (f"{i.target_label} " if i.target_label else "") + format_as_stored(i.target),
        }
        for i in with_target
    ) or _("%(count)s indicators without a target.") % {"count": len(indicators)}
    return summary + ("." if with_target else "")
