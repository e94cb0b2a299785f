"""Meeting snapshots, what one keeps: the pack as shown, unchanged by later imports and edits."""

import csv
import io
import json
from datetime import date

import pytest
from django.utils import translation

from dashboards import selectors
from policy.constants import RecommendationStatus
from policy.models import Recommendation, RecommendationStatusChange
from registry.services import migrant_counts_import
from tests import factories as f
from tests.dashboards.snapshot_builders import (
    DEMO_PACK,
    DEMO_REPORT,
    PACK_URL,
    _dutch,
    _edit,
    _filters,
    _freeze,
    _frozen_part,
    _page,
    _point,
    _url,
)

pytestmark = pytest.mark.django_db


# --- what a snapshot keeps ---


def test_a_snapshot_keeps_each_chart_as_the_pack_showed_it(client, raadslid, demo):
    client.force_login(raadslid)
    chart = client.get(PACK_URL).context["page"].charts[0]

    frozen = _freeze().content["charts"][0]

    assert frozen["id"] == "motive-split"
    assert (frozen["title"], frozen["summary"]) == (chart.title, chart.summary)
    assert (frozen["sources"], frozen["definitions"]) == (chart.sources, chart.definitions)
    assert frozen["columns"] == [
        {"key": c.key, "label": c.label, "kind": c.kind, "unit": c.unit, "codes": c.codes}
        for c in chart.columns
    ]
    assert frozen["rows"] == [[list(cell) for cell in row] for row in chart.table_rows()]
    assert frozen["records"] == chart.export_records()
    assert frozen["figure"] == chart.figure


def test_a_snapshot_keeps_the_findings_with_each_recommendations_status_then(demo):
    recommendation = Recommendation.objects.get(report__slug=DEMO_REPORT, number=1)
    RecommendationStatusChange.objects.create(
        recommendation=recommendation,
        status=RecommendationStatus.IN_PROGRESS,
        changed_on=date(2026, 1, 5),
    )

    report = _freeze().content["findings"][0]

    assert (report["report"], report["title"], report["author"], report["year"]) == (
        DEMO_REPORT,
        "Migranten in Haarlemmermeer",
        "Rekenkamer Haarlemmermeer",
        2025,
    )
    assert [p["number"] for p in report["attention_points"]] == list(range(1, 15))
    first = report["recommendations"][0]
    assert (first["number"], first["title"]) == (1, recommendation.title)
    assert (first["status"], first["status_label"]) == ("in_progress", _dutch("In progress"))
    with translation.override("nl"):
        assert first["addressee_label"] == str(recommendation.get_addressee_display())


def test_a_pack_without_the_findings_keeps_no_findings(demo):
    snapshot = _freeze(query="municipality=GM0394&include=overview:motive-split")

    assert snapshot.content["findings"] is None


def test_the_frozen_content_is_plain_json_and_the_same_for_the_same_pack(demo):
    filters = _filters(DEMO_PACK)
    with translation.override("nl"):
        first = selectors.pack_frozen(pack=selectors.pack_page(filters=filters), filters=filters)
        second = selectors.pack_frozen(pack=selectors.pack_page(filters=filters), filters=filters)

    assert json.loads(json.dumps(first)) == first
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["language"] == "nl"


def test_a_draft_attention_point_never_enters_a_snapshot(client, raadslid, demo):
    f.AttentionPointFactory(
        report=_point(1).report, number=15, title="Nog niet gepubliceerd", state="draft"
    )
    client.force_login(raadslid)

    snapshot = _freeze()

    numbers = [p["number"] for p in snapshot.content["findings"][0]["attention_points"]]
    assert 15 not in numbers
    assert "Nog niet gepubliceerd" not in _page(client, snapshot).text


def test_a_snapshot_frozen_in_english_stays_english_for_a_dutch_reader(client, raadslid, demo):
    snapshot = _freeze(language="en")
    client.force_login(raadslid)

    response = _page(client, snapshot)

    assert snapshot.content["language"] == "en"
    frozen = _frozen_part(response.text)
    assert 'lang="en"' in frozen
    assert "Registered migrants by motive, Haarlemmermeer, 2023" in frozen
    assert response.context["changes"].nothing_changed


# --- later imports and edits leave a snapshot as it was ---


def test_a_snapshot_keeps_its_numbers_after_an_import_and_notes_that_they_differ(
    client, raadslid, demo
):
    snapshot = _freeze()
    client.force_login(raadslid)

    migrant_counts_import(
        content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
        file_name="update.csv",
    )

    response = _page(client, snapshot)
    frozen = _frozen_part(response.text)
    assert '<td class="num">2.525</td>' in frozen
    assert '<td class="num">3.000</td>' not in frozen
    assert [(c.id, c.state) for c in response.context["changes"].charts] == [
        ("motive-split", "changed")
    ]
    assert (
        _dutch(
            "%(title)s: the figures differ from what the portal shows now.",
            title="Ingeschreven migranten naar motief, Haarlemmermeer, 2023",
        )
        in response.text
    )


def test_a_snapshots_download_holds_the_frozen_numbers_after_an_import(client, raadslid, demo):
    snapshot = _freeze()
    client.force_login(raadslid)
    migrant_counts_import(
        content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
        file_name="update.csv",
    )

    response = client.get(_url("detail", snapshot) + "?chart=motive-split&format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    header = {c["key"]: c["label"] for c in snapshot.content["charts"][0]["columns"]}
    by_motive = {row[header["motive_label"]]: row[header["count"]] for row in rows}
    assert by_motive["Asiel"] == "2525"
    assert 'filename="motive-split-GM0394-2026-12-10.csv"' in response["Content-Disposition"]


def test_a_snapshot_keeps_an_attention_points_title_after_an_edit_and_notes_the_edit(
    client, raadslid, demo
):
    snapshot = _freeze()
    client.force_login(raadslid)

    _edit(_point(1), title="Duurzame en flexibele opvang")

    response = _page(client, snapshot)
    frozen = _frozen_part(response.text)
    assert "Duurzame opvangplekken voor asielzoekers" in frozen
    assert "Duurzame en flexibele opvang" not in frozen
    [change] = response.context["changes"].findings
    assert (change.kind, change.number, change.state, change.fields) == (
        "attention_points",
        1,
        "edited",
        ["title"],
    )
    assert change.changed_at is not None
    assert change.title == "Duurzame opvangplekken voor asielzoekers"
