"""Wat het register mist: registered counts beside estimates."""

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from charts import privacy
from charts.chart import Chart, Column, cell_text
from charts.formatting import format_number
from dashboards import figures
from dashboards.filters import Filters
from dashboards.selectors.common import STOCK_DEFINITION, provenance_columns
from registry import selectors as registry_selectors
from registry.constants import Provenance


@dataclass
class RegisterPage:
    charts: list[Chart]


def register_page(*, filters: Filters, suppress_below: int | None = None) -> RegisterPage:
    """Registered counts beside estimates.

    A registered count is a count of persons and is held back below the threshold;
    an estimate (point and range) is the output of a method, not a count of
    persons, and is shown as the source gives it.
    """
    threshold = privacy.threshold_or_members(suppress_below=suppress_below)
    estimates = list(
        registry_selectors.estimate_list(municipality_codes=[filters.municipality.code])
    )
    records = _estimate_records(estimates, threshold=threshold)
    if not records:
        return RegisterPage(charts=[])
    data = pd.DataFrame.from_records(records)
    title = _estimates_title(filters)
    sources = sorted(
        {
            f"{e.source.publisher}, {e.source.title} ({e.source.year})"
            + (f": {e.source_detail}" if e.source_detail else "")
            for e in estimates
        }
    )
    chart = Chart(
        id="estimates",
        title=title,
        summary=_estimates_summary(estimates, threshold=threshold),
        # A counted (gebleken) or published figure is not called an estimate.
        data=data.assign(
            kind=[
                _("registered") if kind == "registered" else str(Provenance(provenance).label)
                for kind, provenance in zip(data["kind"], data["provenance"], strict=True)
            ]
        ),
        columns=[
            Column("label", _("Group")),
            Column("kind", _("Kind")),
            Column("value", _("Persons"), "number"),
            Column("low", _("Lower bound"), "number"),
            Column("high", _("Upper bound"), "number"),
            Column("method", _("Method")),
            *provenance_columns(),
        ],
        figure=figures.estimates_against_register(data, title=title),
        sources=sources,
        definitions=[
            str(
                _(
                    "Not every figure here is an estimate: each says whether the document "
                    "publishes it, found it by counting (gebleken) or estimates it (geschat), "
                    "and rests on the method stated beside it."
                )
            ),
            # CBS's definition only where a BRP registration is shown.
            *([str(STOCK_DEFINITION)] if any(e.registered is not None for e in estimates) else []),
        ],
    )
    return RegisterPage(charts=[chart])


def register_chart_index(
    *, filters: Filters, suppress_below: int | None = None
) -> list[tuple[str, str]]:
    """The ids and titles of the charts `register_page` makes, without making them."""
    code = filters.municipality.code
    if not registry_selectors.estimate_list(municipality_codes=[code]).exists():
        return []
    return [("estimates", _estimates_title(filters))]


def _estimates_title(filters: Filters) -> str:
    return _("Registered and estimated migrants, %(name)s") % {"name": filters.municipality.name}


def _estimate_records(estimates: list, *, threshold: int) -> list[dict]:
    """Per estimate its registered count (where known, held back when small), then itself."""
    records = []
    for estimate in estimates:
        label = f"{estimate.label} ({estimate.year})"
        if estimate.registered is not None:
            records.append(
                {
                    "label": label,
                    "kind": "registered",
                    "value": privacy.count_shown(count=estimate.registered, threshold=threshold),
                    "low": None,
                    "high": None,
                    "method": _("BRP registration"),
                    "year": estimate.year,
                    "provenance": Provenance.PUBLISHED,
                    "provenance_basis": "",
                }
            )
        records.append(
            {
                "label": label,
                "kind": "estimate",
                "value": estimate.point,
                "low": estimate.low,
                "high": estimate.high,
                "method": estimate.method,
                "year": estimate.year,
                "provenance": estimate.provenance,
                "provenance_basis": "",
            }
        )
    return records


def _estimates_summary(estimates: list, *, threshold: int) -> str:
    parts = []
    for estimate in estimates:
        kind = estimate.provenance
        if estimate.point is not None and estimate.registered is not None:
            parts.append(
                _("%(label)s: %(point)s (%(kind)s), of whom %(registered)s registered")
                % {
                    "label": estimate.label,
                    "point": format_number(estimate.point),
                    "kind": kind,
                    "registered": cell_text(
                        privacy.count_shown(count=estimate.registered, threshold=threshold),
                        "number",
                    ),
                }
            )
        elif estimate.low is not None:
            parts.append(
                _("%(label)s: %(low)s to %(high)s (%(kind)s)")
                % {
                    "label": estimate.label,
                    "low": format_number(estimate.low),
                    "high": format_number(estimate.high),
                    "kind": kind,
                }
            )
        else:
            parts.append(f"{estimate.label}: {format_number(estimate.point)} ({kind})")
    return "; ".join(parts) + "."
