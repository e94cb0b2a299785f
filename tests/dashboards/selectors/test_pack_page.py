"""The debate pack builds only what it shows, and lists the others' charts from an index."""

from dataclasses import replace

import pytest

from charts import privacy
from dashboards.selectors import findings_page, pack
from tests import factories as f
from tests.dashboards.snapshot_builders import _filters

pytestmark = pytest.mark.django_db

EVERY_CHART = (
    "overview:motive-shares,overview:motive-split,compare:share-comparison,"
    "compare:motive-comparison,register:estimates,indicators:indicators,"
    "findings:recommendation-status,findings:all"
)
QUERIES = [
    "municipality=GM0394",
    "municipality=GM0358",
    "municipality=GM0394&from=2023",
    "municipality=GM0394&to=2010",
    "municipality=GM0394&motives=asiel",
    "municipality=GM0394&compare=GM0358&from=2022&to=2022",
    "municipality=GM0394&group=unknown&theme=unknown",
]


def _indexed(filters, *, threshold: int | None = None) -> list[tuple[str, str]]:
    """What the pack offers with no chart chosen: every page listed from its index."""
    assert not filters.include
    return pack.pack_page(filters=filters, suppress_below=threshold).available


def _built(filters, *, threshold: int) -> list[tuple[str, str]]:
    """What the pack used to list: every page built, each chart's key and title."""
    return [
        (f"{name}:{chart.id}", chart.title)
        for name, source in pack.PACK_SOURCES.items()
        for chart in source.build(filters=filters, suppress_below=threshold).charts
    ]


@pytest.mark.parametrize("threshold", [0, privacy.threshold_for_members()])
@pytest.mark.parametrize("query", QUERIES)
def test_the_pack_index_lists_exactly_the_charts_the_pages_build(demo, query, threshold):
    filters = _filters(query)

    assert _indexed(filters, threshold=threshold) == _built(filters, threshold=threshold)


def test_the_pack_index_leaves_out_the_motive_shares_of_a_municipality_without_population(db):
    municipality = f.MunicipalityFactory(code="GM9002", name="Zonder inwonertal")
    f.MigrantCountFactory(municipality=municipality, year=2023, motive_id="asiel", persons=40)
    filters = _filters("municipality=GM9002")

    index = _indexed(filters)

    assert index == _built(filters, threshold=privacy.threshold_for_members())
    assert "overview:motive-split" in dict(index)
    assert "overview:motive-shares" not in dict(index)


def test_the_pack_index_of_a_municipality_without_figures_is_empty(db):
    f.MunicipalityFactory(code="GM9003", name="Leeg")

    assert _indexed(_filters("municipality=GM9003")) == []


def test_the_pack_offers_the_same_charts_whichever_are_chosen(demo):
    none_chosen = pack.pack_page(filters=_filters("municipality=GM0394"))
    every_chosen = pack.pack_page(filters=_filters(f"municipality=GM0394&include={EVERY_CHART}"))

    assert none_chosen.available == every_chosen.available
    assert len(every_chosen.charts) == len(every_chosen.available)


def test_the_pack_builds_only_the_pages_its_chosen_charts_come_from(demo, monkeypatch):
    def never(**kwargs):
        raise AssertionError("no chart of this page is chosen")

    for name in ["compare", "register", "indicators", "findings"]:
        monkeypatch.setitem(pack.PACK_SOURCES, name, replace(pack.PACK_SOURCES[name], build=never))

    page = pack.pack_page(filters=_filters("municipality=GM0394&include=overview:motive-split"))

    assert [chart.id for chart in page.charts] == ["motive-split"]
    assert "compare:share-comparison" in dict(page.available)
    assert page.findings is None


def _findings_shown(page) -> list[tuple]:
    """What the pack shows of the findings: per report each item's number, title and status."""
    return [
        (
            entry.report.slug,
            [(p.number, p.title) for p in entry.attention_points],
            [(c.number, c.title) for c in entry.conclusions],
            [(r.number, r.title, r.addressee, page.statuses[r.pk]) for r in entry.recommendations],
        )
        for entry in page.reports
    ]


def test_the_packs_findings_are_the_findings_pages_without_their_links(demo):
    filters = _filters("municipality=GM0394&include=findings:all")

    in_pack = pack.pack_page(filters=filters).findings

    assert _findings_shown(in_pack) == _findings_shown(findings_page(filters=filters))
    assert in_pack.reports
